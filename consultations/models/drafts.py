"""Drafts of "what we heard": residents' own sentences the server picked, a moderator approves.

A `SummaryDraft` belongs to a theme, or (with no theme) to a whole consultation; a
`PlacePriorityDraft` to a priority of a Place's vision, quoting its PCNs' residents (a place
lead approves those). The server fills a draft with points (`SummaryPoint`,
`PlacePriorityPoint`; `consultations.drafts`, run by a task); a moderator picks,
reorders and trims them (a trimmed point must still be words of the cited post), then
approves it, and only then does it show on the "What we heard" page. Every point cites its
post and the exact place in it: `SummaryPoint.still_stands()` is asked at approval and at
every render, so a post hidden, withdrawn, changed or whose author has gone since is never
quoted.
"""

from django.db import models
from django.utils import timezone

from consultations.models.pages import ConsultationPage
from consultations.models.participation import Attribution, Channel, Comment, Idea, PostStatus
from consultations.models.themes import Theme
from engage.text import validate_multi_line
from home.boundary import PcnBoundaryMixin
from home.page_cache import PublicContentQuerySet


class SummaryDraftQuerySet(PublicContentQuerySet):
    site_path = "consultation__path"


class SummaryPointQuerySet(PublicContentQuerySet):
    site_path = "draft__consultation__path"


class PlacePriorityDraftQuerySet(PublicContentQuerySet):
    site_path = "priority__page__path"  # shown on the Place's vision page


class PlacePriorityPointQuerySet(PublicContentQuerySet):
    site_path = "draft__priority__page__path"


class DraftBase(PcnBoundaryMixin, models.Model):
    """What every draft has: where the server is with it, what it was made from, who
    approved it. A PCN's drafts (`SummaryDraft`) and a Place's (`PlacePriorityDraft`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Being prepared"
        RUNNING = "running", "Being prepared"
        READY = "ready", "Ready for review"
        FAILED = "failed", "Failed"
        APPROVED = "approved", "Published"
        SUPERSEDED = "superseded", "Replaced by a later draft"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        "engage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the draft was made from, and why it has no points ("Not enough to summarise").
    usable_posts = models.PositiveIntegerField(default=0)
    unrepresented_posts = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        "engage.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def is_being_prepared(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class SummaryDraft(DraftBase):
    """The server's draft of a theme's (or a consultation's) points, and its approval."""

    pcn_via = "consultation"

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="summary_drafts"
    )
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="summary_drafts",
        help_text="Blank for a draft of the whole consultation.",
    )

    objects = SummaryDraftQuerySet.as_manager()

    class Meta(DraftBase.Meta):
        constraints = [
            # At most one published draft for each theme, and one for the whole consultation.
            models.UniqueConstraint(
                fields=["theme"],
                condition=models.Q(status="approved", theme__isnull=False),
                name="one_approved_summary_per_theme",
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=models.Q(status="approved", theme__isnull=True),
                name="one_approved_summary_per_consultation",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "status"])]

    def __str__(self):
        about = self.theme.name if self.theme_id else "the whole consultation"
        return f"Draft of what we heard: {about} ({self.get_status_display()})"


class PlacePriorityDraft(DraftBase):
    """The server's draft of a Place priority's points, from the published ideas and
    comments of the PCN themes behind it, across its PCNs; a place lead approves it."""

    place_via = "priority"

    priority = models.ForeignKey(
        "consultations.PlacePriority", on_delete=models.CASCADE, related_name="summary_drafts"
    )

    objects = PlacePriorityDraftQuerySet.as_manager()

    class Meta(DraftBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["priority"],
                condition=models.Q(status="approved"),
                name="one_approved_summary_per_place_priority",
            ),
        ]
        indexes = [models.Index(fields=["priority", "status"])]

    def __str__(self):
        return f"Draft of what we heard: {self.priority} ({self.get_status_display()})"


class PointBase(PcnBoundaryMixin, models.Model):
    """One point of a draft: a verbatim span of a published idea (title or body) or comment.

    `text == <the post's field>[start:end]` when it was made and whenever it is shown.
    """

    class Field(models.TextChoices):
        TITLE = "title", "Idea title"
        BODY = "body", "Idea"
        COMMENT = "comment", "Comment"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    field = models.CharField(max_length=10, choices=Field.choices)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(max_length=5000, validators=[validate_multi_line])
    # As the server drafted it, kept so a moderator can always go back to it.
    drafted_start = models.PositiveIntegerField()
    drafted_end = models.PositiveIntegerField()
    represents = models.PositiveIntegerField(default=1, help_text="Posts it stands for.")
    chosen = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    # Set by a reader whose page links to the post on another page or site (a Place's vision
    # quotes its PCNs' residents): the consultation page the post is on, and its PCN's name.
    source_page = None
    pcn_name = ""

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.text[:60]

    @property
    def post(self) -> Idea | Comment:
        return self.comment if self.comment_id else self.idea

    def source_text(self) -> str:
        """The cited field of the post as it stands now."""
        if self.field == self.Field.COMMENT:
            return self.comment.body
        return self.idea.title if self.field == self.Field.TITLE else self.idea.body

    def still_stands(self) -> bool:
        """May this point be shown as a resident's own words now? Its idea (and comment) is
        published, its author neither erased their account nor asked not to be named, and
        the cited words are still exactly there. Reads `idea` and `comment` (select them)."""
        idea = self.idea
        if idea.status != PostStatus.PUBLISHED:
            return False
        if self.comment_id is None:
            if not post_may_be_quoted(idea):
                return False
        elif not post_may_be_quoted(self.comment):
            return False
        return self.source_text()[self.start : self.end] == self.text


def _point_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=models.Q(end__gt=models.F("start")), name=f"{prefix}point_span"
        ),
        models.CheckConstraint(
            condition=models.Q(field="comment", comment__isnull=False)
            | models.Q(~models.Q(field="comment"), comment__isnull=True),
            name=f"{prefix}point_comment_when_from_a_comment",
        ),
    ]


class SummaryPoint(PointBase):
    """A point of a theme's (or a consultation's) draft."""

    pcn_via = "draft"

    draft = models.ForeignKey(SummaryDraft, on_delete=models.CASCADE, related_name="points")

    objects = SummaryPointQuerySet.as_manager()

    class Meta(PointBase.Meta):
        constraints = _point_constraints("")


class PlacePriorityPoint(PointBase):
    """A point of a Place priority's draft: the words of a resident of one of its PCNs."""

    place_via = "draft"

    draft = models.ForeignKey(PlacePriorityDraft, on_delete=models.CASCADE, related_name="points")

    objects = PlacePriorityPointQuerySet.as_manager()

    class Meta(PointBase.Meta):
        constraints = _point_constraints("place_")


def post_may_be_quoted(post: Idea | Comment) -> bool:
    """A published post whose author has not gone nor asked not to be named.

    An online post with no author: its author erased their account and chose to leave it
    ("A resident"); we keep it where it was, but quote it in no new summary. An idea shown
    as "A resident of my neighbourhood" (`Attribution.NEIGHBOURHOOD`): its author asked not
    to be named, and is not quoted either. Offline ideas have no author account (a moderator
    entered them) and may be quoted.
    """
    if post.status != PostStatus.PUBLISHED:
        return False
    if isinstance(post, Comment):
        return post.author_id is not None
    if post.author_id is None and post.channel == Channel.ONLINE:
        return False
    return post.attribution != Attribution.NEIGHBOURHOOD
