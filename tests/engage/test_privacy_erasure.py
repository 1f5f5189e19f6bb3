"""Erasing an account leaves nothing personal behind, in any table.

A resident with a distinctive email address, username, display name and distinctive words in
their posts takes part in every way the product allows, is moderated, reported, emailed and
signed in; then they erase their account through the page residents use. Afterwards every
column of every table in the database (found by introspection, so a table added later is
scanned too) is searched for those strings.
"""

import pytest
from allauth.core.internal.ratelimit import get_cache_key, parse_rates
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from consultations import moderation, services
from consultations.models import (
    Comment,
    FlagReason,
    Idea,
    ModerationAction,
    ModerationDecision,
    ModerationMode,
    ModerationReason,
    Notice,
    Support,
    Theme,
    ThemeQuote,
)
from consultations.services.equality import communication_needs_save, equality_answers_save
from engage.models import User
from engage.privacy import ERASE_LOG_ACTION
from tests.factories import UserFactory, make_consultation

PASSWORD = "correct-horse-battery"  # UserFactory's password

EMAIL = "zanzibar.quokkafeather@example.org"
USERNAME = "quokkafeather77"
DISPLAY_NAME = "Zanzibar Quokkafeather"
IDEA_TITLE = "Xylobranch benches by the clinic"
IDEA_BODY = "Please put Marzipanfrond seating outside the surgery."
PENDING_TITLE = "Glimmerwort parking idea"
COMMENT_BODY = "Plinthwhistle agrees with this idea."
REPLY_BODY = "Tambourquill reply to a neighbour."
FLAG_DETAILS = "Snorkelbrim report details."

IDENTIFIERS = [EMAIL, USERNAME, DISPLAY_NAME, "Quokkafeather"]
POST_TEXT = [
    "Xylobranch",
    "Marzipanfrond",
    "Glimmerwort",
    "Plinthwhistle",
    "Tambourquill",
    "Snorkelbrim",
]


# Scanning


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "ignore").lower()
    return str(value).lower()


def _session_text(session_data: str) -> str:
    """A stored session decoded, so what it holds is scanned, not its encoding."""
    from django.contrib.sessions.backends.db import SessionStore

    return str(SessionStore().decode(session_data)).lower()


def tables_to_scan() -> list[str]:
    tables = set(connection.introspection.table_names())
    models = apps.get_models(include_auto_created=True)
    # Every model's table exists and is scanned, whichever app it comes from.
    for model in models:
        if model._meta.managed and not model._meta.proxy:
            assert model._meta.db_table in tables, model
    return sorted(tables)


def scan(needles) -> list[tuple[str, str, str]]:
    """(table, column, needle) for every cell that contains one of `needles`."""
    needles = [needle.lower() for needle in needles]
    found = []
    with connection.cursor() as cursor:
        for table in tables_to_scan():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = _text(value)
                    if table == "django_session" and column == "session_data":
                        text += _session_text(value)
                    for needle in needles:
                        if needle in text:
                            found.append((table, column, needle))
    return found


# A resident who has done everything


@pytest.fixture
def consultation(consultation_index):
    return make_consultation(
        consultation_index, phase="open", moderation_mode=ModerationMode.PRE, title="Benches"
    )


