"""A Place's shared vision, made of what its PCNs heard.

A Place (a borough-level partnership of several PCNs) has one vision page with ordered
priorities; each priority cites the PCN themes and PCN vision priorities behind it through a
`PlacePriorityLink`, which records who confirmed the link and when. The server may suggest
links; a person confirms every one (`consultations.services.places`).

Where the page lives: each Place has a site of its own, whose root is its
`PlaceVisionPage`, made by `place_site_setup` (as `pcn_onboard` makes a PCN's). Not a section
under one PCN's site, because a Place belongs to none of its PCNs: under one PCN's home page
the page would fall inside that PCN's boundary (its staff could edit it, its page cache and
chrome would carry that PCN's name), and the other PCNs would be guests on it. A site of its
own keeps the Place's edge as clear as a PCN's: its place leads are given the page, nobody
else's staff are, and the boundary (`home.boundary`, `place_via`) lets its links reach only
its own PCNs' themes and priorities.
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
from engage.text import validate_multi_line, validate_single_line
from home.boundary import PcnBoundaryMixin, in_place
from home.page_cache import PublicContentQuerySet
from home.pages import EngagePage, PcnPageForm


class PlaceVisionPage(EngagePage):
    """A Place's shared vision: ordered priorities, each citing what its PCNs heard."""

    place_via = "place"

    place = models.OneToOneField(
        "home.Place",
        on_delete=models.PROTECT,
        related_name="vision_page",
        help_text="The Place whose vision this is.",
    )
    introduction = RichTextField(
        features=["bold", "italic", "link", "ol", "ul"],
        blank=True,
        validators=[validate_multi_line],
        help_text="How the Place's PCNs and residents agreed these priorities.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        HelpPanel(
            content="<p>Link each priority to the PCN themes and priorities behind it from "
            "<strong>Place vision</strong> in the menu, once the priority is saved.</p>"
        ),
        InlinePanel("priorities", label="Priorities", min_num=1),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["consultations.PlaceUpdatePage"]

    template = "consultations/places/place_vision_page.html"

    class Meta:
        verbose_name = "Place vision"

    def __str__(self):
        return self.title


class PlacePriority(PcnBoundaryMixin, Orderable):
    """One priority of a Place's vision."""

    place_via = "page"

    page = ParentalKey(PlaceVisionPage, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=120, validators=[validate_single_line])
    description = models.TextField(
        max_length=1000,
        validators=[validate_multi_line],
        help_text="What the Place and its residents want to achieve, in a few lines.",
    )

    panels = [FieldPanel("title"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = "Place priority"
        verbose_name_plural = "Place priorities"

    def __str__(self):
        return self.title


class PriorityLinkQuerySet(PublicContentQuerySet):
    """A vision's links are shown on its page: a link made or undone makes the vision's
    site (and the kept figures of the levels above that read it) stale."""

    site_path = "priority__page__path"


class PlacePriorityLink(PcnBoundaryMixin, models.Model):
    """A Place priority cites one PCN theme or one PCN vision priority, confirmed by a person.

    Both must belong to a PCN of the priority's Place (`home.boundary.check_place_links`,
    from `clean()`).
    """

    place_via = "priority"

    priority = models.ForeignKey(PlacePriority, on_delete=models.CASCADE, related_name="links")
    theme = models.ForeignKey(
        "consultations.Theme",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="place_links",
    )
    vision_priority = models.ForeignKey(
        "home.VisionPriority",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="place_links",
        verbose_name="PCN priority",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    objects = PriorityLinkQuerySet.as_manager()

    class Meta:
        ordering = ["confirmed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(theme__isnull=False, vision_priority__isnull=True)
                    | models.Q(theme__isnull=True, vision_priority__isnull=False)
                ),
                name="place_link_cites_one_theme_or_priority",
            ),
            models.UniqueConstraint(
                fields=["priority", "theme"],
                condition=models.Q(theme__isnull=False),
                name="place_link_theme_once",
            ),
            models.UniqueConstraint(
                fields=["priority", "vision_priority"],
                condition=models.Q(vision_priority__isnull=False),
                name="place_link_vision_priority_once",
            ),
        ]

    def __str__(self):
        if self.theme_id:
            return f"{self.priority_id} cites theme {self.theme_id}"
        return f"{self.priority_id} cites PCN priority {self.vision_priority_id}"


# A Place's "You said, we did": its decisions on its priorities, told to the PCNs' residents


class PlacePageForm(PcnPageForm):
    """The editor of a Place's page: it belongs to the Place of the vision it sits under,
    and offers only that Place's priorities to act on (`home.boundary.in_place`), so another
    Place's priority is refused as "not one of the available choices"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        if page.place_id is None and isinstance(self.parent_page, Page):
            parent = self.parent_page.specific
            page.place_id = getattr(parent, "place_id", None)
        field = self.fields.get("priorities")
        if field is not None:
            field.queryset = in_place(PlacePriority.objects.all(), page.place)
            field.widget.choices = field.choices


class PlaceUpdatePage(ActionsStatusMixin, EngagePage):
    """A Place's "You said, we did": what the Place decided about one or more of its
    priorities, and each action's status.

    It sits under the Place's vision page (the root of the Place's own site), so it is the
    Place's, not any PCN's: its place leads write and publish it, no PCN's staff can. When it
    is published, the residents behind the PCN themes its priorities cite hear about it
    once (`consultations.loop.place_update_notices_create`), and each of their ideas'
    journeys shows the step.
    """

    place_via = "place"

    # Set from the vision page above it (`_set_core_field_defaults`, `PlacePageForm`).
    place = models.ForeignKey(
        "home.Place", on_delete=models.PROTECT, related_name="updates", editable=False
    )
    priorities = ParentalManyToManyField(
        PlacePriority,
        related_name="updates",
        help_text="The priorities of the Place's vision this update acts on. Everyone whose "
        "idea is in a PCN theme they cite hears about it.",
    )
    summary = RichTextField(
        features=["bold", "italic", "link", "ol", "ul"],
        validators=[validate_multi_line],
        help_text="What the Place decided and did, in plain words, and why.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("priorities", widget=forms.CheckboxSelectMultiple),
        FieldPanel("summary"),
        InlinePanel("actions", label="Actions", min_num=1),
    ]

    search_fields = Page.search_fields + [index.SearchField("summary")]

    parent_page_types = ["consultations.PlaceVisionPage"]
    subpage_types = []

    base_form_class = PlacePageForm
    template = "consultations/places/place_update_page.html"

    class Meta:
        verbose_name = "Place update (you said, we did)"

    def _set_core_field_defaults(self):
        # Both full_clean() and the draft's minimal_clean() start here, once the page has
        # its place in the tree: the page belongs to the Place of the vision above it.
        super()._set_core_field_defaults()
        if self.place_id is None and self.path:
            parent = self.get_parent()
            self.place_id = getattr(parent.specific, "place_id", None) if parent else None


class PlaceUpdateAction(PcnBoundaryMixin, Orderable, ActionFields):
    """One thing the Place will do, is doing, did, or could not do (and why)."""

    place_via = "page"

    page = ParentalKey(PlaceUpdatePage, on_delete=models.CASCADE, related_name="actions")

    class Meta(Orderable.Meta):
        verbose_name = "Place action"
