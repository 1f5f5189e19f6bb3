"""State changes for outreach actions: what a PCN's staff did to hear from the groups a
consultation was not hearing from (`consultations.models.OutreachAction`)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.log_actions import log

from consultations import permissions
from consultations.models import OutreachAction
from engage.text import plain_text


def _what_changed(action: OutreachAction) -> dict:
    # For the history screen: what was recorded, never anything about a person.
    return {
        "consultation": action.consultation_id,
        "groups": list(action.groups or []),
        "held_on": action.held_on.isoformat() if action.held_on else None,
        "channel": action.channel,
        "contributions": action.contributions,
    }


@transaction.atomic
def outreach_action_save(*, user, action: OutreachAction) -> OutreachAction:
    """Record a new outreach action, or the changes to one (`action` as the form left it).

    Only staff of the consultation's PCN (and admins) may; the description is made plain
    text, everything is validated (`full_clean`: the groups are from the list, the date is
    not in the future, the count is 0 or more, the consultation is in the PCN), and the
    change is written to the audit log ("wagtail.create" or "wagtail.edit", which the
    history screen shows).
    """
    consultation = action.consultation
    if not permissions.can_record_outreach(user, consultation.pcn):
        raise PermissionDenied("You cannot record outreach for this consultation.")
    if action.pk is not None:
        before = OutreachAction.objects.select_for_update().get(pk=action.pk)
        if not permissions.can_record_outreach(user, before.consultation.pcn):
            raise PermissionDenied("You cannot change this outreach action.")
    created = action.pk is None
    action.description = plain_text(action.description, single_line=True)
    if created:
        action.created_by = user
    action.full_clean()
    action.save()
    log(
        instance=action,
        action="wagtail.create" if created else "wagtail.edit",
        user=user,
        content_changed=True,
        data=_what_changed(action),
    )
    return action


@transaction.atomic
def outreach_action_delete(*, user, action: OutreachAction) -> None:
    """Remove an outreach action recorded by mistake; the audit log keeps that it was."""
    if not permissions.can_record_outreach(user, action.consultation.pcn):
        raise PermissionDenied("You cannot remove this outreach action.")
    log(instance=action, action="wagtail.delete", user=user, data=_what_changed(action))
    action.delete()
