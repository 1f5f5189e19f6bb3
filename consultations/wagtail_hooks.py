from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from consultations import admin_views
from consultations.choosers import idea_chooser_viewset
from consultations.dashboard import dashboard_panels
from consultations.models import Comment, Idea
from consultations.viewsets import moderation as moderation_viewsets

moderation_urls = [
    path("themes/", admin_views.ConsultationListView.as_view(), name="consultations"),
    path("themes/<int:pk>/", admin_views.ThemeListView.as_view(), name="themes"),
    path("themes/<int:pk>/ideas/", admin_views.AssignIdeasView.as_view(), name="assign"),
    path("theme/<int:pk>/", admin_views.ThemeEditView.as_view(), name="theme"),
]

# Moderators' and staff's screens for residents who take part offline.
offline_urls = [
    path("offline/", admin_views.OfflineConsultationsView.as_view(), name="consultations"),
    path("offline/<int:pk>/", admin_views.OfflineIdeaView.as_view(), name="idea"),
    path("letters/", admin_views.LetterUpdatesView.as_view(), name="letter-updates"),
    path("letters/<int:pk>/", admin_views.LettersView.as_view(), name="letters"),
    path("letters/<int:pk>/print/", admin_views.LettersPrintView.as_view(), name="letters-print"),
]


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [
        path("moderation/", include((moderation_urls, "moderation"), namespace="moderation")),
        path("", include((offline_urls, "offline"), namespace="offline")),
    ]


@hooks.register("register_admin_viewset")
def register_idea_chooser():
    return idea_chooser_viewset


@hooks.register("construct_homepage_panels")
def add_role_panels(request, panels):
    panels[:0] = dashboard_panels(request.user)


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.user_moderates_anything(request.user)


# The moderation queue: ideas and comments, by PCN (consultations/viewsets/moderation.py).
register_permission_policy(Idea, moderation_viewsets.ModerationPermissionPolicy(Idea))
register_permission_policy(Comment, moderation_viewsets.ModerationPermissionPolicy(Comment))


@hooks.register("register_admin_viewset")
def register_moderation_viewsets():
    return moderation_viewsets.ModerationViewSetGroup()


for _bulk_action in moderation_viewsets.BULK_ACTIONS:
    hooks.register("register_bulk_action", _bulk_action)


@hooks.register("register_admin_menu_item")
def register_themes_menu_item():
    return ModeratorMenuItem(
        "Themes", reverse("moderation:consultations"), icon_name="tag", order=160
    )


class OfflineMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.user_enters_offline_anything(request.user)


@hooks.register("register_admin_menu_item")
def register_offline_menu_item():
    return OfflineMenuItem(
        "Enter a contribution", reverse("offline:consultations"), icon_name="form", order=170
    )


@hooks.register("register_admin_menu_item")
def register_letters_menu_item():
    return OfflineMenuItem(
        "Letters to print", reverse("offline:letter-updates"), icon_name="mail", order=180
    )


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    for action, label, message in (
        ("engage.moderation.approve", "Approve", "Approved by a moderator"),
        ("engage.moderation.hide", "Hide", "Hidden by a moderator"),
        ("engage.moderation.restore", "Restore", "Restored by a moderator"),
    ):
        actions.register_action(action)(moderation_viewsets.decision_log_formatter(label, message))
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
