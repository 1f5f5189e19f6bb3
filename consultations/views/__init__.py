"""Views for taking part in a consultation, by concept: `ideas` (the consultation page, its
ideas, supports and follows), `comments`, `flags` (reports to the moderators) and `findings`
("What we heard"), `no_account` (an idea or comment sent without an account); `common`
holds what they share.

They are routes of `ConsultationPage` (so every URL sits under its consultation and its
PCN's site). Each reads input with a form, calls one service, and renders or redirects.
This package is the table of those routes: `ConsultationsConfig.ready()` hands it to
`consultations.models.route_views_register`, which takes each route's view by name.
"""

from consultations.views.comments import comment_create, comment_edit, comment_withdraw
from consultations.views.findings import FINDINGS_CSV_HEADER, what_we_heard, what_we_heard_csv
from consultations.views.flags import comment_flag, idea_flag
from consultations.views.ideas import (
    consultation_detail,
    consultation_follow,
    idea_create,
    idea_detail,
    idea_edit,
    idea_follow,
    idea_support,
    idea_withdraw,
)
from consultations.views.no_account import comment_create_no_account, idea_create_no_account

__all__ = [
    "FINDINGS_CSV_HEADER",
    "comment_create",
    "comment_create_no_account",
    "comment_edit",
    "comment_flag",
    "comment_withdraw",
    "consultation_detail",
    "consultation_follow",
    "idea_create",
    "idea_create_no_account",
    "idea_detail",
    "idea_edit",
    "idea_flag",
    "idea_follow",
    "idea_support",
    "idea_withdraw",
    "what_we_heard",
    "what_we_heard_csv",
]
