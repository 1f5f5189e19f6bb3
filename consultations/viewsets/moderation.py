"""The PPG moderators' queue as Wagtail viewsets: ideas and comments waiting for a decision.

- `IdeaModerationViewSet` and `CommentModerationViewSet` (a `ModelViewSet` each, grouped in
  the "Moderation" menu by `ModerationViewSetGroup`) list the posts of the consultations the
  person moderates, with Wagtail's filters (`PostFilterSet`), search, ordering (oldest first)
  and pagination. There is no add, edit or delete screen: residents write posts, moderators
  only decide on them.
- `ModerationPermissionPolicy` answers every question by PCN: a PPG moderator may view and
  decide on ("change") the posts of their own PCN's consultations; nobody may add, edit or
  delete a post here; an admin may see and decide on everything.
- Approve, Hide and Restore are Wagtail bulk actions (`ApproveBulkAction`, ...). Their
  confirmation step asks for the reason (required to hide) and a note, and the decision is
  all or nothing (`moderation.posts_moderate_bulk`).
- A post's screen (`PostInspectView`) shows its text, its reports and the decision form;
  its history is Wagtail's history view (`PostHistoryView`), reading the `engage.moderation.*`
  log entries the services write.
"""

from datetime import timedelta

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies.base import BasePermissionPolicy

from consultations import moderation, permissions
from consultations.models import (
    Comment,
    Flag,
    Idea,
    ModerationAction,
    ModerationReason,
    PostStatus,
)
from consultations.permissions import user_moderates_anything
from consultations.selectors import moderated_consultations
from engage.ids import parse_id

PER_PAGE = 50

STATUS_CHOICES = [
    ("attention", "Waiting or reported"),
    ("pending", "Waiting for approval"),
    ("reported", "Reported by residents"),
    ("hidden", "Hidden"),
    ("published", "Published"),
]

OLDER_THAN_CHOICES = [("1", "1 day"), ("3", "3 days"), ("7", "7 days")]

# What the person may do through these screens, and what no one may.
DECIDE_ACTIONS = frozenset({"view", "change"})


def _consultation_lookup(model) -> str:
    return "consultation" if model is Idea else "idea__consultation"


def consultation_of(post):
    return post.consultation if isinstance(post, Idea) else post.idea.consultation


def _open_flags():
    return Prefetch(
        "flags",
        queryset=Flag.objects.filter(resolved_at__isnull=True).order_by("created_at"),
        to_attr="open_flags",
    )


