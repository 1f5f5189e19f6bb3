"""Themes: ideas grouped by a moderator, with "what we heard", quotes and suggested themes."""

from django.db import models
from django.utils import timezone

from consultations.models.pages import ConsultationPage
from consultations.models.participation import Idea
from engage.text import validate_multi_line, validate_single_line
from home.boundary import PcnBoundaryMixin
from home.page_cache import PublicContentQuerySet


class ThemeContentQuerySet(PublicContentQuerySet):
    """Rows shown with a theme: its ideas and quotes."""

    site_path = "theme__consultation__path"


class Theme(PcnBoundaryMixin, models.Model):
    """A group of ideas in one consultation, with a summary of "what we heard"."""

    pcn_via = "consultation"

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(max_length=120, validators=[validate_single_line])
    summary = models.TextField(
        "what we heard",
        blank=True,
        max_length=3000,
        validators=[validate_multi_line],
        help_text="A short, plain-English summary of what residents said about this theme.",
    )
    priority = models.ForeignKey(
        "home.VisionPriority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="themes",
        help_text="The priority of the shared vision this theme feeds into.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "name"], name="unique_theme_name_per_consultation"
            )
        ]

    def __str__(self):
        return self.name


class IdeaTheme(PcnBoundaryMixin, models.Model):
    """An idea's place in a theme, and when a moderator put it there (for its journey)."""

    pcn_via = "theme"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE)
    added_at = models.DateTimeField(default=timezone.now)

    objects = ThemeContentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "theme"], name="idea_once_per_theme")
        ]

    def __str__(self):
        return f"{self.idea_id} in {self.theme_id}"


class ThemeQuote(PcnBoundaryMixin, models.Model):
    """Up to three ideas chosen to represent a theme, each with the words to quote."""

    pcn_via = "theme"

    MAX_PER_THEME = 3

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="quotes")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="quoted_in")
    text = models.TextField(max_length=500, validators=[validate_multi_line])
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = ThemeContentQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "idea"], name="one_quote_per_idea_and_theme")
        ]

    def __str__(self):
        return self.text[:60]


class SuggestionRun(PcnBoundaryMixin, models.Model):
    """One request by a moderator for suggested themes, worked out by a background task."""

    pcn_via = "consultation"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Working"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="suggestion_runs"
    )
    requested_by = models.ForeignKey(
        "engage.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    idea_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Suggestions for {self.consultation} ({self.get_status_display()})"


class ThemeSuggestion(PcnBoundaryMixin, models.Model):
    """A proposed theme: a name from its top terms and the ideas that share them."""

    pcn_via = "run"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        DISCARDED = "discarded", "Discarded"

    run = models.ForeignKey(SuggestionRun, on_delete=models.CASCADE, related_name="suggestions")
    name = models.CharField(max_length=120, validators=[validate_single_line])
    terms = models.JSONField(default=list)
    ideas = models.ManyToManyField(Idea, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name
