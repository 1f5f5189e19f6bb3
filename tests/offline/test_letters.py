"""Closing the loop for residents who took part offline: emails and printed letters.

Publishing an update that answers their idea owes a contributor with an email address the
same email online contributors get, and one with a postal address a letter, listed in the
admin's "Letters to print", once per state of the update's actions.
"""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import loop, services
from consultations.models import Idea, Letter, Notice, OfflineContributor, PostStatus, UpdatePage
from consultations.notifications import unsubscribe_url
from tests.loop.conftest import action, make_idea, make_theme, make_update
from tests.offline.conftest import by_email, by_letter, enter, make_user

LETTERS = "/admin/letters/"
MARK_SENT = "/admin/bulk/consultations/letter/mark_sent/"


def letters_url(update) -> str:
    return f"{LETTERS}?update={update.pk}"


def print_url(update) -> str:
    return f"{LETTERS}print/{update.pk}/"


def mark_sent(client, ids, **extra):
    """Tick letters in the listing and confirm "Mark as sent" (Wagtail's bulk action)."""
    query = "&".join(f"id={pk}" for pk in ids)
    return client.post(f"{MARK_SENT}?next={LETTERS}&{query}", {}, **extra)


def ticked(response) -> list[int]:
    soup = BeautifulSoup(response.content, "html.parser")
    return sorted(
        int(box["data-object-id"]) for box in soup.select("input[data-bulk-action-checkbox]")
    )


def publish(update_index, capture, **fields) -> UpdatePage:
    with capture(execute=True):
        return make_update(update_index, **fields)


def republish(update, capture, *, statuses=None) -> UpdatePage:
    """Publish a new revision of the live page, optionally with new action statuses."""
    page = UpdatePage.objects.get(pk=update.pk)
    if statuses is not None:
        actions = list(page.actions.all())
        for item, status in zip(actions, statuses, strict=True):
            item.status = status
            if status == "not_possible":
                item.not_possible_reason = "No room in the building."
        page.actions = actions
    with capture(execute=True):
        page.save_revision().publish()
    return UpdatePage.objects.get(pk=update.pk)


def due_names(update) -> list[str]:
    update = UpdatePage.objects.get(pk=update.pk)
    return sorted(letter.contributor.name for letter in loop.letters_due(update=update))


@pytest.fixture
def theme(consultation):
    return make_theme(consultation, "Getting there")


@pytest.fixture
def cast(consultation, theme, moderator):
    """Offline contributors who might or might not hear about an update answering `theme`."""

    def offline(title, *, in_theme=True, **reply):
        idea = enter(consultation, moderator, title=title, **reply)
        if in_theme:
            idea.themes.add(theme)
        return idea

    ideas = {
        "by_letter": offline("Bus stop", **by_letter(name="Letter Person")),
        "by_email": offline("Parking", **by_email("offline.email@example.org")),
        "nothing": offline("Ramp", reply_by="nothing"),
        "hidden": offline("Rude words", **by_letter(name="Hidden Person")),
        "direct": offline("Answered directly", in_theme=False, **by_letter(name="Direct Person")),
        "elsewhere": offline("Other theme", in_theme=False, **by_letter(name="Elsewhere Person")),
    }
    ideas["hidden"].status = PostStatus.HIDDEN
    ideas["hidden"].save(update_fields=["status"])
    ideas["elsewhere"].themes.add(make_theme(consultation, "Parking spaces"))
    # An online contributor to the same theme, for comparison.
    ideas["online"] = make_idea(
        consultation, make_user(email="online.author@example.org"), title="Online idea"
    )
    ideas["online"].themes.add(theme)
    return ideas


@pytest.fixture
def update(update_index, consultation, theme, cast, django_capture_on_commit_callbacks):
    return publish(
        update_index,
        django_capture_on_commit_callbacks,
        consultation=consultation,
        themes=[theme],
        ideas=[cast["direct"]],
        actions=[action("Move the bus stop", "planned"), action("More parking", "planned", 1)],
    )


