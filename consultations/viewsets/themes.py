"""Themes ("what we heard") in the Wagtail admin: a snippet viewset for PPG moderators.

Wagtail gives the listing (filters, search, ordering, pagination), create and edit, delete,
inspect, history (Wagtail's log entries, which every theme service writes) and the bulk
actions (merge, delete). Every state change still goes through `consultations.moderation`,
so the rules and audit entries are those of the services.

The PCN boundary is drawn once, in `ThemePermissionPolicy` and the viewset's queryset: the
moderators (and the admin) of a theme's PCN may add, change and delete it; nothing of
another PCN is listed, offered as a choice or changeable. `admin_scope_register` adds themes
to the boundary of Wagtail's shared screens (bulk actions, the snippet chooser).

Screens Wagtail has no equivalent for (assigning ideas to a theme, a theme's ideas and
quotes with split, suggested themes) are custom views inside the viewset's URLs; each says
why in its docstring.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from consultations import moderation, permissions, suggestions
from consultations.forms import ModelIdChoiceField, apply_validation_error
from consultations.models import (
    ConsultationPage,
    Idea,
    PostStatus,
    Theme,
    ThemeQuote,
    ThemeSuggestion,
    UpdatePage,
)
from consultations.permissions import user_moderates_anything
from consultations.selectors import moderated_consultations
from engage.ids import posted_id, posted_ids
from home.admin_scope import admin_scope_register
from home.admin_views.snippets import PcnSnippetChooserViewSet, PcnSnippetCreateView
from home.boundary import PcnScopedFormMixin, for_user, in_pcns
from home.models import PrimaryCareNetwork

IDEAS_PER_PAGE = 50

# What a moderator may do to their PCN's themes (Wagtail's snippet screens ask for these).
MODERATOR_ACTIONS = frozenset({"add", "change", "delete", "view"})


def themes_moderated_by(user):
    """The themes of every consultation the user moderates (all of them for an admin)."""
    return Theme.objects.filter(consultation__in=moderated_consultations(user))


def _moderated_pcns(user):
    if user.is_superuser:
        return PrimaryCareNetwork.objects.all()
    return PrimaryCareNetwork.objects.filter(moderator_group__in=user.groups.all())


def _moderated_consultation_ids(user) -> frozenset[int]:
    """The ids of the consultations the user moderates, read once per user object (a
    listing asks for every row)."""
    if not hasattr(user, "_engage_moderated_consultation_ids"):
        user._engage_moderated_consultation_ids = frozenset(
            moderated_consultations(user).values_list("pk", flat=True)
        )
    return user._engage_moderated_consultation_ids


def _moderates_anything(user) -> bool:
    """`user_moderates_anything`, read once per user object."""
    if not hasattr(user, "_engage_moderates_anything"):
        user._engage_moderates_anything = user_moderates_anything(user)
    return user._engage_moderates_anything


def _is_active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


class ThemePermissionPolicy(BasePermissionPolicy):
    """Moderators (and the admin) of a theme's PCN may add, change, delete and view it.

    Not Django's model permissions: the right comes from being in a PCN's moderator group,
    as everywhere else in moderation (`permissions.can_moderate`), and reaches that PCN's
    themes only. Anyone else (staff, leads, residents) may do nothing here.
    """

    permission_cache_name = "_engage_theme_permissions"

    def user_has_permission(self, user, action):
        return action in MODERATOR_ACTIONS and _is_active(user) and _moderates_anything(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not MODERATOR_ACTIONS.intersection(actions):
            return users.none()
        moderators = Group.objects.filter(moderated_pcn__isnull=False)
        return users.filter(Q(is_superuser=True) | Q(groups__in=moderators)).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(
            user, action
        ) and instance.consultation_id in _moderated_consultation_ids(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Theme.objects.none()
        return themes_moderated_by(user)

    def users_with_any_permission_for_instance(self, actions, instance):
        pcn = instance.consultation.pcn
        users = self.users_with_any_permission(actions)
        return users.filter(Q(is_superuser=True) | Q(groups=pcn.moderator_group_id)).distinct()


theme_permission_policy = ThemePermissionPolicy(Theme)


@admin_scope_register(Theme)
def _themes_in_the_admin(queryset, user):
    """Wagtail's shared screens (bulk actions, the chooser) see the themes of the PCNs a
    person works for; what they may do with them is the policy's."""
    return for_user(queryset, user)


