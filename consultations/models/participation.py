"""Taking part: ideas, comments, supports and follows, and residents who took part offline.

Resident content: plain Django models, many and small, made by the public. An idea's themes
are in `consultations.models.themes`, which builds on this module (so it names them by
string here).
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from consultations.models.pages import ConsultationPage
from engage.text import validate_multi_line, validate_single_line
from home.boundary import PcnBoundaryMixin
from home.models import Neighbourhood, Practice
from home.page_cache import PublicContentQuerySet


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


class ContributorKind(models.TextChoices):
    """How a contributor without an account reached us."""

    OFFLINE = "offline", "Took part on paper, by phone or at a meeting"
    NO_ACCOUNT = "no_account", "Took part online without an account"


class OfflineContributor(PcnBoundaryMixin, models.Model):
    """How to reply to a resident who took part without an account: one whose paper, phone
    or meeting contribution a moderator entered (`kind` offline), or one who posted online
    with only an email address they confirmed (`kind` no_account; see
    `consultations.models.no_account`). Kept apart from the idea, so the idea can be shown
    and exported without it. Updates, journey steps and moderators' decisions reach both
    kinds the same way (`consultations.loop`, `consultations.notifications`).

    Either an email address or a postal address (with a name), never both: one way to reply.
    """

    pcn_via = "pcn"

    pcn = models.ForeignKey(
        "home.PrimaryCareNetwork", on_delete=models.CASCADE, related_name="offline_contributors"
    )
    kind = models.CharField(
        max_length=20, choices=ContributorKind.choices, default=ContributorKind.OFFLINE
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

    @property
    def needs(self):
        """Their communication needs (`CommunicationNeeds`), or None when they need
        nothing different. Read with `select_related("...communication_needs")`."""
        try:
            return self.communication_needs
        except ObjectDoesNotExist:
            return None


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
        return self.filter(models.Q(status=PostStatus.PUBLISHED) | self._own_unlisted(user))

    def own_unlisted(self, user):
        """What `visible_to(user)` holds beyond the published ideas: the signed-in user's
        own pending and hidden ones."""
        return self.filter(self._own_unlisted(user))

    @staticmethod
    def _own_unlisted(user) -> models.Q:
        return models.Q(author=user, status__in=[PostStatus.PENDING, PostStatus.HIDDEN])


class IdeaContentQuerySet(PublicContentQuerySet):
    """Rows shown on an idea's pages: comments and supports."""

    site_path = "idea__consultation__path"


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
    # The GP practice its author is registered with, if they chose to say: one of the idea's
    # PCN's practices (`home.boundary`). Never shown with the idea, to anyone but its author:
    # in a small practice it could point to a person. Counted only, in the staff charts, with
    # counts from 1 to 9 hidden (`consultations.charts`).
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
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
    themes = models.ManyToManyField(
        "consultations.Theme", blank=True, related_name="ideas", through="IdeaTheme"
    )
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
    contributor = models.ForeignKey(
        OfflineContributor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        help_text="How to reply to a resident who commented without an account.",
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
