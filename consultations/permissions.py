"""Who may do what: one predicate per question, used by views, templates and services.

| role               | may                                                                  |
|--------------------|----------------------------------------------------------------------|
| visitor            | read published ideas and comments                                    |
|                    | on an open consultation: send an idea or a comment without an        |
|                    | account, posted once they confirm their email address (or, where the |
|                    | PCN allows it, with none: always waiting for a moderator)            |
| unverified user    | the same as a visitor until their email address is verified          |
| resident           | on an open consultation: post, edit and withdraw own ideas and       |
|                    | comments, support others' published ideas, follow, flag others' posts |
|                    | see their own pending and hidden posts                               |
| moderator          | everything in the moderation queue of their own PCN only             |
|                    | enter paper, phone and meeting contributions for residents, on an    |
|                    | open or recently closed consultation of their PCN; print letters     |
| staff              | pages of their own PCN only (through Wagtail's page permissions)     |
|                    | who took part in its consultations, in aggregate (and PCN leads,     |
|                    | place leads of its Place)                                            |
|                    | enter offline contributions and print letters, as moderators do      |
|                    | the PCN's charts (and PCN leads, place leads of its Place)           |
| place lead         | their Place's vision page, and linking its priorities to the themes  |
|                    | and priorities of their Place's PCNs only; never another Place's     |
|                    | their Place's charts, its PCNs side by side                          |
|                    | who took part across their Place's PCNs, in aggregate                |
|                    | record outreach actions on its consultations                         |
| ICS lead           | their ICS's vision page, and linking its priorities to the Place     |
|                    | priorities of their ICS's Places only; never another ICS's           |
|                    | their ICS's charts, its Places and PCNs side by side, and each of    |
|                    | its Places' and PCNs' charts                                         |
|                    | who took part across their ICS's PCNs, in aggregate                  |
| admin (superuser)  | everything                                                           |

Roles are groups scoped to a PCN (`PrimaryCareNetwork.moderator_group`, `staff_group` and
`lead_group`), to a Place (`Place.lead_group`) or to an integrated care system
(`IntegratedCareSystem.lead_group`). Everyone with a role, and every admin, must
sign in with two-factor authentication (`engage.roles.needs_two_factor`).
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from consultations.models import Comment, ConsultationPage, Idea, Phase, PostStatus
from engage.roles import group_ids
from home.boundary import ics_ids_led_by, pcn_ids_with_role

# Paper forms and phone calls arrive late: they can be entered this long after closing.
OFFLINE_ENTRY_GRACE = timedelta(days=28)

EDITABLE_STATUSES = (PostStatus.PENDING, PostStatus.PUBLISHED)


_group_ids = group_ids


def is_verified_resident(user) -> bool:
    """Signed in with a verified email address: the bar for taking part."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_engage_verified"):
        user._engage_verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    return user._engage_verified


def is_moderator_of(user, pcn) -> bool:
    if user is None or not user.is_authenticated or pcn is None:
        return False
    if user.is_superuser:
        return True
    return pcn.moderator_group_id is not None and pcn.moderator_group_id in _group_ids(user)


def is_staff_of(user, pcn) -> bool:
    if user is None or not user.is_authenticated or pcn is None:
        return False
    if user.is_superuser:
        return True
    return pcn.staff_group_id is not None and pcn.staff_group_id in _group_ids(user)


def can_see_who_took_part(user, pcn) -> bool:
    """See who took part in the PCN's consultations, in aggregate (equality answers, small
    numbers hidden): its staff and PCN leads, the leads of its Place, and admins. Not PPG
    moderators: special category data is read by as few people as need it."""
    if user is None or not user.is_authenticated or not user.is_active or pcn is None:
        return False
    if user.is_superuser:
        return True
    groups = _group_ids(user)
    if pcn.staff_group_id in groups or pcn.lead_group_id in groups:
        return True
    return _leads_above(user, pcn, groups)


