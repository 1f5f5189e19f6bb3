"""Themes in the Wagtail admin (consultations/viewsets/themes/): the snippet listing and its
filters, create and edit through the services, bulk merge and delete, the screens Wagtail has
no equivalent for, and the PCN boundary of every one of them.
"""

import html

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from consultations.models import (
    Idea,
    PostStatus,
    SuggestionRun,
    Theme,
    ThemeQuote,
    ThemeSuggestion,
)
from consultations.viewsets.themes.policy import theme_permission_policy
from tests.moderation.conftest import make_idea, make_moderator, make_user, make_vision

THEMES = "/admin/snippets/consultations/theme/"
ADMIN_LOGIN = "/admin/login/"


def edit_url(theme) -> str:
    return f"{THEMES}edit/{theme.pk}/"


def ideas_url(theme) -> str:
    return f"{THEMES}ideas/{theme.pk}/"


def assign_url(consultation) -> str:
    return f"{THEMES}assign/{consultation.pk}/"


def suggestions_url(consultation) -> str:
    return f"{THEMES}suggestions/{consultation.pk}/"


def bulk_url(action, *themes) -> str:
    ids = "&".join(f"id={theme.pk}" for theme in themes)
    return f"/admin/bulk/consultations/theme/{action}/?{ids}&next={THEMES}"


def messages_of(response) -> list[str]:
    return [html.unescape(str(m)).strip() for m in get_messages(response.wsgi_request)]


