"""The safety net at the point of posting (consultations/services/safety.py and the idea and
comment views): the panel before sending, "Send anyway" and the hold, the safeguarding
email, and the offline service. Texts per category that must and must not raise it, on
every path: idea create and edit, comment create and edit, offline entry."""

import logging

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from consultations import services
from consultations.models import (
    AlertRoute,
    Comment,
    Idea,
    ModerationAction,
    ModerationDecision,
    PostStatus,
    SafetyHold,
)
from consultations.moderation import post_moderate
from consultations.services.safety_alerts import safety_hold_alert
from engage.models import OutgoingEmail
from tests.factories import UserFactory, make_pcn_site
from tests.safety.conftest import SAFEGUARDING, url
from tests.safety.corpus import rows

# One urgent text per category, from the corpus the rules are tested on.
URGENT = {}
for row in rows("corpus_urgent.csv"):
    URGENT.setdefault(row["category"], row["text"])
# Ordinary texts, near misses among them: none may raise the panel.
ORDINARY = [
    "the chest clinic should open on saturdays",
    "my mum had a stroke last year and the rehab team were brilliant",
    "suicide prevention training for reception staff would help",
    "this queue is killing me, please add more phone lines",
    "Evening appointments would help people who work.",
]
PERSONAL = {}
for row in rows("corpus_personal.csv"):
    if row["kind"] != "none":
        PERSONAL.setdefault(row["kind"], (row["found"], row["text"]))
NOT_PERSONAL = [row["text"] for row in rows("corpus_personal.csv") if row["kind"] == "none"][:5]
PATHS = ("idea-create", "idea-edit", "comment-create", "comment-edit")


def post(client, consultation, path, text, *, idea=None, comment=None, extra=None):
    data = {"body": text, **(extra or {})}
    if path.startswith("idea"):
        data |= {
            "title": "About appointments",
            "neighbourhood": consultation.neighbourhoods.first().pk,
            "attribution": "name",
            "confirm": "1",
        }
    target = {
        "idea-create": (),
        "idea-edit": (idea.pk,) if idea else (),
        "comment-create": (idea.pk,) if idea else (),
        "comment-edit": (comment.pk,) if comment else (),
    }[path]
    return client.post(url(consultation, path, *target), data)


def panel_of(response):
    return response.content.decode()


def send_anyway(client, consultation, path, text, **kwargs):
    """Post, see the panel, then send the same text anyway."""
    first = post(client, consultation, path, text, **kwargs)
    assert first.status_code == 200 and 'name="send_anyway"' in panel_of(first)
    fingerprint = first.context["safety"].fingerprint
    extra = {"send_anyway": "1", "safety_seen": fingerprint}
    return post(client, consultation, path, text, extra=extra, **kwargs)


def post_of(path, idea, comment, resident):
    if path.startswith("idea"):
        return Idea.objects.filter(author=resident).order_by("-pk").first()
    return Comment.objects.filter(author=resident).order_by("-pk").first()


# The panel, before anything is sent


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("category", sorted(URGENT))
def test_an_urgent_text_shows_the_help_panel_first_and_saves_nothing(
    consultation, idea, comment, resident, client_for, path, category
):
    client = client_for(resident)
    before = (Idea.objects.count(), Comment.objects.count())
    response = post(client, consultation, path, URGENT[category], idea=idea, comment=comment)
    assert response.status_code == 200
    page = panel_of(response)
    assert "nhsuk-card--care--emergency" in page
    assert 'href="tel:999"' in page and "NHS 111" in page and "116 123" in page
    assert "not watched in real time" in page
    assert "Contact your GP practice" in page
    assert response.context["safety"].urgent_categories[0].key == category
    assert "<title>Check before you send:" in page
    # Nothing was sent or changed; the text waits in the form, as typed.
    assert (Idea.objects.count(), Comment.objects.count()) == before
    idea.refresh_from_db()
    comment.refresh_from_db()
    assert (idea.body, comment.body) == ("Open until 8pm, please.", "Tuesdays too.")
    assert response.context["form"]["body"].value() == URGENT[category]
    assert escape(URGENT[category]) in page
    assert not SafetyHold.objects.exists()


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("text", ORDINARY)
def test_an_ordinary_text_is_sent_without_a_panel(
    consultation, idea, comment, resident, client_for, path, text
):
    response = post(client_for(resident), consultation, path, text, idea=idea, comment=comment)
    assert response.status_code == 302
    sent = post_of(path, idea, comment, resident)
    assert sent.body == text and sent.status == PostStatus.PUBLISHED
    assert not SafetyHold.objects.exists()