def test_exactly_the_right_contributors_are_owed_a_letter_or_an_email(update, mailoutbox):
    assert due_names(update) == ["Direct Person", "Letter Person"]
    emailed = sorted(address for message in mailoutbox for address in message.to)
    # The offline contributor with an email address gets the online contributors' email.
    assert emailed == ["offline.email@example.org", "online.author@example.org"]
    offline_email = next(m for m in mailoutbox if m.to == ["offline.email@example.org"])
    assert '"Parking"' in offline_email.body
    assert "You said, we did" in offline_email.subject
    assert "you gave us your email address with your idea" in offline_email.body
    # Nobody is owed both, and nobody without contact details, a hidden idea or an idea
    # the update does not answer is owed anything.
    assert not Letter.objects.filter(contributor__email__gt="").exists()
    assert Letter.objects.count() == 2
    assert Notice.objects.exclude(contributor=None).count() == 1


def test_republishing_unchanged_makes_no_new_letter_or_email(
    update, mailoutbox, django_capture_on_commit_callbacks
):
    before = set(Letter.objects.values_list("pk", "status"))
    mailoutbox.clear()
    republish(update, django_capture_on_commit_callbacks)
    assert set(Letter.objects.values_list("pk", "status")) == before
    assert mailoutbox == []
    assert due_names(update) == ["Direct Person", "Letter Person"]


def test_a_letter_marked_as_sent_is_not_listed_again(
    update, moderator, django_capture_on_commit_callbacks
):
    letter = Letter.objects.get(contributor__name="Letter Person")
    assert services.letters_mark_sent(update=update, user=moderator, letter_ids=[letter.pk]) == 1
    assert due_names(update) == ["Direct Person"]
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    assert letter.sent_by == moderator
    republish(update, django_capture_on_commit_callbacks)
    assert due_names(update) == ["Direct Person"]
    # Marking it again changes nothing.
    assert services.letters_mark_sent(update=update, user=moderator, letter_ids=[letter.pk]) == 0


def test_a_changed_status_makes_a_new_letter_due_once(
    update, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    sent = Letter.objects.get(contributor__name="Letter Person")
    services.letters_mark_sent(update=update, user=moderator, letter_ids=[sent.pk])
    unsent = Letter.objects.get(contributor__name="Direct Person")
    mailoutbox.clear()

    changed = republish(update, django_capture_on_commit_callbacks, statuses=["done", "planned"])
    assert due_names(changed) == ["Direct Person", "Letter Person"]
    assert Letter.objects.filter(status=Letter.Status.DUE).count() == 2
    # The unsent letter for the old statuses is no longer needed; the sent one stays sent.
    unsent.refresh_from_db()
    assert unsent.status == Letter.Status.SUPERSEDED
    sent.refresh_from_db()
    assert sent.status == Letter.Status.SENT
    # The email contributor hears again too, once.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "offline.email@example.org",
        "online.author@example.org",
    ]
    republish(changed, django_capture_on_commit_callbacks)
    assert Letter.objects.count() == 4
    assert len(mailoutbox) == 2


def test_an_idea_hidden_after_its_letter_was_due_drops_off_the_list(update, cast):
    Letter.objects.get(contributor__name="Direct Person")
    cast["direct"].status = PostStatus.HIDDEN
    cast["direct"].save(update_fields=["status"])
    assert due_names(update) == ["Letter Person"]


def test_an_unpublished_update_has_no_letters_to_print(update):
    update.unpublish()
    assert due_names(update) == []


def test_an_offline_contributor_can_stop_the_emails(
    update, client, mailoutbox, django_capture_on_commit_callbacks
):
    contributor = OfflineContributor.objects.get(email="offline.email@example.org")
    link = unsubscribe_url(contributor)
    assert client.post(link.split("8000", 1)[1]).status_code == 200
    contributor.refresh_from_db()
    assert contributor.email_updates is False
    mailoutbox.clear()
    republish(update, django_capture_on_commit_callbacks, statuses=["done", "done"])
    assert [m.to for m in mailoutbox] == [["online.author@example.org"]]


# The admin screens