def refused(response) -> bool:
    """Wagtail turns PermissionDenied into a redirect to the dashboard with an error."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def listed_names(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        cell.get_text(" ", strip=True) for cell in soup.select("tbody td.title .title-wrapper > a")
    ]


@pytest.fixture
def world(consultation, other_consultation, author, home):
    ideas = [
        make_idea(consultation, author, status=PostStatus.PUBLISHED, title=f"Idea {n}")
        for n in range(4)
    ]
    return {
        "ideas": ideas,
        "pending": make_idea(consultation, author, title="Not yet published"),
        "b_idea": make_idea(other_consultation, author, status=PostStatus.PUBLISHED, title="B"),
        "priority": make_vision(home, "Care closer to home").priorities.get(),
        "a_theme": Theme.objects.create(consultation=consultation, name="A theme"),
        "b_theme": Theme.objects.create(consultation=other_consultation, name="B theme"),
    }


def themes_and_links():
    return (
        sorted(Theme.objects.values_list("pk", "name", "summary", "priority")),
        sorted(Theme.ideas.through.objects.values_list("theme_id", "idea_id")),
        sorted(ThemeQuote.objects.values_list("theme_id", "idea_id")),
    )


# The permission policy, by role and PCN


@pytest.mark.parametrize(
    "who, may_act, may_act_on_a, may_act_on_b",
    [
        ("resident", False, False, False),
        ("staff", False, False, False),
        ("lead", False, False, False),
        ("moderator", True, True, False),
        ("other moderator", True, False, True),
        ("admin", True, True, True),
    ],
)
def test_the_policy_lets_moderators_act_on_their_own_pcns_themes(
    world, home, other_home, who, may_act, may_act_on_a, may_act_on_b
):
    user = {
        "resident": lambda: make_user(),
        "staff": lambda: make_user(groups=[home.pcn.staff_group]),
        "lead": lambda: make_user(groups=[home.pcn.lead_group]),
        "moderator": lambda: make_moderator(home),
        "other moderator": lambda: make_moderator(other_home),
        "admin": lambda: make_user(is_superuser=True),
    }[who]()
    policy = theme_permission_policy
    for action in ("add", "change", "delete", "view"):
        assert policy.user_has_permission(user, action) is may_act
        assert policy.user_has_permission_for_instance(user, action, world["a_theme"]) is (
            may_act_on_a
        )
        assert policy.user_has_permission_for_instance(user, action, world["b_theme"]) is (
            may_act_on_b
        )
    assert not policy.user_has_permission(user, "publish")
    visible = set(policy.instances_user_has_any_permission_for(user, ["change"]))
    assert (world["a_theme"] in visible, world["b_theme"] in visible) == (
        may_act_on_a,
        may_act_on_b,
    )
    assert (
        user in policy.users_with_any_permission_for_instance(["change"], world["a_theme"])
    ) is (may_act_on_a)


# The listing


def test_the_listing_shows_only_this_pcns_themes_with_their_published_ideas(
    client, moderator, world
):
    theme = world["a_theme"]
    theme.ideas.add(world["ideas"][0], world["ideas"][1], world["pending"])
    theme.priority = world["priority"]
    theme.save()
    client.force_login(moderator)
    response = client.get(THEMES)
    assert response.status_code == 200
    page = response.content.decode()
    assert listed_names(response) == ["A theme"]
    assert "B theme" not in page and "Weekend opening" not in page
    soup = BeautifulSoup(response.content, "html.parser")
    row = [cell.get_text(" ", strip=True) for cell in soup.select("tbody tr")[0].select("td")]
    assert "Evening appointments" in row
    assert "2" in row  # the pending idea is not counted
    assert "Care closer to home" in row


def test_the_consultation_filter_offers_only_the_users_consultations(
    client, moderator, world, consultation, other_consultation
):
    client.force_login(moderator)
    soup = BeautifulSoup(client.get(THEMES).content, "html.parser")
    offered = [option.get_text() for option in soup.select("select[name=consultation] option")]
    assert offered == ["All consultations", "Evening appointments"]
    # Another PCN's consultation by id: not a choice, and nothing of it is listed.
    response = client.get(f"{THEMES}?consultation={other_consultation.pk}")
    assert response.status_code == 200
    assert "B theme" not in response.content.decode()


def test_filter_by_consultation_priority_and_answer(client, moderator, world, consultation, home):
    from tests.factories import make_consultation

    second = make_consultation(consultation.get_parent(), phase="open", title="Second")
    Theme.objects.create(
        consultation=consultation, name="With priority", priority=world["priority"]
    )
    Theme.objects.create(consultation=second, name="Elsewhere")
    client.force_login(moderator)

    def names(query):
        return sorted(listed_names(client.get(f"{THEMES}?{query}")))

    assert names(f"consultation={second.pk}") == ["Elsewhere"]
    assert names(f"consultation={consultation.pk}") == ["A theme", "With priority"]
    assert names("has_priority=true") == ["With priority"]
    assert names("has_priority=false") == ["A theme", "Elsewhere"]
    assert names("answered=false") == ["A theme", "Elsewhere", "With priority"]
    assert names("answered=true") == []
    assert names("q=priority") == ["With priority"]


def test_choosing_a_consultation_offers_its_grouping_and_suggestions(
    client, moderator, world, consultation
):
    client.force_login(moderator)
    page = client.get(f"{THEMES}?consultation={consultation.pk}").content.decode()
    assert assign_url(consultation) in page
    assert suggestions_url(consultation) in page


def _many_themes(consultation, author, *, themes, ideas_each):
    for number in range(themes):
        theme = Theme.objects.create(consultation=consultation, name=f"Theme {number}")
        ideas = Idea.objects.bulk_create(
            Idea(
                consultation=consultation,
                author=author,
                title=f"Idea {number}-{n}",
                body="Longer hours",
                status=PostStatus.PUBLISHED,
            )
            for n in range(ideas_each)
        )
        theme.ideas.add(*ideas)


def test_the_listings_query_count_does_not_grow_with_themes_or_ideas(
    client, moderator, consultation, consultation_index, author
):
    from tests.factories import make_consultation

    small = consultation
    large = make_consultation(consultation_index, phase="open", title="Large")
    _many_themes(small, author, themes=2, ideas_each=2)
    _many_themes(large, author, themes=20, ideas_each=30)
    client.force_login(moderator)
    client.get(THEMES)  # warm what every admin page reads once

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    assert count(f"{THEMES}?consultation={small.pk}") == count(f"{THEMES}?consultation={large.pk}")


# Create and edit, through the services


def test_create_a_theme(client, moderator, world, consultation):
    client.force_login(moderator)
    assert client.get(f"{THEMES}add/").status_code == 200
    response = client.post(
        f"{THEMES}add/",
        {
            "consultation": consultation.pk,
            "name": "Evening <b>hours</b>",
            "summary": "People want to be seen after work.",
            "priority": world["priority"].pk,
        },
    )
    assert response.status_code == 302
    theme = Theme.objects.get(name="Evening hours")
    assert (theme.consultation, theme.priority) == (consultation, world["priority"])
    entry = ModelLogEntry.objects.get(object_id=str(theme.pk), action="wagtail.create")
    assert entry.user == moderator
    # A duplicate name is refused beside the field, and what was typed is kept.
    response = client.post(
        f"{THEMES}add/",
        {"consultation": consultation.pk, "name": "evening HOURS", "summary": "Kept text"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A theme with this name already exists" in page
    assert "Kept text" in page
    assert Theme.objects.filter(consultation=consultation).count() == 2


def test_the_form_offers_only_this_pcns_consultations_and_priorities(
    client, moderator, world, other_home, other_consultation
):
    foreign = make_vision(other_home, "Somewhere else").priorities.get()
    client.force_login(moderator)
    soup = BeautifulSoup(client.get(f"{THEMES}add/").content, "html.parser")
    priorities = [option.get_text() for option in soup.select("select[name=priority] option")]
    assert priorities == ["No priority yet", "Care closer to home"]
    consultations = [o.get_text() for o in soup.select("select[name=consultation] option")]
    assert consultations == ["Evening appointments"]
    before = themes_and_links()
    for data in (
        {"consultation": other_consultation.pk, "name": "Sneaky"},
        {"consultation": world["a_theme"].consultation_id, "name": "T", "priority": foreign.pk},
    ):
        response = client.post(f"{THEMES}add/", data)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert themes_and_links() == before


def test_edit_a_theme(client, moderator, world):
    theme = world["a_theme"]
    client.force_login(moderator)
    assert client.get(edit_url(theme)).status_code == 200
    response = client.post(
        edit_url(theme),
        {
            "name": "Evening and weekend hours",
            "summary": "Later <b>hours</b>.",
            "priority": world["priority"].pk,
        },
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.summary, theme.priority) == (
        "Evening and weekend hours",
        "Later hours.",
        world["priority"],
    )
    assert ModelLogEntry.objects.filter(object_id=str(theme.pk), action="wagtail.edit").exists()
    history = client.get(f"{THEMES}history/{theme.pk}/")
    assert history.status_code == 200
    assert client.get(f"{THEMES}inspect/{theme.pk}/").status_code == 200


def test_a_theme_stays_with_its_consultation(client, moderator, world, consultation_index):
    from tests.factories import make_consultation

    second = make_consultation(consultation_index, phase="open", title="Second")
    theme = world["a_theme"]
    client.force_login(moderator)
    client.post(edit_url(theme), {"consultation": second.pk, "name": "A theme", "summary": ""})
    theme.refresh_from_db()
    assert theme.consultation_id == world["a_theme"].consultation_id


def test_delete_a_theme_keeps_its_ideas(client, moderator, world):
    theme = world["a_theme"]
    theme.ideas.add(world["ideas"][0])
    client.force_login(moderator)
    assert client.get(f"{THEMES}delete/{theme.pk}/").status_code == 200
    response = client.post(f"{THEMES}delete/{theme.pk}/")
    assert response.status_code == 302
    assert messages_of(response) == ["Theme 'A theme' deleted. Its ideas are unchanged."]
    assert not Theme.objects.filter(pk=theme.pk).exists()
    assert Idea.objects.filter(pk=world["ideas"][0].pk).exists()
    assert ModelLogEntry.objects.filter(object_id=str(theme.pk), action="wagtail.delete").exists()


# Another PCN's themes, and people who are not moderators


def test_another_pcns_theme_is_refused_on_every_screen(
    client, moderator, world, other_consultation
):
    b_theme = world["b_theme"]
    b_idea = world["b_idea"]
    b_theme.ideas.add(b_idea)
    client.force_login(moderator)
    before = themes_and_links()
    for response in (
        client.get(edit_url(b_theme)),
        client.get(f"{THEMES}delete/{b_theme.pk}/"),
        client.get(f"{THEMES}history/{b_theme.pk}/"),
        client.get(f"{THEMES}inspect/{b_theme.pk}/"),
        client.get(f"{THEMES}usage/{b_theme.pk}/"),
        client.get(ideas_url(b_theme)),
        client.get(assign_url(other_consultation)),
        client.get(suggestions_url(other_consultation)),
        client.post(edit_url(b_theme), {"name": "Renamed", "summary": ""}),
        client.post(f"{THEMES}delete/{b_theme.pk}/"),
        client.post(ideas_url(b_theme), {"action": "remove", "ideas": [b_idea.pk]}),
        client.post(ideas_url(b_theme), {"action": "split", "ideas": [b_idea.pk], "new_name": "S"}),
        client.post(ideas_url(b_theme), {"quote_idea": b_idea.pk}),
        client.post(assign_url(other_consultation), {"ideas": [b_idea.pk], "theme": b_theme.pk}),
        client.post(suggestions_url(other_consultation), {"action": "suggest"}),
    ):
        assert refused(response), response.status_code
        assert b"B theme" not in response.content
    assert themes_and_links() == before
    assert not SuggestionRun.objects.exists()


def test_cannot_assign_another_pcns_ideas_or_theme_from_this_pcns_screen(
    client, moderator, world, consultation
):
    client.force_login(moderator)
    for theme in (world["b_theme"], world["a_theme"]):
        client.post(assign_url(consultation), {"ideas": [world["b_idea"].pk], "theme": theme.pk})
    assert not world["b_theme"].ideas.exists()
    assert not world["a_theme"].ideas.exists()


def every_theme_url(world):
    a_theme, consultation = world["a_theme"], world["a_theme"].consultation
    return [
        THEMES,
        f"{THEMES}add/",
        edit_url(a_theme),
        f"{THEMES}delete/{a_theme.pk}/",
        f"{THEMES}history/{a_theme.pk}/",
        ideas_url(a_theme),
        assign_url(consultation),
        suggestions_url(consultation),
        bulk_url("merge", a_theme),
        bulk_url("delete", a_theme),
    ]


@pytest.mark.parametrize("who", ["anonymous", "resident", "staff", "lead"])
def test_theme_screens_refuse_people_who_are_not_moderators(client, world, home, who):
    if who != "anonymous":
        groups = {"resident": [], "staff": [home.pcn.staff_group], "lead": [home.pcn.lead_group]}
        client.force_login(make_user(groups=groups[who]))
    before = themes_and_links()
    for url in every_theme_url(world):
        for response in (
            client.get(url),
            client.post(
                url,
                {
                    "name": "Sneaky",
                    "consultation": world["a_theme"].consultation_id,
                    "ideas": [world["ideas"][0].pk],
                    "theme": world["a_theme"].pk,
                    "action": "suggest",
                },
            ),
        ):
            assert response.status_code in (302, 403, 404), url
            if response.status_code == 302:
                assert response["Location"].startswith((ADMIN_LOGIN, "/admin/")), url
                assert response["Location"] != url
    assert themes_and_links() == before
    assert not SuggestionRun.objects.exists()


def test_the_themes_menu_item_is_for_moderators(client, world, home, moderator):
    client.force_login(make_user(groups=[home.pcn.staff_group]))
    assert THEMES not in client.get("/admin/").content.decode()
    client.force_login(moderator)
    assert THEMES in client.get("/admin/").content.decode()


# Bulk actions


def test_merge_the_ticked_themes_into_the_one_kept(client, moderator, world, consultation):
    ideas = world["ideas"]
    keep = Theme.objects.create(consultation=consultation, name="Keep")
    drop = Theme.objects.create(consultation=consultation, name="Drop")
    keep.ideas.add(ideas[0])
    drop.ideas.add(ideas[1], ideas[2])
    client.force_login(moderator)
    page = client.get(bulk_url("merge", keep, drop))
    assert page.status_code == 200
    assert "Keep" in page.content.decode() and "Drop" in page.content.decode()
    response = client.post(bulk_url("merge", keep, drop), {"into": keep.pk})
    assert response.status_code == 302
    assert messages_of(response) == ["Merged 1 theme(s) into 'Keep'."]
    assert not Theme.objects.filter(pk=drop.pk).exists()
    assert set(keep.ideas.all()) == {ideas[0], ideas[1], ideas[2]}
    assert ModelLogEntry.objects.filter(
        object_id=str(keep.pk), action="engage.theme.merge"
    ).exists()


def test_a_merge_needs_two_themes_of_one_consultation_and_one_to_keep(
    client, moderator, world, consultation, consultation_index
):
    from tests.factories import make_consultation

    keep = Theme.objects.create(consultation=consultation, name="Keep")
    drop = Theme.objects.create(consultation=consultation, name="Drop")
    elsewhere = Theme.objects.create(
        consultation=make_consultation(consultation_index, phase="open", title="Second"),
        name="Elsewhere",
    )
    client.force_login(moderator)
    before = themes_and_links()
    for themes, data, error in (
        ((keep,), {"into": keep.pk}, "Tick two or more themes to merge."),
        ((keep, drop), {}, "Choose the theme to keep"),
        ((keep, elsewhere), {"into": keep.pk}, "Only themes of the same consultation"),
        ((keep, drop), {"into": world["a_theme"].pk}, "Select a valid choice"),
    ):
        response = client.post(bulk_url("merge", *themes), data)
        assert response.status_code == 200
        assert error in response.content.decode()
    assert themes_and_links() == before


def test_another_pcns_themes_are_not_merged_or_deleted(client, moderator, world):
    client.force_login(moderator)
    a_theme, b_theme = world["a_theme"], world["b_theme"]
    before = themes_and_links()
    assert client.get(bulk_url("merge", b_theme)).status_code == 404
    assert client.post(bulk_url("delete", b_theme)).status_code == 404
    # Ticked beside this PCN's own: never named, never touched.
    response = client.get(bulk_url("merge", a_theme, b_theme))
    assert "B theme" not in response.content.decode()
    client.post(bulk_url("merge", a_theme, b_theme), {"into": a_theme.pk})
    client.post(bulk_url("delete", a_theme, b_theme))
    assert Theme.objects.filter(pk=b_theme.pk).exists()
    assert themes_and_links()[0] != before[0]  # this PCN's theme went
    assert not Theme.objects.filter(pk=a_theme.pk).exists()


def test_bulk_delete_goes_through_the_service(client, moderator, world, consultation):
    empty = Theme.objects.create(consultation=consultation, name="Empty")
    client.force_login(moderator)
    response = client.post(bulk_url("delete", empty, world["a_theme"]))
    assert response.status_code == 302
    assert not Theme.objects.filter(consultation=consultation).exists()
    assert ModelLogEntry.objects.filter(object_id=str(empty.pk), action="wagtail.delete").exists()


# The screens Wagtail has no equivalent for


def test_assign_ideas_in_bulk(client, moderator, world, consultation, other_consultation):
    theme = world["a_theme"]
    ideas = world["ideas"]
    client.force_login(moderator)
    page = client.get(assign_url(consultation))
    assert page.status_code == 200
    assert "4 published ideas not in a theme yet" in " ".join(page.content.decode().split())
    listed = BeautifulSoup(page.content, "html.parser").select("input[name=ideas]")
    assert sorted(int(box["value"]) for box in listed) == sorted(idea.pk for idea in ideas)
    response = client.post(
        assign_url(consultation),
        {
            "ideas": [ideas[0].pk, ideas[1].pk, world["pending"].pk, world["b_idea"].pk],
            "theme": theme.pk,
        },
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Added 2 idea(s) to 'A theme'."]
    assert set(theme.ideas.all()) == {ideas[0], ideas[1]}
    unthemed = BeautifulSoup(
        client.get(assign_url(consultation) + "?unthemed=1").content, "html.parser"
    ).select("input[name=ideas]")
    assert sorted(int(box["value"]) for box in unthemed) == [ideas[2].pk, ideas[3].pk]
    response = client.post(assign_url(consultation), {"theme": theme.pk})
    assert messages_of(response) == ["Tick at least one idea and choose a theme."]


def test_split_a_theme(client, moderator, world):
    ideas = world["ideas"]
    theme = world["a_theme"]
    theme.ideas.add(*ideas[:3])
    client.force_login(moderator)
    response = client.post(
        ideas_url(theme),
        {"action": "split", "ideas": [ideas[1].pk, ideas[2].pk], "new_name": "Weekends"},
    )
    assert response.status_code == 302
    assert set(Theme.objects.get(name="Weekends").ideas.all()) == {ideas[1], ideas[2]}
    assert list(theme.ideas.all()) == [ideas[0]]


def test_remove_ideas_from_a_theme(client, moderator, world):
    ideas = world["ideas"]
    theme = world["a_theme"]
    theme.ideas.add(*ideas[:2])
    client.force_login(moderator)
    response = client.post(ideas_url(theme), {"action": "remove", "ideas": [ideas[0].pk]})
    assert response.status_code == 302
    assert list(theme.ideas.all()) == [ideas[1]]


def test_quote_and_unquote_an_idea(client, moderator, world):
    ideas = world["ideas"]
    theme = world["a_theme"]
    theme.ideas.add(ideas[0])
    client.force_login(moderator)
    response = client.post(ideas_url(theme), {"quote_idea": ideas[0].pk})
    assert response.status_code == 302
    quote = ThemeQuote.objects.get()
    assert (quote.theme, quote.idea, quote.text) == (theme, ideas[0], ideas[0].body)
    page = client.get(ideas_url(theme)).content.decode()
    assert "Quotes (1 of 3)" in page
    assert f'"{ideas[0].body}"' in page
    response = client.post(ideas_url(theme), {"action": "unquote", "quote": quote.pk})
    assert response.status_code == 302
    assert not ThemeQuote.objects.exists()


def test_ask_for_accept_and_discard_suggested_themes(client, moderator, world, consultation):
    client.force_login(moderator)
    assert client.get(suggestions_url(consultation)).status_code == 200
    response = client.post(suggestions_url(consultation), {"action": "suggest"})
    assert response.status_code == 302
    assert SuggestionRun.objects.filter(consultation=consultation).exists()
    run = SuggestionRun.objects.create(consultation=consultation, status="done")
    accepted = ThemeSuggestion.objects.create(run=run, name="Suggested")
    accepted.ideas.add(world["ideas"][0])
    discarded = ThemeSuggestion.objects.create(run=run, name="Not this")
    page = client.get(suggestions_url(consultation)).content.decode()
    assert "Suggested" in page and "Not this" in page
    client.post(
        suggestions_url(consultation),
        {"action": "accept", "suggestion": accepted.pk, "name": "Chosen name"},
    )
    client.post(suggestions_url(consultation), {"action": "discard", "suggestion": discarded.pk})
    assert list(Theme.objects.get(name="Chosen name").ideas.all()) == [world["ideas"][0]]
    discarded.refresh_from_db()
    assert discarded.status == ThemeSuggestion.Status.DISCARDED


def refused_theme_change(world, consultation, theme):
    """(url, data, the error the moderator should see) for changes a service refuses."""
    return {
        "quote an idea outside the theme": (
            ideas_url(theme),
            {"quote_idea": world["ideas"][3].pk},
            "Quote a published idea that is in this theme.",
        ),
        "split with no ideas ticked": (
            ideas_url(theme),
            {"action": "split", "new_name": "Weekends"},
            "Choose the ideas to move into the new theme",
        ),
        "split into a name already taken": (
            ideas_url(theme),
            {"action": "split", "ideas": [world["ideas"][0].pk], "new_name": "evenings"},
            "A theme with this name already exists",
        ),
        "remove with no ideas ticked": (
            ideas_url(theme),
            {"action": "remove"},
            "Tick the ideas to remove from the theme",
        ),
        "accept a suggestion whose name is taken": (
            suggestions_url(consultation),
            {"action": "accept", "suggestion": world["suggestion"].pk, "name": "EVENINGS"},
            "A theme with this name already exists",
        ),
    }


@pytest.mark.parametrize(
    "change",
    [
        "quote an idea outside the theme",
        "split with no ideas ticked",
        "split into a name already taken",
        "remove with no ideas ticked",
        "accept a suggestion whose name is taken",
    ],
)
def test_a_refused_theme_change_shows_the_error(client, moderator, consultation, world, change):
    theme = Theme.objects.create(consultation=consultation, name="Evenings")
    theme.ideas.add(*world["ideas"][:2])
    run = SuggestionRun.objects.create(consultation=consultation, status="done")
    world["suggestion"] = ThemeSuggestion.objects.create(run=run, name="Evenings")
    url, data, error = refused_theme_change(world, consultation, theme)[change]
    before = themes_and_links()
    client.force_login(moderator)
    response = client.post(url, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert themes_and_links() == before


def test_a_refused_split_shows_the_name_typed_and_the_ideas_ticked(
    client, moderator, consultation, world
):
    theme = Theme.objects.create(consultation=consultation, name="Evenings")
    theme.ideas.add(*world["ideas"][:3])
    client.force_login(moderator)
    response = client.post(
        ideas_url(theme),
        {"action": "split", "ideas": [world["ideas"][1].pk], "new_name": "EVENINGS <typed>"},
    )
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("input[name=new_name]")["value"] == "EVENINGS <typed>"
    ticked = [box["value"] for box in soup.select("input[name=ideas][checked]")]
    assert ticked == [str(world["ideas"][1].pk)]


def test_a_refused_suggestion_shows_the_name_typed(client, moderator, consultation, world):
    Theme.objects.create(consultation=consultation, name="Evenings")
    run = SuggestionRun.objects.create(consultation=consultation, status="done")
    suggestion = ThemeSuggestion.objects.create(run=run, name="Suggested name")
    client.force_login(moderator)
    response = client.post(
        suggestions_url(consultation),
        {"action": "accept", "suggestion": suggestion.pk, "name": "evenings"},
    )
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(f"#suggestion-{suggestion.pk}")["value"] == "evenings"


@pytest.mark.parametrize("value", ["abc", "1.5", "", "²", "99999999999999999999", "a\x00b"])
@pytest.mark.parametrize(
    "action, field",
    [
        ("remove", "ideas"),
        ("split", "ideas"),
        ("unquote", "quote"),
        ("accept", "suggestion"),
        ("discard", "suggestion"),
        ("assign", "theme"),
        ("assign", "ideas"),
    ],
)
def test_an_id_that_is_not_an_id_is_a_bad_request_not_an_error(
    client, moderator, consultation, world, action, field, value
):
    """Only a hand-made request sends one: a plain 400, nothing changed. An empty value is
    no choice at all: the screen's own answer (a message, or not found)."""
    theme = world["a_theme"]
    theme.ideas.add(*world["ideas"][:2])
    url = {
        "suggestion": suggestions_url(consultation),
        "theme": assign_url(consultation),
    }.get(field, ideas_url(theme))
    if action == "assign":
        url = assign_url(consultation)
    client.force_login(moderator)
    client.raise_request_exception = False
    before = themes_and_links()
    response = client.post(url, {"action": action, "new_name": "New", field: value})
    assert response.status_code in ((302, 400, 404) if value == "" else (400,))
    assert themes_and_links() == before
