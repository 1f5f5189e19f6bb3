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

from django.urls import path
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from consultations.models import Comment, Idea
from consultations.viewsets.moderation.bulk_actions import BULK_ACTIONS
from consultations.viewsets.moderation.filters import CommentFilterSet, PostFilterSet
from consultations.viewsets.moderation.history import decision_log_formatter
from consultations.viewsets.moderation.policy import ModerationPermissionPolicy
from consultations.viewsets.moderation.views import (
    PER_PAGE,
    CommentIndexView,
    IdeaIndexView,
    PostHistoryView,
    PostIndexView,
    PostInspectView,
)

# What wagtail_hooks.py and the tests import from this package.
__all__ = [
    "BULK_ACTIONS",
    "ModerationPermissionPolicy",
    "ModerationViewSetGroup",
    "decision_log_formatter",
]

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
    # Residents' posts link to nothing and are never "used" by a page, and a post deleted
    # with its comments must not cost a reference-index query per comment.
    add_to_reference_index = False

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