# The listing


class _IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice by id that answers an id too large for the database as "not a choice"."""

    field_class = ModelIdChoiceField


class ThemeFilterSet(WagtailFilterSet):
    consultation = _IdChoiceFilter(
        label="Consultation",
        queryset=lambda request: (
            moderated_consultations(request.user).order_by("title")
            if request is not None
            else ConsultationPage.objects.none()
        ),
        empty_label="All consultations",
    )
    has_priority = django_filters.BooleanFilter(
        label="Feeds into a vision priority",
        field_name="priority",
        lookup_expr="isnull",
        exclude=True,
    )
    answered = django_filters.BooleanFilter(
        label="Answered by a published update", method="filter_answered"
    )

    class Meta:
        model = Theme
        fields = []

    def filter_answered(self, queryset, name, value):
        answered = Q(pk__in=UpdatePage.objects.live().values("themes"))
        return queryset.filter(answered) if value else queryset.exclude(answered)


class ThemeIndexView(snippet_views.IndexView):
    """Wagtail's listing, with a way to the screens Wagtail has no equivalent for: the
    ideas of each theme, and, once a consultation is chosen, grouping its ideas and
    suggested themes."""

    @cached_property
    def chosen_consultation(self):
        filters = getattr(self, "filters", None)
        if filters is not None and filters.is_valid():
            return filters.form.cleaned_data.get("consultation")
        return None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        consultation = self.chosen_consultation
        if consultation is not None:
            buttons += [
                HeaderButton(
                    "Group ideas into themes",
                    url=reverse(theme_viewset.get_url_name("assign"), args=[consultation.pk]),
                    icon_name="list-ul",
                ),
                HeaderButton(
                    "Suggested themes",
                    url=reverse(theme_viewset.get_url_name("suggestions"), args=[consultation.pk]),
                    icon_name="wand-magic-sparkles",
                ),
            ]
        return buttons

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            ListingMenuItem(
                "Ideas and quotes",
                url=reverse(theme_viewset.get_url_name("ideas"), args=[instance.pk]),
                icon_name="list-ul",
                priority=15,
            ),
            ListingMenuItem(
                "Group this consultation's ideas",
                url=reverse(theme_viewset.get_url_name("assign"), args=[instance.consultation_id]),
                icon_name="list-ul",
                priority=16,
            ),
        ]


# Create, edit and delete: Wagtail's screens, saving through the services


class ThemeForm(PcnScopedFormMixin, WagtailAdminModelForm):
    """A theme's consultation (when it is made), name, summary and priority.

    The choices are the user's own: the consultations they moderate, and the vision
    priorities of those PCNs (of the theme's own PCN once it exists).
    """

    class Meta:
        model = Theme
        fields = ["consultation", "name", "summary", "priority"]
        labels = {"summary": "What we heard", "priority": "Feeds into the vision priority"}
        help_texts = {"summary": "A short, plain-English summary of what residents said."}
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        consultations = moderated_consultations(user).order_by("title")
        if self.instance.pk:
            # A theme stays with its consultation: its ideas are that consultation's.
            consultations = ConsultationPage.objects.filter(pk=self.instance.consultation_id)
            self.fields["consultation"].disabled = True
        self.fields["consultation"] = _select_field(
            self.fields["consultation"], consultations, empty_label=None
        )
        priorities = self.fields["priority"].queryset
        self.fields["priority"] = _select_field(
            self.fields["priority"],
            in_pcns(priorities, _moderated_pcns(user)).order_by("page__path", "sort_order"),
            empty_label="No priority yet",
        )


def _select_field(field, queryset, *, empty_label):
    """A plain select of `queryset` in place of the chooser Wagtail gives a page or snippet."""
    return ModelIdChoiceField(
        queryset=queryset,
        label=field.label,
        help_text=field.help_text,
        required=field.required,
        disabled=field.disabled,
        empty_label=empty_label,
        widget=forms.Select,
    )


class _ServiceSaveMixin:
    """A service's refusal (a name already used, a choice across the PCN boundary) is shown
    on the form, with what the moderator typed kept."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            apply_validation_error(form, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ThemeCreateView(_ServiceSaveMixin, snippet_views.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return moderation.theme_create(
            consultation=data["consultation"],
            user=self.request.user,
            name=data["name"],
            summary=data["summary"],
            priority=data["priority"],
        )


