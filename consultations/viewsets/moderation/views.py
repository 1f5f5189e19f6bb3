"""The moderation queue's screens: ideas or comments listed, a post's screen, its history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView

from consultations import moderation
from consultations.models import Idea
from consultations.viewsets.moderation.filters import filter_by_status
from consultations.viewsets.moderation.forms import DecisionForm
from consultations.viewsets.moderation.policy import (
    ModerationPermissionPolicy,
    consultation_of,
    moderated_posts,
)
from engage.ids import parse_id
from engage.safety import check_text

PER_PAGE = 50
# The listing


class ReportsColumn(Column):
    """How many open reports a post has, and what each says."""

    cell_template_name = "consultations/admin/moderation/reports_cell.html"


class PostIndexView(IndexView):
    """The queue: posts of the person's consultations, oldest first, to tick and decide on."""

    template_name = "consultations/admin/moderation/index.html"
    results_template_name = "consultations/admin/moderation/index_results.html"
    paginate_by = PER_PAGE
    default_ordering = "created_at"
    search_backend_name = None  # the database's own search, within the scoped queryset
    kind = "idea"

    def get_base_queryset(self):
        return moderated_posts(user=self.request.user, model=self.model)

    def filter_queryset(self, queryset):
        if self.filters and self.filters.is_valid():
            return self.filters.filter_queryset(queryset)
        # A filter that is not one of the choices (another PCN's consultation): the queue as
        # it opens, never more.
        return filter_by_status(queryset, "attention")

    def order_queryset(self, queryset):
        return super().order_queryset(queryset).order_by(*self._ordering_with_tiebreak())

    def _ordering_with_tiebreak(self):
        """Urgent safety holds first, then personal-data holds (issue: a person may need
        help now), then the order chosen, oldest first by default."""
        ordering = self.ordering or self.default_ordering
        ordering = list(ordering) if isinstance(ordering, (list, tuple)) else [ordering]
        return ["-held_urgent", "-held_personal", *ordering, "pk"]

    @staticmethod
    def status_label(post) -> str:
        """Its status, and why the safety check held it, in words (not colour)."""
        held = [
            label
            for flag, label in (
                (getattr(post, "held_urgent", False), "held: may be urgent"),
                (getattr(post, "held_personal", False), "held: personal information"),
            )
            if flag
        ]
        return "; ".join([post.get_status_display(), *held])

    def get_edit_url(self, instance):
        return None  # a post's text is the resident's: no edit screen

    def get_inspect_url(self, instance):
        return reverse(self.inspect_url_name, args=[instance.pk])

    def excerpt(self, post) -> str:
        """The post's own words, linked to its screen: an idea's title, a comment's text."""
        raise NotImplementedError

    def context_column(self) -> Column:
        """What the excerpt leaves out: an idea's text, the idea a comment is on."""
        raise NotImplementedError

    def consultation_title(self, post) -> str:
        return consultation_of(post).title

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type=self.kind),
            TitleColumn(
                "text",
                label=self.model._meta.verbose_name.capitalize(),
                accessor=self.excerpt,
                get_url=self.get_inspect_url,
                get_title_id=lambda post: f"{self.kind}_{post.pk}_title",
            ),
            self.context_column(),
            Column("author", label="Author", accessor="shown_author"),
            Column("consultation", label="Consultation", accessor=self.consultation_title),
            Column("status", label="Status", accessor=self.status_label, sort_key="status"),
            ReportsColumn("open_flag_count", label="Open reports"),
            DateColumn("created_at", label="Waiting since", sort_key="created_at"),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        return context


class IdeaIndexView(PostIndexView):
    kind = "idea"
    page_title = "Ideas to moderate"

    def excerpt(self, idea) -> str:
        return idea.title

    def context_column(self) -> Column:
        return Column("body", label="Text", accessor=lambda idea: truncatechars(idea.body, 200))


class CommentIndexView(PostIndexView):
    kind = "comment"
    page_title = "Comments to moderate"

    def excerpt(self, comment) -> str:
        return truncatechars(comment.body, 80)

    def context_column(self) -> Column:
        return Column("idea", label="On the idea", accessor="idea.title")


