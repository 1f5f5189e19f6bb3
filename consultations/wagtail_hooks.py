"""The participation admin: moderation (ideas and comments), themes, offline contributions
and letters as Wagtail viewsets (consultations/viewsets/), the idea chooser, each role's
dashboard panels, and the audit log's moderation actions."""

from django.contrib import messages
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from consultations.choosers import idea_chooser_viewset
from consultations.dashboard import dashboard_panels
from consultations.models import Comment, Idea, Theme, UpdatePage
from consultations.readability import update_readability
from consultations.viewsets import moderation as moderation_viewsets
from consultations.viewsets import themes
from consultations.viewsets.charts import ChartsViewSet
from consultations.viewsets.evidence_pack import EvidencePackViewSet
from consultations.viewsets.offline import MarkLettersSentBulkAction, OfflineViewSetGroup
from consultations.viewsets.outreach import OutreachViewSet
from consultations.viewsets.places import place_vision_viewset
from consultations.viewsets.systems import ics_vision_viewset
from consultations.viewsets.who_took_part import WhoTookPartViewSet

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


# The moderation queue: ideas and comments, by PCN (consultations/viewsets/moderation/).
register_permission_policy(Idea, moderation_viewsets.ModerationPermissionPolicy(Idea))
register_permission_policy(Comment, moderation_viewsets.ModerationPermissionPolicy(Comment))


@hooks.register("register_admin_viewset")
def register_moderation_viewsets():
    return moderation_viewsets.ModerationViewSetGroup()


for _bulk_action in moderation_viewsets.BULK_ACTIONS:
    hooks.register("register_bulk_action", _bulk_action)


@hooks.register("register_admin_viewset")
def register_offline_viewsets():
    return OfflineViewSetGroup()


hooks.register("register_bulk_action", MarkLettersSentBulkAction)


# Who took part: contributors' equality answers in aggregate, against the registered
# population, for staff, PCN leads and place leads (consultations/viewsets/who_took_part.py).
@hooks.register("register_admin_viewset")
def register_who_took_part_viewset():
    return WhoTookPartViewSet()


# Charts: a PCN's contributions and answers for its staff and leads, a Place's PCNs side by
# side for its leads (consultations/viewsets/charts.py).
@hooks.register("register_admin_viewset")
def register_charts_viewset():
    return ChartsViewSet()


# Evidence packs: a PCN's or a practice's record of involving people over a period, to print
# or download, for those who may see who took part (consultations/viewsets/evidence_pack.py).
@hooks.register("register_admin_viewset")
def register_evidence_pack_viewset():
    return EvidencePackViewSet()


# Readability: a warning (never a block) when an update's "You said" or "We did" reads
# above a reading age of about 11, after it is saved, created or edited alike.
@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_when_an_update_is_hard_to_read(request, page):
    specific = page.specific
    if not isinstance(specific, UpdatePage):
        return
    for result in update_readability(specific):
        if result.too_hard:
            messages.warning(request, result.message)


# Outreach: what staff did to hear from the groups a consultation was not hearing from.
@hooks.register("register_admin_viewset")
def register_outreach_viewset():
    return OutreachViewSet()


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
    actions.register_action(
        "engage.place.link", "Link to a PCN", "A Place priority linked to a PCN theme or priority"
    )
    actions.register_action(
        "engage.place.unlink", "Unlink", "A Place priority's link to a PCN taken away"
    )
    actions.register_action(
        "engage.ics.link", "Link to a Place", "An ICS priority linked to a Place priority"
    )
    actions.register_action(
        "engage.ics.unlink", "Unlink", "An ICS priority's link to a Place priority taken away"
    )
    actions.register_action("engage.theme.assign", "Add ideas", "Ideas added to the theme")
    actions.register_action("engage.theme.unassign", "Remove ideas", "Ideas removed from the theme")
    actions.register_action("engage.theme.merge", "Merge", "Themes merged into this one")
    actions.register_action("engage.theme.split", "Split", "Ideas split into a new theme")
    actions.register_action("engage.theme.quote", "Add quote", "Quote chosen")
    actions.register_action("engage.theme.unquote", "Remove quote", "Quote removed")
    actions.register_action(
        "engage.summary.approve",
        "Approve what we heard",
        'Residents\' own words approved for "What we heard"',
    )
    actions.register_action(
        "engage.idea.enter", "Enter for a resident", "Entered for a resident who took part offline"
    )
    actions.register_action("engage.letters.sent", "Letters sent", "Letters marked as sent")


@hooks.register("register_admin_viewset")
def register_place_vision_viewset():
    """A place lead's screens: their Place's vision and its priorities' links."""
    return place_vision_viewset


@hooks.register("register_admin_viewset")
def register_ics_vision_viewset():
    """An ICS lead's screens: their system's vision and its priorities' links to its Places'
    priorities, and who took part across it (consultations/viewsets/systems/)."""
    return ics_vision_viewset
