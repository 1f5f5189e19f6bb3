"""Consultations and "You said, we did" updates: the editorial pages PCN staff make."""

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    MultipleChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from consultations.feeds import UpdatesFeed
from engage.text import validate_multi_line, validate_single_line
from home.boundary import PcnBoundaryMixin
from home.models import Neighbourhood, PcnPageMixin
from home.page_cache import PublicContentQuerySet
from home.pages import LEAD_APPROVAL, STAFF_PUBLISH, EngagePage, EngagePageQuerySet


class Phase(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    UNDER_REVIEW = "under_review", "Under review"
    RESPONDED = "responded", "Responded"


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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        consultations = ConsultationPage.objects.live().public().child_of(self)
        context["open_consultations"] = consultations.open_now().order_by("closes_at")
        context["upcoming_consultations"] = consultations.upcoming().order_by("opens_at")
        context["past_consultations"] = consultations.finished().order_by("-closes_at")
        return context


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
    def has_findings(self) -> bool:
        """ "What we heard" is public once the consultation is under review or answered."""
        return self.phase in (Phase.UNDER_REVIEW, Phase.RESPONDED)


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


class UpdatePage(PcnPageMixin, EngagePage):
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

    @property
    def overall_status(self) -> str:
        statuses = {action.status for action in self.actions.all()}
        if not statuses:
            return ActionStatus.PLANNED
        if statuses <= {ActionStatus.DONE, ActionStatus.NOT_POSSIBLE}:
            return ActionStatus.DONE if ActionStatus.DONE in statuses else ActionStatus.NOT_POSSIBLE
        if statuses & {ActionStatus.IN_PROGRESS, ActionStatus.DONE}:
            return ActionStatus.IN_PROGRESS
        return ActionStatus.PLANNED

    @property
    def overall_status_label(self) -> str:
        return ActionStatus(self.overall_status).label


class UpdateAction(PcnBoundaryMixin, Orderable):
    """One thing the PCN will do, is doing, did, or could not do (and why)."""

    pcn_via = "page"

    page = ParentalKey(UpdatePage, on_delete=models.CASCADE, related_name="actions")
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

    def clean(self):
        super().clean()
        if self.status == ActionStatus.NOT_POSSIBLE and not self.not_possible_reason.strip():
            raise ValidationError(
                {"not_possible_reason": "Say why it was not possible, so residents understand."}
            )

    def __str__(self):
        return self.description


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


# Resident content: plain Django models, many and small, made by the public.


class PostStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a moderator"
    PUBLISHED = "published", "Published"
    HIDDEN = "hidden", "Hidden by a moderator"
    WITHDRAWN = "withdrawn", "Withdrawn by its author"


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    PAPER = "paper", "Paper form"
    PHONE = "phone", "Phone call"
    MEETING = "meeting", "Meeting"


OFFLINE_CHANNELS = (Channel.PAPER, Channel.PHONE, Channel.MEETING)


class ReplyBy(models.TextChoices):
    """How a resident who took part offline hears what happened to their idea."""

    NOTHING = "nothing", "They do not want to hear back"
    EMAIL = "email", "By email"
    LETTER = "letter", "By letter"


class OfflineContributor(PcnBoundaryMixin, models.Model):
    """How to reply to a resident whose paper, phone or meeting contribution a moderator
    entered. Kept apart from the idea, so the idea can be shown and exported without it.

    Either an email address or a postal address (with a name), never both: one way to reply.
    """

    pcn_via = "pcn"

    pcn = models.ForeignKey(
        "home.PrimaryCareNetwork", on_delete=models.CASCADE, related_name="offline_contributors"
    )
    name = models.CharField(max_length=100, blank=True, validators=[validate_single_line])
    postal_address = models.TextField(max_length=500, blank=True, validators=[validate_multi_line])
    email = models.EmailField(blank=True)
    email_updates = models.BooleanField(
        default=True, help_text="Off once they ask us to stop emailing them."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email="") | models.Q(postal_address=""),
                name="offline_contributor_one_way_to_reply",
            ),
            models.CheckConstraint(
                condition=models.Q(postal_address="") | ~models.Q(name=""),
                name="offline_contributor_letter_has_a_name",
            ),
        ]

    def __str__(self):
        return self.name or "A resident who took part offline"

    @property
    def reply_by(self) -> str:
        if self.email:
            return ReplyBy.EMAIL
        if self.postal_address:
            return ReplyBy.LETTER
        return ReplyBy.NOTHING

    @property
    def public_name(self) -> str:
        """How an email greets them."""
        return self.name or "there"


