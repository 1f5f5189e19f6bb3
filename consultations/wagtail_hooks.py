from django.urls import include, path, re_path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from consultations import admin_views
from consultations.choosers import idea_chooser_viewset
from consultations.dashboard import dashboard_panels
from consultations.models import Theme
from consultations.viewsets import themes
from consultations.viewsets.offline import MarkLettersSentBulkAction, OfflineViewSetGroup

moderation_urls = [
    path("", admin_views.QueueView.as_view(), name="queue"),
    re_path(
        r"^(?P<kind>idea|comment)/(?P<pk>[0-9]+)/$", admin_views.PostView.as_view(), name="post"
    ),
]


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [
        path("moderation/", include((moderation_urls, "moderation"), namespace="moderation")),
    ]


# Themes: a snippet viewset (its menu item "Themes" sits beside the moderation queue), with
# its permission policy registered first, as Wagtail asks for it when it registers a snippet.
register_permission_policy(Theme, themes.theme_permission_policy)
register_snippet(themes.theme_viewset)
hooks.register("register_bulk_action", themes.MergeThemesBulkAction)
# After Wagtail's own delete (order 0), which this one replaces for themes.
hooks.register("register_bulk_action", themes.DeleteThemesBulkAction, order=1)


@hooks.register("register_admin_viewset")
def register_idea_chooser():
    return idea_chooser_viewset


@hooks.register("construct_homepage_panels")
def add_role_panels(request, panels):
    panels[:0] = dashboard_panels(request.user)


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.user_moderates_anything(request.user)


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return ModeratorMenuItem(
        "Moderation queue", reverse("moderation:queue"), icon_name="tasks", order=150
    )


@hooks.register("register_admin_viewset")
def register_offline_viewsets():
    return OfflineViewSetGroup()


hooks.register("register_bulk_action", MarkLettersSentBulkAction)


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    actions.register_action("engage.moderation.approve", "Approve", "Approved by a moderator")
    actions.register_action("engage.moderation.hide", "Hide", "Hidden by a moderator")
    actions.register_action("engage.moderation.restore", "Restore", "Restored by a moderator")
    actions.register_action(
        "engage.moderation.auto_hide", "Hide after reports", "Hidden after residents' reports"
    )
    actions.register_action("engage.theme.assign", "Add ideas", "Ideas added to the theme")
    actions.register_action("engage.theme.unassign", "Remove ideas", "Ideas removed from the theme")
    actions.register_action("engage.theme.merge", "Merge", "Themes merged into this one")
    actions.register_action("engage.theme.split", "Split", "Ideas split into a new theme")
    actions.register_action("engage.theme.quote", "Add quote", "Quote chosen")
    actions.register_action("engage.theme.unquote", "Remove quote", "Quote removed")
    actions.register_action(
        "engage.idea.enter", "Enter for a resident", "Entered for a resident who took part offline"
    )
    actions.register_action("engage.letters.sent", "Letters sent", "Letters marked as sent")
