"""Taking part without an account: an idea or a comment sent with only an email address.

Nothing is posted until the address is confirmed. The text waits here, on the server, while
a one-time link (and a short code to type, for someone who reads their email on another
device) goes to the address; only keyed hashes of the link and the code are stored. Once
confirmed, the post is made like any online post (`consultations.services.no_account`) and
the sender's address moves to an `OfflineContributor` of kind "no_account", through which
they hear back. Where the PCN allows it, a post with no email address at all is made at
once, held for a moderator, and this row only counts it against the sender's limits.

Rows go a day after their link expires (`consultations.retention`, `no_account_posts`); a
confirmed one keeps no text and no address, only what the rate limits count.
"""

from django.db import models
from django.utils import timezone

from consultations.models.pages import ConsultationPage
from consultations.models.participation import Comment, Idea
from engage.text import validate_multi_line, validate_single_line
from home.boundary import PcnBoundaryMixin
from home.models import Neighbourhood


class NoAccountPost(PcnBoundaryMixin, models.Model):
    pcn_via = "consultation"

    class Kind(models.TextChoices):
        IDEA = "idea", "Idea"
        COMMENT = "comment", "Comment"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the sender to confirm their email address"
        POSTED = "posted", "Posted"

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="no_account_posts"
    )
    idea = models.ForeignKey(
        Idea,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="no_account_comments",
        help_text="For a comment: the idea it is on.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    title = models.CharField(max_length=120, blank=True, validators=[validate_single_line])
    body = models.TextField(max_length=5000, blank=True, validators=[validate_multi_line])
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Until it is confirmed; then it moves to the post's OfflineContributor and is cleared.
    email = models.EmailField(blank=True)
    # Keyed hashes (HMAC with the site's secret key): of the email address and the client's
    # address, for the rate limits; of the link's token and of the code, to find and check
    # them. Never the link, the code or the client's address themselves.
    email_digest = models.CharField(max_length=64, blank=True, db_index=True)
    client_digest = models.CharField(max_length=64, db_index=True)
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    code_digest = models.CharField(max_length=64, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    emails_sent = models.PositiveSmallIntegerField(default=0)
    last_emailed_at = models.DateTimeField(null=True, blank=True)
    # The safety panel's fingerprint when the sender chose "Send anyway" (the post is held).
    safety_seen = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    posted_idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="idea", idea__isnull=True)
                | models.Q(kind="comment", idea__isnull=False),
                name="no_account_post_comment_has_an_idea",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} sent without an account ({self.get_status_display()})"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.WAITING and self.expires_at <= timezone.now()
