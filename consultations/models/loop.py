"""Closing the loop: "You said, we did" updates, their actions and the ideas they answer."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultipleChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from consultations.feeds import UpdatesFeed
from consultations.models.pages import ConsultationPage
from engage.text import validate_multi_line, validate_single_line
from home.boundary import PcnBoundaryMixin
from home.models import PcnPageMixin
from home.pages import LEAD_APPROVAL, EngagePage


class UpdateIndexPage(RoutablePageMixin, EngagePage):
    """The PCN's "You said, we did" updates, with an Atom feed at feed/."""

    introduction = models.TextField(max_length=500, blank=True, validators=[validate_multi_line])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["consultations.UpdatePage"]
    max_count_per_parent = 1
    section_publishing = LEAD_APPROVAL

    def published_updates(self):
        """Its updates everyone may read, newest first."""
        return UpdatePage.objects.live().public().child_of(self).order_by("-first_published_at")

    def get_context(self, request, *args, **kwargs):
        # The PCN's record of closing the loop is added by `consultations.page_context`.
        context = super().get_context(request, *args, **kwargs)
        context["updates"] = (
            self.published_updates().select_related("consultation").prefetch_related("actions")
        )
        return context

    @path("feed/", name="feed")
    def feed_route(self, request):
        return UpdatesFeed(self)(request)


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_POSSIBLE = "not_possible", "Not possible"


class ActionsStatusMixin:
    """One status for an update's actions (`overall_status_of`): a PCN's, a Place's or an
    ICS's "You said, we did"."""

    @property
    def overall_status(self) -> str:
        return overall_status_of(self.actions.all())

    @property
    def overall_status_label(self) -> str:
        return ActionStatus(self.overall_status).label


class UpdatePage(ActionsStatusMixin, PcnPageMixin, EngagePage):
    """ "You said, we did": what residents said, what the PCN did, and each action's status.

    Publishing goes through the PCN's approval workflow. When it is published, everyone
    whose idea is in an answered theme, and everyone following, hears about it once; a
    later change of an action's status tells them again.
    """

    consultation = models.ForeignKey(
        ConsultationPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="updates",
        help_text="The consultation this update responds to.",
    )
    themes = ParentalManyToManyField(
        "consultations.Theme",
        blank=True,
        related_name="updates",
        help_text="The themes of what we heard that this update answers.",
    )
    priority = models.ForeignKey(
        "home.VisionPriority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="updates",
        help_text="The priority of the shared vision this update acts on.",
    )
    you_said = RichTextField(
        "you said",
        features=["bold", "italic", "link", "ol", "ul"],
        validators=[validate_multi_line],
        help_text="What residents told us, in their words where possible.",
    )
    we_did = RichTextField(
        "we did",
        features=["bold", "italic", "link", "ol", "ul"],
        validators=[validate_multi_line],
        help_text="What the PCN did, or will do, in response.",
    )
    easy_read = RichTextField(
        "easy-read version",
        blank=True,
        features=["bold", "ol", "ul"],
        validators=[validate_multi_line],
        help_text="Optional: the same update in short sentences and everyday words.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("consultation"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        MultipleChooserPanel(
            "answered_ideas",
            label="Single ideas it answers",
            chooser_field_name="idea",
            help_text="Optionally, ideas this update answers directly, outside its themes.",
        ),
        FieldPanel("priority"),
        FieldPanel("you_said"),
        FieldPanel("we_did"),
        InlinePanel("actions", label="Actions", min_num=1),
        FieldPanel("easy_read"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("you_said"),
        index.SearchField("we_did"),
    ]

    parent_page_types = ["consultations.UpdateIndexPage"]
    subpage_types = []

    def action_signature(self) -> str:
        """What residents are told about: each action and its status, in order."""
        return "|".join(f"{a.pk or i}:{a.status}" for i, a in enumerate(self.actions.all()))


class ActionFields(models.Model):
    """What an action of a "You said, we did" update says: what, its status, when, and why
    not when it was not possible. Shared by a PCN's updates and a Place's."""

    description = models.CharField(max_length=250, validators=[validate_single_line])
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    date = models.DateField(
        null=True, blank=True, help_text="When it happened, or when it is expected."
    )
    not_possible_reason = models.TextField(
        "why it was not possible",
        blank=True,
        max_length=1000,
        validators=[validate_multi_line],
        help_text="Required when the status is 'Not possible'.",
    )

    panels = [
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("date")]),
        FieldPanel("not_possible_reason"),
    ]

    class Meta:
        abstract = True

    def __str__(self):
        return self.description

    def clean(self):
        super().clean()
        if self.status == ActionStatus.NOT_POSSIBLE and not self.not_possible_reason.strip():
            raise ValidationError(
                {"not_possible_reason": "Say why it was not possible, so residents understand."}
            )


def overall_status_of(actions) -> str:
    """One status for a set of actions: done (or not possible) when all are finished, in
    progress when any has started, else planned."""
    statuses = {action.status for action in actions}
    if not statuses:
        return ActionStatus.PLANNED
    if statuses <= {ActionStatus.DONE, ActionStatus.NOT_POSSIBLE}:
        return ActionStatus.DONE if ActionStatus.DONE in statuses else ActionStatus.NOT_POSSIBLE
    if statuses & {ActionStatus.IN_PROGRESS, ActionStatus.DONE}:
        return ActionStatus.IN_PROGRESS
    return ActionStatus.PLANNED


class UpdateAction(PcnBoundaryMixin, Orderable, ActionFields):
    """One thing the PCN will do, is doing, did, or could not do (and why)."""

    pcn_via = "page"

    page = ParentalKey(UpdatePage, on_delete=models.CASCADE, related_name="actions")

    class Meta(Orderable.Meta):
        pass


class UpdateIdea(PcnBoundaryMixin, Orderable):
    """A single idea an update answers directly, chosen in the editor with the searchable
    idea chooser (never a list of every idea)."""

    pcn_via = "page"

    page = ParentalKey(UpdatePage, on_delete=models.CASCADE, related_name="answered_ideas")
    idea = models.ForeignKey(
        "consultations.Idea", on_delete=models.CASCADE, related_name="answering_updates"
    )

    panels = [FieldPanel("idea")]

    class Meta(Orderable.Meta):
        verbose_name = "idea answered"
        verbose_name_plural = "ideas answered"

    def __str__(self):
        return f"Idea {self.idea_id} answered by {self.page_id}"
