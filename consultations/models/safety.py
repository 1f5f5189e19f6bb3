"""The clinical safety net's holds: a post the safety check raised, kept from the public
until a moderator decides.

A resident whose idea or comment reads like an emergency, or holds personal data, sees a
panel before it is sent (`consultations.services.safety`); if they send it anyway, or a
moderator enters such a contribution for someone offline, the post is saved as pending and
a `SafetyHold` says why: urgent, personal data or both, with each rule that matched and
where (positions in the post's title or body, never a copy of the words). An urgent hold
tells the PCN's safeguarding contact at once. See docs/clinical-safety/hazard-log.md.
"""

from django.db import models
from django.utils import timezone

from consultations.models.pages import ConsultationPage
from consultations.models.participation import Comment, Idea
from engage.text import validate_multi_line, validate_single_line
from home.boundary import PcnBoundaryMixin


class AlertRoute(models.TextChoices):
    """Who was emailed about an urgent hold."""

    CONTACT = "contact", "The PCN's safeguarding contact"
    MODERATORS = "moderators", "The PCN's moderators (no safeguarding contact is set)"
    PCN = "pcn", "The PCN's contact address (no safeguarding contact or moderator)"
    NOBODY = "nobody", "Nobody could be emailed"


class SafetyHoldQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def resolved(self):
        return self.filter(resolved_at__isnull=False)


class SafetyHold(PcnBoundaryMixin, models.Model):
    """Why one idea or comment is held from the public until a moderator decides."""

    pcn_via = "consultation"

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="safety_holds"
    )
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="safety_holds"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="safety_holds"
    )
    urgent = models.BooleanField(
        default=False, help_text="It read like an emergency or a risk to someone's safety."
    )
    personal_data = models.BooleanField(default=False, help_text="It held personal data.")
    # What matched, in the post as it stands: a list of {"field": "title"|"body", "type":
    # "urgent"|"personal", "key": the category or kind, "label", "start", "end", "rule": the
    # phrase or rule that matched}. Positions, not words: the words are the post's own.
    matches = models.JSONField(default=list, blank=True)
    # The post as its author wrote it, kept here when a moderator publishes a version with
    # the personal data taken out; blank otherwise. Removed with the hold (retention).
    original_title = models.CharField(max_length=120, blank=True, validators=[validate_single_line])
    original_body = models.TextField(max_length=5000, blank=True, validators=[validate_multi_line])
    alert_route = models.CharField(max_length=20, choices=AlertRoute.choices, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "engage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SafetyHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-urgent", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(idea__isnull=False, comment__isnull=True)
                    | models.Q(idea__isnull=True, comment__isnull=False)
                ),
                name="safety_hold_exactly_one_post",
            ),
            models.CheckConstraint(
                condition=models.Q(urgent=True) | models.Q(personal_data=True),
                name="safety_hold_has_a_reason",
            ),
            models.UniqueConstraint(
                fields=["idea"],
                condition=models.Q(idea__isnull=False, resolved_at__isnull=True),
                name="one_open_safety_hold_per_idea",
            ),
            models.UniqueConstraint(
                fields=["comment"],
                condition=models.Q(comment__isnull=False, resolved_at__isnull=True),
                name="one_open_safety_hold_per_comment",
            ),
        ]
        indexes = [
            # The moderator's queue: open holds of a consultation, urgent first, oldest first.
            models.Index(fields=["consultation", "resolved_at", "-urgent", "created_at"]),
            models.Index(fields=["resolved_at"]),
        ]

    def __str__(self):
        return f"{', '.join(self.reasons) or 'Held'}: {self.post}"

    @property
    def post(self):
        return self.idea if self.idea_id else self.comment

    @property
    def reasons(self) -> list[str]:
        return [
            label
            for held, label in (
                (self.urgent, "Urgent"),
                (self.personal_data, "Personal information"),
            )
            if held
        ]

    @property
    def urgent_categories(self) -> list[str]:
        """The labels of the urgent categories that matched, once each."""
        return list(dict.fromkeys(m["label"] for m in self.matches if m.get("type") == "urgent"))

    @property
    def personal_kinds(self) -> list[str]:
        return list(dict.fromkeys(m["label"] for m in self.matches if m.get("type") == "personal"))

    @property
    def waiting_since(self):
        return self.created_at
