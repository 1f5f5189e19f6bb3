"""Residents who take part offline: the contributions typed up for them, and their letters.

Two Wagtail viewsets, grouped in one menu ("Offline and letters") for the PPG moderators and
PCN staff of a PCN (and admins):

- **Offline contributions** (`offline:*`): ideas sent on paper, by phone or at a meeting.
  A listing with filters, search, ordering and pages; the entry form (its "add" view, which
  calls `services.idea_submit_on_behalf`); each idea's details and its Wagtail history. The
  resident's words are not edited here and nothing is deleted: moderation hides posts.
- **Letters** (`letters:*`): the letters owed to those who gave a postal address. A listing
  filtered by update and by sent or not, with the bulk action "Mark as sent", and the
  printable letters.

`OfflinePermissionPolicy` decides who sees and does what, once, for both: the PCN's
moderators and staff (`permissions.can_enter_offline`, `permissions.can_send_letters`), and
nothing of another PCN is listed, shown, printed or changed.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views import View
from django_filters import ChoiceFilter, DateFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import HistoryView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryFilterSet
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies.base import BasePermissionPolicy

from consultations import loop, notifications, permissions, services
from consultations.forms import ModelIdChoiceField, apply_validation_error
from consultations.models import (
    Channel,
    ConsultationPage,
    Idea,
    Letter,
    Phase,
    PostStatus,
    ReplyBy,
    UpdatePage,
)
from engage.ids import parse_id, posted_ids
from home.admin_scope import admin_scope_register
from home.boundary import in_pcns, pcn_of
from home.models import Neighbourhood, PrimaryCareNetwork

OFFLINE_CHANNELS = [
    (Channel.PAPER, "On paper (a form or letter)"),
    (Channel.PHONE, "By phone"),
    (Channel.MEETING, "At a meeting"),
]


# Who may use these screens


def offline_pcns(user):
    """The PCNs whose offline contributions and letters the user handles: those they
    moderate or work for as staff (every PCN for an admin). Read once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PrimaryCareNetwork.objects.none()
    if user.is_superuser:
        return PrimaryCareNetwork.objects.all()
    if not hasattr(user, "_engage_offline_pcn_ids"):
        groups = user.groups.values("pk")
        user._engage_offline_pcn_ids = list(
            PrimaryCareNetwork.objects.filter(
                Q(moderator_group__in=groups) | Q(staff_group__in=groups)
            ).values_list("pk", flat=True)
        )
    return PrimaryCareNetwork.objects.filter(pk__in=user._engage_offline_pcn_ids)


def _scoped(queryset, user):
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return queryset
    return in_pcns(queryset, offline_pcns(user))


