"""The bulk action "Mark as sent" on the ticked letters."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from wagtail.admin.views.bulk_action import BulkAction

from consultations import services
from consultations.models import Letter, UpdatePage
from consultations.viewsets.offline.policy import _letters_listed, letter_policy
from engage.ids import parse_id


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
        return list(model._default_manager.filter(pk__in=ids).select_related("contributor__pcn"))

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
        by_update: dict[int | None, list[int]] = {}
        for letter in objects:
            by_update.setdefault(letter.update_id, []).append(letter.pk)
        sent = 0
        progress = by_update.pop(None, [])
        if progress:  # letters about their ideas' progress belong to no update
            sent += services.journey_letters_mark_sent(user=user, letter_ids=progress)
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