def test_the_letters_screen_lists_the_letters_due_and_marks_them_sent(client, update, staff):
    client.force_login(staff)
    response = client.get(letters_url(update))
    assert response.status_code == 200
    assert ticked(response) == sorted(Letter.objects.values_list("pk", flat=True))
    text = " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    assert "Letter Person" in text and "Direct Person" in text
    assert "Hidden Person" not in text and "Elsewhere Person" not in text
    assert print_url(update) in response.content.decode()  # print them all from here

    first = ticked(response)[0]
    confirm = client.get(f"{MARK_SENT}?next={LETTERS}&id={first}")
    assert confirm.status_code == 200
    assert "Yes, mark as sent" in confirm.content.decode()
    response = mark_sent(client, [first])
    assert response.status_code == 302
    assert Letter.objects.get(pk=first).status == Letter.Status.SENT
    assert Letter.objects.get(pk=first).sent_by == staff
    to_print = client.get(f"{letters_url(update)}&status=due")
    assert first not in ticked(to_print) and len(ticked(to_print)) == 1
    sent = client.get(f"{letters_url(update)}&status=sent")
    assert ticked(sent) == [first]


def test_marking_a_letter_twice_changes_nothing_the_second_time(client, update, moderator):
    from wagtail.models import PageLogEntry

    letter = Letter.objects.get(contributor__name="Letter Person")
    client.force_login(moderator)
    mark_sent(client, [letter.pk])
    letter.refresh_from_db()
    when = letter.sent_at
    response = mark_sent(client, [letter.pk], follow=True)
    assert "Tick the letters you have sent." in response.content.decode()
    letter.refresh_from_db()
    assert letter.sent_at == when
    entries = PageLogEntry.objects.filter(action="engage.letters.sent", page=update)
    assert [entry.data for entry in entries] == [{"letters": 1}]


def test_marking_nothing_says_what_to_do(client, update, moderator):
    client.force_login(moderator)
    response = mark_sent(client, [], follow=True)
    assert "Tick the letters you have sent." in response.content.decode()
    assert not Letter.objects.filter(status=Letter.Status.SENT).exists()


def test_another_pcns_people_cannot_see_print_or_mark_the_letters(
    client, update, other_moderator, other_staff
):
    for user in (other_moderator, other_staff):
        client.force_login(user)
        listing = client.get(LETTERS)
        assert listing.status_code == 200
        assert b"Letter Person" not in listing.content and ticked(listing) == []
        # Filtering by another PCN's update is refused as not one of the choices.
        assert b"Letter Person" not in client.get(letters_url(update)).content
        response = client.get(print_url(update))
        assert response.status_code in (302, 403)
        assert b"Letter Person" not in response.content
        ids = list(Letter.objects.values_list("pk", flat=True))
        assert client.get(f"{MARK_SENT}?id={ids[0]}").status_code == 404
        assert mark_sent(client, ids).status_code == 404
    assert not Letter.objects.filter(status=Letter.Status.SENT).exists()


def test_a_letter_of_another_pcn_smuggled_into_the_ticked_ones_is_left_alone(
    client,
    update,
    moderator,
    other_site,
    other_consultation,
    other_moderator,
    django_capture_on_commit_callbacks,
):
    theirs_theme = make_theme(other_consultation, "Their theme")
    enter(other_consultation, other_moderator, **by_letter(name="Their Person")).themes.add(
        theirs_theme
    )
    publish(
        other_site[2],
        django_capture_on_commit_callbacks,
        title="Their news",
        consultation=other_consultation,
        themes=[theirs_theme],
    )
    theirs = Letter.objects.get(contributor__name="Their Person")
    ours = Letter.objects.get(contributor__name="Letter Person")
    client.force_login(moderator)
    confirm = client.get(f"{MARK_SENT}?id={ours.pk}&id={theirs.pk}")
    assert b"Their Person" not in confirm.content
    response = mark_sent(client, [ours.pk, theirs.pk])
    assert response.status_code == 302
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.status == Letter.Status.SENT
    assert theirs.status == Letter.Status.DUE


@pytest.mark.parametrize("who", ["resident", "visitor"])
def test_residents_and_visitors_get_no_letters(client, update, who):
    if who == "resident":
        client.force_login(make_user())
    for url in (LETTERS, letters_url(update), print_url(update), MARK_SENT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


# The print view


def articles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        " ".join(a.find("address").get_text(" ").split()): " ".join(a.get_text(" ").split())
        for a in soup.select("article.engage-letter")
    }


