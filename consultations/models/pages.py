"""Consultations: the page a question is put on, its index, and its phases.

A consultation page knows its routes (ideas, comments, supports, follows, flags) but not the
views behind them: `consultations.views` registers those in `ConsultationsConfig.ready()`.
"""

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page, PageManager
from wagtail.search import index

from engage.text import validate_multi_line, validate_single_line
from home.models import Neighbourhood, PcnPageMixin
from home.pages import STAFF_PUBLISH, EngagePage, EngagePageQuerySet


class Phase(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    UNDER_REVIEW = "under_review", "Under review"
    RESPONDED = "responded", "Responded"


def phase_at(*, phase_override: str, opens_at, closes_at, now=None) -> str:
    """A consultation's phase at `now` (by default, now): what `ConsultationPage.phase` and
    a kept list's card (`selectors.ConsultationCard`) both say, and what the phase filters
    of `ConsultationPageQuerySet` agree with."""
    if phase_override:
        return phase_override
    now = now or timezone.now()
    if now < opens_at:
        return Phase.UPCOMING
    if now < closes_at:
        return Phase.OPEN
    return Phase.CLOSED


class ModerationMode(models.TextChoices):
    PRE = "pre", "Pre-moderation: nothing shows until a moderator approves it"
    POST = "post", "Post-moderation: posts show at once and are moderated after"


class ConsultationIndexPage(EngagePage):
    introduction = models.TextField(max_length=500, blank=True, validators=[validate_multi_line])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["consultations.ConsultationPage"]
    max_count_per_parent = 1
    section_publishing = STAFF_PUBLISH

    # Its consultations, by phase, come from `consultations.page_context` (registered with
    # `page_context_register`).


class ConsultationPageQuerySet(EngagePageQuerySet):
    """Phase filters that agree with `ConsultationPage.phase`."""

    def open_now(self):
        now = timezone.now()
        return self.filter(phase_override="", opens_at__lte=now, closes_at__gt=now)

    def upcoming(self):
        return self.filter(phase_override="", opens_at__gt=timezone.now())

    def finished(self):
        return self.filter(models.Q(closes_at__lte=timezone.now()) | ~models.Q(phase_override=""))


# The view behind each route of a consultation page, by name: `consultations.views`,
# registered in `ConsultationsConfig.ready()` (`route_views_register`), so the page knows
# its URLs but not the views behind them.
_route_views: dict = {}


def _route_to(view_name: str):
    """A page route that hands the request to the registered view called `view_name`."""

    def route(page, request, *args, **kwargs):
        return _route_views[view_name](request, page, *args, **kwargs)

    route.__name__ = view_name
    route.route_view_name = view_name
    return route


def route_views_register(views) -> None:
    """Take the views of `ConsultationPage`'s routes from `views` (a module, or any object
    with a view for each route's name); refuse one that lacks any of them."""
    names = [
        value.route_view_name
        for value in vars(ConsultationPage).values()
        if hasattr(value, "route_view_name")
    ]
    missing = [name for name in names if not callable(getattr(views, name, None))]
    if missing:
        raise ImproperlyConfigured(f"No view for the consultation page's {missing} routes.")
    _route_views.update({name: getattr(views, name) for name in names})


class ConsultationPage(PcnPageMixin, RoutablePageMixin, EngagePage):
    """A question put to the residents of one or more neighbourhoods, open between two dates.

    Residents take part through the page's routes (ideas, comments, supports, follows,
    flags), handled by `consultations.views`.
    """

    question = models.CharField(
        max_length=200,
        validators=[validate_single_line],
        help_text='The question residents answer, e.g. "How should evening appointments work?"',
    )
    summary = models.TextField(
        max_length=300,
        validators=[validate_multi_line],
        help_text="One or two sentences shown in lists of consultations.",
    )
    background = StreamField(
        [
            (
                "heading",
                blocks.CharBlock(
                    form_classname="title", max_length=100, validators=[validate_single_line]
                ),
            ),
            (
                "paragraph",
                blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"]),
            ),
            ("image", ImageBlock()),
        ],
        blank=True,
        help_text="What residents need to know before they take part.",
    )
    neighbourhoods = ParentalManyToManyField(
        Neighbourhood,
        related_name="consultations",
        help_text="The neighbourhoods this consultation is for.",
    )
    opens_at = models.DateTimeField("opens")
    closes_at = models.DateTimeField("closes")
    phase_override = models.CharField(
        "phase after closing",
        max_length=20,
        blank=True,
        choices=[
            ("", "Follow the dates"),
            (Phase.UNDER_REVIEW.value, Phase.UNDER_REVIEW.label),
            (Phase.RESPONDED.value, Phase.RESPONDED.label),
        ],
        help_text="Once the consultation has closed, say when it is under review and when "
        "the PCN has responded.",
    )
    moderation_mode = models.CharField(
        max_length=4, choices=ModerationMode.choices, default=ModerationMode.PRE
    )

    objects = PageManager.from_queryset(ConsultationPageQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("question"),
        FieldPanel("summary"),
        FieldPanel("background"),
        FieldPanel("neighbourhoods", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("phase_override"),
            ],
            heading="Dates and phase",
        ),
        FieldPanel("moderation_mode"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("question"),
        index.SearchField("summary"),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
    ]

    parent_page_types = ["consultations.ConsultationIndexPage"]
    subpage_types = []

    class Meta:
        indexes = [models.Index(fields=["opens_at", "closes_at"])]

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The closing date must be after the opening date."})
        if self.phase_override and self.closes_at and self.closes_at > timezone.now():
            raise ValidationError(
                {
                    "phase_override": "A consultation can only be under review or responded "
                    "to once it has closed."
                }
            )

    # Routes: every URL for taking part lives under its consultation (and its PCN's site).
    consultation_detail_route = path("", name="ideas")(_route_to("consultation_detail"))
    consultation_follow_route = path("follow/", name="follow")(_route_to("consultation_follow"))
    idea_create_route = path("ideas/new/", name="idea-create")(_route_to("idea_create"))
    idea_create_no_account_route = path("ideas/new/no-account/", name="idea-create-no-account")(
        _route_to("idea_create_no_account")
    )
    idea_detail_route = path("ideas/<int:idea_id>/", name="idea-detail")(_route_to("idea_detail"))
    idea_edit_route = path("ideas/<int:idea_id>/edit/", name="idea-edit")(_route_to("idea_edit"))
    idea_withdraw_route = path("ideas/<int:idea_id>/withdraw/", name="idea-withdraw")(
        _route_to("idea_withdraw")
    )
    idea_support_route = path("ideas/<int:idea_id>/support/", name="idea-support")(
        _route_to("idea_support")
    )
    idea_follow_route = path("ideas/<int:idea_id>/follow/", name="idea-follow")(
        _route_to("idea_follow")
    )
    idea_flag_route = path("ideas/<int:idea_id>/flag/", name="idea-flag")(_route_to("idea_flag"))
    comment_create_route = path("ideas/<int:idea_id>/comments/", name="comment-create")(
        _route_to("comment_create")
    )
    comment_create_no_account_route = path(
        "ideas/<int:idea_id>/comments/no-account/", name="comment-create-no-account"
    )(_route_to("comment_create_no_account"))
    comment_edit_route = path("comments/<int:comment_id>/edit/", name="comment-edit")(
        _route_to("comment_edit")
    )
    comment_withdraw_route = path("comments/<int:comment_id>/withdraw/", name="comment-withdraw")(
        _route_to("comment_withdraw")
    )
    what_we_heard_route = path("what-we-heard/", name="what-we-heard")(_route_to("what_we_heard"))
    what_we_heard_csv_route = path("what-we-heard/csv/", name="what-we-heard-csv")(
        _route_to("what_we_heard_csv")
    )
    comment_flag_route = path("comments/<int:comment_id>/flag/", name="comment-flag")(
        _route_to("comment_flag")
    )

    @property
    def phase(self) -> str:
        return phase_at(
            phase_override=self.phase_override, opens_at=self.opens_at, closes_at=self.closes_at
        )

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label

    @property
    def is_open(self) -> bool:
        return self.phase == Phase.OPEN

    @property
    def has_findings(self) -> bool:
        """ "What we heard" is public once the consultation is under review or answered."""
        return self.phase in (Phase.UNDER_REVIEW, Phase.RESPONDED)