class _WithinPcnMixin:
    """Wagtail's object screens find the object by id in the whole table; these refuse a
    theme the user does not moderate, as the policy says."""

    object_permissions = ("change", "delete", "view")

    def get_object(self, *args, **kwargs):
        theme = super().get_object(*args, **kwargs)
        if not theme_permission_policy.user_has_any_permission_for_instance(
            self.request.user, self.object_permissions, theme
        ):
            raise PermissionDenied("You do not moderate this consultation.")
        return theme

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        theme = getattr(self, "object", None)
        if theme is not None and theme.pk:
            buttons.append(
                Button(
                    "Ideas and quotes",
                    url=reverse(theme_viewset.get_url_name("ideas"), args=[theme.pk]),
                    icon_name="list-ul",
                    priority=5,
                )
            )
        return buttons


class ThemeEditView(_WithinPcnMixin, _ServiceSaveMixin, snippet_views.EditView):
    object_permissions = ("change",)

    def save_instance(self):
        data = self.form.cleaned_data
        return moderation.theme_update(
            theme=self.form.instance,
            user=self.request.user,
            name=data["name"],
            summary=data["summary"],
            priority=data["priority"],
        )


class ThemeDeleteView(_WithinPcnMixin, snippet_views.DeleteView):
    object_permissions = ("delete",)
    success_message = "Theme '%(object)s' deleted. Its ideas are unchanged."

    def delete_action(self):
        moderation.theme_delete(theme=self.object, user=self.request.user)


class ThemeInspectView(_WithinPcnMixin, snippet_views.InspectView):
    pass


class ThemeHistoryView(_WithinPcnMixin, snippet_views.HistoryView):
    pass


class ThemeUsageView(_WithinPcnMixin, snippet_views.UsageView):
    pass


# Screens Wagtail has no equivalent for


class _ThemeScreen(WagtailAdminTemplateMixin, View):
    """For moderators only; each screen checks the consultation is one they moderate."""

    header_icon = "tag"

    def dispatch(self, request, *args, **kwargs):
        if not theme_permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied("You are not a moderator.")
        return super().dispatch(request, *args, **kwargs)

    def consultation_for(self, pk) -> ConsultationPage:
        consultation = get_object_or_404(ConsultationPage, pk=pk)
        if not permissions.can_moderate(self.request.user, consultation):
            raise PermissionDenied("You do not moderate this consultation.")
        return consultation

    def themes_of(self, consultation) -> str:
        return f"{reverse(theme_viewset.get_url_name('list'))}?consultation={consultation.pk}"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse(theme_viewset.get_url_name("list")), "label": "Themes"},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self):
        return []