class Attribution(models.TextChoices):
    NAME = "name", "My display name"
    NEIGHBOURHOOD = "neighbourhood", "A resident of my neighbourhood"


class IdeaQuerySet(SearchableQuerySetMixin, PublicContentQuerySet):
    def published(self):
        return self.filter(status=PostStatus.PUBLISHED)

    def visible_to(self, user):
        """Published ideas, plus the user's own pending and hidden ones (never others')."""
        if user is None or not user.is_authenticated:
            return self.published()
        return self.filter(
            models.Q(status=PostStatus.PUBLISHED)
            | models.Q(author=user, status__in=[PostStatus.PENDING, PostStatus.HIDDEN])
        )


class IdeaContentQuerySet(PublicContentQuerySet):
    """Rows shown on an idea's pages: comments and supports."""

    site_path = "idea__consultation__path"


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


class Idea(PcnBoundaryMixin, index.Indexed, models.Model):
    pcn_via = "consultation"
    person_shown_via = "author"  # its pages show the author's name (home.page_cache)

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="ideas"
    )
    author = models.ForeignKey(
        "engage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    title = models.CharField(
        max_length=120,
        validators=[validate_single_line],
        error_messages={"blank": "Enter a title for your idea"},
    )
    body = models.TextField(
        max_length=5000,
        validators=[validate_multi_line],
        error_messages={"blank": "Describe your idea"},
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.PROTECT, related_name="ideas"
    )
    attribution = models.CharField(
        max_length=20, choices=Attribution.choices, default=Attribution.NAME
    )
    status = models.CharField(max_length=20, choices=PostStatus.choices, default=PostStatus.PENDING)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    contributor = models.ForeignKey(
        OfflineContributor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        help_text="How to reply to a resident who took part on paper, by phone or at a meeting.",
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="ideas", through="IdeaTheme")
    support_count = models.PositiveIntegerField(default=0, editable=False)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = IdeaQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("body"),
        index.FilterField("id"),
        index.FilterField("author_id"),
        index.FilterField("consultation_id"),
        index.FilterField("status"),
        index.FilterField("neighbourhood_id"),
        index.FilterField("created_at"),
        index.FilterField("support_count"),
        index.FilterField("comment_count"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The moderation queue, and a visitor's newest ideas.
            models.Index(fields=["consultation", "status", "-created_at"]),
            # The idea list in each order, whatever the status: a signed-in resident's list
            # also holds their own pending and hidden ideas, a filter on two statuses that
            # an index led by status cannot give in order.
            models.Index(fields=["consultation", "-created_at", "-id"]),
            models.Index(fields=["consultation", "-support_count", "-created_at", "-id"]),
            models.Index(fields=["consultation", "-comment_count", "-created_at", "-id"]),
            # Counting a search's matches reads the ids it may show from this index alone.
            models.Index(fields=["consultation", "status", "author", "id"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self):
        return self.title

    def get_full_url(self) -> str | None:
        """The address of its page, on its PCN's site (None if no site serves it)."""
        consultation = self.consultation
        base = consultation.get_full_url()
        if base is None:
            return None
        return base + consultation.reverse_subpage("idea-detail", args=[self.pk])

    @property
    def channel_phrase(self) -> str:
        """How it reached us, to finish a sentence: "on paper", "by phone", "at a meeting"."""
        return {
            Channel.PAPER: "on paper",
            Channel.PHONE: "by phone",
            Channel.MEETING: "at a meeting",
        }.get(self.channel, "online")

    @property
    def is_offline(self) -> bool:
        """Sent on paper, by phone or at a meeting, and entered by a moderator."""
        return self.channel != Channel.ONLINE

    @property
    def shown_author(self) -> str:
        """How the author appears to others: their display name, or their neighbourhood."""
        if self.channel != Channel.ONLINE and self.author is None:
            where = f" of {self.neighbourhood.name}" if self.neighbourhood else ""
            return f"A resident{where} ({self.channel})"
        if self.author is None:
            # Its author erased their account and chose to leave it: linked to nobody.
            return "A resident"
        if self.attribution == Attribution.NEIGHBOURHOOD:
            return (
                f"A resident of {self.neighbourhood.name}" if self.neighbourhood else "A resident"
            )
        return self.author.public_name


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


class Comment(PcnBoundaryMixin, models.Model):
    pcn_via = "idea"
    person_shown_via = "author"  # its pages show the author's name (home.page_cache)

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        "engage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(
        max_length=2000,
        validators=[validate_multi_line],
        error_messages={"blank": "Enter your comment"},
    )
    status = models.CharField(max_length=20, choices=PostStatus.choices, default=PostStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IdeaContentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["idea", "parent", "status", "created_at"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self):
        return f"Comment {self.pk} on {self.idea_id}"

    def clean(self):
        super().clean()
        if self.parent_id is not None:
            if self.parent.parent_id is not None:
                raise ValidationError("You can reply to a comment, but not to a reply.")
            if self.parent.idea_id != self.idea_id:
                raise ValidationError("A reply must be on the same idea as its comment.")

    @property
    def shown_author(self) -> str:
        # No author: they erased their account and chose to leave their comments.
        return self.author.public_name if self.author else "A resident"


class Support(PcnBoundaryMixin, models.Model):
    pcn_via = "idea"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey("engage.User", on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = IdeaContentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="one_support_per_person")
        ]

    def __str__(self):
        return f"Support for idea {self.idea_id}"


class Follow(models.Model):
    """A resident follows a consultation or an idea, to hear what happens to it."""

    user = models.ForeignKey("engage.User", on_delete=models.CASCADE, related_name="follows")
    consultation = models.ForeignKey(
        ConsultationPage, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(consultation__isnull=False, idea__isnull=True)
                    | models.Q(consultation__isnull=True, idea__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "consultation"],
                condition=models.Q(consultation__isnull=False),
                name="one_follow_per_consultation",
            ),
            models.UniqueConstraint(
                fields=["user", "idea"],
                condition=models.Q(idea__isnull=False),
                name="one_follow_per_idea",
            ),
        ]

    def __str__(self):
        target = f"idea {self.idea_id}" if self.idea_id else f"consultation {self.consultation_id}"
        return f"Follow of {target}"


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSIVE = "abusive", "Abusive, offensive or discriminatory"
    PERSONAL = "personal", "Shares personal or medical details"
    OFF_TOPIC = "off_topic", "Off topic"
    OTHER = "other", "Something else"


