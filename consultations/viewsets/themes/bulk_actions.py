"""Merge and delete on the ticked themes, through the services."""

from django.core.exceptions import PermissionDenied
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from consultations import moderation
from consultations.models import Theme
from consultations.viewsets.themes.forms import MergeThemesForm
from consultations.viewsets.themes.policy import theme_permission_policy


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