class ThemeIdeasView(_ThemeScreen):
    """One theme's published ideas: remove some, split some into a new theme, choose up to
    three as quotes (and remove a quote).

    Custom: Wagtail's edit screen edits a theme's own fields; these act on the ideas linked
    to it (through `IdeaTheme`) and on its `ThemeQuote` rows, each through its service with
    its own audit entry, which no Wagtail panel or bulk action does.
    """

    template_name = "consultations/themes/ideas.html"

    def get_page_title(self):
        return f"Ideas and quotes: {self.theme.name}"

    def extra_breadcrumbs(self):
        consultation = self.theme.consultation
        return [
            {"url": self.themes_of(consultation), "label": consultation.title},
            {
                "url": reverse(theme_viewset.get_url_name("edit"), args=[self.theme.pk]),
                "label": self.theme.name,
            },
            {"url": "", "label": "Ideas and quotes"},
        ]

    def load(self, request, pk):
        self.theme = get_object_or_404(Theme.objects.select_related("consultation"), pk=pk)
        if not permissions.can_moderate(request.user, self.theme.consultation):
            raise PermissionDenied("You do not moderate this consultation.")

    def context(self, *, new_name="", ticked=(), errors=()):
        """`new_name` and `ticked`: what the moderator typed and ticked to split the theme,
        shown again when it failed."""
        return self.get_context_data(
            theme=self.theme,
            ideas=self.theme.ideas.filter(status=PostStatus.PUBLISHED).select_related(
                "neighbourhood"
            ),
            quotes=self.theme.quotes.select_related("idea"),
            max_quotes=ThemeQuote.MAX_PER_THEME,
            new_name=new_name,
            ticked=set(ticked),
            errors=list(errors),
            assign_url=reverse(
                theme_viewset.get_url_name("assign"), args=[self.theme.consultation_id]
            ),
            edit_url=reverse(theme_viewset.get_url_name("edit"), args=[self.theme.pk]),
        )

    def get(self, request, pk):
        self.load(request, pk)
        return self.render_to_response(self.context())

    def post(self, request, pk):
        self.load(request, pk)
        action = "quote" if request.POST.get("quote_idea") else request.POST.get("action")
        ideas = posted_ids(request.POST, "ideas")
        try:
            if action == "remove":
                if not ideas:
                    raise ValidationError({"ideas": "Tick the ideas to remove from the theme"})
                moderation.theme_remove_ideas(theme=self.theme, user=request.user, idea_ids=ideas)
                messages.success(request, "Ideas removed from the theme.")
                return redirect(request.path)
            if action == "split":
                new_theme = moderation.theme_split(
                    theme=self.theme,
                    user=request.user,
                    new_name=request.POST.get("new_name", ""),
                    idea_ids=ideas,
                )
                messages.success(request, f"Moved the ideas into a new theme, '{new_theme.name}'.")
                return redirect(request.path)
            if action == "quote":
                idea = get_object_or_404(Idea, pk=posted_id(request.POST, "quote_idea"))
                moderation.theme_quote_add(
                    theme=self.theme,
                    user=request.user,
                    idea=idea,
                    text=request.POST.get("text", ""),
                )
                messages.success(request, "Quote added.")
                return redirect(request.path)
            if action == "unquote":
                quote = get_object_or_404(
                    ThemeQuote, pk=posted_id(request.POST, "quote"), theme=self.theme
                )
                moderation.theme_quote_remove(quote=quote, user=request.user)
                messages.success(request, "Quote removed.")
                return redirect(request.path)
            raise ValidationError("Choose what to do with the ticked ideas.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.render_to_response(
                self.context(
                    new_name=request.POST.get("new_name", ""), ticked=ideas, errors=error.messages
                ),
                status=400,
            )


class AssignIdeasView(_ThemeScreen):
    """A consultation's published ideas, to add to one of its themes, one by one or many
    at once.

    Custom: the ideas are the rows and a theme is the target, the other way round from the
    themes listing; a Wagtail bulk action acts on the rows of its own model's listing, and
    the ideas' listing is another screen's (the moderation queue's).
    """

    template_name = "consultations/themes/assign.html"

    def get_page_title(self):
        return f"Group ideas: {self.consultation.title}"

    def extra_breadcrumbs(self):
        return [
            {"url": self.themes_of(self.consultation), "label": self.consultation.title},
            {"url": "", "label": "Group ideas"},
        ]

    def get(self, request, pk):
        self.consultation = self.consultation_for(pk)
        ideas = (
            Idea.objects.filter(consultation=self.consultation, status=PostStatus.PUBLISHED)
            .select_related("neighbourhood")
            .prefetch_related("themes")
            .order_by("created_at", "pk")
        )
        unthemed_only = bool(request.GET.get("unthemed"))
        if unthemed_only:
            ideas = ideas.filter(themes__isnull=True)
        page = Paginator(ideas, IDEAS_PER_PAGE).get_page(request.GET.get("p"))
        return self.render_to_response(
            self.get_context_data(
                consultation=self.consultation,
                page_obj=page,
                themes=Theme.objects.filter(consultation=self.consultation),
                unthemed=unthemed_only,
                unthemed_count=_unthemed_count(self.consultation),
                add_url=reverse(theme_viewset.get_url_name("add")),
            )
        )

    def post(self, request, pk):
        self.consultation = self.consultation_for(pk)
        theme_id = posted_id(request.POST, "theme")
        ids = posted_ids(request.POST, "ideas")
        theme = Theme.objects.filter(consultation=self.consultation, pk=theme_id).first()
        if theme is None or not ids:
            messages.error(request, "Tick at least one idea and choose a theme.")
        else:
            added = moderation.theme_assign_ideas(theme=theme, user=request.user, idea_ids=ids)
            messages.success(request, f"Added {added} idea(s) to '{theme.name}'.")
        return redirect(request.get_full_path())