class OfflinePermissionPolicy(BasePermissionPolicy):
    """The PCN boundary for offline contributions (`Idea`) and letters (`Letter`).

    For ideas: "add" (enter a contribution) and "view" (list, inspect, history). For
    letters: "view" (list, print) and "change" (mark as sent). A moderator or member of staff
    of a PCN holds them for that PCN's objects only; an admin for all. The per-object answer
    is the predicate of `consultations.permissions`, so views and services agree.
    """

    ACTIONS = {Idea: {"add", "view"}, Letter: {"view", "change"}}

    def _allows(self, action) -> bool:
        return action in self.ACTIONS[self.model]

    def user_has_permission(self, user, action):
        return self._allows(action) and offline_pcns(user).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        if not self._allows(action):
            return False
        if isinstance(instance, Letter):
            return permissions.can_send_letters(user, instance.update)
        return (
            instance.channel != Channel.ONLINE
            and permissions.can_enter_offline(user, pcn_of(instance))
            and permissions.can_view_idea(user, instance)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not any(self._allows(action) for action in actions):
            return self.model._default_manager.none()
        scoped = _scoped(self.model._default_manager.all(), user)
        if self.model is Idea:
            scoped = _offline_ideas_seen(scoped, user)
        return scoped

    def users_with_any_permission(self, actions):
        raise NotImplementedError("Not needed: nobody asks who may enter offline contributions.")


def _offline_ideas_seen(ideas, user):
    """Ideas entered for residents; a hidden one only for the PCN's moderators (and admins),
    as in the moderation screens."""
    ideas = ideas.exclude(channel=Channel.ONLINE)
    if user.is_superuser:
        return ideas
    moderated = PrimaryCareNetwork.objects.filter(moderator_group__in=user.groups.values("pk"))
    return ideas.filter(
        Q(status=PostStatus.PUBLISHED)
        | Q(pk__in=in_pcns(Idea.objects.all(), moderated).values("pk"))
    )


idea_policy = OfflinePermissionPolicy(Idea)
letter_policy = OfflinePermissionPolicy(Letter)


@admin_scope_register(Letter)
def _letters_in_admin(queryset, user):
    """What a bulk action on letters may name and act on (home/admin_views.py asks here)."""
    return _scoped(queryset, user)


def offline_consultations(user):
    """Consultations the user may enter offline contributions to: open, or closed in the
    last four weeks and not answered, in a PCN they moderate or work for."""
    now = timezone.now()
    return (
        _scoped(ConsultationPage.objects.live(), user)
        .filter(opens_at__lte=now, closes_at__gte=now - permissions.OFFLINE_ENTRY_GRACE)
        .exclude(phase_override=Phase.RESPONDED)
    )


def letter_updates(user):
    """Published updates of the PCNs the user moderates or works for."""
    return _scoped(UpdatePage.objects.live(), user)


class PolicyMenuItem(MenuItem):
    """Shown to those the policy lets see the viewset's listing."""

    policy: OfflinePermissionPolicy

    def is_shown(self, request):
        return self.policy.user_has_permission(request.user, "view")


def menu_item_for(policy):
    return type(f"{policy.model.__name__}MenuItem", (PolicyMenuItem,), {"policy": policy})


class ScopedObjectMixin:
    """A Wagtail object view (inspect, history) that finds only objects the user may see:
    another PCN's is not found, as if it did not exist."""

    def get_object(self, queryset=None):
        pk = parse_id(str(self.pk))
        if pk is None:
            raise Http404
        return get_object_or_404(
            self.permission_policy.instances_user_has_any_permission_for(
                self.request.user, ["view"]
            ),
            pk=pk,
        )


# Offline contributions


def _hears_back(idea) -> str:
    if idea.contributor is None:
        return "No"
    return ReplyBy(idea.contributor.reply_by).label


class IdChoiceFilter(ModelChoiceFilter):
    """Refuses what is not an id (a number beyond 64 bits among them) before the database."""

    field_class = ModelIdChoiceField


class IdsOnlyMixin:
    """For a multiple-choice field: refuse what is not an id before the database is asked."""

    def _check_values(self, value):
        for item in value:
            if parse_id(str(item)) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class OfflineHistoryFilterSet(HistoryFilterSet):
    """Wagtail's history filters, with the people filter refusing what is not an id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.filters:
            field_class = self.filters["user"].field_class
            self.filters["user"].field_class = type(
                field_class.__name__, (IdsOnlyMixin, field_class), {}
            )


class OfflineContributionFilterSet(WagtailFilterSet):
    consultation = IdChoiceFilter(
        label="Consultation",
        queryset=lambda request: _scoped(ConsultationPage.objects.all(), request.user).order_by(
            "-closes_at", "title"
        ),
    )
    channel = ChoiceFilter(label="How it was sent", choices=OFFLINE_CHANNELS)
    entered_since = DateFilter(
        label="Entered since",
        field_name="published_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Idea
        fields = []


class OfflineContributionIndexView(IndexView):
    add_item_label = "Enter a contribution"
    page_title = "Offline contributions"
    default_ordering = "-published_at"
    search_fields = ["title", "body"]
    search_backend_name = None

    def get_base_queryset(self):
        return (
            idea_policy.instances_user_has_any_permission_for(self.request.user, ["view"])
            .exclude(channel=Channel.ONLINE)
            .select_related("consultation", "neighbourhood", "contributor")
        )

    def order_queryset(self, queryset):
        return super().order_queryset(queryset).order_by(*self._ordering(), "-pk")

    def _ordering(self):
        ordering = self.ordering or self.default_ordering
        return [ordering] if isinstance(ordering, str) else list(ordering)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label="Idea",
                sort_key="title",
                get_url=lambda idea: reverse("offline:inspect", args=[idea.pk]),
            ),
            Column("consultation", label="Consultation", accessor="consultation.title"),
            Column("channel", label="Sent", accessor="get_channel_display", sort_key="channel"),
            DateColumn("created_at", label="Received", sort_key="created_at"),
            DateColumn("published_at", label="Entered", sort_key="published_at"),
            Column("hears_back", label="Hears back", accessor=_hears_back),
        ]


class OfflineContributionCreateView(PermissionCheckedMixin, WagtailAdminTemplateMixin, View):
    """The offline entry form: the viewset's "add" view.

    A custom view, because Wagtail's create view makes the object with `form.save()`, and an
    offline contribution must be made by `services.idea_submit_on_behalf` (which sanitises,
    validates, publishes, writes the audit entry and the idea's contact details apart).
    Without `?consultation=<id>` it asks which consultation the contribution is for.
    """

    permission_policy = idea_policy
    permission_required = "add"
    header_icon = "form"
    template_name = "consultations/offline/create.html"
    choose_template_name = "consultations/offline/choose_consultation.html"
    page_title = "Enter a contribution"

    def get_breadcrumbs_items(self):
        items = [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("offline:index"), "label": "Offline contributions"},
        ]
        if getattr(self, "consultation", None) is None:
            return [*items, {"url": "", "label": self.page_title}]
        return [
            *items,
            {"url": reverse("offline:add"), "label": self.page_title},
            {"url": "", "label": self.consultation.title},
        ]

    def get_page_title(self):
        if getattr(self, "consultation", None) is None:
            return self.page_title
        return f"Enter a contribution: {self.consultation.title}"

    def load(self, request) -> bool:
        """Find the consultation asked for; False when none was asked for."""
        self.consultations = offline_consultations(request.user)
        self.consultation = None
        if "consultation" not in request.GET:
            return False
        pk = parse_id(request.GET["consultation"])
        if pk is None:
            raise Http404
        # Another PCN's consultation, or one that no longer takes entries: not found.
        self.consultation = get_object_or_404(self.consultations, pk=pk)
        return True

    def form(self, data=None):
        return OfflineIdeaForm(
            data,
            consultations=self.consultations,
            consultation=self.consultation,
            initial={"consultation": self.consultation.pk, "reply_by": ReplyBy.NOTHING},
        )

    def get(self, request):
        if not self.load(request):
            self.template_name = self.choose_template_name
            return self.render_to_response(
                self.get_context_data(
                    consultations=self.consultations.order_by("-closes_at", "title")
                )
            )
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request):
        if not self.load(request):
            raise Http404
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
                return redirect(add_url(idea.consultation_id))
        return self.render_to_response(self.get_context_data(form=form), status=400)


def add_url(consultation_id) -> str:
    return reverse("offline:add") + "?" + urlencode({"consultation": consultation_id})


class OfflineIdeaForm(forms.Form):
    consultation = ModelIdChoiceField(
        label="Consultation",
        queryset=ConsultationPage.objects.none(),
        empty_label=None,
        help_text="Open consultations, and those closed in the last four weeks.",
    )
    channel = forms.ChoiceField(
        label="How was it sent?",
        choices=OFFLINE_CHANNELS,
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


class OfflineContributionInspectView(ScopedObjectMixin, InspectView):
    """What was entered, and how the resident hears back; never their contact details."""

    def get_fields(self):
        return [
            "consultation",
            "title",
            "body",
            "channel",
            "neighbourhood",
            "status",
            "created_at",
            "published_at",
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fields"].append(
            {"label": "Hears back", "value": _hears_back(self.object), "component": None}
        )
        return context


class OfflineContributionHistoryView(ScopedObjectMixin, HistoryView):
    """Wagtail's log of the idea: entered for the resident, then moderated."""

    filterset_class = OfflineHistoryFilterSet


class OfflineContributionViewSet(ModelViewSet):
    model = Idea
    name = "offline"
    url_prefix = "offline"
    icon = "form"
    menu_label = "Offline contributions"
    index_view_class = OfflineContributionIndexView
    add_view_class = OfflineContributionCreateView
    inspect_view_class = OfflineContributionInspectView
    history_view_class = OfflineContributionHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = OfflineContributionFilterSet
    list_per_page = 20
    add_to_reference_index = False

    @property
    def add_view(self):
        return self.construct_view(self.add_view_class)

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(
            permission_policy=idea_policy,
            edit_url_name=None,
            delete_url_name=None,
            usage_url_name=None,
        )
        return view_kwargs

    def get_form_class(self, for_update=False):
        return OfflineIdeaForm

    @cached_property
    def menu_item_class(self):
        return menu_item_for(idea_policy)

    def register_admin_url_finder(self):
        """Another app may make its own viewset for ideas; this one finds no edit URL."""

    def register_permissions(self):
        """The policy is passed to the views; Wagtail's model permissions are not used."""

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
        ]


# Letters


def _letters_listed(user):
    """Letters the user may see: those to print now (their update is live and their
    contributor's idea still published) and those sent. Letters no longer needed are not."""
    still_published = Idea.objects.filter(
        contributor=OuterRef("contributor"), status=PostStatus.PUBLISHED
    )
    return (
        letter_policy.instances_user_has_any_permission_for(user, ["view"])
        .filter(
            Q(status=Letter.Status.SENT)
            | Q(status=Letter.Status.DUE, update__live=True) & Q(Exists(still_published))
        )
        .select_related("contributor", "update")
        .prefetch_related(
            Prefetch(
                "contributor__ideas",
                queryset=Idea.objects.filter(status=PostStatus.PUBLISHED).order_by(
                    "created_at", "pk"
                ),
                to_attr="published_ideas",
            )
        )
    )


class LetterFilterSet(WagtailFilterSet):
    update = IdChoiceFilter(
        label="Update",
        queryset=lambda request: letter_updates(request.user).order_by("-first_published_at"),
    )
    status = ChoiceFilter(
        label="Sent or not",
        choices=[(Letter.Status.DUE, "To print"), (Letter.Status.SENT, "Sent")],
    )

    class Meta:
        model = Letter
        fields = []


def print_url(update_id, letter_id=None) -> str:
    url = reverse("letters:print", args=[update_id])
    return f"{url}?letters={letter_id}" if letter_id else url


class AddressColumn(Column):
    cell_template_name = "consultations/offline/address_cell.html"


class LinkColumn(Column):
    cell_template_name = "consultations/offline/link_cell.html"


class LetterIndexView(IndexView):
    page_title = "Letters to print"
    template_name = "consultations/offline/letters_index.html"
    default_ordering = "status"
    search_fields = ["contributor__name", "contributor__postal_address"]
    search_backend_name = None

    def get_base_queryset(self):
        return _letters_listed(self.request.user)

    def order_queryset(self, queryset):
        ordering = self.ordering or self.default_ordering
        return super().order_queryset(queryset).order_by(ordering, "created_at", "pk")

    @cached_property
    def chosen_update(self):
        if self.filters is None or not self.filters.is_valid():
            return None
        return self.filters.form.cleaned_data.get("update")

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.chosen_update is not None:
            buttons.append(
                HeaderButton(
                    "Print the letters to print",
                    url=print_url(self.chosen_update.pk),
                    icon_name="doc-full",
                    attrs={"target": "_blank", "rel": "noopener"},
                )
            )
        return buttons

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="letter"),
            TitleColumn(
                "name",
                label="To",
                accessor="contributor.name",
                get_title_id=lambda letter: f"letter_{letter.pk}_title",
                sort_key="contributor__name",
            ),
            AddressColumn("address", label="Address", accessor="contributor.postal_address"),
            Column(
                "ideas",
                label="Their idea",
                accessor=lambda letter: "; ".join(
                    idea.title for idea in letter.contributor.published_ideas
                ),
            ),
            Column("update", label="Update", accessor="update.title", sort_key="update__title"),
            Column("status", label="Status", accessor="get_status_display", sort_key="status"),
            DateColumn("created_at", label="Due since", sort_key="created_at"),
            LinkColumn(
                "print",
                label="Print",
                accessor=lambda letter: (
                    (print_url(letter.update_id, letter.pk), "Print this letter")
                    if letter.status == Letter.Status.DUE
                    else None
                ),
            ),
        ]