class Flag(models.Model):
    """A report that an idea or comment breaks the house rules; a moderator resolves it."""

    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reporter = models.ForeignKey(
        "engage.User", null=True, on_delete=models.SET_NULL, related_name="flags"
    )
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    details = models.TextField(blank=True, max_length=500, validators=[validate_multi_line])
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "engage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(idea__isnull=False, comment__isnull=True)
                    | models.Q(idea__isnull=True, comment__isnull=False)
                ),
                name="flag_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "idea"],
                condition=models.Q(idea__isnull=False, resolved_at__isnull=True),
                name="one_open_flag_per_reporter_and_idea",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=models.Q(comment__isnull=False, resolved_at__isnull=True),
                name="one_open_flag_per_reporter_and_comment",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"])]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.target}"

    @property
    def target(self):
        return self.idea if self.idea_id else self.comment


class ModerationAction(models.TextChoices):
    APPROVE = "approve", "Approved"
    HIDE = "hide", "Hidden"
    RESTORE = "restore", "Restored"
    AUTO_HIDE = "auto_hide", "Hidden automatically after flags"
    WITHDRAW = "withdraw", "Withdrawn by its author"
    ENTER = "enter", "Entered for a resident who took part offline"


class ModerationDecision(models.Model):
    """The audit trail: who did what to which post, when, and why."""

    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions"
    )
    actor = models.ForeignKey(
        "engage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ModerationAction.choices)
    reason = models.CharField(max_length=40, blank=True)  # a ModerationReason, or "flags"
    note = models.TextField(blank=True, max_length=1000, validators=[validate_multi_line])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(idea__isnull=False, comment__isnull=True)
                    | models.Q(idea__isnull=True, comment__isnull=False)
                ),
                name="decision_exactly_one_target",
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.idea or self.comment}"

    @property
    def reason_label(self) -> str:
        if self.reason in ModerationReason.values:
            return ModerationReason(self.reason).label
        return "Reported by residents" if self.reason == "flags" else self.reason


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


