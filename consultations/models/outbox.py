"""The outbox: emails (notices) and printed letters owed to people, kept until they are sent.

A `Notice` is one step owed to one person: an update answered their idea (or its actions
changed), their idea was put in a theme, or that theme was linked to a priority of the
shared vision, a Place acted on a priority citing their ideas' theme (once per person and
Place update), an integrated care system did (once per person and ICS update), or a
consultation they follow changed phase. The steps of an idea's journey
go out together in one email (`notifications.send_journey_digest`) or, for a resident who
took part offline and gave only a postal address, on one printed `Letter`.
"""

from django.db import models
from django.utils import timezone

from consultations.models.loop import UpdatePage
from consultations.models.pages import ConsultationPage
from consultations.models.participation import Idea, OfflineContributor
from consultations.models.themes import Theme
from home.boundary import PcnBoundaryMixin


class Notice(PcnBoundaryMixin, models.Model):
    """An email (or a step of a letter) owed to one person: the outbox that makes
    notifications reliable.

    One row per person per update and set of action statuses (or per consultation and
    phase, or per idea and step of its journey: each theme it is put in, each priority its
    themes feed into), so republishing, re-assigning or relinking sends nothing new, a
    changed status or a different theme sends again, and an email that failed to send stays
    pending until a retry delivers it.
    """

    # An update's emails belong to its PCN; a phase email has no other PCN object to link.
    pcn_via = "update"

    class Kind(models.TextChoices):
        UPDATE = "update", "You said, we did"
        PHASE = "phase", "Consultation phase"
        THEMED = "themed", "Put in a theme"
        PRIORITY = "priority", "Theme linked to a vision priority"
        PLACE = "place", "A Place acted on it"
        ICS = "ics", "An integrated care system acted on it"

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
    place_update = models.ForeignKey(
        "consultations.PlaceUpdatePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
        help_text="The Place's update that acted on a priority citing the person's ideas.",
    )
    ics_update = models.ForeignKey(
        "consultations.IcsUpdatePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
        help_text="The ICS's update that acted on a priority citing the person's ideas.",
    )
    idea = models.ForeignKey(
        Idea,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
        help_text="The idea a step of its journey is about.",
    )
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
        help_text="The theme the idea was put in, or that was linked to the priority.",
    )
    priority = models.ForeignKey(
        "home.VisionPriority",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    letter = models.ForeignKey(
        "consultations.Letter",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="steps",
        help_text="The printed letter that carries this step, for a resident with no email.",
    )
    key = models.CharField(
        max_length=255,
        help_text="Action statuses, the phase, or the step (`theme:<id>`, `priority:<id>`).",
    )
    email_key = models.CharField(
        max_length=100,
        blank=True,
        help_text="The mail queue key of the email that carries it (a digest of steps).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="update",
                        update__isnull=False,
                        consultation__isnull=True,
                        idea__isnull=True,
                        place_update__isnull=True,
                        ics_update__isnull=True,
                    )
                    | models.Q(
                        kind="phase",
                        update__isnull=True,
                        consultation__isnull=False,
                        idea__isnull=True,
                        place_update__isnull=True,
                        ics_update__isnull=True,
                    )
                    | models.Q(
                        kind="themed",
                        update__isnull=True,
                        consultation__isnull=True,
                        idea__isnull=False,
                        theme__isnull=False,
                        priority__isnull=True,
                        place_update__isnull=True,
                        ics_update__isnull=True,
                    )
                    | models.Q(
                        kind="priority",
                        update__isnull=True,
                        consultation__isnull=True,
                        idea__isnull=False,
                        theme__isnull=False,
                        priority__isnull=False,
                        place_update__isnull=True,
                        ics_update__isnull=True,
                    )
                    | models.Q(
                        kind="place",
                        update__isnull=True,
                        consultation__isnull=True,
                        idea__isnull=True,
                        theme__isnull=True,
                        priority__isnull=True,
                        place_update__isnull=False,
                        ics_update__isnull=True,
                    )
                    | models.Q(
                        kind="ics",
                        update__isnull=True,
                        consultation__isnull=True,
                        idea__isnull=True,
                        theme__isnull=True,
                        priority__isnull=True,
                        place_update__isnull=True,
                        ics_update__isnull=False,
                    )
                ),
                name="notice_target_matches_kind_with_ics_steps",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, contributor__isnull=True, letter__isnull=True)
                    | models.Q(
                        user__isnull=True,
                        contributor__isnull=False,
                        kind__in=["update", "themed", "priority", "place", "ics"],
                    )
                ),
                name="notice_to_a_user_or_an_offline_contributor_of_an_ics_step",
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
                fields=["user", "place_update"],
                condition=models.Q(place_update__isnull=False, user__isnull=False),
                name="one_notice_per_place_update",
            ),
            models.UniqueConstraint(
                fields=["contributor", "place_update"],
                condition=models.Q(place_update__isnull=False, contributor__isnull=False),
                name="one_notice_per_contributor_and_place_update",
            ),
            models.UniqueConstraint(
                fields=["user", "ics_update"],
                condition=models.Q(ics_update__isnull=False, user__isnull=False),
                name="one_notice_per_ics_update",
            ),
            models.UniqueConstraint(
                fields=["contributor", "ics_update"],
                condition=models.Q(ics_update__isnull=False, contributor__isnull=False),
                name="one_notice_per_contributor_and_ics_update",
            ),
            models.UniqueConstraint(
                fields=["user", "consultation", "key"],
                condition=models.Q(consultation__isnull=False),
                name="one_notice_per_phase",
            ),
            models.UniqueConstraint(
                fields=["user", "idea", "kind", "key"],
                condition=models.Q(idea__isnull=False, user__isnull=False),
                name="one_notice_per_idea_step",
            ),
            models.UniqueConstraint(
                fields=["contributor", "idea", "kind", "key"],
                condition=models.Q(idea__isnull=False, contributor__isnull=False),
                name="one_notice_per_contributor_and_idea_step",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["email_key"], name="notice_email_key"),
        ]

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

    About an update: one row per contributor per update and set of action statuses, like
    `Notice`: publishing again changes nothing, a changed status makes a new letter due (and
    the one not yet printed for the old statuses is no longer needed).

    About the journey of their ideas (no update): one letter due per contributor at a time,
    gathering the steps (`steps`: the `Notice` rows of each theme their idea was put in,
    each priority it feeds into) owed since the last one was posted.
    """

    pcn_via = "contributor"

    class Status(models.TextChoices):
        DUE = "due", "To print"
        SENT = "sent", "Sent"
        SUPERSEDED = "superseded", "Not needed: the actions changed before it was sent"

    contributor = models.ForeignKey(
        OfflineContributor, on_delete=models.CASCADE, related_name="letters"
    )
    update = models.ForeignKey(
        UpdatePage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="letters",
        help_text="The update it tells of; none for a letter about the steps of their ideas.",
    )
    key = models.CharField(
        max_length=255, blank=True, help_text="Action statuses when it became due."
    )
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
            ),
            models.UniqueConstraint(
                fields=["contributor"],
                condition=models.Q(update__isnull=True, status="due"),
                name="one_journey_letter_due_per_contributor",
            ),
        ]
        indexes = [models.Index(fields=["update", "status"])]

    def __str__(self):
        if self.update_id is None:
            return f"Letter to {self.contributor} about their ideas"
        return f"Letter to {self.contributor} about {self.update_id}"
