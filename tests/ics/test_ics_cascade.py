"""An integrated care system's decisions cascade down: an ICS "You said, we did" update acting
on its priority tells the residents behind the PCN themes of the Place priorities it cites,
once, honouring their choices, by letter for those with only a postal address, and shows in
each of their ideas' journeys."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import loop
from consultations.models import (
    IcsPriorityLink,
    Idea,
    Letter,
    Notice,
    OfflineContributor,
    PlacePriorityLink,
    PostStatus,
)
from tests.factories import HOSTILE, UserFactory
from tests.ics.conftest import make_ics_update, publish
from tests.loop.conftest import follow, route
from tests.loop.test_journey import journey_of
from tests.places.test_place_updates import idea_in, offline_idea

ICS_STAGE = "Acted on by the integrated care system"


@pytest.fixture(autouse=True)
def _example_hosts(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".example"]
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0  # every page rendered, its queries counted


def told(update):
    return Notice.objects.filter(ics_update=update, kind=Notice.Kind.ICS)


# Who is told, once


def test_the_residents_behind_the_cited_place_priority_are_told_once_each(
    cited, django_capture_on_commit_callbacks
):
    places = cited.places
    twice = UserFactory(email="twice@example.org")
    idea_in(places.one.theme, twice, title="Evenings please")
    idea_in(places.one.theme, twice, title="And Saturdays")
    chained = UserFactory(email="chained@example.org")
    idea_in(places.two.theme, chained, title="Later opening")
    follower = UserFactory(email="follower@example.org")
    follow(follower, idea=Idea.objects.get(title="Later opening"))
    quiet = UserFactory(email="quiet@example.org", email_updates=False)
    idea_in(places.one.theme, quiet)
    gone = UserFactory(email="gone@example.org", is_active=False)
    idea_in(places.one.theme, gone)
    uncited_place = UserFactory(email="otherplace@example.org")
    idea_in(places.other.theme, uncited_place)
    other_ics = UserFactory(email="otherics@example.org")
    idea_in(cited.far.theme, other_ics)
    mail.outbox.clear()

    update = make_ics_update(cited.vision, priorities=[cited.priority], publish=False)
    publish(update, django_capture_on_commit_callbacks)

    assert sorted(told(update).values_list("user__email", flat=True)) == [
        "chained@example.org",
        "follower@example.org",
        "twice@example.org",
    ]
    emails = {message.to[0]: message for message in mail.outbox}
    assert sorted(emails) == ["chained@example.org", "follower@example.org", "twice@example.org"]
    message = emails["twice@example.org"]
    assert "Test ICS acted on what you told us" in message.subject
    assert "the integrated care system" in message.body
    assert "Evenings please" in message.body and "And Saturdays" in message.body
    assert "Fund evening hubs: in progress" in message.body
    assert update.full_url in message.body

    # Republished, edited: nobody is owed anything new, and no email goes out.
    mail.outbox.clear()
    update.title = "Evening hubs, agreed"
    publish(update, django_capture_on_commit_callbacks)
    assert told(update).count() == 3
    assert mail.outbox == []


def test_a_draft_tells_nobody(cited):
    idea_in(cited.places.one.theme, UserFactory())
    draft = make_ics_update(cited.vision, priorities=[cited.priority], publish=False)
    assert loop.ics_update_notices_create(update=draft) == []
    assert not told(draft).exists()


def test_pending_hidden_and_withdrawn_ideas_tell_nobody(cited):
    places = cited.places
    for status in (PostStatus.PENDING, PostStatus.HIDDEN, PostStatus.WITHDRAWN):
        idea_in(places.one.theme, UserFactory(email=f"{status}@example.org"), status=status)
    follow(UserFactory(email="follows-hidden@example.org"), idea=Idea.objects.get(status="hidden"))

    update = make_ics_update(cited.vision, priorities=[cited.priority])
    loop.ics_update_notices_create(update=update)

    assert not told(update).exists()


def test_a_theme_of_a_private_consultation_tells_nobody(cited):
    places = cited.places
    idea_in(places.private_theme, UserFactory(email="private@example.org"))
    PlacePriorityLink.objects.create(priority=places.priority, theme=places.private_theme)
    update = make_ics_update(cited.vision, priorities=[cited.priority])
    loop.ics_update_notices_create(update=update)
    assert not told(update).filter(user__email="private@example.org").exists()


def test_a_place_vision_since_unpublished_cites_nothing(cited):
    idea_in(cited.places.one.theme, UserFactory(email="ours@example.org"))
    cited.places.vision.unpublish()
    update = make_ics_update(cited.vision, priorities=[cited.priority])
    assert loop.ics_update_notices_create(update=update) == []
    assert not told(update).exists()


def test_another_ics_residents_are_never_told(cited):
    """Even a link across the edge (made behind the boundary check's back) reaches only the
    ICS's own PCNs' residents (`home.boundary.in_ics`)."""
    idea_in(cited.places.one.theme, UserFactory(email="ours@example.org"))
    idea_in(cited.far.theme, UserFactory(email="theirs@example.org"))
    IcsPriorityLink.objects.create(priority=cited.priority, place_priority=cited.far_priority)
    ours = make_ics_update(cited.vision, priorities=[cited.priority])
    loop.ics_update_notices_create(update=ours)
    assert list(told(ours).values_list("user__email", flat=True)) == ["ours@example.org"]

    theirs = make_ics_update(cited.other_vision, priorities=[cited.other_priority])
    loop.ics_update_notices_create(update=theirs)
    assert list(told(theirs).values_list("user__email", flat=True)) == ["theirs@example.org"]


def test_a_step_whose_idea_was_hidden_before_the_email_went_is_not_sent(cited, settings):
    from consultations.notifications import send_journey_digest

    settings.ENGAGE_DIGEST_SETTLE_MINUTES = 15
    author = UserFactory(email="author@example.org")
    idea = idea_in(cited.places.one.theme, author, title="HIDDENLATER")
    update = make_ics_update(cited.vision, priorities=[cited.priority])
    loop.ics_update_notices_create(update=update)
    assert told(update).count() == 1
    Idea.objects.filter(pk=idea.pk).update(status=PostStatus.HIDDEN)
    told(update).update(created_at=timezone.now() - timedelta(hours=1))
    mail.outbox.clear()

    send_journey_digest.call(user_id=author.pk)

    assert mail.outbox == []
    assert told(update).get().status == Notice.Status.SENT  # settled, never sent


def test_a_place_and_an_ics_decision_go_in_one_digest(cited, settings):
    from consultations.notifications import send_journey_digest
    from tests.places.test_place_updates import make_place_update

    settings.ENGAGE_DIGEST_SETTLE_MINUTES = 15
    author = UserFactory(email="both@example.org")
    idea_in(cited.places.one.theme, author, title="Evenings please")
    place_update = make_place_update(
        cited.places.vision, priorities=[cited.places.priority], title="PLACEDECISION"
    )
    loop.place_update_notices_create(update=place_update)
    ics_update = make_ics_update(cited.vision, priorities=[cited.priority], title="ICSDECISION")
    loop.ics_update_notices_create(update=ics_update)
    Notice.objects.update(created_at=timezone.now() - timedelta(hours=1))
    mail.outbox.clear()

    assert send_journey_digest.call(user_id=author.pk) == "queued"

    [message] = mail.outbox
    assert message.subject.endswith("News about your ideas")
    assert "Riverbridge Place acted on" in message.body
    assert "Test ICS, the integrated care system, acted on" in message.body
    assert "PLACEDECISION" in message.body and "ICSDECISION" in message.body
    assert message.body.count("Evenings please") == 2


def test_offline_contributors_hear_by_email_or_on_their_next_letter(
    cited, django_capture_on_commit_callbacks
):
    places = cited.places
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

    update = make_ics_update(cited.vision, priorities=[cited.priority], publish=False)
    publish(update, django_capture_on_commit_callbacks)

    assert sorted(told(update).values_list("contributor_id", flat=True)) == sorted(
        [by_email.pk, by_post.pk]
    )
    assert [m.to for m in mail.outbox] == [["paper@example.org"]]
    letter_step = told(update).get(contributor=by_post)
    assert letter_step.letter.update is None and letter_step.letter.status == Letter.Status.DUE
    assert list(loop.journey_letters_due(pcns=[pcn])) == [letter_step.letter]
    staff = UserFactory(groups=[pcn.staff_group])
    client = Client(HTTP_HOST="north.example")
    client.force_login(staff)
    response = client.get(reverse("letters:print_progress"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Test ICS acted on what you told us" in html
    assert "the integrated care system" in html
    assert update.full_url in html
    # Published again: no second step, no second letter.
    publish(update, django_capture_on_commit_callbacks)
    assert told(update).count() == 2
    assert Letter.objects.filter(contributor=by_post).count() == 1
    # Unpublished, it drops off the letter.
    update.refresh_from_db()
    update.unpublish()
    assert len(loop.journey_letters_due(pcns=[pcn])) == 0


def test_telling_takes_as_many_queries_for_many_people(cited):
    places = cited.places

    def count(title):
        update = make_ics_update(cited.vision, priorities=[cited.priority], title=title)
        with CaptureQueriesContext(connection) as queries:
            loop.ics_update_notices_create(update=update)
        return len(queries), told(update).count()

    idea_in(places.one.theme, UserFactory())
    offline_idea(
        places.one.theme,
        OfflineContributor.objects.create(pcn=places.one.pcn, name="A", postal_address="1 A St"),
    )
    few, told_few = count("First")
    for n in range(8):
        idea_in(places.one.theme, UserFactory(), title=f"More {n}")
        idea_in(places.two.theme, UserFactory(), title=f"South {n}")
        offline_idea(
            places.two.theme,
            OfflineContributor.objects.create(
                pcn=places.two.pcn, name=f"P{n}", postal_address=f"{n} High St"
            ),
        )
        offline_idea(
            places.one.theme,
            OfflineContributor.objects.create(pcn=places.one.pcn, email=f"p{n}@example.org"),
        )
    many, told_many = count("Second")
    assert (told_few, told_many) == (2, 34)
    assert many == few


# Each idea's journey


def test_the_idea_page_and_your_contributions_show_the_ics_step(cited):
    places = cited.places
    author = UserFactory()
    idea = idea_in(places.two.theme, author, title="Later opening")
    client = Client(HTTP_HOST="south.example")
    page = route(idea.consultation, "idea-detail", idea.pk)
    assert ICS_STAGE not in journey_of(client.get(page).content)

    update = make_ics_update(cited.vision, priorities=[cited.priority], title=HOSTILE)

    journey = journey_of(client.get(page).content)
    assert journey[ICS_STAGE]["done"]
    assert journey[ICS_STAGE]["details"] == [f"Test ICS acted on it: {HOSTILE}"]
    assert journey[ICS_STAGE]["links"] == [update.full_url]
    assert "<script>" not in client.get(page).content.decode()  # the title is escaped

    client.force_login(author)
    mine = BeautifulSoup(
        client.get(reverse("consultations:my-contributions")).content, "html.parser"
    )
    assert journey_of(mine)[ICS_STAGE]["links"] == [update.full_url]
    # Unpublished, the step is gone.
    update.unpublish()
    assert ICS_STAGE not in journey_of(client.get(page).content)


def test_an_idea_behind_another_place_priority_shows_no_ics_step(cited):
    idea = idea_in(cited.places.other.theme, UserFactory())
    make_ics_update(cited.vision, priorities=[cited.priority])
    page = route(idea.consultation, "idea-detail", idea.pk)
    assert ICS_STAGE not in journey_of(Client(HTTP_HOST="other.example").get(page).content)


def test_the_idea_page_takes_as_many_queries_with_an_ics_step_and_many_ideas(cited):
    places = cited.places
    make_ics_update(cited.vision, priorities=[cited.priority])
    first = idea_in(places.one.theme, UserFactory())
    client = Client(HTTP_HOST="north.example")
    url = route(first.consultation, "idea-detail", first.pk)
    client.get(url)  # warm the site's caches

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert ICS_STAGE in journey_of(client.get(url).content)
        return len(queries)

    few = count()
    for n in range(20):
        idea_in(places.one.theme, UserFactory(), title=f"More {n}")
        make_ics_update(cited.vision, priorities=[cited.priority], title=f"Decision {n}")
    client.get(url)  # publishing emptied the site's caches: warm them again
    assert count() == few


# What a resident can see of their data


def test_a_residents_data_download_names_the_ics_update_they_were_told_of(cited):
    from consultations.privacy import participation_data

    author = UserFactory()
    idea_in(cited.places.one.theme, author)
    update = make_ics_update(cited.vision, priorities=[cited.priority], title="Evening hubs")
    loop.ics_update_notices_create(update=update)
    emails = participation_data(user=author)["emails"]
    assert [(email["kind"], email["about"]) for email in emails] == [
        ("An integrated care system acted on it", "Evening hubs")
    ]
