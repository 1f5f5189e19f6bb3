"""State changes for residents who took part offline: a moderator or member of staff enters
what they sent on paper, by phone or at a meeting, and records the letters posted to them.
"""

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from consultations import permissions
from consultations.models import (
    OFFLINE_CHANNELS,
    Attribution,
    Channel,
    ConsultationPage,
    Idea,
    Letter,
    ModerationAction,
    ModerationDecision,
    Notice,
    OfflineContributor,
    PostStatus,
    ReplyBy,
    UpdatePage,
)
from consultations.services.equality import (
    communication_needs_check,
    communication_needs_save,
    equality_answers_check,
    equality_answers_save,
)
from consultations.services.participation import neighbourhood_check
from consultations.services.safety import post_check, safety_hold_place
from engage.ids import parse_id
from engage.text import plain_text, text_problems


def _offline_contributor(*, reply_by: str, name: str, email: str, postal_address: str, pcn):
    """The contact details to keep for the chosen way to reply (and no others), or None.

    Raises ValidationError naming the fields that are missing or wrong.
    """
    name = plain_text(name, single_line=True)
    email = plain_text(email, single_line=True).replace(" ", "")
    postal_address = plain_text(postal_address)
    if reply_by == ReplyBy.NOTHING:
        return None
    errors = {}
    if reply_by == ReplyBy.EMAIL:
        if not email:
            errors["contributor_email"] = "Enter the email address they gave"
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors["contributor_email"] = (
                    "Enter an email address in the right format, like name@example.org"
                )
        postal_address = ""
    elif reply_by == ReplyBy.LETTER:
        if not name:
            errors["contributor_name"] = "Enter the name to put on the letter"
        if not postal_address:
            errors["contributor_address"] = "Enter the postal address to send the letter to"
        email = ""
    else:
        errors["reply_by"] = "Choose how they want to hear back"
    limits = {
        "contributor_name": (name, OfflineContributor._meta.get_field("name").max_length),
        "contributor_email": (email, OfflineContributor._meta.get_field("email").max_length),
        "contributor_address": (
            postal_address,
            OfflineContributor._meta.get_field("postal_address").max_length,
        ),
    }
    for field, (value, limit) in limits.items():
        if field not in errors and len(value) > limit:
            errors[field] = f"Keep it to {limit} characters or fewer (it has {len(value)})"
    # The contributor is saved without a full_clean(): its name is checked here, as the
    # field's validator would (the name goes on a letter).
    if "contributor_name" not in errors and (problems := text_problems(name, single_line=True)):
        errors["contributor_name"] = ValidationError(problems).messages
    if errors:
        raise ValidationError(errors)
    return OfflineContributor(pcn=pcn, name=name, email=email, postal_address=postal_address)


def _received_error(consultation: ConsultationPage, received_on: date | None) -> str:
    if received_on is None:
        return "Enter the date it was received"
    today = timezone.localdate()
    if received_on > today:
        return "The date it was received must be today or in the past"
    opened = timezone.localtime(consultation.opens_at).date()
    closed = timezone.localtime(consultation.closes_at).date()
    if received_on < opened:
        return f"The consultation opened on {opened:%-d %B %Y}: enter a date on or after it"
    if received_on > closed:
        return (
            f"The consultation closed on {closed:%-d %B %Y}: only contributions received "
            "by then can be entered"
        )
    return ""


