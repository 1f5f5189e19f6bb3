"""The outbox: emails (notices) and printed letters owed to people, kept until they are sent."""

from django.db import models
from django.utils import timezone

from consultations.models.loop import UpdatePage
from consultations.models.pages import ConsultationPage
from consultations.models.participation import OfflineContributor
from home.boundary import PcnBoundaryMixin


class Notice(PcnBoundaryMixin, models.Model):
    """An email owed to one person: the outbox that makes notifications reliable.

    One row per person per update and set of action statuses (or per consultation and
    phase), so republishing sends nothing new, a changed status sends again, and an email
    that failed to send stays pending until a retry delivers it.
    """

    # An update's emails belong to its PCN; a phase email has no other PCN object to link.
    pcn_via = "update"

    class Kind(models.TextChoices):
        UPDATE = "update", "You said, we did"
        PHASE = "phase", "Consultation phase"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"

    user = models.ForeignKey(
        "engage.User", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    contributor = models.ForeignKey(
        OfflineContributor,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
        help_text="A resident who took part offline and gave an email address.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    update = models.ForeignKey(
        UpdatePage, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    consultation = models.ForeignKey(
        ConsultationPage, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    key = models.CharField(max_length=255, help_text="Action statuses, or the phase.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="update", update__isnull=False, consultation__isnull=True)
                    | models.Q(kind="phase", update__isnull=True, consultation__isnull=False)
                ),
                name="notice_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, contributor__isnull=True)
                    | models.Q(user__isnull=True, contributor__isnull=False, kind="update")
                ),
                name="notice_to_a_user_or_an_offline_contributor",
            ),
            models.UniqueConstraint(
                fields=["user", "update", "key"],
                condition=models.Q(update__isnull=False, user__isnull=False),
                name="one_notice_per_update_state",
            ),
            models.UniqueConstraint(
                fields=["contributor", "update", "key"],
                condition=models.Q(contributor__isnull=False),
                name="one_notice_per_contributor_and_update_state",
            ),
            models.UniqueConstraint(
                fields=["user", "consultation", "key"],
                condition=models.Q(consultation__isnull=False),
                name="one_notice_per_phase",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        if self.contributor_id:
            return f"{self.get_kind_display()} notice for offline contributor {self.contributor_id}"
        return f"{self.get_kind_display()} notice for user {self.user_id}"

    @property
    def recipient(self):
        """The user, or the offline contributor, this email is for."""
        return self.user if self.user_id else self.contributor

    @property
    def email(self) -> str:
        return self.recipient.email


class Letter(PcnBoundaryMixin, models.Model):
    """A printed letter owed to a resident who took part offline and gave a postal address.

    One row per contributor per update and set of action statuses, like `Notice`: publishing
    again changes nothing, a changed status makes a new letter due (and the one not yet
    printed for the old statuses is no longer needed).
    """

    pcn_via = "update"

    class Status(models.TextChoices):
        DUE = "due", "To print"
        SENT = "sent", "Sent"
        SUPERSEDED = "superseded", "Not needed: the actions changed before it was sent"

    contributor = models.ForeignKey(
        OfflineContributor, on_delete=models.CASCADE, related_name="letters"
    )
    update = models.ForeignKey(UpdatePage, on_delete=models.CASCADE, related_name="letters")
    key = models.CharField(max_length=255, help_text="Action statuses when it became due.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        "engage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contributor", "update", "key"], name="one_letter_per_update_state"
            )
        ]
        indexes = [models.Index(fields=["update", "status"])]

    def __str__(self):
        return f"Letter to {self.contributor} about {self.update_id}"
