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
quotes with split, suggested themes, drafts of "what we heard") are custom views inside the viewset's URLs; each says
why in its docstring.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import path
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from consultations.models import PostStatus, Theme
from consultations.viewsets.themes.bulk_actions import DeleteThemesBulkAction, MergeThemesBulkAction
from consultations.viewsets.themes.drafts import ConsultationDraftView, ThemeDraftView
from consultations.viewsets.themes.filters import ThemeFilterSet
from consultations.viewsets.themes.forms import ThemeForm
from consultations.viewsets.themes.policy import theme_permission_policy, themes_moderated_by
from consultations.viewsets.themes.screens import AssignIdeasView, SuggestionsView, ThemeIdeasView
from consultations.viewsets.themes.views import (
    ThemeCreateView,
    ThemeDeleteView,
    ThemeEditView,
    ThemeHistoryView,
    ThemeIndexView,
    ThemeInspectView,
    ThemeUsageView,
)
from home.admin_views.snippets import PcnSnippetChooserViewSet, PcnSnippetCreateView

# What wagtail_hooks.py and the tests import from this package.
__all__ = [
    "DeleteThemesBulkAction",
    "MergeThemesBulkAction",
    "theme_permission_policy",
    "theme_viewset",
]

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
            path("draft/<int:pk>/", ThemeDraftView.as_view(), name="draft"),
            path(
                "consultation-draft/<int:pk>/",
                ConsultationDraftView.as_view(),
                name="consultation_draft",
            ),
        ]


theme_viewset = ThemeViewSet()
