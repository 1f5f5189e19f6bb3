from django.contrib.auth.models import AbstractUser
from django.db import models

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