def test_each_letter_says_what_the_resident_said_and_what_was_done(
    client, update, cast, moderator, home, django_capture_on_commit_callbacks
):
    changed = republish(
        update, django_capture_on_commit_callbacks, statuses=["done", "not_possible"]
    )
    client.force_login(moderator)
    response = client.get(print_url(changed))
    assert response.status_code == 200
    page = response.content.decode()
    assert "@media print" not in page  # the print rules live in the stylesheet
    assert "/static/css/letters.css" in page
    letters = articles(response)
    assert sorted(letters) == [
        "Direct Person 14 Willow Lane Old Town RV2 4QT",
        "Letter Person 14 Willow Lane Old Town RV2 4QT",
    ]
    letter = letters["Letter Person 14 Willow Lane Old Town RV2 4QT"]
    idea = cast["by_letter"]
    received = timezone.localtime(idea.created_at)
    assert home.pcn.name in letter
    assert "Dear Letter Person," in letter
    assert f"You sent this on paper on {received:%-d %B %Y}" in letter
    assert "Bus stop" in letter and "Older patients have nowhere to sit" in letter
    assert "Move the bus stop : done." in letter
    assert "More parking : not possible. Why it was not possible: No room in the building." in (
        letter
    )
    assert changed.full_url in letter
    consultation = idea.consultation
    assert (
        consultation.full_url + consultation.reverse_subpage("idea-detail", args=[idea.pk])
    ) in letter
    # No other resident's name, address or idea in this letter.
    assert "Direct Person" not in letter and "Answered directly" not in letter
    assert "Parking" not in letter.replace("More parking", "")


def test_one_letter_can_be_printed_on_its_own(client, update, moderator):
    letter = Letter.objects.get(contributor__name="Direct Person")
    client.force_login(moderator)
    response = client.get(print_url(update), {"letters": letter.pk})
    assert list(articles(response)) == ["Direct Person 14 Willow Lane Old Town RV2 4QT"]
    assert b"Letter Person" not in response.content


def test_the_print_view_escapes_what_residents_and_moderators_typed(
    client, consultation, theme, moderator, update_index, django_capture_on_commit_callbacks
):
    idea = enter(consultation, moderator, **by_letter(name="Ann <3 & Bob"))
    idea.themes.add(theme)
    # Markup that got into the database some other way (a bulk update, an old import)
    # still shows as text.
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    Idea.objects.filter(pk=idea.pk).update(title=f"Title {hostile}", body=f"Body {hostile}")
    OfflineContributor.objects.filter(pk=idea.contributor_id).update(
        postal_address=f"1 Road\n{hostile}"
    )
    update = publish(
        update_index, django_capture_on_commit_callbacks, consultation=consultation, themes=[theme]
    )
    client.force_login(moderator)
    for url in (print_url(update), letters_url(update)):
        raw = client.get(url).content.decode()
        soup = BeautifulSoup(raw, "html.parser")
        assert not soup.find("img", onerror=True), url
        assert not [s for s in soup.find_all("script") if "alert" in (s.string or "")], url
        assert "Ann &lt;3 &amp; Bob" in raw, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in raw, url
    print_page = client.get(print_url(update)).content.decode()
    assert "<script" not in print_page  # the print view runs no script at all
    assert "Title &lt;script&gt;" in print_page and "Body &lt;script&gt;" in print_page


# The letter list's query count does not grow with the number of letters


def add_letters(consultation, theme, moderator, count: int):
    for number in range(count):
        idea = enter(
            consultation,
            moderator,
            title=f"Idea {number}",
            **by_letter(name=f"Person {number}", address=f"{number} Long Road"),
        )
        idea.themes.add(theme)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_letter_screens_queries_do_not_grow_with_the_letters(
    client,
    consultation,
    consultation_index,
    moderator,
    update_index,
    django_capture_on_commit_callbacks,
):
    from tests.factories import make_consultation

    counts = {}
    for size in (2, 20):
        where = make_consultation(consultation_index, title=f"Size {size}")
        theme = make_theme(where, f"Theme {size}")
        add_letters(where, theme, moderator, size)
        update = publish(
            update_index,
            django_capture_on_commit_callbacks,
            title=f"Update {size}",
            consultation=where,
            themes=[theme],
        )
        assert Letter.objects.filter(update=update).count() == size
        client.force_login(moderator)
        client.get(letters_url(update))  # warm caches shared by every page
        client.get(print_url(update))
        counts[size] = (
            count_queries(client, letters_url(update)),
            count_queries(client, print_url(update)),
        )
    assert counts[2] == counts[20], counts