@pytest.mark.parametrize("kind", sorted(PERSONAL))
def test_personal_data_is_shown_with_the_offer_to_edit(consultation, resident, client_for, kind):
    _found, text = PERSONAL[kind]
    response = post(client_for(resident), consultation, "idea-create", text)
    assert response.status_code == 200
    page = panel_of(response)
    assert "nhsuk-warning-callout" in page and "nhsuk-card--care--emergency" not in page
    assert kind[0].upper() + kind[1:] in page
    assert '<mark class="engage-safety-match">' in page
    assert "take it out in the form below" in page
    assert not Idea.objects.exists()


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_texts_close_to_personal_data_are_sent(consultation, idea, resident, client_for, text):
    client = client_for(resident)
    assert post(client, consultation, "comment-create", text, idea=idea).status_code == 302
    assert post(client, consultation, "idea-create", text).status_code == 302
    assert not SafetyHold.objects.exists()


def test_hostile_text_in_the_matched_words_is_shown_escaped(consultation, resident, client_for):
    text = 'ring <script>alert(1)</script> on 07700 900123 "><img src=x onerror=alert(2)>'
    response = post(client_for(resident), consultation, "idea-create", text)
    page = panel_of(response)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<mark class="engage-safety-match">07700 900123' in page


def test_a_changed_text_shows_the_panel_again(consultation, resident, client_for):
    client = client_for(resident)
    first = post(client, consultation, "idea-create", URGENT["chest pain"])
    seen = first.context["safety"].fingerprint
    changed = URGENT["chest pain"] + " and now he is sweating"
    again = post(
        client,
        consultation,
        "idea-create",
        changed,
        extra={"send_anyway": "1", "safety_seen": seen},
    )
    assert again.status_code == 200 and "safety-check" in panel_of(again)
    assert not Idea.objects.exists()


def test_a_made_up_fingerprint_does_not_skip_the_panel(consultation, resident, client_for):
    extra = {"send_anyway": "1", "safety_seen": "0" * 64}
    response = post(
        client_for(resident), consultation, "idea-create", URGENT["overdose"], extra=extra
    )
    assert response.status_code == 200 and "safety-check" in panel_of(response)
    with pytest.raises(services.SafetyCheckNeeded):
        services.idea_submit(
            consultation=consultation,
            author=resident,
            title="Help",
            body=URGENT["overdose"],
            safety_seen="0" * 64,
        )
    assert not Idea.objects.exists()


# Send anyway: held, never public, the safeguarding contact told at once