def moderated_posts(*, user, model):
    """The ideas (or comments) of every consultation the user moderates, with what the
    queue shows of each: author, consultation, open reports. A fixed number of queries."""
    lookup = _consultation_lookup(model)
    related = (
        ("author", "consultation", "neighbourhood")
        if model is Idea
        else ("author", "idea__consultation")
    )
    return (
        model.objects.filter(**{f"{lookup}__in": moderated_consultations(user)})
        .select_related(*related)
        .annotate(open_flag_count=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .prefetch_related(_open_flags())
    )


def _is_active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


# The permission policy


class ModerationPermissionPolicy(BasePermissionPolicy):
    """Who may see and decide on ideas or comments in the moderation screens.

    | person                      | view, change (decide)            | add, edit text, delete |
    |-----------------------------|----------------------------------|------------------------|
    | admin                       | every post                       | no one                 |
    | PPG moderator of a PCN      | the posts of that PCN only       | no one                 |
    | anyone else                 | nothing                          | no one                 |

    "change" here means approve, hide or restore: the screens have no form for a post's
    text, which stays the resident's own.
    """

    def user_has_permission(self, user, action):
        return action in DECIDE_ACTIONS and _is_active(user) and user_moderates_anything(user)

    def user_has_any_permission(self, user, actions):
        return bool(DECIDE_ACTIONS & set(actions)) and self.user_has_permission(user, "change")

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            action in DECIDE_ACTIONS
            and _is_active(user)
            and permissions.can_moderate(user, consultation_of(instance))
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not (DECIDE_ACTIONS & set(actions)) or not _is_active(user):
            return self.model._default_manager.none()
        lookup = _consultation_lookup(self.model)
        return self.model._default_manager.filter(
            **{f"{lookup}__in": moderated_consultations(user)}
        )

    def users_with_any_permission(self, actions):
        User = get_user_model()
        if not DECIDE_ACTIONS & set(actions):
            return User.objects.none()
        return User.objects.filter(
            Q(is_superuser=True) | Q(groups__moderated_pcn__isnull=False), is_active=True
        ).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        User = get_user_model()
        if not DECIDE_ACTIONS & set(actions):
            return User.objects.none()
        group_id = consultation_of(instance).pcn.moderator_group_id
        return User.objects.filter(
            Q(is_superuser=True) | Q(groups__pk=group_id), is_active=True
        ).distinct()


# The listing's filters


def _consultations_for(request):
    if request is None:
        return moderated_consultations(None).none()
    return moderated_consultations(request.user).order_by("title")


def filter_by_status(queryset, status: str):
    if status == "pending":
        return queryset.filter(status=PostStatus.PENDING)
    if status == "reported":
        return queryset.filter(open_flag_count__gt=0)
    if status == "hidden":
        return queryset.filter(status=PostStatus.HIDDEN)
    if status == "published":
        return queryset.filter(status=PostStatus.PUBLISHED)
    return queryset.filter(Q(status=PostStatus.PENDING) | Q(open_flag_count__gt=0))


class ConsultationChoiceField(django_filters.fields.ModelChoiceField):
    """Refuses a value that is not an id before asking the database (as `ModelIdChoiceField`
    does): SQLite cannot be asked about a number beyond 64 bits."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(str(value)) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ConsultationFilter(django_filters.ModelChoiceFilter):
    field_class = ConsultationChoiceField


class PostFilterSet(WagtailFilterSet):
    """Status (waiting or reported unless another is chosen), consultation (only those the
    person moderates: another's is refused as not one of the choices) and age."""

    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, empty_label=None, method="filter_status"
    )
    consultation = ConsultationFilter(
        label="Consultation",
        queryset=_consultations_for,
        empty_label="All consultations",
        method="filter_consultation",
    )
    older_than = django_filters.ChoiceFilter(
        label="Waiting longer than",
        choices=OLDER_THAN_CHOICES,
        empty_label="Any time",
        method="filter_older_than",
    )

    class Meta:
        model = Idea
        fields = []

    def filter_status(self, queryset, name, value):
        return filter_by_status(queryset, value)

    def filter_consultation(self, queryset, name, value):
        return queryset.filter(**{_consultation_lookup(queryset.model): value})

    def filter_older_than(self, queryset, name, value):
        return queryset.filter(created_at__lte=timezone.now() - timedelta(days=int(value)))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = filter_by_status(queryset, "attention")
        return queryset


class CommentFilterSet(PostFilterSet):
    class Meta:
        model = Comment
        fields = []


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
        ordering = self.ordering or self.default_ordering
        ordering = list(ordering) if isinstance(ordering, (list, tuple)) else [ordering]
        return [*ordering, "pk"]

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
            Column("status", label="Status", accessor="get_status_display", sort_key="status"),
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


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (ModerationAction.APPROVE, "Approve"),
            (ModerationAction.HIDE, "Hide"),
            (ModerationAction.RESTORE, "Restore"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason"), *ModerationReason.choices],
        required=False,
        help_text="The author is told this reason. Required when hiding.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text="Optional. Sent to the author in the email, in plain English.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == ModerationAction.HIDE and not cleaned.get("reason"):
            self.add_error("reason", "Choose why you are hiding it, so its author knows.")
        return cleaned


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
        )
        return context

    def post(self, request, *args, **kwargs):
        post = self.object
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


class PostHistoryView(ModeratedObjectMixin, HistoryView):
    """Wagtail's history of a post (its `engage.moderation.*` log entries), for those who
    moderate it; it links back to the post's screen rather than to an edit screen."""

    inspect_url_name = None

    def get_page_subtitle(self):
        return self.object.title if isinstance(self.object, Idea) else str(self.object)

    def get_edit_url(self, instance):
        return reverse(self.inspect_url_name, args=[instance.pk])

    @cached_property
    def header_buttons(self):
        return []


# The history


class DecisionLogFormatter(LogFormatter):
    """A moderation decision in Wagtail's history: what was done, why, and the note."""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        message = self.message
        if data.get("reason") in ModerationReason.values:
            message += f". Reason: {ModerationReason(data['reason']).label}"
        if data.get("note"):
            message += f". Note: {data['note']}"
        return message


def decision_log_formatter(label: str, message: str) -> type[DecisionLogFormatter]:
    return type(
        "DecisionLogFormatter", (DecisionLogFormatter,), {"label": label, "message": message}
    )


# The viewsets


class PostModerationViewSet(ModelViewSet):
    """Shared by ideas and comments: no add, edit, delete, copy or usage screen."""

    icon = "tasks"
    list_per_page = PER_PAGE
    add_to_admin_menu = False
    inspect_view_enabled = True
    inspect_view_class = PostInspectView
    history_view_class = PostHistoryView
    search_fields = ["body"]
    search_backend_name = None

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            history_url_name=self.get_url_name("history"),
            template_name=PostInspectView.template_name,
            **kwargs,
        )

    def get_history_view_kwargs(self, **kwargs):
        return super().get_history_view_kwargs(
            inspect_url_name=self.get_url_name("inspect"), **kwargs
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            template_name=PostIndexView.template_name,
            results_template_name=PostIndexView.results_template_name,
            **kwargs,
        )

    @property
    def url_finder_class(self):
        """Wagtail's "edit this object" link (an update's chosen idea, say) leads to the post's
        moderation screen, for those who moderate it; others get no link."""
        return type(
            "PostURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")}
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/history/", self.history_view, name="history"),
            path("<int:pk>/history/results/", self.history_results_view, name="history_results"),
        ]


