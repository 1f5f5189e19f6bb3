"""Moderation: residents' reports (flags) and the audit trail of moderators' decisions."""

from django.db import models
from django.utils import timezone

from consultations.models.participation import Comment, Idea
from engage.text import validate_multi_line


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSIVE = "abusive", "Abusive, offensive or discriminatory"
    PERSONAL = "personal", "Shares personal or medical details"
    OFF_TOPIC = "off_topic", "Off topic"
    OTHER = "other", "Something else"


class Flag(models.Model):
    """A report that an idea or comment breaks the house rules; a moderator resolves it."""

    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reporter = models.ForeignKey(
        "engage.User", null=True, on_delete=models.SET_NULL, related_name="flags"
    )
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    details = models.TextField(blank=True, max_length=500, validators=[validate_multi_line])
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "engage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(idea__isnull=False, comment__isnull=True)
                    | models.Q(idea__isnull=True, comment__isnull=False)
                ),
                name="flag_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "idea"],
                condition=models.Q(idea__isnull=False, resolved_at__isnull=True),
                name="one_open_flag_per_reporter_and_idea",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=models.Q(comment__isnull=False, resolved_at__isnull=True),
                name="one_open_flag_per_reporter_and_comment",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"])]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.target}"

    @property
    def target(self):
        return self.idea if self.idea_id else self.comment


class ModerationAction(models.TextChoices):
    APPROVE = "approve", "Approved"
    HIDE = "hide", "Hidden"
    RESTORE = "restore", "Restored"
    AUTO_HIDE = "auto_hide", "Hidden automatically after flags"
    WITHDRAW = "withdraw", "Withdrawn by its author"
    ENTER = "enter", "Entered for a resident who took part offline"
    HOLD = "hold", "Held for a moderator by the safety check"


class ModerationDecision(models.Model):
    """The audit trail: who did what to which post, when, and why."""

    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    actor = models.ForeignKey(
        "engage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ModerationAction.choices)
    reason = models.CharField(max_length=40, blank=True)  # a ModerationReason, or "flags"
    note = models.TextField(blank=True, max_length=1000, validators=[validate_multi_line])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(idea__isnull=False, comment__isnull=True)
                    | models.Q(idea__isnull=True, comment__isnull=False)
                ),
                name="decision_exactly_one_target",
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.idea or self.comment}"

    @property
    def reason_label(self) -> str:
        if self.reason in ModerationReason.values:
            return ModerationReason(self.reason).label
        return "Reported by residents" if self.reason == "flags" else self.reason


class ModerationReason(models.TextChoices):
    """Reasons made for health settings; the author sees the one a moderator chose."""

    PERSONAL = "personal", "It shares personal or medical details"
    ABUSIVE = "abusive", "It is abusive, offensive or discriminatory"
    SPAM = "spam", "It is spam or advertising"
    OFF_TOPIC = "off_topic", "It is not about this consultation"
    SAFEGUARDING = "safeguarding", "It raises a safeguarding concern"
    CARE_COMPLAINT = "care_complaint", "It is a complaint about care that belongs with the practice"
    MEETS_RULES = "meets_rules", "It meets our house rules"