@pytest.fixture
def cast(home):
    moderator = UserFactory(groups=[home.pcn.moderator_group])
    return {
        "moderator": moderator,
        "neighbour": UserFactory(),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


@pytest.fixture
def resident(db):
    return UserFactory(email=EMAIL, username=USERNAME, display_name=DISPLAY_NAME)


def take_part_in_everything(*, resident, consultation, cast, client):
    """Posts, comments, replies, supports, follows, reports, moderation, emails, sessions,
    failed tasks and rate limits: every trace a resident can leave."""
    moderator, neighbour = cast["moderator"], cast["neighbour"]
    # Their answers to "About you".
    equality_answers_save(user=resident, answers={"age_band": "25_34", "religion": "sikh"})
    # The formats they need.
    communication_needs_save(user=resident, formats=["large_print"])
    idea = services.idea_submit(
        consultation=consultation, author=resident, title=IDEA_TITLE, body=IDEA_BODY
    )
    pending = services.idea_submit(
        consultation=consultation, author=resident, title=PENDING_TITLE, body="Short."
    )
    theirs = services.idea_submit(
        consultation=consultation, author=neighbour, title="Neighbour idea", body="Trees."
    )
    moderation.post_moderate(post=idea, moderator=moderator, action=ModerationAction.APPROVE)
    moderation.post_moderate(post=theirs, moderator=moderator, action=ModerationAction.APPROVE)
    # A comment on their own idea, hidden with a note that names them.
    own_comment = services.comment_create(idea=idea, author=resident, body=COMMENT_BODY)
    moderation.post_moderate(post=own_comment, moderator=moderator, action=ModerationAction.APPROVE)
    moderation.post_moderate(
        post=own_comment,
        moderator=moderator,
        action=ModerationAction.HIDE,
        reason=ModerationReason.PERSONAL,
        note=f"{DISPLAY_NAME}, please leave out phone numbers.",
    )
    # A comment on a neighbour's idea, which the neighbour replies to.
    on_theirs = services.comment_create(idea=theirs, author=resident, body=REPLY_BODY)
    moderation.post_moderate(post=on_theirs, moderator=moderator, action=ModerationAction.APPROVE)
    services.comment_create(idea=theirs, author=neighbour, body="Thanks!", parent=on_theirs)
    services.comment_withdraw(
        comment=services.comment_create(idea=theirs, author=resident, body="Tambourquill two"),
        user=resident,
    )
    services.support_add(idea=theirs, user=resident)
    services.support_add(idea=idea, user=neighbour)
    services.follow_add(user=resident, consultation=consultation)
    services.follow_add(user=resident, idea=theirs)
    services.flag_create(
        reporter=resident, idea=theirs, reason=FlagReason.OTHER, details=FLAG_DETAILS
    )
    services.flag_create(reporter=neighbour, idea=idea, reason=FlagReason.SPAM)
    # Themed and quoted: a moderator's quote copies their words.
    theme = moderation.theme_create(consultation=consultation, user=moderator, name="Seating")
    moderation.theme_assign_ideas(theme=theme, user=moderator, idea_ids=[idea.pk, theirs.pk])
    moderation.theme_quote_add(theme=theme, user=moderator, idea=idea)
    # An email about a consultation, and a failed email task that quotes their address.
    Notice.objects.create(
        user=resident,
        kind=Notice.Kind.PHASE,
        consultation=consultation,
        key="closed",
        status=Notice.Status.PENDING,
    )
    DBTaskResult.objects.create(
        status="FAILED",
        args_kwargs={"args": [], "kwargs": {"decision_id": 1}},
        task_path="consultations.notifications.send_moderation_decision",
        backend_name="default",
        queue_name="default",
        run_after=timezone.now(),
        exception_class_path="smtplib.SMTPRecipientsRefused",
        traceback=f"SMTPRecipientsRefused: {{'{EMAIL}': (550, b'Mailbox unavailable')}}",
    )
    # An admin edited their account; they once acted in the admin themselves.
    log(instance=resident, action="wagtail.edit", user=cast["admin"])
    log(instance=theme, action="wagtail.edit", user=resident)
    # Signed in twice (two browsers), with a failed sign-in and a wrong password on the way.
    other_browser = client.__class__()
    other_browser.force_login(resident)
    client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong password"})
    client.force_login(resident)
    response = client.post(
        reverse("account_erase"), {"posts": "remove", "password": "not my password"}
    )
    assert "The password is not right" in response.content.decode()
    return {"idea": idea, "pending": pending, "theirs": theirs, "other_browser": other_browser}


def rate_limit_keys(user_id) -> list[str]:
    from allauth.account import app_settings

    class Account:
        pk = user_id

    keys = []
    for action in ("reauthenticate", "login_failed"):
        for rate in parse_rates(app_settings.RATE_LIMITS[action]):
            if rate.per == "user":
                keys.append(
                    get_cache_key(
                        None, app="allauth.account", action=action, rate=rate, user=Account
                    )
                )
            elif rate.per == "key":
                keys.append(
                    get_cache_key(
                        None,
                        app="allauth.account",
                        action=action,
                        rate=rate,
                        key=f"testserver:{EMAIL}",
                    )
                )
    return keys


def erase(client, posts: str):
    response = client.post(reverse("account_erase"), {"posts": posts, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_erase_done")
    return response


def test_the_resident_left_traces_everywhere_before_erasing(resident, consultation, cast, client):
    """The scan can see them: without this, an empty scan afterwards would prove nothing."""
    take_part_in_everything(resident=resident, consultation=consultation, cast=cast, client=client)
    tables = {table for table, _column, _needle in scan(IDENTIFIERS + POST_TEXT)}
    assert {
        "engage_user",
        "account_emailaddress",
        "consultations_idea",
        "consultations_comment",
        "consultations_flag",
        "consultations_moderationdecision",
        "consultations_themequote",
        "wagtailcore_modellogentry",
        "wagtailsearch_indexentry",
        "django_tasks_database_dbtaskresult",
    } <= tables
    assert any(cache.get(key) for key in rate_limit_keys(resident.pk))


def test_erasing_and_removing_posts_leaves_nothing_of_them_anywhere(
    resident, consultation, cast, client
):
    traces = take_part_in_everything(
        resident=resident, consultation=consultation, cast=cast, client=client
    )
    resident_id = resident.pk
    erase(client, "remove")

    assert scan(IDENTIFIERS + POST_TEXT) == []
    assert not User.objects.filter(pk=resident_id).exists()
    assert not Idea.objects.filter(pk__in=[traces["idea"].pk, traces["pending"].pk]).exists()
    # Nothing points at them either, not even without a database constraint.
    assert not ModelLogEntry.objects.filter(user_id=resident_id).exists()
    assert not PageLogEntry.objects.filter(user_id=resident_id).exists()
    assert not ModelLogEntry.objects.filter(
        content_type__model="user", object_id=str(resident_id)
    ).exists()
    assert not any(cache.get(key) for key in rate_limit_keys(resident_id))
    # Signed out everywhere.
    assert "_auth_user_id" not in client.session
    assert traces["other_browser"].get(reverse("account_profile")).status_code == 302
    # Counts on the neighbour's idea no longer include them; the neighbour's idea stays.
    theirs = Idea.objects.get(pk=traces["theirs"].pk)
    assert theirs.support_count == 0 == Support.objects.filter(idea=theirs).count()
    assert theirs.comment_count == 0
    assert Theme.objects.get(name="Seating").ideas.get() == theirs
    assert not ThemeQuote.objects.exists()


def test_erasing_and_keeping_posts_keeps_only_their_words_linked_to_nobody(
    resident, consultation, cast, client
):
    traces = take_part_in_everything(
        resident=resident, consultation=consultation, cast=cast, client=client
    )
    resident_id = resident.pk
    erase(client, "keep")

    assert scan(IDENTIFIERS) == []
    idea = Idea.objects.get(pk=traces["idea"].pk)
    assert (idea.title, idea.body, idea.author) == (IDEA_TITLE, IDEA_BODY, None)
    assert idea.shown_author == "A resident"
    comments = Comment.objects.filter(body__in=[COMMENT_BODY, REPLY_BODY])
    assert [comment.author for comment in comments] == [None, None]
    assert {comment.shown_author for comment in comments} == {"A resident"}
    # Their words show on the public page as "A resident"; their name nowhere.
    page = client.get(
        consultation.url + consultation.reverse_subpage("idea-detail", args=[idea.pk])
    ).content.decode()
    assert IDEA_TITLE in page and "Posted by A resident" in page
    assert DISPLAY_NAME not in page
    # The moderation record of the post stays, without the note that named them.
    decision = ModerationDecision.objects.get(action=ModerationAction.HIDE)
    assert (decision.reason, decision.note, decision.actor) == (
        ModerationReason.PERSONAL,
        "",
        cast["moderator"],
    )
    assert idea.support_count == 1  # the neighbour's support of a kept idea stays
    assert not ModelLogEntry.objects.filter(user_id=resident_id).exists()
    assert not Support.objects.filter(user_id=resident_id).exists()


def test_an_erasure_leaves_an_audit_entry_that_names_nobody(resident, consultation, cast, client):
    take_part_in_everything(resident=resident, consultation=consultation, cast=cast, client=client)
    erase(client, "keep")
    entry = ModelLogEntry.objects.get(action=ERASE_LOG_ACTION)
    assert entry.user_id is None
    assert entry.object_id == "0"
    assert entry.label == "An erased account"
    assert entry.data == {
        "kept_posts": True,
        "ideas": 2,
        "comments": 3,
        "equality_answers": 1,
        "communication_needs": 1,
    }
    # The admin's site history shows it.
    client.force_login(cast["admin"])
    history = client.get(reverse("wagtailadmin_reports:site_history"))
    assert history.status_code == 200
    assert "A resident deleted their account" in history.content.decode()


def test_erasing_an_account_that_did_nothing(db, client):
    quiet = UserFactory()
    client.force_login(quiet)
    erase(client, "remove")
    assert not User.objects.filter(pk=quiet.pk).exists()


def test_the_erasure_is_all_or_nothing(resident, consultation, cast, client, monkeypatch):
    take_part_in_everything(resident=resident, consultation=consultation, cast=cast, client=client)
    from engage import privacy

    def broken(user_ids):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(privacy, "_sessions_delete", broken)
    with pytest.raises(RuntimeError):
        privacy.account_erase(user=resident, keep_posts=False)
    assert User.objects.filter(pk=resident.pk).exists()
    assert Idea.objects.filter(author=resident).count() == 2
    assert not ModelLogEntry.objects.filter(action=ERASE_LOG_ACTION).exists()


def test_old_sessions_of_an_erased_account_are_gone(resident, client):
    client.force_login(resident)
    key = client.session.session_key
    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key=key).exists()
    erase(client, "remove")
    assert not Session.objects.filter(session_key=key).exists()
