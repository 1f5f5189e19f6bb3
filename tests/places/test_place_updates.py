"""A Place's decisions cascade down: a Place's "You said, we did" update acting on its
priority tells the residents behind the PCN themes that priority cites, once, and shows in
each of their ideas' journeys; the Place's record, and its PCNs' side by side."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import loop
from consultations.models import (
    Channel,
    Idea,
    IdeaTheme,
    Letter,
    Notice,
    OfflineContributor,
    PlacePriority,
    PlacePriorityLink,
    PlaceUpdateAction,
    PlaceUpdatePage,
    PostStatus,
)
from tests.factories import HOSTILE, UserFactory
from tests.loop.conftest import follow, make_idea, route
from tests.loop.test_journey import journey_of
from tests.places.conftest import make_pcn_with_theme

PLACE_STAGE = "Acted on by the Place"


@pytest.fixture(autouse=True)
def _example_hosts(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".example"]
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0  # every page rendered, its queries counted


def make_place_update(
    vision, *, priorities, title="Evening hubs across Riverbridge", actions=None, publish=True
):
    page = PlaceUpdatePage(
        title=title, summary="<p>We agreed <b>evening hubs</b> for every PCN.</p>", live=False
    )
    page.priorities = priorities
    page.actions = actions or [
        PlaceUpdateAction(description="Open two evening hubs", status="in_progress")
    ]
    vision.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def publish(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()


@pytest.fixture
def cited(places):
    """The Place priority cites PCN one's theme directly, and PCN two's vision priority
    (whose theme is PCN two's): the residents behind both hear of a decision on it."""
    PlacePriorityLink.objects.create(
        priority=places.priority, theme=places.one.theme, confirmed_by=places.place_lead
    )
    PlacePriorityLink.objects.create(
        priority=places.priority,
        vision_priority=places.two.vision.priorities.get(),
        confirmed_by=places.place_lead,
    )
    # The other Place's priority cites its own PCN's theme.
    PlacePriorityLink.objects.create(
        priority=places.other_priority,
        theme=places.other.theme,
        confirmed_by=places.other_place_lead,
    )
    return places


def idea_in(theme, author, **fields):
    idea = make_idea(theme.consultation, author, **fields)
    IdeaTheme.objects.create(idea=idea, theme=theme)
    return idea


def offline_idea(theme, contributor, title="Sent on paper"):
    idea = Idea.objects.create(
        consultation=theme.consultation,
        contributor=contributor,
        channel=Channel.PAPER,
        title=title,
        body="By post.",
        status=PostStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    IdeaTheme.objects.create(idea=idea, theme=theme)
    return idea


def told(update):
    return Notice.objects.filter(place_update=update, kind=Notice.Kind.PLACE)


# Who is told, once


def test_the_residents_behind_the_cited_themes_are_told_once_each(
    cited, django_capture_on_commit_callbacks
):
    places = cited
    twice = UserFactory(email="twice@example.org")
    idea_in(places.one.theme, twice, title="Evenings please")
    idea_in(places.one.theme, twice, title="And Saturdays")
    through_priority = UserFactory(email="chained@example.org")
    idea_in(places.two.theme, through_priority, title="Later opening")
    follower = UserFactory(email="follower@example.org")
    follow(follower, idea=Idea.objects.get(title="Later opening"))
    quiet = UserFactory(email="quiet@example.org", email_updates=False)
    idea_in(places.one.theme, quiet)
    other_place = UserFactory(email="otherplace@example.org")
    idea_in(places.other.theme, other_place)
    mail.outbox.clear()

    update = make_place_update(places.vision, priorities=[places.priority], publish=False)
    publish(update, django_capture_on_commit_callbacks)

    assert sorted(told(update).values_list("user__email", flat=True)) == [
        "chained@example.org",
        "follower@example.org",
        "twice@example.org",
    ]
    # One email each, naming the Place and what it decided.
    emails = {message.to[0]: message for message in mail.outbox}
    assert sorted(emails) == ["chained@example.org", "follower@example.org", "twice@example.org"]
    message = emails["twice@example.org"]
    assert "Riverbridge acted on what you told us" in message.subject
    assert "Evenings please" in message.body and "And Saturdays" in message.body
    assert "Open two evening hubs: in progress" in message.body
    assert update.full_url in message.body

    # Republished, edited: nobody is owed anything new, and no email goes out.
    mail.outbox.clear()
    update.title = "Evening hubs, agreed"
    publish(update, django_capture_on_commit_callbacks)
    assert told(update).count() == 3
    assert mail.outbox == []


def test_pending_hidden_and_withdrawn_ideas_tell_nobody(cited):
    places = cited
    for status in (PostStatus.PENDING, PostStatus.HIDDEN, PostStatus.WITHDRAWN):
        idea_in(places.one.theme, UserFactory(email=f"{status}@example.org"), status=status)
    follow(UserFactory(email="follows-hidden@example.org"), idea=Idea.objects.get(status="hidden"))

    update = make_place_update(places.vision, priorities=[places.priority])
    loop.place_update_notices_create(update=update)

    assert not told(update).exists()


def test_a_step_whose_idea_was_hidden_before_the_email_went_is_not_sent(cited, settings):
    places = cited
    settings.ENGAGE_DIGEST_SETTLE_MINUTES = 15
    author = UserFactory(email="author@example.org")
    idea = idea_in(places.one.theme, author, title="HIDDENLATER")
    update = make_place_update(places.vision, priorities=[places.priority])
    loop.place_update_notices_create(update=update)
    assert told(update).count() == 1
    Idea.objects.filter(pk=idea.pk).update(status=PostStatus.HIDDEN)
    told(update).update(created_at=timezone.now() - timedelta(hours=1))
    mail.outbox.clear()

    from consultations.notifications import send_journey_digest

    send_journey_digest.call(user_id=author.pk)

    assert mail.outbox == []
    assert told(update).get().status == Notice.Status.SENT  # settled, never sent


def test_a_theme_of_a_private_consultation_tells_nobody(cited):
    places = cited
    idea_in(places.private_theme, UserFactory(email="private@example.org"))
    PlacePriorityLink.objects.create(
        priority=places.priority, theme=places.private_theme, confirmed_by=places.place_lead
    )
    update = make_place_update(places.vision, priorities=[places.priority])
    loop.place_update_notices_create(update=update)
    assert not told(update).filter(user__email="private@example.org").exists()


def test_offline_contributors_hear_by_email_or_on_their_next_letter(
    cited, django_capture_on_commit_callbacks
):
    places = cited
    pcn = places.one.pcn
    by_email = OfflineContributor.objects.create(pcn=pcn, email="paper@example.org")
    by_post = OfflineContributor.objects.create(
        pcn=pcn, name="Ada Resident", postal_address="1 High Street\nRiverbridge"
    )
    stopped = OfflineContributor.objects.create(
        pcn=pcn, email="stopped@example.org", email_updates=False
    )
    offline_idea(places.one.theme, by_email)
    offline_idea(places.one.theme, by_post, title="Posted idea")
    offline_idea(places.one.theme, stopped)
    mail.outbox.clear()

    update = make_place_update(places.vision, priorities=[places.priority], publish=False)
    publish(update, django_capture_on_commit_callbacks)

    assert sorted(told(update).values_list("contributor_id", flat=True)) == sorted(
        [by_email.pk, by_post.pk]
    )
    assert [m.to for m in mail.outbox] == [["paper@example.org"]]
    letter_step = told(update).get(contributor=by_post)
    assert letter_step.letter.update is None and letter_step.letter.status == Letter.Status.DUE
    # The PCN that holds the address prints it: the Place's decision is on the letter.
    assert list(loop.journey_letters_due(pcns=[pcn])) == [letter_step.letter]
    staff = UserFactory(groups=[pcn.staff_group])
    client = Client(HTTP_HOST="north.example")
    client.force_login(staff)
    response = client.get(reverse("letters:print_progress"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Riverbridge acted on what you told us" in html
    assert update.full_url in html
    # Published again: no second step, no second letter.
    publish(update, django_capture_on_commit_callbacks)
    assert told(update).count() == 2
    assert Letter.objects.filter(contributor=by_post).count() == 1


def test_an_unpublished_update_drops_off_the_letter(cited):
    places = cited
    by_post = OfflineContributor.objects.create(
        pcn=places.one.pcn, name="Ada Resident", postal_address="1 High Street"
    )
    offline_idea(places.one.theme, by_post)
    update = make_place_update(places.vision, priorities=[places.priority])
    loop.place_update_notices_create(update=update)
    assert len(loop.journey_letters_due(pcns=[places.one.pcn])) == 1
    update.unpublish()
    assert len(loop.journey_letters_due(pcns=[places.one.pcn])) == 0


def test_another_places_priority_reaches_only_its_own_residents(cited):
    places = cited
    idea_in(places.one.theme, UserFactory(email="ours@example.org"))
    idea_in(places.other.theme, UserFactory(email="theirs@example.org"))
    theirs = make_place_update(places.other_vision, priorities=[places.other_priority])
    loop.place_update_notices_create(update=theirs)
    assert list(told(theirs).values_list("user__email", flat=True)) == ["theirs@example.org"]


# Each idea's journey


def test_the_idea_page_and_your_contributions_show_the_place_step(cited):
    places = cited
    author = UserFactory()
    idea = idea_in(places.two.theme, author, title="Later opening")
    client = Client(HTTP_HOST="south.example")
    page = route(idea.consultation, "idea-detail", idea.pk)
    assert PLACE_STAGE not in journey_of(client.get(page).content)

    update = make_place_update(places.vision, priorities=[places.priority], title=HOSTILE)

    journey = journey_of(client.get(page).content)
    assert journey[PLACE_STAGE]["done"]
    assert journey[PLACE_STAGE]["details"] == [f"Riverbridge Place acted on this: {HOSTILE}"]
    assert journey[PLACE_STAGE]["links"] == [update.full_url]
    assert "<script>" not in client.get(page).content.decode()  # the title is escaped

    client.force_login(author)
    mine = BeautifulSoup(
        client.get(reverse("consultations:my-contributions")).content, "html.parser"
    )
    assert journey_of(mine)[PLACE_STAGE]["links"] == [update.full_url]
    # Unpublished, the step is gone.
    update.unpublish()
    assert PLACE_STAGE not in journey_of(client.get(page).content)


def test_the_idea_page_takes_as_many_queries_with_a_place_step_and_many_ideas(cited):
    places = cited
    make_place_update(places.vision, priorities=[places.priority])
    author = UserFactory()
    first = idea_in(places.one.theme, author)
    client = Client(HTTP_HOST="north.example")
    url = route(first.consultation, "idea-detail", first.pk)
    client.get(url)  # warm the site's caches

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert PLACE_STAGE in journey_of(client.get(url).content)
        return len(queries)

    few = count()
    for n in range(20):
        idea_in(places.one.theme, UserFactory(), title=f"More {n}")
        make_place_update(places.vision, priorities=[places.priority], title=f"Decision {n}")
    client.get(url)  # publishing emptied the site's caches: warm them again
    assert count() == few


# The boundary


def test_a_place_lead_cannot_act_on_another_places_priority(cited):
    places = cited
    update = make_place_update(places.vision, priorities=[places.priority])
    update.priorities = [places.other_priority]
    with pytest.raises(ValidationError, match="belongs to another Place"):
        update.full_clean()
    # The editor offers only the Place's own priorities.
    form_class = PlaceUpdatePage.get_edit_handler().get_form_class()
    form = form_class(instance=update, parent_page=places.vision)
    offered = set(form.fields["priorities"].queryset)
    assert places.priority in offered and places.other_priority not in offered
    new_form = form_class(instance=PlaceUpdatePage(), parent_page=places.vision)
    assert places.other_priority not in set(new_form.fields["priorities"].queryset)


def test_the_update_belongs_to_the_place_of_the_vision_above_it(cited):
    update = make_place_update(cited.vision, priorities=[cited.priority], publish=False)
    assert update.place_id == cited.vision.place_id


def _admin(user, host="localhost"):
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def test_pcn_staff_cannot_add_or_edit_a_places_updates(cited):
    update = make_place_update(cited.vision, priorities=[cited.priority])
    staff = _admin(cited.staff)
    for url in (
        reverse("wagtailadmin_pages:edit", args=[update.pk]),
        reverse("wagtailadmin_pages:add_subpage", args=[cited.vision.pk]),
    ):
        response = staff.get(url)
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    # Another Place's lead neither.
    other = _admin(cited.other_place_lead)
    response = other.get(reverse("wagtailadmin_pages:edit", args=[update.pk]))
    assert response.status_code == 302


def test_a_place_lead_writes_and_publishes_an_update_in_the_admin(
    cited, django_capture_on_commit_callbacks
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    places = cited
    idea_in(places.one.theme, UserFactory(email="heard@example.org"))
    lead = _admin(places.place_lead)
    url = reverse(
        "wagtailadmin_pages:add",
        args=["consultations", "placeupdatepage", places.vision.pk],
    )
    assert lead.get(url).status_code == 200

    def post(priority, **extra):
        data = nested_form_data(
            {
                "title": "Evening hubs",
                "slug": "evening-hubs",
                "summary": rich_text("We agreed evening hubs."),
                "actions": inline_formset(
                    [{"description": "Open two hubs", "status": "planned", "date": ""}]
                ),
                **extra,
            }
        )
        data["priorities"] = [str(priority.pk)]
        return lead.post(url, data)

    refused = post(places.other_priority, **{"action-publish": "action-publish"})
    assert refused.status_code == 200  # the form again, with its error and the text kept
    errors = refused.context["form"].errors
    assert "valid choice" in " ".join(errors.get("priorities", [])), errors
    assert "Evening hubs" in refused.content.decode()
    assert not PlaceUpdatePage.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = post(places.priority, **{"action-publish": "action-publish"})
    assert response.status_code == 302
    update = PlaceUpdatePage.objects.get()
    assert update.live and update.place_id == places.vision.place_id
    assert list(told(update).values_list("user__email", flat=True)) == ["heard@example.org"]


# The Place's record


def test_the_places_record_counts_its_own_decisions(cited):
    places = cited
    second = PlacePriority.objects.create(
        page=places.vision, title="Unanswered", description="Later."
    )
    PlacePriorityLink.objects.create(
        priority=second, theme=places.two.theme, confirmed_by=places.place_lead
    )
    PlacePriorityLink.objects.filter(priority=places.priority).update(
        confirmed_at=timezone.now() - timedelta(days=10)
    )
    make_place_update(
        places.vision,
        priorities=[places.priority],
        actions=[
            PlaceUpdateAction(description="Hubs", status="done"),
            PlaceUpdateAction(description="Buses", status="planned"),
        ],
    )
    make_place_update(places.vision, priorities=[second], publish=False)  # a draft: not counted

    record = loop.place_accountability(places=[places.vision.place])[places.vision.place_id]

    # Themes behind its priorities: PCN one's (cited), PCN two's (through its priority and
    # cited directly by the second priority): two, both behind the acted-on priority.
    assert (record.themes, record.themes_answered) == (2, 2)
    assert record.median_days_to_response == 10
    assert (record.actions, record.actions_done, record.actions_done_percent) == (2, 1, 50)
    other = loop.place_accountability(places=[places.other_vision.place])
    assert other[places.other_vision.place_id].themes_answered == 0


def test_the_place_vision_page_shows_its_record_and_compares_its_pcns(cited):
    places = cited
    make_place_update(places.vision, priorities=[places.priority], title="Evening hubs")
    html = Client(HTTP_HOST="localhost").get(places.vision.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert "Evening hubs" in soup.select_one("#place-updates").find_next("ul").get_text()
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in soup.select(".engage-pcn-records tbody tr")
    ]
    assert [row[0] for row in rows] == ["North PCN", "South PCN"]  # never another Place's
    assert "OTHERPLACE" not in html
    assert "PRIVATETHEME" not in html


def _place_with_pcns(count: int, hostname: str):
    pcns = [
        make_pcn_with_theme(
            name=f"{hostname} PCN {n}",
            hostname=f"{n}.{hostname}",
            place_name=f"Place {hostname}",
            theme_name=f"Theme {n}",
        )
        for n in range(count)
    ]
    from consultations.services.places import place_site_setup

    vision = place_site_setup(place=pcns[0].pcn.place, hostname=hostname)
    vision.save_revision().publish()
    vision.refresh_from_db()
    priority = PlacePriority.objects.create(page=vision, title="Together", description="All.")
    for pcn in pcns:
        PlacePriorityLink.objects.create(priority=priority, theme=pcn.theme)
        PlacePriorityLink.objects.create(
            priority=priority, vision_priority=pcn.vision.priorities.get()
        )
        idea_in(pcn.theme, UserFactory())
    make_place_update(vision, priorities=[priority])
    return vision


def test_the_place_vision_page_takes_as_many_queries_with_more_pcns(db, settings):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0
    counts = {}
    for count, hostname in ((2, "small.example"), (8, "large.example")):
        vision = _place_with_pcns(count, hostname)
        client = Client(HTTP_HOST=hostname)
        assert client.get(vision.url).status_code == 200  # warm the site's caches
        with CaptureQueriesContext(connection) as queries:
            html = client.get(vision.url).content.decode()
        rows = BeautifulSoup(html, "html.parser").select(".engage-pcn-records tbody tr")
        assert len(rows) == count
        counts[count] = len(queries)
    assert counts[2] == counts[8]


# The open data API


def test_the_api_gives_each_places_record_and_its_pcns_for_comparison(cited, settings):
    settings.ENGAGE_API_CACHE_SECONDS = 0
    places = cited
    make_place_update(
        places.vision,
        priorities=[places.priority],
        actions=[PlaceUpdateAction(description="Hubs", status="done")],
    )
    draft = make_place_update(places.vision, priorities=[places.priority], publish=False)
    assert not draft.live
    client = Client()
    rows = {
        row["name"]: row for row in client.get("/api/v1/place-accountability/").json()["results"]
    }
    ours = rows["Riverbridge"]
    assert (ours["themes"], ours["themes_answered"], ours["themes_answered_percent"]) == (2, 2, 100)
    assert (ours["actions"], ours["actions_done"]) == (1, 1)  # the draft's action not counted
    assert ours["median_days_to_response"] == 0
    assert rows["Otherbridge"]["themes_answered"] == 0
    assert "pcn" not in ours
    only = client.get("/api/v1/place-accountability/", {"place": places.vision.place_id}).json()
    assert [row["name"] for row in only["results"]] == ["Riverbridge"]
    pcns = client.get("/api/v1/accountability/", {"place": places.vision.place_id}).json()
    assert sorted(row["pcn"]["name"] for row in pcns["results"]) == ["North PCN", "South PCN"]
    refused = client.get("/api/v1/place-accountability/", {"place": "abc"})
    assert refused.status_code == 400 and "place" in refused.json()


def test_the_api_takes_as_many_queries_for_more_places_and_pcns(db, settings):
    settings.ENGAGE_API_CACHE_SECONDS = 0
    client = Client()
    _place_with_pcns(2, "small.example")
    client.get("/api/v1/place-accountability/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/place-accountability/")
    _place_with_pcns(6, "large.example")
    with CaptureQueriesContext(connection) as many:
        rows = client.get("/api/v1/place-accountability/").json()["results"]
    assert len(rows) == 2 and all(row["themes_answered"] for row in rows)
    assert len(many) == len(few)


def test_a_residents_data_download_names_the_place_update_they_were_told_of(cited):
    from consultations.privacy import participation_data

    author = UserFactory()
    idea_in(cited.one.theme, author)
    update = make_place_update(cited.vision, priorities=[cited.priority], title="Evening hubs")
    loop.place_update_notices_create(update=update)
    emails = participation_data(user=author)["emails"]
    assert [(email["kind"], email["about"]) for email in emails] == [
        ("A Place acted on it", "Evening hubs")
    ]