def test_an_urgent_idea_sent_anyway_is_held_and_the_contact_is_emailed_once(
    consultation, resident, client_for, django_capture_on_commit_callbacks
):
    client = client_for(resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = send_anyway(client, consultation, "idea-create", URGENT["chest pain"])
    assert response.status_code == 302
    idea = Idea.objects.get(author=resident)
    assert idea.status == PostStatus.PENDING and idea.published_at is None
    hold = SafetyHold.objects.get(idea=idea)
    assert hold.urgent and not hold.personal_data and hold.consultation_id == consultation.pk
    assert hold.urgent_categories == ["Chest pain"]
    assert {m["field"] for m in hold.matches} == {"body"}
    assert hold.alert_route == AlertRoute.CONTACT and hold.alerted_at is not None
    decision = ModerationDecision.objects.get(idea=idea)
    assert decision.action == ModerationAction.HOLD and decision.reason == "safeguarding"
    assert decision.actor is None
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [SAFEGUARDING] and "Urgent" in email.subject
    assert "Chest pain" in email.body and URGENT["chest pain"] in email.body
    assert resident.email in email.body
    # The author is told it waits, with the help numbers again.
    shown = client.get(response["Location"]).content.decode()
    assert "waiting for a moderator" in shown and "116 123" in shown
    # Running the task again sends nothing more.
    assert safety_hold_alert.call(hold_id=hold.pk) == 0
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.filter(key__startswith=f"safety-hold:{hold.pk}:").count() == 1


def test_a_held_idea_is_in_no_list_search_or_stored_page(
    consultation, resident, client_for, settings
):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 300
    send_anyway(client_for(resident), consultation, "idea-create", URGENT["suicide or self-harm"])
    idea = Idea.objects.get(author=resident)
    visitor, other = Client(), client_for(UserFactory())
    for client in (visitor, other):
        listing = client.get(consultation.url).content.decode()
        assert idea.title not in listing
        found = client.get(consultation.url, {"q": "appointments"}).content.decode()
        assert idea.title not in found
        assert client.get(url(consultation, "idea-detail", idea.pk)).status_code == 404
    # A second visit (served from the page cache, if stored) shows it no more.
    assert idea.title not in visitor.get(consultation.url).content.decode()
    # Its author sees it, waiting.
    own = client_for(resident).get(url(consultation, "idea-detail", idea.pk))
    assert own.status_code == 200


def test_personal_data_sent_anyway_is_held_and_nobody_is_emailed(
    consultation, resident, client_for, django_capture_on_commit_callbacks
):
    _found, text = PERSONAL["phone number"]
    with django_capture_on_commit_callbacks(execute=True):
        response = send_anyway(client_for(resident), consultation, "idea-create", text)
    assert response.status_code == 302
    hold = SafetyHold.objects.get()
    assert hold.personal_data and not hold.urgent
    assert hold.personal_kinds == ["Phone number"]
    assert hold.idea.status == PostStatus.PENDING
    assert ModerationDecision.objects.get(idea=hold.idea).reason == "personal"
    assert mail.outbox == [] and hold.alerted_at is None


def test_a_comment_sent_anyway_is_held_and_not_counted(
    consultation, idea, resident, client_for, django_capture_on_commit_callbacks
):
    other = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        send_anyway(client_for(other), consultation, "comment-create", URGENT["abuse"], idea=idea)
    comment = Comment.objects.get(author=other)
    assert comment.status == PostStatus.PENDING
    assert SafetyHold.objects.get(comment=comment).urgent
    idea.refresh_from_db()
    assert idea.comment_count == 0
    page = Client().get(url(consultation, "idea-detail", idea.pk)).content.decode()
    assert comment.body not in page
    assert len(mail.outbox) == 1


def test_an_edit_sent_anyway_takes_a_published_idea_back_to_waiting(
    consultation, idea, resident, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_anyway(client_for(resident), consultation, "idea-edit", URGENT["stroke"], idea=idea)
    idea.refresh_from_db()
    assert idea.status == PostStatus.PENDING and idea.body == URGENT["stroke"]
    assert SafetyHold.objects.get(idea=idea).urgent
    assert len(mail.outbox) == 1


def test_an_edit_of_a_held_post_keeps_it_held_until_a_moderator_decides(
    consultation, comment, resident, moderator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(resident)
    with django_capture_on_commit_callbacks(execute=True):
        send_anyway(client, consultation, "comment-edit", URGENT["overdose"], comment=comment)
    response = post(client, consultation, "comment-edit", "All fine now.", comment=comment)
    assert response.status_code == 302
    comment.refresh_from_db()
    hold = SafetyHold.objects.get(comment=comment)
    assert comment.status == PostStatus.PENDING and comment.body == "All fine now."
    assert hold.urgent and hold.matches == [] and hold.resolved_at is None
    # A moderator's decision resolves the hold.
    post_moderate(post=comment, moderator=moderator, action="approve", reason="meets_rules")
    hold.refresh_from_db()
    assert hold.resolved_at is not None and hold.resolved_by == moderator


# Who is told


def test_without_a_safeguarding_contact_the_moderators_are_emailed_at_once(
    site, consultation, resident, moderator, client_for, django_capture_on_commit_callbacks
):
    site.pcn.safeguarding_contact_email = ""
    site.pcn.save()
    UserFactory(groups=[site.pcn.moderator_group], is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        send_anyway(client_for(resident), consultation, "idea-create", URGENT["breathing"])
    hold = SafetyHold.objects.get()
    assert hold.alert_route == AlertRoute.MODERATORS
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert "has no safeguarding contact set" in mail.outbox[0].body


def test_with_nobody_to_email_the_pcn_address_or_the_log_is_told(
    site, consultation, resident, client_for, django_capture_on_commit_callbacks, caplog
):
    site.pcn.safeguarding_contact_email = ""
    site.pcn.contact_email = "engage@riverside.example.org"
    site.pcn.save()
    with django_capture_on_commit_callbacks(execute=True):
        send_anyway(client_for(resident), consultation, "idea-create", URGENT["bleeding"])
    assert [message.to for message in mail.outbox] == [["engage@riverside.example.org"]]
    assert SafetyHold.objects.get().alert_route == AlertRoute.PCN

    site.pcn.contact_email = ""
    site.pcn.save()
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        send_anyway(client_for(UserFactory()), consultation, "idea-create", URGENT["bleeding"])
    last = SafetyHold.objects.order_by("-pk").first()
    assert last.alert_route == AlertRoute.NOBODY and last.alerted_at is not None
    assert "no safeguarding contact" in caplog.text
    assert len(mail.outbox) == 1


def test_only_the_posts_own_pcn_is_told(
    consultation, resident, client_for, django_capture_on_commit_callbacks
):
    other_home, _other_consultations, _ = make_pcn_site(hostname="other.localhost", default=False)
    other_home.pcn.safeguarding_contact_email = "other@elsewhere.example.org"
    other_home.pcn.save()
    UserFactory(groups=[other_home.pcn.moderator_group])
    with django_capture_on_commit_callbacks(execute=True):
        send_anyway(client_for(resident), consultation, "idea-create", URGENT["child at risk"])
    assert [message.to for message in mail.outbox] == [[SAFEGUARDING]]
    hold = SafetyHold.objects.get()
    assert hold.consultation_id == consultation.pk


def test_the_alert_goes_to_each_person_apart_and_asks_that_personal_data_is_not_forwarded(
    site, consultation, resident, moderator, client_for, django_capture_on_commit_callbacks
):
    site.pcn.safeguarding_contact_email = ""
    site.pcn.save()
    second = UserFactory(groups=[site.pcn.moderator_group])
    text = f"{URGENT['child at risk']} {PERSONAL['phone number'][1]}"
    with django_capture_on_commit_callbacks(execute=True):
        send_anyway(client_for(resident), consultation, "idea-create", text)
    hold = SafetyHold.objects.get()
    assert hold.urgent and hold.personal_data
    # One email each: no moderator learns another's address, and nobody is copied in.
    assert sorted(message.to for message in mail.outbox) == sorted(
        [[moderator.email], [second.email]]
    )
    for message in mail.outbox:
        assert not message.cc and not message.bcc
        assert "It also holds personal information: do not forward this email." in message.body


# Offline entries


@pytest.mark.parametrize(
    ("body", "urgent", "personal"),
    [
        (URGENT["adult at risk"], True, False),
        (PERSONAL["NHS number"][1], False, True),
        ("Later appointments on Thursdays, please.", False, False),
    ],
)
def test_an_offline_entry_that_matches_is_held_and_says_so(
    site, consultation, moderator, django_capture_on_commit_callbacks, body, urgent, personal
):
    with django_capture_on_commit_callbacks(execute=True):
        idea = services.idea_submit_on_behalf(
            consultation=consultation,
            entered_by=moderator,
            channel="paper",
            received_on=timezone.localdate(),
            title="A letter",
            body=body,
        )
    held = urgent or personal
    assert idea.status == (PostStatus.PENDING if held else PostStatus.PUBLISHED)
    if held:
        assert idea.safety_hold.urgent == urgent
        assert idea.safety_hold.personal_data == personal
        entered = ModerationDecision.objects.get(idea=idea, action=ModerationAction.ENTER)
        assert "held by the safety check" in entered.note
    else:
        assert idea.safety_hold is None
    assert len(mail.outbox) == (1 if urgent else 0)


# Speed


def _panel_queries(client, consultation, author, size) -> int:
    Idea.objects.bulk_create(
        Idea(
            consultation=consultation,
            author=author,
            title=f"Idea {n}",
            body="Evening appointments",
            status=PostStatus.PUBLISHED,
        )
        for n in range(size)
    )
    post(client, consultation, "idea-create", URGENT["chest pain"])  # warm the site's caches
    with CaptureQueriesContext(connection) as queries:
        response = post(client, consultation, "idea-create", URGENT["chest pain"])
    assert "safety-check" in panel_of(response)
    return len(queries)


def test_the_panel_page_takes_a_fixed_number_of_queries(consultation, resident, client_for):
    client, author = client_for(resident), UserFactory()
    small = _panel_queries(client, consultation, author, 2)
    large = _panel_queries(client, consultation, author, 40)
    assert small == large <= 15