class LettersPrintView(PermissionCheckedMixin, View):
    """The letters to print for one update, one per A4 page, printed from the browser.

    A custom view: Wagtail has no print view, and this page is a letter, not an admin
    screen (no admin chrome, the NHS look). `?letters=<id>` prints some of them only.
    """

    permission_policy = letter_policy
    permission_required = "view"

    def get(self, request, pk):
        update = get_object_or_404(UpdatePage.objects.live(), pk=pk)
        if not permissions.can_send_letters(request.user, update):
            raise PermissionDenied("You cannot send letters for this update.")
        letters = loop.letters_due(update=update)
        wanted = posted_ids(request.GET, "letters")
        if wanted:
            letters = letters.filter(pk__in=wanted)
        return TemplateResponse(
            request,
            "consultations/offline/letters_print.html",
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
                "list_url": reverse("letters:index")
                + "?"
                + urlencode({"update": update.pk, "status": Letter.Status.DUE}),
                "update_url": update.full_url,
                "today": timezone.localdate(),
            },
        )


class LetterViewSet(ModelViewSet):
    model = Letter
    name = "letters"
    url_prefix = "letters"
    icon = "mail"
    menu_label = "Letters to print"
    index_view_class = LetterIndexView
    filterset_class = LetterFilterSet
    copy_view_enabled = False
    list_per_page = 50
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(
            permission_policy=letter_policy,
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            usage_url_name=None,
            history_url_name=None,
        )
        return view_kwargs

    @cached_property
    def menu_item_class(self):
        return menu_item_for(letter_policy)

    def register_permissions(self):
        """The policy is passed to the views; Wagtail's model permissions are not used."""

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("print/<int:pk>/", LettersPrintView.as_view(), name="print"),
        ]