def _unthemed_count(consultation) -> int:
    return Idea.objects.filter(
        consultation=consultation, status=PostStatus.PUBLISHED, themes__isnull=True
    ).count()


class SuggestionsView(_ThemeScreen):
    """Suggested themes for a consultation: ask for them, then accept (under a name the
    moderator may change) or discard each.

    Custom: a suggestion is not a theme yet; it comes from a background run
    (`consultations.suggestions`), and accepting one makes a theme with its ideas. Wagtail
    has no screen for proposals that become objects of another model.
    """

    template_name = "consultations/themes/suggestions.html"

    def get_page_title(self):
        return f"Suggested themes: {self.consultation.title}"

    def extra_breadcrumbs(self):
        return [
            {"url": self.themes_of(self.consultation), "label": self.consultation.title},
            {"url": "", "label": "Suggested themes"},
        ]

    def context(self, *, typed_names=None):
        """`typed_names`: suggestion id -> the name the moderator typed for it, shown again
        when accepting it failed."""
        run = self.consultation.suggestion_runs.first()
        proposed = (
            list(
                run.suggestions.filter(status=ThemeSuggestion.Status.PROPOSED)
                .annotate(idea_count=Count("ideas"))
                .prefetch_related(Prefetch("ideas", queryset=Idea.objects.order_by("pk")))
            )
            if run
            else []
        )
        for suggestion in proposed:
            suggestion.shown_name = (typed_names or {}).get(suggestion.pk, suggestion.name)
        return self.get_context_data(
            consultation=self.consultation,
            run=run,
            suggestions=proposed,
            unthemed_count=_unthemed_count(self.consultation),
            themes_url=self.themes_of(self.consultation),
        )

    def get(self, request, pk):
        self.consultation = self.consultation_for(pk)
        return self.render_to_response(self.context())

    def post(self, request, pk):
        self.consultation = self.consultation_for(pk)
        action = request.POST.get("action")
        try:
            if action == "suggest":
                suggestions.suggestion_run_request(
                    consultation=self.consultation, user=request.user
                )
                messages.success(
                    request,
                    "Working out suggested themes. Refresh this page in a moment to see them.",
                )
                return redirect(request.path)
            if action in ("accept", "discard"):
                suggestion = get_object_or_404(
                    ThemeSuggestion,
                    pk=posted_id(request.POST, "suggestion"),
                    run__consultation=self.consultation,
                )
                if action == "accept":
                    theme = suggestions.suggestion_accept(
                        suggestion=suggestion, user=request.user, name=request.POST.get("name")
                    )
                    messages.success(request, f"Theme '{theme.name}' created from the suggestion.")
                else:
                    suggestions.suggestion_discard(suggestion=suggestion, user=request.user)
                    messages.success(request, "Suggestion discarded.")
                return redirect(request.path)
            raise ValidationError("Choose to ask for suggestions, or accept or discard one.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        typed = {}
        if action == "accept" and (suggestion_id := posted_id(request.POST, "suggestion")):
            typed[suggestion_id] = request.POST.get("name", "")
        return self.render_to_response(self.context(typed_names=typed), status=400)


# Bulk actions on the ticked themes


class _ThemeBulkAction(SnippetBulkAction):
    """For moderators only: anyone else is refused before a theme is named."""

    models = [Theme]

    def dispatch(self, request, *args, **kwargs):
        if not theme_permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied("You are not a moderator.")
        return super().dispatch(request, *args, **kwargs)

    @property
    def permission_policy(self):
        return theme_permission_policy


class MergeThemesForm(forms.Form):
    into = forms.ModelChoiceField(
        label="Keep this theme; the others' ideas, quotes and summaries move into it",
        queryset=Theme.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the theme to keep"},
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = themes
        self.fields["into"].queryset = Theme.objects.filter(pk__in=[t.pk for t in themes])

    def clean(self):
        cleaned = super().clean()
        if len(self.themes) < 2:
            raise ValidationError("Tick two or more themes to merge.")
        if len({theme.consultation_id for theme in self.themes}) > 1:
            raise ValidationError("Only themes of the same consultation can be merged.")
        return cleaned


class MergeThemesBulkAction(_ThemeBulkAction):
    """Merge the ticked themes into the one the moderator keeps (`moderation.theme_merge`)."""

    display_name = "Merge"
    action_type = "merge"
    aria_label = "Merge the ticked themes into one"
    template_name = "consultations/themes/confirm_merge.html"
    action_priority = 20
    form_class = MergeThemesForm

    def check_perm(self, theme):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", theme
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "themes": self.get_actionable_objects()[0]}

    def get_execution_context(self):
        return {
            "user": self.request.user,
            "into": self.cleaned_form.cleaned_data["into"],
        }

    @classmethod
    def execute_action(cls, objects, user=None, into=None, **kwargs):
        moderation.theme_merge(into=into, others=objects, user=user)
        return len(objects) - 1, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        into = self.cleaned_form.cleaned_data["into"]
        return f"Merged {num_parent_objects} theme(s) into '{into.name}'."


class DeleteThemesBulkAction(_ThemeBulkAction, DeleteBulkAction):
    """Wagtail's delete, through `moderation.theme_delete` (its audit entry, its check)."""

    def get_execution_context(self):
        return {"user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for theme in objects:
            moderation.theme_delete(theme=theme, user=user)
        return len(objects), 0


# The viewset


class ThemeChooserCreateView(PcnSnippetCreateView):
    """Refused: a theme is made on the Themes screens, through its service."""

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied("Make a theme on the Themes screens.")


class ThemeChooserViewSet(PcnSnippetChooserViewSet):
    """The theme chooser, within the PCN boundary (home.admin_views), with no "create" tab
    (and its address refused): a theme is made on the Themes screens, through its service."""

    creation_form_class = None
    create_view_class = ThemeChooserCreateView


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Themes"
    menu_name = "themes"
    menu_order = 160
    add_to_admin_menu = True
    permission_policy = theme_permission_policy
    chooser_viewset_class = ThemeChooserViewSet
    edit_handler = ObjectList(
        [
            FieldPanel("consultation"),
            FieldPanel("name"),
            FieldPanel("summary"),
            FieldPanel("priority"),
        ],
        base_form_class=ThemeForm,
    )
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = ["name", "consultation", "summary", "priority", "created_at"]

    index_view_class = ThemeIndexView
    add_view_class = ThemeCreateView
    edit_view_class = ThemeEditView
    delete_view_class = ThemeDeleteView
    inspect_view_class = ThemeInspectView
    history_view_class = ThemeHistoryView
    usage_view_class = ThemeUsageView

    filterset_class = ThemeFilterSet
    search_fields = ["name", "summary"]
    list_per_page = 50
    list_display = [
        "name",
        Column("consultation", label="Consultation"),
        Column("idea_count", label="Ideas", sort_key="idea_count"),
        Column("priority", label="Vision priority"),
        DateColumn("updated_at", label="Updated", sort_key="updated_at"),
    ]

    def get_queryset(self, request):
        """The themes of the consultations the user moderates, each with its number of
        published ideas; the consultation and priority read with it."""
        return (
            themes_moderated_by(request.user)
            .select_related("consultation", "priority")
            .annotate(idea_count=Count("ideas", filter=Q(ideas__status=PostStatus.PUBLISHED)))
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("ideas/<int:pk>/", ThemeIdeasView.as_view(), name="ideas"),
            path("assign/<int:pk>/", AssignIdeasView.as_view(), name="assign"),
            path("suggestions/<int:pk>/", SuggestionsView.as_view(), name="suggestions"),
        ]


theme_viewset = ThemeViewSet()