class IdeaModerationViewSet(PostModerationViewSet):
    model = Idea
    name = "moderation_ideas"
    url_prefix = "moderation/ideas"
    menu_label = "Ideas"
    menu_order = 10
    index_view_class = IdeaIndexView
    filterset_class = PostFilterSet
    search_fields = ["title", "body"]


class CommentModerationViewSet(PostModerationViewSet):
    model = Comment
    name = "moderation_comments"
    url_prefix = "moderation/comments"
    menu_label = "Comments"
    menu_order = 20
    icon = "comment"
    index_view_class = CommentIndexView
    filterset_class = CommentFilterSet


class ModerationViewSetGroup(ViewSetGroup):
    """The "Moderation" menu: shown to PPG moderators of some PCN and to admins only (each
    item asks the permission policy)."""

    menu_label = "Moderation"
    menu_icon = "tasks"
    menu_order = 150
    items = (IdeaModerationViewSet, CommentModerationViewSet)


# Bulk actions


class BulkDecisionForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason"), *ModerationReason.choices],
        required=False,
        help_text="The authors are told this reason.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text="Optional. Sent to the authors in the email, in plain English.",
    )

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason_required = reason_required
        if reason_required:
            self.fields["reason"].help_text = "Required: the authors are told why it is hidden."

    def clean(self):
        cleaned = super().clean()
        if self.reason_required and not cleaned.get("reason"):
            self.add_error("reason", "Choose why you are hiding it, so its author knows.")
        return cleaned


