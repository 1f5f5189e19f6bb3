"""An integrated care system's shared vision, made of what its Places decided to work on.

The level above a Place: an ICS has one vision page with ordered priorities; each priority
cites the Place priorities behind it through an `IcsPriorityLink`, which records who
confirmed the link and when. A Place priority is itself made of its PCNs' themes, so an ICS
priority is "heard in N of M PCNs" through the Place priorities it cites
(`consultations.loop.themes_behind_place_priorities`).

Where the page lives: each ICS has a site of its own, whose root is its `IcsVisionPage`, made
by `ics_site_setup`, for the reasons a Place has one (`consultations.models.places`): an ICS
belongs to none of its Places or PCNs. Its objects declare `ics_via`, so the boundary
(`home.boundary.ICS`) lets them link only to the Place priorities of its own Places.

An ICS's "You said, we did" (`IcsUpdatePage`) acts on its priorities; when it is published,
everyone behind the PCN themes those priorities reach hears once, and each of their ideas'
journeys shows the step.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from consultations.models.loop import ActionFields, ActionsStatusMixin
from consultations.models.places import PlacePriority, PriorityLinkQuerySet
from engage.text import validate_multi_line, validate_single_line
from home.boundary import PcnBoundaryMixin, in_ics
from home.pages import EngagePage, PcnPageForm


class IcsVisionPage(EngagePage):
    """An ICS's shared vision: ordered priorities, each citing its Places' priorities."""

    ics_via = "ics"

    ics = models.OneToOneField(
        "home.IntegratedCareSystem",
        on_delete=models.PROTECT,
        related_name="vision_page",
        verbose_name="integrated care system",
        help_text="The integrated care system whose vision this is.",
    )
    introduction = RichTextField(
        features=["bold", "italic", "link", "ol", "ul"],
        blank=True,
        validators=[validate_multi_line],
        help_text="How the system's Places, PCNs and residents agreed these priorities.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        HelpPanel(
            content="<p>Link each priority to the Place priorities behind it from "
            "<strong>ICS vision</strong> in the menu, once the priority is saved.</p>"
        ),
        InlinePanel("priorities", label="Priorities", min_num=1),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["consultations.IcsUpdatePage"]

    template = "consultations/systems/ics_vision_page.html"

    class Meta:
        verbose_name = "ICS vision"

    def __str__(self):
        return self.title


class IcsPriority(PcnBoundaryMixin, Orderable):
    """One priority of an ICS's vision."""

    ics_via = "page"

    page = ParentalKey(IcsVisionPage, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=120, validators=[validate_single_line])
    description = models.TextField(
        max_length=1000,
        validators=[validate_multi_line],
        help_text="What the system and its residents want to achieve, in a few lines.",
    )

    panels = [FieldPanel("title"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = "ICS priority"
        verbose_name_plural = "ICS priorities"

    def __str__(self):
        return self.title


class IcsPriorityLink(PcnBoundaryMixin, models.Model):
    """An ICS priority cites one Place priority of its own Places, confirmed by a person
    (`home.boundary.check_ics_links`, from `clean()`)."""

    ics_via = "priority"

    priority = models.ForeignKey(IcsPriority, on_delete=models.CASCADE, related_name="links")
    place_priority = models.ForeignKey(
        PlacePriority,
        on_delete=models.CASCADE,
        related_name="ics_links",
        verbose_name="Place priority",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    objects = PriorityLinkQuerySet.as_manager()

    class Meta:
        ordering = ["confirmed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "place_priority"], name="ics_link_place_priority_once"
            ),
        ]

    def __str__(self):
        return f"{self.priority_id} cites Place priority {self.place_priority_id}"


class IcsPageForm(PcnPageForm):
    """The editor of an ICS's update: it belongs to the ICS of the vision it sits under, and
    offers only that ICS's priorities to act on (`home.boundary.in_ics`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        if page.ics_id is None and isinstance(self.parent_page, Page):
            page.ics_id = getattr(self.parent_page.specific, "ics_id", None)
        field = self.fields.get("priorities")
        if field is not None:
            field.queryset = in_ics(IcsPriority.objects.all(), page.ics)
            field.widget.choices = field.choices


class IcsUpdatePage(ActionsStatusMixin, EngagePage):
    """An ICS's "You said, we did": what the system decided about one or more of its
    priorities, and each action's status. Its ICS leads write and publish it."""

    ics_via = "ics"

    # Set from the vision page above it (`_set_core_field_defaults`, `IcsPageForm`).
    ics = models.ForeignKey(
        "home.IntegratedCareSystem",
        on_delete=models.PROTECT,
        related_name="updates",
        editable=False,
    )
    priorities = ParentalManyToManyField(
        IcsPriority,
        related_name="updates",
        help_text="The priorities of the system's vision this update acts on. Everyone whose "
        "idea is behind a Place priority they cite hears about it.",
    )
    summary = RichTextField(
        features=["bold", "italic", "link", "ol", "ul"],
        validators=[validate_multi_line],
        help_text="What the system decided and did, in plain words, and why.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("priorities", widget=forms.CheckboxSelectMultiple),
        FieldPanel("summary"),
        InlinePanel("actions", label="Actions", min_num=1),
    ]

    search_fields = Page.search_fields + [index.SearchField("summary")]

    parent_page_types = ["consultations.IcsVisionPage"]
    subpage_types = []

    base_form_class = IcsPageForm
    template = "consultations/systems/ics_update_page.html"

    class Meta:
        verbose_name = "ICS update (you said, we did)"

    def _set_core_field_defaults(self):
        super()._set_core_field_defaults()
        if self.ics_id is None and self.path:
            parent = self.get_parent()
            self.ics_id = getattr(parent.specific, "ics_id", None) if parent else None


class IcsUpdateAction(PcnBoundaryMixin, Orderable, ActionFields):
    """One thing the system will do, is doing, did, or could not do (and why)."""

    ics_via = "page"

    page = ParentalKey(IcsUpdatePage, on_delete=models.CASCADE, related_name="actions")

    class Meta(Orderable.Meta):
        verbose_name = "ICS action"
