"""State changes, by concept: what residents post (`participation`), what is entered for
residents who took part offline (`offline`), what staff did to reach the groups they were
not hearing from (`outreach`), the clinical safety check that holds posts (`safety`), and a
Place's site and the links of its vision (`places`), and an integrated care system's
(`systems`). Moderation's are in
`consultations.moderation`.

Every service is importable from here too (`from consultations import services`).
"""

from consultations.services.offline import (
    idea_submit_on_behalf,
    journey_letters_mark_sent,
    letters_mark_sent,
)
from consultations.services.outreach import outreach_action_delete, outreach_action_save
from consultations.services.participation import (
    DEFAULT_RATE_LIMITS,
    RateLimited,
    comment_count_refresh,
    comment_create,
    comment_update,
    comment_withdraw,
    flag_create,
    follow_add,
    follow_remove,
    idea_submit,
    idea_update,
    idea_withdraw,
    neighbourhood_check,
    support_add,
    support_remove,
)
from consultations.services.places import (
    place_lead_group_setup,
    place_priority_link,
    place_priority_unlink,
    place_site_setup,
)
from consultations.services.safety import (
    PostCheck,
    SafetyCheckNeeded,
    post_check,
    safety_acknowledged,
    safety_gate,
    safety_hold_place,
)
from consultations.services.systems import (
    ics_lead_group_setup,
    ics_priority_link,
    ics_priority_unlink,
    ics_site_setup,
)

__all__ = [
    "DEFAULT_RATE_LIMITS",
    "PostCheck",
    "RateLimited",
    "SafetyCheckNeeded",
    "comment_count_refresh",
    "comment_create",
    "comment_update",
    "comment_withdraw",
    "flag_create",
    "follow_add",
    "follow_remove",
    "ics_lead_group_setup",
    "ics_priority_link",
    "ics_priority_unlink",
    "ics_site_setup",
    "idea_submit",
    "idea_submit_on_behalf",
    "idea_update",
    "idea_withdraw",
    "journey_letters_mark_sent",
    "letters_mark_sent",
    "neighbourhood_check",
    "outreach_action_delete",
    "outreach_action_save",
    "place_lead_group_setup",
    "place_priority_link",
    "place_priority_unlink",
    "place_site_setup",
    "post_check",
    "safety_acknowledged",
    "safety_gate",
    "safety_hold_place",
    "support_add",
    "support_remove",
]
