from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from engage.text import validate_single_line


class User(AbstractUser):
    """Everyone who signs in: residents, PPG moderators, PCN staff, place leads, admins.

    Residents sign in with their email address; the username is kept for Wagtail's admin
    and filled in by allauth. `display_name` is what others see beside a resident's posts.
    """

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=50,
        blank=True,
        validators=[validate_single_line],
        help_text="The name other people see beside your ideas and comments.",
    )
    email_updates = models.BooleanField(
        "email me about what happens to ideas",
        default=True,
        help_text="Updates on ideas and consultations you took part in or follow.",
    )

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def public_name(self) -> str:
        return self.display_name or "A resident"


class OutgoingEmail(models.Model):
    """One email handed to the mail queue, by its key: what makes each send at most once.

    `engage.mail.email_enqueue` records it; the `send_email` task marks it "sending" before
    it hands the message to the mail server and "sent" once the server has taken it. The
    row holds no address and no text of the email: only its key, how far it got, and the
    kind of the last failure.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to send"
        SENDING = "sending", "Handed to the mail server, not yet confirmed"
        SENT = "sent", "Sent"
        UNCERTAIN = "uncertain", "Perhaps sent: the server did not confirm it, not sent again"
        FAILED = "failed", "Given up"
        WITHDRAWN = "withdrawn", "Not sent: no longer wanted"

    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outgoing email"

    def __str__(self):
        return f"{self.key} ({self.get_status_display()})"
