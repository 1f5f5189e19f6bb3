"""The PPG moderators' screens in the Wagtail admin: the queue and a post's history (themes are
a snippet viewset: consultations/viewsets/themes.py); and, for moderators and PCN staff,
contributions entered for residents who took part on
paper, by phone or at a meeting, and the letters that tell them what happened.

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
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import registry as log_registry

from consultations import loop, moderation, notifications, permissions, services
from consultations.forms import ModelIdChoiceField, apply_validation_error
from consultations.models import (
    Channel,
    Comment,
    ConsultationPage,
    Flag,
    Idea,
    Letter,
    ModerationAction,
    ModerationReason,
    Phase,
    PostStatus,
    ReplyBy,
    UpdatePage,
)
from engage.ids import parse_id, posted_ids
from home.models import HomePage, Neighbourhood

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


# Contributions on paper, by phone and at meetings, entered for residents


def _homes_entered_for(user):
    """The home pages of the PCNs whose moderators or staff the user is among."""
    homes = HomePage.objects.all()
    if user.is_superuser:
        return homes
    groups = user.groups.all()
    return homes.filter(Q(pcn__moderator_group__in=groups) | Q(pcn__staff_group__in=groups))


def _under(homes):
    query = Q()
    for home in homes:
        query |= Q(path__startswith=home.path)
    return query


def offline_consultations(user):
    """Consultations the user may enter offline contributions to: open, or closed in the
    last four weeks and not answered, in a PCN they moderate or work for."""
    homes = list(_homes_entered_for(user))
    if not homes:
        return ConsultationPage.objects.none()
    now = timezone.now()
    return (
        ConsultationPage.objects.live()
        .filter(_under(homes))
        .filter(opens_at__lte=now, closes_at__gte=now - permissions.OFFLINE_ENTRY_GRACE)
        .exclude(phase_override=Phase.RESPONDED)
    )


def letter_updates(user):
    """Published updates of the PCNs the user moderates or works for."""
    homes = list(_homes_entered_for(user))
    if not homes:
        return UpdatePage.objects.none()
    return UpdatePage.objects.live().filter(_under(homes))


def user_enters_offline_anything(user) -> bool:
    return user.is_superuser or _homes_entered_for(user).exists()


class OfflineMixin(ModeratorMixin):
    """Screens for PPG moderators and PCN staff: offline contributions and letters."""

    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not user_enters_offline_anything(request.user):
            raise PermissionDenied("You are not a moderator or member of staff of a PCN.")
        return super(ModeratorMixin, self).dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "Home"}, *self.extra_breadcrumbs()]

    def get_context_data(self, **kwargs):
        # Staff who do not moderate see ideas' titles without a link to the moderation page.
        return super().get_context_data(
            moderates=user_moderates_anything(self.request.user), **kwargs
        )


class OfflineIdeaForm(forms.Form):
    consultation = ModelIdChoiceField(
        label="Consultation",
        queryset=ConsultationPage.objects.none(),
        empty_label=None,
        help_text="Open consultations, and those closed in the last four weeks.",
    )
    channel = forms.ChoiceField(
        label="How was it sent?",
        choices=[
            (Channel.PAPER, "On paper (a form or letter)"),
            (Channel.PHONE, "By phone"),
            (Channel.MEETING, "At a meeting"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it was sent"},
    )
    received_on = forms.DateField(
        label="Date received",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For example, 17 3 2026.",
        error_messages={
            "required": "Enter the date it was received",
            "invalid": "Enter a real date, for example 17 3 2026",
        },
    )
    title = forms.CharField(
        label="A short title for the idea",
        max_length=Idea._meta.get_field("title").max_length,
        help_text="In the resident's words where you can.",
        error_messages={
            "required": "Enter a title for the idea",
            "max_length": "The title must be %(limit_value)d characters or fewer "
            "(it has %(show_value)d)",
        },
    )
    body = forms.CharField(
        label="What they said",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=Idea._meta.get_field("body").max_length,
        help_text="Type it as they wrote or said it. Leave out their name, contact details and "
        "anything personal or medical: everyone can read this.",
        error_messages={
            "required": "Enter what they said",
            "max_length": "What they said must be %(limit_value)d characters or fewer "
            "(it has %(show_value)d)",
        },
    )
    neighbourhood = ModelIdChoiceField(
        label="Which neighbourhood is it about?",
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label="They did not say",
        error_messages={"invalid_choice": "Choose one of the neighbourhoods in the list"},
    )
    reply_by = forms.ChoiceField(
        label="How do they want to hear what happens to their idea?",
        choices=[
            (ReplyBy.NOTHING, "They do not want to hear back, or gave no contact details"),
            (ReplyBy.EMAIL, "By email"),
            (ReplyBy.LETTER, "By letter, sent to a postal address"),
        ],
        widget=forms.RadioSelect,
        initial=ReplyBy.NOTHING,
        error_messages={"required": "Choose how they want to hear back"},
    )
    contributor_email = forms.CharField(
        label="Their email address (if by email)",
        required=False,
        max_length=254,
        error_messages={
            "max_length": "The email address must be %(limit_value)d characters or fewer"
        },
    )
    contributor_name = forms.CharField(
        label="Their name (for a letter; optional for an email)",
        required=False,
        max_length=100,
        error_messages={"max_length": "The name must be %(limit_value)d characters or fewer"},
    )
    contributor_address = forms.CharField(
        label="Their postal address (if by letter)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=500,
        help_text="Kept only to send them letters about this idea. Never shown on the site.",
        error_messages={"max_length": "The address must be %(limit_value)d characters or fewer"},
    )

    def __init__(self, *args, consultations, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = consultations.order_by("-closes_at", "title")
        self.fields["neighbourhood"].queryset = consultation.neighbourhoods.order_by("name")

    def clean(self):
        """The common mistakes, so they show with the others at once; the service checks
        everything again (and what is left once markup is removed)."""
        cleaned = super().clean()
        received_on = cleaned.get("received_on")
        if received_on and received_on > timezone.localdate():
            self.add_error("received_on", "The date it was received must be today or in the past")
        reply_by = cleaned.get("reply_by")
        if reply_by == ReplyBy.EMAIL and not cleaned.get("contributor_email"):
            self.add_error("contributor_email", "Enter the email address they gave")
        if reply_by == ReplyBy.LETTER:
            if not cleaned.get("contributor_name"):
                self.add_error("contributor_name", "Enter the name to put on the letter")
            if not cleaned.get("contributor_address"):
                self.add_error(
                    "contributor_address", "Enter the postal address to send the letter to"
                )
        return cleaned


def _recently_entered(consultations):
    return (
        Idea.objects.filter(consultation__in=consultations)
        .exclude(channel=Channel.ONLINE)
        .select_related("consultation", "neighbourhood", "contributor")
        .order_by("-pk")[:20]
    )


class OfflineConsultationsView(OfflineMixin, View):
    """Choose the consultation a paper, phone or meeting contribution is for."""

    template_name = "consultations/admin/offline_consultations.html"
    page_title = "Enter a contribution"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": self.page_title}]

    def get(self, request):
        consultations = offline_consultations(request.user).order_by("-closes_at", "title")
        return self.render_to_response(
            self.get_context_data(
                consultations=consultations, recent=_recently_entered(consultations)
            )
        )


class OfflineIdeaView(OfflineMixin, View):
    """The form a moderator or member of staff fills in for a resident."""

    template_name = "consultations/admin/offline_idea.html"

    def get_page_title(self):
        return f"Enter a contribution: {self.consultation.title}"

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("offline:consultations"), "label": "Enter a contribution"},
            {"url": "", "label": self.consultation.title},
        ]

    def load(self, request, pk):
        self.consultations = offline_consultations(request.user)
        # Another PCN's consultation, or one that no longer takes entries: not found.
        self.consultation = get_object_or_404(self.consultations, pk=pk)

    def form(self, data=None):
        return OfflineIdeaForm(
            data,
            consultations=self.consultations,
            consultation=self.consultation,
            initial={"consultation": self.consultation.pk, "reply_by": ReplyBy.NOTHING},
        )

    def get(self, request, pk):
        self.load(request, pk)
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, pk):
        self.load(request, pk)
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                idea = services.idea_submit_on_behalf(
                    consultation=data["consultation"],
                    entered_by=request.user,
                    channel=data["channel"],
                    received_on=data["received_on"],
                    title=data["title"],
                    body=data["body"],
                    neighbourhood=data["neighbourhood"],
                    reply_by=data["reply_by"],
                    contributor_name=data["contributor_name"],
                    contributor_email=data["contributor_email"],
                    contributor_address=data["contributor_address"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    f"'{idea.title}' is published as {idea.shown_author}. "
                    "Enter another, or go back to the list.",
                )
                return redirect("offline:idea", idea.consultation_id)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# Letters to residents who took part offline


class LetterUpdatesView(OfflineMixin, View):
    template_name = "consultations/admin/letter_updates.html"
    page_title = "Letters to print"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": self.page_title}]

    def get(self, request):
        updates = (
            letter_updates(request.user)
            .annotate(
                letters_waiting=Count("letters", filter=Q(letters__status=Letter.Status.DUE)),
                letters_sent=Count("letters", filter=Q(letters__status=Letter.Status.SENT)),
            )
            .select_related("consultation")
            .order_by("-first_published_at")
        )
        return self.render_to_response(self.get_context_data(updates=updates))


def _update_for(user, pk) -> UpdatePage:
    update = get_object_or_404(UpdatePage.objects.live(), pk=pk)
    if not permissions.can_send_letters(user, update):
        raise PermissionDenied("You cannot send letters for this update.")
    return update


class LettersView(OfflineMixin, View):
    """The letters due for one update: print them, then mark them as sent."""

    template_name = "consultations/admin/letters.html"

    def get_page_title(self):
        return f"Letters to print: {self.update.title}"

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("offline:letter-updates"), "label": "Letters to print"},
            {"url": "", "label": self.update.title},
        ]

    def get(self, request, pk):
        self.update = _update_for(request.user, pk)
        letters = list(loop.letters_due(update=self.update))
        return self.render_to_response(
            self.get_context_data(
                update=self.update,
                letters=letters,
                sent_count=self.update.letters.filter(status=Letter.Status.SENT).count(),
            )
        )

    def post(self, request, pk):
        self.update = _update_for(request.user, pk)
        try:
            sent = services.letters_mark_sent(
                update=self.update,
                user=request.user,
                letter_ids=posted_ids(request.POST, "letters"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{sent} letter{'s' if sent != 1 else ''} marked as sent. "
                "They will not be listed to print again.",
            )
        return redirect("offline:letters", self.update.pk)


class LettersPrintView(View):
    """The letters due, one per A4 page, to print from the browser. No admin chrome."""

    def get(self, request, pk):
        if not user_enters_offline_anything(request.user):
            raise PermissionDenied("You are not a moderator or member of staff of a PCN.")
        update = _update_for(request.user, pk)
        letters = loop.letters_due(update=update)
        wanted = posted_ids(request.GET, "letters")
        if wanted:
            letters = letters.filter(pk__in=wanted)
        return TemplateResponse(
            request,
            "consultations/admin/letters_print.html",
            {
                "update": update,
                "pcn": update.pcn,
                "letters": [
                    (
                        letter,
                        [
                            (idea, notifications.idea_full_url(idea))
                            for idea in letter.contributor.answered_ideas
                        ],
                    )
                    for letter in letters
                ],
                "actions": update.actions.all(),
                "update_url": update.full_url,
                "today": timezone.localdate(),
            },
        )
