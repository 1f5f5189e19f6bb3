"""Consultations and "You said, we did" updates: the editorial pages PCN staff make."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from home.models import HomePage, Neighbourhood


class Phase(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    UNDER_REVIEW = "under_review", "Under review"
    RESPONDED = "responded", "Responded"


class ModerationMode(models.TextChoices):
    PRE = "pre", "Pre-moderation: nothing shows until a moderator approves it"
    POST = "post", "Post-moderation: posts show at once and are moderated after"


class ConsultationIndexPage(Page):
    introduction = models.TextField(max_length=500, blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["consultations.ConsultationPage"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        consultations = ConsultationPage.objects.live().public().child_of(self)
        context["open_consultations"] = consultations.open_now().order_by("closes_at")
        context["upcoming_consultations"] = consultations.upcoming().order_by("opens_at")
        context["past_consultations"] = consultations.finished().order_by("-closes_at")
        return context


class ConsultationPageQuerySet(PageQuerySet):
    """Phase filters that agree with `ConsultationPage.phase`."""

    def open_now(self):
        now = timezone.now()
        return self.filter(phase_override="", opens_at__lte=now, closes_at__gt=now)

    def upcoming(self):
        return self.filter(phase_override="", opens_at__gt=timezone.now())

    def finished(self):
        return self.filter(models.Q(closes_at__lte=timezone.now()) | ~models.Q(phase_override=""))


class ConsultationPageForm(WagtailAdminPageForm):
    """Offers only the neighbourhoods of the PCN the consultation belongs to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        home = None
        if self.parent_page is not None:
            home = HomePage.objects.ancestor_of(self.parent_page, inclusive=True).first()
        if home is not None and "neighbourhoods" in self.fields:
            self.fields["neighbourhoods"].queryset = Neighbourhood.objects.filter(pcn=home.pcn_id)


class ConsultationPage(Page):
    """A question put to the residents of one or more neighbourhoods, open between two dates."""

    question = models.CharField(
        max_length=200,
        help_text='The question residents answer, e.g. "How should evening appointments work?"',
    )
    summary = models.TextField(
        max_length=300, help_text="One or two sentences shown in lists of consultations."
    )
    background = StreamField(
        [
            ("heading", blocks.CharBlock(form_classname="title", max_length=100)),
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

    base_form_class = ConsultationPageForm

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

    @property
    def phase(self) -> str:
        if self.phase_override:
            return self.phase_override
        now = timezone.now()
        if now < self.opens_at:
            return Phase.UPCOMING
        if now < self.closes_at:
            return Phase.OPEN
        return Phase.CLOSED

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label

    @property
    def is_open(self) -> bool:
        return self.phase == Phase.OPEN

    @property
    def home_page(self):
        return HomePage.objects.ancestor_of(self).first()


class UpdateIndexPage(Page):
    introduction = models.TextField(max_length=500, blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["consultations.UpdatePage"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["updates"] = (
            UpdatePage.objects.live()
            .public()
            .child_of(self)
            .select_related("consultation")
            .order_by("-first_published_at")
        )
        return context


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_POSSIBLE = "not_possible", "Not possible"


class UpdatePage(Page):
    """ "You said, we did": what residents said and what the PCN did about it."""

    consultation = models.ForeignKey(
        ConsultationPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="updates",
        help_text="The consultation this update responds to.",
    )
    you_said = RichTextField(
        "you said",
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="What residents told us, in their words where possible.",
    )
    we_did = RichTextField(
        "we did",
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="What the PCN did, or will do, in response.",
    )
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    not_possible_reason = models.TextField(
        "why it was not possible",
        blank=True,
        max_length=1000,
        help_text="Required when the status is 'Not possible'.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("consultation"),
        FieldPanel("you_said"),
        FieldPanel("we_did"),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("not_possible_reason")], heading="Status"
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("you_said"),
        index.SearchField("we_did"),
    ]

    parent_page_types = ["consultations.UpdateIndexPage"]
    subpage_types = []

    def clean(self):
        super().clean()
        if self.status == ActionStatus.NOT_POSSIBLE and not self.not_possible_reason.strip():
            raise ValidationError(
                {"not_possible_reason": "Say why it was not possible, so residents understand."}
            )
