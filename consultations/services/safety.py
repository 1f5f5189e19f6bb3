"""The clinical safety net at the point of posting: check what a resident is about to send,
and hold it from the public when they send it anyway.

- `post_check(title=..., body=...)` runs the detection engine (`engage.safety.check_text`)
  on the title and body as they will be stored, and says what it found.
- `safety_gate(...)` is called by every service that stores resident text. When the check
  found something and the author has not yet seen the panel for exactly this text (the
  `safety_seen` fingerprint the panel's form sends back), it raises `SafetyCheckNeeded`,
  which the view shows as the panel; nothing is saved.
- `safety_hold_place(...)` records why a post sent anyway is held (a `SafetyHold`), writes
  the audit entry, and for an urgent hold tells the PCN's safeguarding contact at once
  (`consultations.services.safety_alerts`), after the transaction commits.

The post itself is saved as pending by the calling service, whatever the consultation's
moderation mode. See docs/clinical-safety/hazard-log.md.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from consultations.models import (
    Comment,
    Idea,
    ModerationAction,
    ModerationDecision,
    ModerationReason,
    SafetyHold,
)
from consultations.services.safety_alerts import safety_hold_alert
from engage.safety import SafetyReport, check_text
from engage.text import plain_text

_FINGERPRINT_SALT = "engage.safety.panel-seen"


class SafetyCheckNeeded(Exception):
    """The text reads as urgent or holds personal data, and its author has not seen the
    panel for it yet. `check` says what was found, for the panel."""

    def __init__(self, check: "PostCheck"):
        super().__init__("Show the safety panel before sending.")
        self.check = check


@dataclass(frozen=True)
class FoundWords:
    """One thing the check found, for the panel: where, what kind, and the words."""

    field: str  # "title" or "body"
    label: str  # "Chest pain", "Phone number"
    words: str
    advice: str = ""


@dataclass(frozen=True)
class PostCheck:
    """What the safety check found in one post's title and body."""

    title: SafetyReport
    body: SafetyReport

    @property
    def reports(self) -> tuple[tuple[str, SafetyReport], ...]:
        return (("title", self.title), ("body", self.body))

    @property
    def is_urgent(self) -> bool:
        return self.title.is_urgent or self.body.is_urgent

    @property
    def has_personal_data(self) -> bool:
        return self.title.has_personal_data or self.body.has_personal_data

    @property
    def needs_panel(self) -> bool:
        return self.is_urgent or self.has_personal_data

    @cached_property
    def urgent_categories(self) -> list:
        """Each urgent category found (label and advice), once, in the rules' order."""
        seen, categories = set(), []
        for _, report in self.reports:
            for category in report.urgent_categories:
                if category.key not in seen:
                    seen.add(category.key)
                    categories.append(category)
        return categories

    @cached_property
    def urgent_words(self) -> list[FoundWords]:
        return [
            FoundWords(field=field, label=match.label, words=match.text)
            for field, report in self.reports
            for match in report.urgent_matches
        ]

    @cached_property
    def personal_words(self) -> list[FoundWords]:
        return [
            FoundWords(field=field, label=match.label, words=match.text)
            for field, report in self.reports
            for match in report.personal_matches
        ]

    @property
    def fingerprint(self) -> str:
        """Names exactly this title and body: the panel's form sends it back with "Send
        anyway", so an edited text that still matches shows the panel again."""
        text = f"{self.title.text}\x00{self.body.text}"
        return salted_hmac(_FINGERPRINT_SALT, text, algorithm="sha256").hexdigest()

    def matches_record(self) -> list[dict]:
        """What matched, for the hold: positions and rules, not the words themselves."""
        record = []
        for field, report in self.reports:
            record += [
                {
                    "field": field,
                    "type": "urgent",
                    "key": match.category,
                    "label": match.label,
                    "start": match.start,
                    "end": match.end,
                    "rule": match.phrase,
                }
                for match in report.urgent_matches
            ]
            record += [
                {
                    "field": field,
                    "type": "personal",
                    "key": match.kind,
                    "label": match.label,
                    "start": match.start,
                    "end": match.end,
                    "rule": match.rule,
                }
                for match in report.personal_matches
            ]
        return record


def post_check(*, title: str = "", body: str) -> PostCheck:
    """Check a post's title (ideas have one) and body, cleaned as they will be stored."""
    return PostCheck(
        title=check_text(plain_text(title, single_line=True)),
        body=check_text(plain_text(body)),
    )


def safety_acknowledged(check: PostCheck, safety_seen: str) -> bool:
    """Nothing was found, or the author saw the panel for exactly this text and chose to
    send it anyway."""
    return not check.needs_panel or constant_time_compare(safety_seen or "", check.fingerprint)


def safety_gate(*, title: str = "", body: str, safety_seen: str = "") -> PostCheck:
    """The check every service that stores resident text calls before saving it.

    Raises `SafetyCheckNeeded` when the text needs the panel and its author has not seen it
    for this text; otherwise returns the check (which may still have found something: the
    author chose to send it anyway, and the post is then held).
    """
    check = post_check(title=title, body=body)
    if not safety_acknowledged(check, safety_seen):
        raise SafetyCheckNeeded(check)
    return check


def _open_hold(post) -> SafetyHold | None:
    field = "idea" if isinstance(post, Idea) else "comment"
    return SafetyHold.objects.open().filter(**{field: post}).first()


def safety_hold_place(*, post: Idea | Comment, check: PostCheck) -> SafetyHold | None:
    """Hold `post` (already saved as pending) for what `check` found, or keep its open hold
    up to date after an edit. Returns the open hold, or None when nothing holds it.

    An open hold keeps what it was held for (an urgent hold stays urgent until a moderator
    decides, even if an edit takes the words out); its matches follow the text as it now
    stands. An urgent hold emails the safeguarding contact once, after commit.
    """
    hold = _open_hold(post)
    if not check.needs_panel:
        if hold is not None and hold.matches:
            hold.matches = []
            hold.save(update_fields=["matches"])
        return hold
    idea = post if isinstance(post, Idea) else None
    comment = post if isinstance(post, Comment) else None
    consultation = idea.consultation if idea else comment.idea.consultation
    if hold is None:
        hold = SafetyHold(consultation=consultation, idea=idea, comment=comment)
    newly_urgent = check.is_urgent and not hold.urgent
    newly_personal = check.has_personal_data and not hold.personal_data
    hold.urgent = hold.urgent or check.is_urgent
    hold.personal_data = hold.personal_data or check.has_personal_data
    hold.matches = check.matches_record()
    hold.full_clean(validate_constraints=False)
    hold.save()
    if newly_urgent or newly_personal:
        found = [category.label for category in check.urgent_categories] + list(
            dict.fromkeys(found.label for found in check.personal_words)
        )
        reason = ModerationReason.SAFEGUARDING if check.is_urgent else ModerationReason.PERSONAL
        ModerationDecision.objects.create(
            idea=idea,
            comment=comment,
            actor=None,  # the safety check, not a person
            action=ModerationAction.HOLD,
            reason=reason,
            note="Held for a moderator by the safety check: " + "; ".join(found) + ".",
        )
    if hold.urgent and hold.alerted_at is None:
        # After commit, so a rolled-back post alerts nobody.
        hold_id = hold.pk
        transaction.on_commit(lambda: safety_hold_alert.enqueue(hold_id=hold_id))
    return hold
