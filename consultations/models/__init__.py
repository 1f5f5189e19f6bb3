"""The consultations app's models, by concept.

- `pages`: consultations (the page a question is put on, its index, its phases).
- `participation`: ideas, comments, supports, follows; residents who took part offline.
- `no_account`: ideas and comments sent without an account, waiting for their sender to
  confirm their email address.
- `themes`: themes, the ideas in them, their quotes, and suggested themes.
- `moderation`: residents' reports (flags) and the audit trail of moderators' decisions.
- `loop`: closing the loop, the "You said, we did" update pages.
- `outbox`: emails and letters owed to people until they are sent.
- `drafts`: drafts of "what we heard" made of residents' own words, and their approval,
  for a PCN's themes and consultations and for a Place's priorities.
- `equality`: residents' equality answers ("About you"), kept apart and read in aggregate;
  outreach actions, what a PCN did to hear from the groups it was not hearing from;
  communication needs (the Accessible Information Standard).
- `safety`: posts the clinical safety net holds from the public until a moderator decides.
- `places`: a Place's shared vision, its priorities and the PCN themes and priorities they cite.
- `systems`: an integrated care system's shared vision, its priorities and the Place
  priorities they cite, and its "You said, we did" updates.
- `rollups`: the figures of a Place's and an ICS's leads' screens, worked out ahead.

Every model and enum is importable from here: `from consultations.models import Idea`.
"""

from consultations.models.drafts import (
    PlacePriorityDraft,
    PlacePriorityPoint,
    SummaryDraft,
    SummaryPoint,
    post_may_be_quoted,
)
from consultations.models.equality import (
    AGE_BAND_POPULATION,
    PREFER_NOT_TO_SAY,
    QUESTIONS,
    AgeBand,
    CommunicationFormat,
    CommunicationNeeds,
    EqualityAnswers,
    EthnicGroupDetail,
    OutreachAction,
    ethnic_group_of,
)
from consultations.models.loop import (
    ActionStatus,
    UpdateAction,
    UpdateIdea,
    UpdateIndexPage,
    UpdatePage,
)
from consultations.models.moderation import (
    Flag,
    FlagReason,
    ModerationAction,
    ModerationDecision,
    ModerationReason,
)
from consultations.models.no_account import NoAccountPost
from consultations.models.outbox import Letter, Notice
from consultations.models.pages import (
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationPageQuerySet,
    ModerationMode,
    Phase,
    phase_at,
    route_views_register,
)
from consultations.models.participation import (
    OFFLINE_CHANNELS,
    Attribution,
    Channel,
    Comment,
    ContributorKind,
    Follow,
    Idea,
    IdeaContentQuerySet,
    IdeaQuerySet,
    OfflineContributor,
    PostStatus,
    ReplyBy,
    Support,
)
from consultations.models.places import (
    PlacePriority,
    PlacePriorityLink,
    PlaceUpdateAction,
    PlaceUpdatePage,
    PlaceVisionPage,
)
from consultations.models.rollups import RollupKind, RollupSnapshot
from consultations.models.safety import AlertRoute, SafetyHold, SafetyHoldQuerySet
from consultations.models.systems import (
    IcsPriority,
    IcsPriorityLink,
    IcsUpdateAction,
    IcsUpdatePage,
    IcsVisionPage,
)
from consultations.models.themes import (
    IdeaTheme,
    SuggestionRun,
    Theme,
    ThemeContentQuerySet,
    ThemeQuote,
    ThemeSuggestion,
)

__all__ = [
    "AGE_BAND_POPULATION",
    "OFFLINE_CHANNELS",
    "PREFER_NOT_TO_SAY",
    "QUESTIONS",
    "ActionStatus",
    "AgeBand",
    "AlertRoute",
    "Attribution",
    "Channel",
    "Comment",
    "CommunicationFormat",
    "CommunicationNeeds",
    "ConsultationIndexPage",
    "ConsultationPage",
    "ConsultationPageQuerySet",
    "ContributorKind",
    "EqualityAnswers",
    "EthnicGroupDetail",
    "Flag",
    "FlagReason",
    "Follow",
    "IcsPriority",
    "IcsPriorityLink",
    "IcsUpdateAction",
    "IcsUpdatePage",
    "IcsVisionPage",
    "Idea",
    "IdeaContentQuerySet",
    "IdeaQuerySet",
    "IdeaTheme",
    "Letter",
    "ModerationAction",
    "ModerationDecision",
    "ModerationMode",
    "ModerationReason",
    "NoAccountPost",
    "Notice",
    "OfflineContributor",
    "OutreachAction",
    "Phase",
    "PlacePriority",
    "PlacePriorityDraft",
    "PlacePriorityLink",
    "PlacePriorityPoint",
    "PlaceUpdateAction",
    "PlaceUpdatePage",
    "PlaceVisionPage",
    "PostStatus",
    "ReplyBy",
    "RollupKind",
    "RollupSnapshot",
    "SafetyHold",
    "SafetyHoldQuerySet",
    "SuggestionRun",
    "SummaryDraft",
    "SummaryPoint",
    "Support",
    "Theme",
    "ThemeContentQuerySet",
    "ThemeQuote",
    "ThemeSuggestion",
    "UpdateAction",
    "UpdateIdea",
    "UpdateIndexPage",
    "UpdatePage",
    "ethnic_group_of",
    "phase_at",
    "post_may_be_quoted",
    "route_views_register",
]
