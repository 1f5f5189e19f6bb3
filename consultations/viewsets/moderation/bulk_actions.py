"""Approve, Hide and Restore on the ticked posts: all or nothing."""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404
from django.urls import reverse
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from consultations import moderation
from consultations.models import Comment, Idea, ModerationAction
from consultations.viewsets.moderation.forms import BulkDecisionForm
from consultations.viewsets.moderation.policy import moderated_posts
from engage.ids import parse_id


class PostDecisionBulkAction(PermissionCheckedMixin, BulkAction):
    """One decision on every ticked post, or on none.

    The ticked posts are looked up among those the person moderates only; any other (another
    PCN's, or one that no longer exists) is counted, never named, and stops the decision. A
    post that cannot be decided (another moderator got there first, a rule it breaks) stops
    it too: the confirmation is shown again with the same reason and note, saying which posts
    stopped it and that nothing was changed. The confirmation carries the status each post
    had when it was shown, so a decision made meanwhile by someone else is a conflict.
    """

    models = [Idea, Comment]
    permission_required = "change"  # asked of the permission policy: moderators only
    decision = None
    template_name = "consultations/admin/moderation/confirm_decision.html"
    form_class = BulkDecisionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reason_required": self.decision == "hide"}

    def _ticked_ids(self) -> list[int]:
        values = self.request.GET.getlist("id")
        ids = [parse_id(value) for value in values]
        if None in ids:
            raise BadRequest("A ticked post is not one the queue shows.")
        return list(dict.fromkeys(ids))

    def get_actionable_objects(self):
        if not hasattr(self, "_ticked"):
            ids = self._ticked_ids()
            if not ids:
                raise Http404("Tick at least one post first.")
            found = list(
                moderated_posts(user=self.request.user, model=self.model)
                .filter(pk__in=ids)
                .order_by("created_at", "pk")
            )
            self._ticked = (found, {"items_with_no_access": [], "missing": len(ids) - len(found)})
        found, extra = self._ticked
        return list(found), dict(extra)

    def _forget_ticked(self):
        # Read the posts again: after a refusal they may hold statuses that were rolled back.
        for name in ("_ticked", "_within_pcn_boundary"):
            self.__dict__.pop(name, None)

    def object_context(self, post):
        return {
            "item": post,
            "text": post.title if isinstance(post, Idea) else post.body,
            "url": reverse(f"moderation_{self.model._meta.model_name}s:inspect", args=[post.pk]),
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "decision": self.decision,
            "decision_label": self.display_name,
            "header_icon": "tasks",
        }

    def get_execution_context(self):
        data = self.cleaned_form.cleaned_data
        return {
            "moderator": self.request.user,
            "action": self.decision,
            "reason": data["reason"],
            "note": data["note"],
            "seen_statuses": {
                post: self.request.POST.get(f"seen-{post.pk}") or None
                for post in self.actionable_objects
            },
        }

    def prepare_action(self, objects, objects_without_access):
        missing = objects_without_access["missing"]
        if missing:
            return self.refused(failures=[], missing=missing, ticked=len(objects) + missing)
        return None

    @classmethod
    def execute_action(cls, objects, *, moderator, action, reason, note, seen_statuses):
        decisions = moderation.posts_moderate_bulk(
            posts=objects,
            moderator=moderator,
            action=action,
            reason=reason,
            note=note,
            seen_statuses=seen_statuses,
        )
        return len(decisions), 0

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except moderation.BulkModerationRefused as refused:
            return self.refused(
                failures=refused.failures, missing=0, ticked=len(self.actionable_objects)
            )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refused(self, *, failures, missing, ticked):
        request = self.request
        messages.error(
            request,
            f"Nothing was changed: {len(failures) + missing} of the {ticked} ticked "
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
        self._forget_ticked()
        return self.render_to_response(self.get_context_data(form=self.cleaned_form), status=400)

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} post(s) updated; their authors will be told."


class ApproveBulkAction(PostDecisionBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve the ticked posts"
    decision = ModerationAction.APPROVE
    action_priority = 10


class HideBulkAction(PostDecisionBulkAction):
    display_name = "Hide"
    action_type = "hide"
    aria_label = "Hide the ticked posts"
    decision = ModerationAction.HIDE
    action_priority = 20


class RestoreBulkAction(PostDecisionBulkAction):
    display_name = "Restore"
    action_type = "restore"
    aria_label = "Restore the ticked hidden posts"
    decision = ModerationAction.RESTORE
    action_priority = 30


BULK_ACTIONS = (ApproveBulkAction, HideBulkAction, RestoreBulkAction)