# One post


class ModeratedObjectMixin:
    """A screen about one post: not found if there is no such post, refused (as Wagtail
    refuses, back to the dashboard) if the person does not moderate its consultation."""

    def get_object(self, queryset=None):
        related = (
            ("author", "consultation") if self.model is Idea else ("author", "idea__consultation")
        )
        pk = parse_id(self.pk)
        if pk is None:
            raise Http404  # beyond what the database holds: no such post
        post = get_object_or_404(self.model.objects.select_related(*related), pk=pk)
        policy = ModerationPermissionPolicy(self.model)
        if not policy.user_has_permission_for_instance(self.request.user, "change", post):
            raise PermissionDenied("You do not moderate this consultation.")
        return post


class PostInspectView(ModeratedObjectMixin, InspectView):
    """One post: its text, its reports, the decision form, and its recent decisions.

    Wagtail's inspect view is a read-only page; this one also takes the decision form's POST
    (Wagtail has no generic "decide on this object" view, and a decision belongs next to the
    text it is about). Its full history is Wagtail's history view, linked from here.
    """

    template_name = "consultations/admin/moderation/post.html"
    history_url_name = None

    def get_page_title(self):
        return f"Moderate {self.model._meta.verbose_name}"

    def get_page_subtitle(self):
        return None  # the post's own words are the page's first heading, escaped

    @cached_property
    def header_more_buttons(self):
        return []

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        context.update(
            post=post,
            kind=self.model._meta.model_name,
            consultation=consultation_of(post),
            flags=post.flags.select_related("reporter").order_by("-created_at"),
            form=form or DecisionForm(),
            decisions=post.decisions.select_related("actor"),
            history_url=reverse(self.history_url_name, args=[post.pk]),
            **self.safety_context(post),
        )
        return context

    @staticmethod
    def safety_context(post) -> dict:
        """Why the safety check held it, the words that raised it (escaped, marked), and
        the words as they would be published with personal information removed."""
        hold = post.safety_holds.filter(resolved_at__isnull=True).first()
        if hold is None:
            return {"hold": None}
        return {
            "hold": hold,
            "safety": check_text(post.body),
            "title_safety": check_text(post.title) if isinstance(post, Idea) else None,
            "redacted": moderation.redacted_text(post) if hold.personal_data else None,
        }

    def post(self, request, *args, **kwargs):
        post = self.object
        if request.POST.get("action") == "publish_redacted":
            return self.publish_redacted(request, post)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                moderation.post_moderate(
                    post=post,
                    moderator=request.user,
                    action=form.cleaned_data["action"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    seen_status=request.POST.get("seen_status") or None,
                )
            except moderation.ModerationConflict as conflict:
                messages.warning(request, str(conflict))
                return redirect(request.path)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, "Decision recorded. The author will be told by email.")
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def publish_redacted(self, request, post):
        try:
            moderation.post_publish_redacted(
                post=post,
                moderator=request.user,
                seen_status=request.POST.get("seen_status") or None,
            )
        except moderation.ModerationConflict as conflict:
            messages.warning(request, str(conflict))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.render_to_response(self.get_context_data(), status=400)
        else:
            messages.success(
                request,
                "Published with the personal information removed. The author will be told.",
            )
        return redirect(request.path)


class PostHistoryView(ModeratedObjectMixin, HistoryView):
    """Wagtail's history of a post (its `engage.moderation.*` log entries), for those who
    moderate it; it links back to the post's screen rather than to an edit screen."""

    inspect_url_name = None

    def get_page_subtitle(self):
        return self.object.title if isinstance(self.object, Idea) else str(self.object)

    @staticmethod
    def status_label(post) -> str:
        """Its status, and why the safety check held it, in words (not colour)."""
        held = [
            label
            for flag, label in (
                (getattr(post, "held_urgent", False), "held: may be urgent"),
                (getattr(post, "held_personal", False), "held: personal information"),
            )
            if flag
        ]
        return "; ".join([post.get_status_display(), *held])

    def get_edit_url(self, instance):
        return reverse(self.inspect_url_name, args=[instance.pk])

    @cached_property
    def header_buttons(self):
        return []