def can_see_charts(user, pcn) -> bool:
    """See a PCN's charts (contributions, channels, neighbourhoods, practices, answers): its
    staff and PCN leads, the leads of its Place, and admins. Not PPG moderators: the charts
    are about the PCN's work, not the queue."""
    if user is None or not user.is_authenticated or not user.is_active or pcn is None:
        return False
    if user.is_superuser:
        return True
    groups = _group_ids(user)
    if pcn.staff_group_id in groups or pcn.lead_group_id in groups:
        return True
    return _leads_above(user, pcn, groups)


def _leads_above(user, pcn, groups) -> bool:
    """A lead of the PCN's Place, or of the integrated care system its Place is in."""
    if not pcn.place_id:
        return False
    place = pcn.place
    if place.lead_group_id is not None and place.lead_group_id in groups:
        return True
    return place.integrated_care_system_id in ics_ids_led_by(user)


def can_see_place_charts(user, place) -> bool:
    """See a Place's PCNs side by side: its leads, its ICS's leads and admins."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return True
    if is_place_lead_of(user, place):
        return True
    return place is not None and place.integrated_care_system_id in ics_ids_led_by(user)


def can_see_place_who_took_part(user, place) -> bool:
    """See who took part across a Place's PCNs' public consultations, in aggregate (equality
    answers, small numbers hidden): its leads and admins. Not a PCN's staff or leads: they
    see their own PCN's."""
    return is_place_lead_of(user, place)


def is_place_lead_of(user, place) -> bool:
    """A member of the Place's lead group (or an admin)."""
    if user is None or not user.is_authenticated or not user.is_active or place is None:
        return False
    if user.is_superuser:
        return True
    return place.lead_group_id is not None and place.lead_group_id in _group_ids(user)


def is_ics_lead_of(user, ics) -> bool:
    """A member of the integrated care system's lead group (or an admin)."""
    if user is None or not user.is_authenticated or not user.is_active or ics is None:
        return False
    if user.is_superuser:
        return True
    return ics.lead_group_id is not None and ics.lead_group_id in _group_ids(user)


def can_see_ics_charts(user, ics) -> bool:
    """See an ICS's Places and PCNs side by side: its leads and admins."""
    return is_ics_lead_of(user, ics)


def can_see_ics_who_took_part(user, ics) -> bool:
    """See who took part across an ICS's PCNs' public consultations, in aggregate: its leads
    and admins (not a Place's or a PCN's, who see their own)."""
    return is_ics_lead_of(user, ics)


def can_link_ics_priority(user, priority) -> bool:
    """Link an ICS priority to the priorities of the system's Places."""
    return is_ics_lead_of(user, priority.page.ics)


def can_link_place_priority(user, priority) -> bool:
    """Link a Place priority to the themes and priorities of the Place's PCNs."""
    return is_place_lead_of(user, priority.page.place)


def can_record_outreach(user, pcn) -> bool:
    """Record, change and remove what the PCN did to reach the groups it was not hearing
    from (`OutreachAction`): its staff, and admins."""
    if user is None or not user.is_active:
        return False
    return is_staff_of(user, pcn)


def can_moderate(user, consultation: ConsultationPage) -> bool:
    return is_moderator_of(user, consultation.pcn)


def is_moderator_or_staff_of(user, pcn) -> bool:
    return is_moderator_of(user, pcn) or is_staff_of(user, pcn)


def accepts_offline_contributions(consultation: ConsultationPage) -> bool:
    """Open, or closed within the last four weeks and not yet answered."""
    now = timezone.now()
    return (
        consultation.live
        and consultation.opens_at <= now
        and consultation.closes_at >= now - OFFLINE_ENTRY_GRACE
        and consultation.phase != Phase.RESPONDED
    )


def can_enter_offline(user, pcn) -> bool:
    """Enter paper, phone and meeting contributions on behalf of the PCN's residents."""
    return is_moderator_or_staff_of(user, pcn)


def can_enter_on_behalf(user, consultation: ConsultationPage) -> bool:
    return can_enter_offline(user, consultation.pcn) and accepts_offline_contributions(consultation)


