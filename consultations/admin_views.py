"""The PPG moderators' screens in the Wagtail admin: the queue and a post's history.
(Themes, offline contributions and letters are viewsets: consultations/viewsets/.)

Every view asks `permissions` whether the user moderates (or works for) the PCN concerned,
and every list is limited to the consultations and updates of those PCNs.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import registry as log_registry

from consultations import moderation, permissions
from consultations.forms import ModelIdChoiceField
from consultations.models import (
    Comment,
    ConsultationPage,
    Flag,
    Idea,
    ModerationAction,
    ModerationReason,
    PostStatus,
)
from engage.ids import parse_id
from home.models import HomePage

QUEUE_PER_PAGE = 50


def moderated_consultations(user):
    """The consultations of every PCN the user moderates (all of them for an admin)."""
    consultations = ConsultationPage.objects.all()
    if user.is_superuser:
        return consultations
    homes = HomePage.objects.filter(pcn__moderator_group__in=user.groups.all())
    if not homes:
        return consultations.none()
    query = Q()
    for home in homes:
        query |= Q(path__startswith=home.path)
    return consultations.filter(query)


def user_moderates_anything(user) -> bool:
    return (
        user.is_superuser
        or HomePage.objects.filter(pcn__moderator_group__in=user.groups.all()).exists()
    )


class ModeratorMixin(WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not user_moderates_anything(request.user):
            raise PermissionDenied("You are not a moderator.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("moderation:queue"), "label": "Moderation"},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self):
        return []


# The queue


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("ideas", "Ideas"), ("comments", "Comments")], required=False)
    status = forms.ChoiceField(
        choices=[
            ("attention", "Waiting or reported"),
            ("pending", "Waiting for approval"),
            ("reported", "Reported by residents"),
            ("hidden", "Hidden"),
            ("published", "Published"),
        ],
        required=False,
    )
    consultation = ModelIdChoiceField(
        queryset=ConsultationPage.objects.none(), required=False, empty_label="All consultations"
    )
    older_than = forms.ChoiceField(
        label="Waiting longer than",
        choices=[("", "Any time"), ("1", "1 day"), ("3", "3 days"), ("7", "7 days")],
        required=False,
    )

    def __init__(self, *args, consultations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = consultations.order_by("title")


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


def _open_flags():
    return Prefetch(
        "flags",
        queryset=Flag.objects.filter(resolved_at__isnull=True).order_by("created_at"),
        to_attr="open_flags",
    )


def moderation_queue(*, user, kind="ideas", status="attention", consultation=None, older_than=""):
    consultations = moderated_consultations(user)
    if consultation is not None:
        consultations = consultations.filter(pk=consultation.pk)
    if kind == "comments":
        posts = Comment.objects.filter(idea__consultation__in=consultations).select_related(
            "author", "idea__consultation"
        )
    else:
        posts = Idea.objects.filter(consultation__in=consultations).select_related(
            "author", "consultation", "neighbourhood"
        )
    posts = posts.annotate(
        open_flag_count=Count("flags", filter=Q(flags__resolved_at__isnull=True))
    ).prefetch_related(_open_flags())
    if status == "pending":
        posts = posts.filter(status=PostStatus.PENDING)
    elif status == "reported":
        posts = posts.filter(open_flag_count__gt=0)
    elif status == "hidden":
        posts = posts.filter(status=PostStatus.HIDDEN)
    elif status == "published":
        posts = posts.filter(status=PostStatus.PUBLISHED)
    else:
        posts = posts.filter(Q(status=PostStatus.PENDING) | Q(open_flag_count__gt=0))
    if older_than:
        posts = posts.filter(created_at__lte=timezone.now() - timedelta(days=int(older_than)))
    return posts.order_by("created_at", "pk")


def _post_key(post) -> str:
    return f"{'idea' if isinstance(post, Idea) else 'comment'}-{post.pk}"


_POST_KINDS = {"idea": Idea, "comment": Comment}


def _post_keys(values) -> list[str]:
    """The ticked posts' keys ("idea-12", "comment-3"), each once, in order.

    Raises BadRequest for a value that is not such a key: the queue only prints real ones."""
    keys = []
    for value in values:
        kind, _, pk = value.partition("-")
        if kind not in _POST_KINDS or parse_id(pk) is None:
            raise BadRequest("A ticked post is not one the queue shows.")
        keys.append(f"{kind}-{int(pk)}")
    return list(dict.fromkeys(keys))


def _posts_from_keys(user, keys) -> dict:
    """key -> post, for the keys naming a post of a consultation the user moderates."""
    consultations = moderated_consultations(user)
    ids = {
        kind: [int(key.partition("-")[2]) for key in keys if key.startswith(f"{kind}-")]
        for kind in _POST_KINDS
    }
    ideas = Idea.objects.filter(pk__in=ids["idea"], consultation__in=consultations)
    comments = Comment.objects.filter(
        pk__in=ids["comment"], idea__consultation__in=consultations
    ).select_related("idea")
    found = {_post_key(post): post for post in [*ideas, *comments]}
    return {key: found[key] for key in keys if key in found}


class QueueView(ModeratorMixin, View):
    template_name = "consultations/admin/queue.html"
    page_title = "Moderation queue"

    def render_queue(self, request, *, decision_form, ticked=(), status=200):
        consultations = moderated_consultations(request.user)
        filters = QueueFilterForm(request.GET or None, consultations=consultations)
        values = filters.cleaned_data if filters.is_valid() else {}
        posts = moderation_queue(
            user=request.user,
            kind=values.get("kind") or "ideas",
            status=values.get("status") or "attention",
            consultation=values.get("consultation"),
            older_than=values.get("older_than") or "",
        )
        page = Paginator(posts, QUEUE_PER_PAGE).get_page(request.GET.get("p"))
        for post in page:
            post.key = _post_key(post)
        query = request.GET.copy()
        query.pop("p", None)
        return self.render_to_response(
            self.get_context_data(
                filters=filters,
                page_obj=page,
                kind=values.get("kind") or "ideas",
                decision_form=decision_form,
                ticked=set(ticked),
                query=query.urlencode(),
            ),
            status=status,
        )

    def get(self, request):
        return self.render_queue(request, decision_form=DecisionForm())

    def post(self, request):
        """One decision on every ticked post, or on none.

        A post that cannot be decided (another moderator got there first, it is no longer in
        the moderator's queue, a rule it breaks) stops the whole decision: the queue is shown
        again with the same posts ticked and the same note, saying which posts stopped it and
        that nothing was changed.
        """
        form = DecisionForm(request.POST)
        keys = _post_keys(request.POST.getlist("posts"))
        if not keys:
            messages.error(request, "Tick at least one post first.")
        elif not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        else:
            posts = _posts_from_keys(request.user, keys)
            missing = len(keys) - len(posts)
            failures = []
            if not missing:
                try:
                    decisions = moderation.posts_moderate_bulk(
                        posts=list(posts.values()),
                        moderator=request.user,
                        action=form.cleaned_data["action"],
                        reason=form.cleaned_data["reason"],
                        note=form.cleaned_data["note"],
                        seen_statuses={
                            post: request.POST.get(f"seen-{key}") or None
                            for key, post in posts.items()
                        },
                    )
                except moderation.BulkModerationRefused as refused:
                    failures = refused.failures
                else:
                    messages.success(
                        request, f"{len(decisions)} post(s) updated; their authors will be told."
                    )
                    return redirect(f"{reverse('moderation:queue')}?{request.GET.urlencode()}")
            messages.error(
                request,
                f"Nothing was changed: {len(failures) + missing} of the {len(keys)} ticked "
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
        return self.render_queue(request, decision_form=form, ticked=keys, status=400)


class PostView(ModeratorMixin, View):
    """One post: its text, open reports, a decision form, and its history."""

    template_name = "consultations/admin/post.html"

    def get_post(self, kind, pk):
        model = Idea if kind == "idea" else Comment
        related = ("author", "consultation") if kind == "idea" else ("author", "idea__consultation")
        post = get_object_or_404(model.objects.select_related(*related), pk=pk)
        consultation = post.consultation if kind == "idea" else post.idea.consultation
        if not permissions.can_moderate(self.request.user, consultation):
            raise PermissionDenied("You do not moderate this consultation.")
        return post, consultation

    def get_page_title(self):
        return f"Moderate {self.kwargs['kind']}"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": self.get_page_title()}]

    def context(self, post, consultation, form):
        flags = post.flags.select_related("reporter").order_by("-created_at")
        return self.get_context_data(
            post=post,
            kind=self.kwargs["kind"],
            consultation=consultation,
            flags=flags,
            form=form,
            decisions=post.decisions.select_related("actor"),
            log_entries=log_registry.get_logs_for_instance(post).select_related("user"),
        )

    def get(self, request, kind, pk):
        post, consultation = self.get_post(kind, pk)
        return self.render_to_response(self.context(post, consultation, DecisionForm()))

    def post(self, request, kind, pk):
        post, consultation = self.get_post(kind, pk)
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
        return self.render_to_response(self.context(post, consultation, form), status=400)
