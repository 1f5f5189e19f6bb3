"""Theme screens Wagtail has no equivalent for: a theme's ideas, assigning, suggestions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from consultations import moderation, permissions, suggestions
from consultations.models import (
    ConsultationPage,
    Idea,
    PostStatus,
    Theme,
    ThemeQuote,
    ThemeSuggestion,
)
from consultations.viewsets.themes.policy import theme_permission_policy
from engage.ids import posted_id, posted_ids

IDEAS_PER_PAGE = 50
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
        return (
            f"{reverse(Theme.snippet_viewset.get_url_name('list'))}?consultation={consultation.pk}"
        )

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse(Theme.snippet_viewset.get_url_name("list")), "label": "Themes"},
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
                "url": reverse(Theme.snippet_viewset.get_url_name("edit"), args=[self.theme.pk]),
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
                Theme.snippet_viewset.get_url_name("assign"), args=[self.theme.consultation_id]
            ),
            edit_url=reverse(Theme.snippet_viewset.get_url_name("edit"), args=[self.theme.pk]),
            draft_url=reverse(Theme.snippet_viewset.get_url_name("draft"), args=[self.theme.pk]),
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
                add_url=reverse(Theme.snippet_viewset.get_url_name("add")),
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