class MarkLettersSentBulkAction(BulkAction):
    """ "Mark as sent", on the letters ticked in the listing: once each, with the audit entry
    of `services.letters_mark_sent` on each update concerned. Letters of another PCN never
    reach it (the dispatcher in home/admin_views.py keeps to the PCN boundary, and
    `check_perm` asks the policy); letters already sent are left as they are."""

    display_name = "Mark as sent"
    action_type = "mark_sent"
    aria_label = "Mark the ticked letters as sent"
    template_name = "consultations/offline/confirm_mark_sent.html"
    action_priority = 10
    models = [Letter]

    @classmethod
    def get_queryset(cls, model, object_ids):
        ids = [pk for pk in map(parse_id, object_ids) if pk is not None]
        return list(model._default_manager.filter(pk__in=ids).select_related("contributor"))

    def get_all_objects_in_listing_query(self, parent_id):
        return _letters_listed(self.request.user).values_list("pk", flat=True)

    def check_perm(self, obj):
        return obj.status == Letter.Status.DUE and letter_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    def dispatch(self, request, *args, **kwargs):
        if not letter_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied("You are not a moderator or member of staff of a PCN.")
        return super().dispatch(request, *args, **kwargs)

    def get_execution_context(self):
        return {"user": self.request.user}

    def form_valid(self, form):
        objects, _refused = self.get_actionable_objects()
        if not objects:
            messages.error(self.request, "Tick the letters you have sent.")
            return redirect(self.next_url)
        return super().form_valid(form)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        by_update: dict[int, list[int]] = {}
        for letter in objects:
            by_update.setdefault(letter.update_id, []).append(letter.pk)
        sent = 0
        for update in UpdatePage.objects.filter(pk__in=by_update):
            sent += services.letters_mark_sent(
                update=update, user=user, letter_ids=by_update[update.pk]
            )
        return sent, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return (
            f"{num_parent_objects} letter{'s' if num_parent_objects != 1 else ''} marked as "
            "sent. They will not be listed to print again."
        )


class OfflineViewSetGroup(ViewSetGroup):
    """One menu for residents who take part offline, shown to those who may use it."""

    menu_label = "Offline and letters"
    menu_icon = "mail"
    menu_order = 170
    items = (OfflineContributionViewSet, LetterViewSet)