@transaction.atomic
def idea_submit_on_behalf(
    *,
    consultation: ConsultationPage,
    entered_by,
    channel: str,
    received_on: date | None,
    title: str,
    body: str,
    neighbourhood=None,
    practice=None,
    reply_by: str = ReplyBy.NOTHING,
    contributor_name: str = "",
    contributor_email: str = "",
    contributor_address: str = "",
    equality_answers: dict[str, str] | None = None,
    equality_postcode: str = "",
    equality_consent: bool = False,
    communication_needs: dict | None = None,
) -> Idea:
    """A moderator or member of staff enters an idea a resident sent on paper, by phone or
    at a meeting. It is published at once (a moderator has read it), dated the day it was
    received, shown as "A resident of <neighbourhood> (paper)", and kept with the way to
    reply to its contributor, if they gave one, in an `OfflineContributor` of its own.

    The clinical safety check reads it as it reads a resident's post, but shows no panel
    (the resident is not there to see it): an entry that reads like an emergency or holds
    personal data is saved as pending, not published, and held (`SafetyHold`); an urgent
    one emails the PCN's safeguarding contact at once. The returned idea's `safety_hold`
    says so (None when nothing held it), for the screen to tell whoever entered it.

    "About you" (`equality_answers`, `equality_postcode`): the resident's equality answers,
    checked as a resident's own are (`services.equality`), and kept only when
    `equality_consent` says they agreed to share them; answers without it are refused. They
    are stored against the idea's `OfflineContributor` (one with no contact details when
    they gave none), never against the idea, and counted in "Who took part".

    `practice`: the GP practice they are registered with, if they said; one of the PCN's
    own (another PCN's is refused on the field). Counted in the staff charts, never shown.

    `communication_needs` (`formats`, `language`, `other`): the formats they need (the
    Accessible Information Standard), kept against the same contributor; their letters say
    so, and large print ones print in large type.
    """
    if not permissions.can_enter_offline(entered_by, consultation.pcn):
        raise PermissionDenied("You cannot enter contributions for this consultation.")
    if not permissions.accepts_offline_contributions(consultation):
        raise ValidationError(
            {
                "consultation": "Choose a consultation that is open or closed in the last "
                "four weeks and not yet answered"
            }
        )
    errors: dict[str, list[str]] = {}
    if channel not in OFFLINE_CHANNELS:
        errors["channel"] = ["Choose how it was sent: on paper, by phone or at a meeting"]
    if message := _received_error(consultation, received_on):
        errors["received_on"] = [message]
    try:
        neighbourhood_check(consultation, neighbourhood)
    except ValidationError as error:
        errors.update(error.message_dict)
    contributor = None
    try:
        contributor = _offline_contributor(
            reply_by=reply_by,
            name=contributor_name,
            email=contributor_email,
            postal_address=contributor_address,
            pcn=consultation.pcn,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    about_you = {name: str(value or "") for name, value in (equality_answers or {}).items()}
    equality_postcode = str(equality_postcode or "").strip()
    answered = any(about_you.values()) or bool(equality_postcode)
    if answered:
        if not equality_consent:
            errors["equality_consent"] = [
                "Tick the box to say the resident agreed to share these answers, or clear "
                "the answers to leave them out"
            ]
        try:
            equality_answers_check(answers=about_you, postcode=equality_postcode)
        except ValidationError as error:
            errors.update(error.message_dict)
    needs = {
        "formats": list((communication_needs or {}).get("formats") or []),
        "language": str((communication_needs or {}).get("language") or ""),
        "other": str((communication_needs or {}).get("other") or ""),
    }
    has_needs = bool(needs["formats"] or needs["language"].strip() or needs["other"].strip())
    if has_needs:
        try:
            communication_needs_check(**needs)
        except ValidationError as error:
            errors.update(error.message_dict)
    check = post_check(title=title, body=body)
    held = check.needs_panel
    now = timezone.now()
    if received_on is None or received_on >= timezone.localdate():
        created_at = now
    else:
        created_at = timezone.make_aware(datetime.combine(received_on, time(12)))
    idea = Idea(
        consultation=consultation,
        author=None,
        title=plain_text(title, single_line=True),
        body=plain_text(body),
        neighbourhood=neighbourhood,
        practice=practice,
        attribution=Attribution.NEIGHBOURHOOD,
        channel=channel if channel in OFFLINE_CHANNELS else Channel.PAPER,
        status=PostStatus.PENDING if held else PostStatus.PUBLISHED,
        published_at=None if held else now,
        created_at=created_at,
    )
    try:
        idea.full_clean(exclude=["contributor", "channel", "neighbourhood"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if contributor is None and (answered or has_needs):
        # Their answers and needs belong to someone: a contributor with no way to reply.
        contributor = OfflineContributor(pcn=consultation.pcn)
    if contributor is not None:
        contributor.save()
        idea.contributor = contributor
    idea.save()
    if answered:
        equality_answers_save(
            contributor=contributor, answers=about_you, postcode=equality_postcode
        )
    if has_needs:
        communication_needs_save(contributor=contributor, **needs)
    received = f"{received_on:%-d %B %Y}"
    ModerationDecision.objects.create(
        idea=idea,
        actor=entered_by,
        action=ModerationAction.ENTER,
        note=f"{idea.get_channel_display()} received on {received}, entered and "
        + ("held by the safety check." if held else "published."),
    )
    idea.safety_hold = safety_hold_place(post=idea, check=check)
    log(
        instance=idea,
        action="engage.idea.enter",
        user=entered_by,
        # What was done and how to reply; never the contact details themselves.
        data={
            "channel": idea.channel,
            "received_on": received_on.isoformat(),
            "reply_by": reply_by,
            "held": held,
            "about_you": answered,
            "communication_needs": has_needs,
        },
    )
    return idea


@transaction.atomic
def journey_letters_mark_sent(*, user, letter_ids) -> int:
    """Record that letters about their ideas' progress were printed and posted: the letters
    and the steps they carry are not printed again (the next step starts a new letter).

    Only due letters of PCNs the user sends letters for change; returns how many did.
    """
    ids = [pk for pk in map(parse_id, letter_ids) if pk is not None]
    if not ids:
        raise ValidationError("Tick the letters you have sent.")
    letters = list(
        Letter.objects.filter(pk__in=ids, update=None, status=Letter.Status.DUE).select_related(
            "contributor__pcn"
        )
    )
    if any(not permissions.can_send_letters_in(user, letter.contributor.pcn) for letter in letters):
        raise PermissionDenied("You cannot send these letters.")
    now = timezone.now()
    sent = Letter.objects.filter(
        pk__in=[letter.pk for letter in letters], status=Letter.Status.DUE
    ).update(status=Letter.Status.SENT, sent_at=now, sent_by=user)
    Notice.objects.filter(letter__in=letters, status=Notice.Status.PENDING).update(
        status=Notice.Status.SENT, sent_at=now
    )
    for letter in letters:
        log(instance=letter, action="engage.letters.sent", user=user, data={"letters": 1})
    return sent


@transaction.atomic
def letters_mark_sent(*, update: UpdatePage, user, letter_ids) -> int:
    """Record that the letters were printed and posted, so they are not printed twice.

    Only letters of this update that are still due change; returns how many did.
    """
    if not permissions.can_send_letters(user, update):
        raise PermissionDenied("You cannot send letters for this update.")
    ids = [pk for pk in map(parse_id, letter_ids) if pk is not None]
    if not ids:
        raise ValidationError("Tick the letters you have sent.")
    sent = Letter.objects.filter(update=update, pk__in=ids, status=Letter.Status.DUE).update(
        status=Letter.Status.SENT, sent_at=timezone.now(), sent_by=user
    )
    if sent:
        log(instance=update, action="engage.letters.sent", user=user, data={"letters": sent})
    return sent