def can_send_letters(user, update) -> bool:
    """See, print and mark as sent the letters owed to offline contributors."""
    return can_send_letters_in(user, update.pcn)


def can_send_letters_in(user, pcn) -> bool:
    """The same, for the letters of one PCN's contributors (those about their ideas'
    progress belong to no update)."""
    return is_moderator_or_staff_of(user, pcn)


def can_participate(user, consultation: ConsultationPage) -> bool:
    """Post ideas and comments, support and flag: a verified resident, while it is open."""
    return consultation.is_open and consultation.live and is_verified_resident(user)


def can_post_without_account(user, consultation: ConsultationPage) -> bool:
    """Send an idea without an account: someone not signed in (anyone signed in uses their
    account's forms), while the consultation is open."""
    signed_in = user is not None and user.is_authenticated
    return not signed_in and consultation.is_open and consultation.live


def can_comment_without_account(user, idea: Idea) -> bool:
    """Comment without an account on a published idea of an open consultation."""
    return idea.status == PostStatus.PUBLISHED and can_post_without_account(user, idea.consultation)


def can_view_idea(user, idea: Idea) -> bool:
    if idea.status == PostStatus.PUBLISHED:
        return True
    if user is None or not user.is_authenticated:
        return False
    if idea.author_id == user.pk and idea.status != PostStatus.WITHDRAWN:
        return True
    return can_moderate(user, idea.consultation)


def can_view_comment(user, comment: Comment) -> bool:
    """A comment is seen only by those who may see its idea (a comment belongs to its idea)."""
    if not can_view_idea(user, comment.idea):
        return False
    if comment.status == PostStatus.PUBLISHED:
        return True
    if user is None or not user.is_authenticated:
        return False
    if comment.author_id == user.pk and comment.status != PostStatus.WITHDRAWN:
        return True
    return can_moderate(user, comment.idea.consultation)


def is_author(user, post) -> bool:
    return user is not None and user.is_authenticated and post.author_id == user.pk


def can_edit_idea(user, idea: Idea) -> bool:
    return (
        is_author(user, idea)
        and idea.status in EDITABLE_STATUSES
        and can_participate(user, idea.consultation)
    )


def can_withdraw_idea(user, idea: Idea) -> bool:
    return is_author(user, idea) and idea.status in EDITABLE_STATUSES


def can_comment(user, idea: Idea) -> bool:
    return idea.status == PostStatus.PUBLISHED and can_participate(user, idea.consultation)


def can_reply(user, comment: Comment) -> bool:
    return (
        comment.parent_id is None
        and comment.status == PostStatus.PUBLISHED
        and can_comment(user, comment.idea)
    )


def can_edit_comment(user, comment: Comment) -> bool:
    return (
        is_author(user, comment)
        and comment.idea.status == PostStatus.PUBLISHED
        and comment.status in EDITABLE_STATUSES
        and can_participate(user, comment.idea.consultation)
    )


def can_withdraw_comment(user, comment: Comment) -> bool:
    return is_author(user, comment) and comment.status in EDITABLE_STATUSES


def can_support(user, idea: Idea) -> bool:
    """Support someone else's published idea while the consultation is open."""
    return (
        idea.status == PostStatus.PUBLISHED
        and not is_author(user, idea)
        and can_participate(user, idea.consultation)
    )


def can_follow(user) -> bool:
    return is_verified_resident(user)


def can_flag(user, post) -> bool:
    """Report someone else's published idea or comment. Allowed after closing too."""
    if isinstance(post, Comment) and post.idea.status != PostStatus.PUBLISHED:
        return False
    return (
        post.status == PostStatus.PUBLISHED
        and not is_author(user, post)
        and is_verified_resident(user)
    )


def user_moderates_anything(user) -> bool:
    """A PPG moderator of some PCN (one with a site), or an admin: the moderation screens
    are theirs. Answered from the person's roles, read once per user object."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or bool(pcn_ids_with_role(user, "moderator", with_site=True))