class ModerationReason(models.TextChoices):
    """Reasons made for health settings; the author sees the one a moderator chose."""

    PERSONAL = "personal", "It shares personal or medical details"
    ABUSIVE = "abusive", "It is abusive, offensive or discriminatory"
    SPAM = "spam", "It is spam or advertising"
    OFF_TOPIC = "off_topic", "It is not about this consultation"
    SAFEGUARDING = "safeguarding", "It raises a safeguarding concern"
    CARE_COMPLAINT = "care_complaint", "It is a complaint about care that belongs with the practice"
    MEETS_RULES = "meets_rules", "It meets our house rules"


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


class Notice(PcnBoundaryMixin, models.Model):
    """An email owed to one person: the outbox that makes notifications reliable.

    One row per person per update and set of action statuses (or per consultation and
    phase), so republishing sends nothing new, a changed status sends again, and an email
    that failed to send stays pending until a retry delivers it.
    """

    # An update's emails belong to its PCN; a phase email has no other PCN object to link.
    pcn_via = "update"

    class Kind(models.TextChoices):
        UPDATE = "update", "You said, we did"
        PHASE = "phase", "Consultation phase"

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
    key = models.CharField(max_length=255, help_text="Action statuses, or the phase.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="update", update__isnull=False, consultation__isnull=True)
                    | models.Q(kind="phase", update__isnull=True, consultation__isnull=False)
                ),
                name="notice_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, contributor__isnull=True)
                    | models.Q(user__isnull=True, contributor__isnull=False, kind="update")
                ),
                name="notice_to_a_user_or_an_offline_contributor",
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
                fields=["user", "consultation", "key"],
                condition=models.Q(consultation__isnull=False),
                name="one_notice_per_phase",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

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

    One row per contributor per update and set of action statuses, like `Notice`: publishing
    again changes nothing, a changed status makes a new letter due (and the one not yet
    printed for the old statuses is no longer needed).
    """

    pcn_via = "update"

    class Status(models.TextChoices):
        DUE = "due", "To print"
        SENT = "sent", "Sent"
        SUPERSEDED = "superseded", "Not needed: the actions changed before it was sent"

    contributor = models.ForeignKey(
        OfflineContributor, on_delete=models.CASCADE, related_name="letters"
    )
    update = models.ForeignKey(UpdatePage, on_delete=models.CASCADE, related_name="letters")
    key = models.CharField(max_length=255, help_text="Action statuses when it became due.")
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
            )
        ]
        indexes = [models.Index(fields=["update", "status"])]

    def __str__(self):
        return f"Letter to {self.contributor} about {self.update_id}"