class PostDecisionBulkAction(PermissionCheckedMixin, BulkAction):
    """One decision on every ticked post, or on none.

    The ticked posts are looked up among those the person moderates only; any other (another
    PCN's, or one that no longer exists) is counted, never named, and stops the decision. A
    post that cannot be decided (another moderator got there first, a rule it breaks) stops
    it too: the confirmation is shown again with the same reason and note, saying which posts
    stopped it and that nothing was changed. The confirmation carries the status each post
    had when it was shown, so a decision made meanwhile by someone else is a conflict.
    """

    models = [Idea, Comment]
    permission_required = "change"  # asked of the permission policy: moderators only
    decision = None
    template_name = "consultations/admin/moderation/confirm_decision.html"
    form_class = BulkDecisionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reason_required": self.decision == "hide"}

    def _ticked_ids(self) -> list[int]:
        values = self.request.GET.getlist("id")
        ids = [parse_id(value) for value in values]
        if None in ids:
            raise BadRequest("A ticked post is not one the queue shows.")
        return list(dict.fromkeys(ids))

    def get_actionable_objects(self):
        if not hasattr(self, "_ticked"):
            ids = self._ticked_ids()
            if not ids:
                raise Http404("Tick at least one post first.")
            found = list(
                moderated_posts(user=self.request.user, model=self.model)
                .filter(pk__in=ids)
                .order_by("created_at", "pk")
            )
            self._ticked = (found, {"items_with_no_access": [], "missing": len(ids) - len(found)})
        found, extra = self._ticked
        return list(found), dict(extra)

    def _forget_ticked(self):
        # Read the posts again: after a refusal they may hold statuses that were rolled back.
        for name in ("_ticked", "_within_pcn_boundary"):
            self.__dict__.pop(name, None)

    def object_context(self, post):
        return {
            "item": post,
            "text": post.title if isinstance(post, Idea) else post.body,
            "url": reverse(f"moderation_{self.model._meta.model_name}s:inspect", args=[post.pk]),
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "decision": self.decision,
            "decision_label": self.display_name,
            "header_icon": "tasks",
        }

    def get_execution_context(self):
        data = self.cleaned_form.cleaned_data
        return {
            "moderator": self.request.user,
            "action": self.decision,
            "reason": data["reason"],
            "note": data["note"],
            "seen_statuses": {
                post: self.request.POST.get(f"seen-{post.pk}") or None
                for post in self.actionable_objects
            },
        }

    def prepare_action(self, objects, objects_without_access):
        missing = objects_without_access["missing"]
        if missing:
            return self.refused(failures=[], missing=missing, ticked=len(objects) + missing)
        return None

    @classmethod
    def execute_action(cls, objects, *, moderator, action, reason, note, seen_statuses):
        decisions = moderation.posts_moderate_bulk(
            posts=objects,
            moderator=moderator,
            action=action,
            reason=reason,
            note=note,
            seen_statuses=seen_statuses,
        )
        return len(decisions), 0

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except moderation.BulkModerationRefused as refused:
            return self.refused(
                failures=refused.failures, missing=0, ticked=len(self.actionable_objects)
            )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refused(self, *, failures, missing, ticked):
        request = self.request
        messages.error(
            request,
            f"Nothing was changed: {len(failures) + missing} of the {ticked} ticked "
            "posts could not be decided. Check them and decide again.",
        )
        if missing:
            messages.warning(
                request,
                f"{missing} of the ticked posts are not in your queue "
                "(they may have been deleted).",
            )
        for post, reason in failures:
            messages.warning(request, f"{post}: {reason}")
        self._forget_ticked()
        return self.render_to_response(self.get_context_data(form=self.cleaned_form), status=400)

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} post(s) updated; their authors will be told."


class ApproveBulkAction(PostDecisionBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve the ticked posts"
    decision = ModerationAction.APPROVE
    action_priority = 10


class HideBulkAction(PostDecisionBulkAction):
    display_name = "Hide"
    action_type = "hide"
    aria_label = "Hide the ticked posts"
    decision = ModerationAction.HIDE
    action_priority = 20


class RestoreBulkAction(PostDecisionBulkAction):
    display_name = "Restore"
    action_type = "restore"
    aria_label = "Restore the ticked hidden posts"
    decision = ModerationAction.RESTORE
    action_priority = 30


BULK_ACTIONS = (ApproveBulkAction, HideBulkAction, RestoreBulkAction)
