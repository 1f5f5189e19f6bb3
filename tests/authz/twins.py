"""Twin PCNs: one object of every kind that belongs to a PCN, in each of two PCNs.

`build_twins()` returns {"a": {model: object}, "b": {model: object}}. The relation walk
(tests/authz/test_relation_walk.py) links PCN A's objects to PCN B's; a model that belongs to
a PCN but has no object here fails that walk until one is added. The twins are in two
Places, each with its own vision (the objects that belong to a Place), so the walk one level
up links Place A's objects to Place B's PCN's.
"""

from django.utils import timezone

from consultations.models import (
    Channel,
    Comment,
    ConsultationIndexPage,
    ConsultationPage,
    IcsPriority,
    IcsPriorityLink,
    IcsUpdateAction,
    IcsUpdatePage,
    IcsVisionPage,
    Idea,
    IdeaTheme,
    Letter,
    NoAccountPost,
    Notice,
    OfflineContributor,
    PlacePriority,
    PlacePriorityDraft,
    PlacePriorityLink,
    PlacePriorityPoint,
    PlaceUpdateAction,
    PlaceUpdatePage,
    PlaceVisionPage,
    PostStatus,
    SafetyHold,
    SuggestionRun,
    SummaryDraft,
    SummaryPoint,
    Support,
    Theme,
    ThemeQuote,
    ThemeSuggestion,
    UpdateAction,
    UpdateIdea,
    UpdateIndexPage,
    UpdatePage,
)
from consultations.services.places import place_site_setup
from consultations.services.systems import ics_site_setup
from home.models import (
    HomePage,
    IntegratedCareSystem,
    Neighbourhood,
    Practice,
    PrivacyNoticePage,
    VisionPage,
    VisionPriority,
)
from tests.factories import UserFactory, make_consultation, make_pcn_site


def _pcn_objects(letter: str, *, hostname: str, default: bool, ods: str) -> dict:
    home, consultations, updates = make_pcn_site(
        name=f"Twin {letter.upper()} PCN",
        hostname=hostname,
        default=default,
        place_name=f"Twin {letter.upper()} Place",
    )
    pcn = home.pcn
    # Each twin's Place is in an integrated care system of its own, so the walk two levels
    # up links ICS A's objects to ICS B's Place's.
    pcn.place.integrated_care_system = IntegratedCareSystem.objects.create(
        name=f"Twin {letter.upper()} ICS"
    )
    pcn.place.save()
    neighbourhood = Neighbourhood.objects.filter(pcn=pcn).order_by("name").first()
    practice = Practice.objects.create(
        pcn=pcn, name=f"Twin {letter} surgery", ods_code=ods, neighbourhood=neighbourhood
    )
    vision = home.add_child(
        instance=VisionPage(
            title="Our shared vision",
            introduction="<p>Together.</p>",
            priorities=[VisionPriority(title=f"Access {letter}", statement="Access.")],
        )
    )
    priority = vision.priorities.get()
    privacy = home.add_child(
        instance=PrivacyNoticePage(
            title="Privacy notice",
            summary="We look after your information.",
            body="<p>Your email address.</p>",
            last_reviewed=timezone.localdate(),
        )
    )
    consultation = make_consultation(consultations, phase="open", title=f"Twin {letter} hours")
    author = UserFactory()
    contributor = OfflineContributor.objects.create(
        pcn=pcn, name=f"Twin {letter} contributor", postal_address="1 Lane"
    )
    idea = Idea.objects.create(
        consultation=consultation,
        author=None,
        channel=Channel.PAPER,
        contributor=contributor,
        status=PostStatus.PUBLISHED,
        title=f"Twin {letter} idea",
        body="Later appointments.",
        neighbourhood=neighbourhood,
    )
    theme = Theme.objects.create(consultation=consultation, name=f"Twin {letter} theme")
    theme.priority = priority
    theme.save()
    idea_theme = IdeaTheme.objects.create(idea=idea, theme=theme)
    comment = Comment.objects.create(
        idea=idea, author=author, body="Agreed.", status=PostStatus.PUBLISHED
    )
    support = Support.objects.create(idea=idea, user=author)
    quote = ThemeQuote.objects.create(theme=theme, idea=idea, text="Later appointments.")
    run = SuggestionRun.objects.create(consultation=consultation, requested_by=author)
    suggestion = ThemeSuggestion.objects.create(
        run=run, name=f"Twin {letter} suggestion", terms=["evening"]
    )
    suggestion.ideas.add(idea)
    summary = SummaryDraft.objects.create(consultation=consultation, theme=theme)
    point = SummaryPoint.objects.create(
        draft=summary,
        idea=idea,
        comment=comment,
        field=SummaryPoint.Field.COMMENT,
        start=0,
        end=7,
        drafted_start=0,
        drafted_end=7,
        text="Agreed.",
    )
    update = updates.add_child(
        instance=UpdatePage(
            title=f"Twin {letter} update",
            you_said="<p>Later.</p>",
            we_did="<p>Done.</p>",
            consultation=consultation,
            priority=priority,
            themes=[theme],
            actions=[UpdateAction(description="Evening clinic")],
            answered_ideas=[UpdateIdea(idea=idea)],
        )
    )
    notice = Notice.objects.create(
        contributor=OfflineContributor.objects.create(pcn=pcn, email=f"{letter}@example.org"),
        kind=Notice.Kind.UPDATE,
        update=update,
        key="state",
    )
    letter_row = Letter.objects.create(contributor=contributor, update=update, key="state")
    hold = SafetyHold.objects.create(consultation=consultation, comment=comment, urgent=True)
    no_account = NoAccountPost.objects.create(
        consultation=consultation,
        idea=idea,
        kind=NoAccountPost.Kind.COMMENT,
        neighbourhood=neighbourhood,
        client_digest="twin",
        expires_at=timezone.now(),
        status=NoAccountPost.Status.POSTED,
        posted_idea=idea,
        posted_comment=comment,
    )
    place_vision = place_site_setup(place=pcn.place, hostname=f"place.{hostname}")
    place_priority = PlacePriority.objects.create(
        page=place_vision, title=f"Twin {letter} Place priority", description="Together."
    )
    place_link = PlacePriorityLink.objects.create(
        priority=place_priority, theme=theme, confirmed_by=author
    )
    place_draft = PlacePriorityDraft.objects.create(priority=place_priority)
    place_point = PlacePriorityPoint.objects.create(
        draft=place_draft,
        idea=idea,
        comment=comment,
        field=PlacePriorityPoint.Field.COMMENT,
        start=0,
        end=len(comment.body),
        drafted_start=0,
        drafted_end=len(comment.body),
        text=comment.body,
    )
    place_update = PlaceUpdatePage(title=f"Twin {letter} Place update", summary="<p>Done.</p>")
    place_update.priorities = [place_priority]
    place_update.actions = [PlaceUpdateAction(description="Hubs", status="planned")]
    place_vision.add_child(instance=place_update)
    ics_vision = ics_site_setup(ics=pcn.place.integrated_care_system, hostname=f"ics.{hostname}")
    ics_priority = IcsPriority.objects.create(
        page=ics_vision, title=f"Twin {letter} ICS priority", description="Together."
    )
    ics_link = IcsPriorityLink.objects.create(
        priority=ics_priority, place_priority=place_priority, confirmed_by=author
    )
    ics_update = IcsUpdatePage(title=f"Twin {letter} ICS update", summary="<p>Done.</p>")
    ics_update.priorities = [ics_priority]
    ics_update.actions = [IcsUpdateAction(description="Hubs", status="planned")]
    ics_vision.add_child(instance=ics_update)
    return {
        HomePage: home,
        ConsultationIndexPage: consultations,
        UpdateIndexPage: updates,
        VisionPage: vision,
        PrivacyNoticePage: privacy,
        ConsultationPage: consultation,
        UpdatePage: update,
        Neighbourhood: neighbourhood,
        Practice: practice,
        VisionPriority: priority,
        OfflineContributor: contributor,
        Idea: idea,
        Theme: theme,
        IdeaTheme: idea_theme,
        Comment: comment,
        Support: support,
        ThemeQuote: quote,
        SuggestionRun: run,
        ThemeSuggestion: suggestion,
        SummaryDraft: summary,
        SummaryPoint: point,
        UpdateAction: update.actions.get(),
        UpdateIdea: update.answered_ideas.get(),
        Notice: notice,
        Letter: letter_row,
        SafetyHold: hold,
        NoAccountPost: no_account,
        PlaceVisionPage: place_vision,
        PlacePriority: place_priority,
        PlacePriorityLink: place_link,
        PlacePriorityDraft: place_draft,
        PlacePriorityPoint: place_point,
        PlaceUpdatePage: place_update,
        PlaceUpdateAction: place_update.actions.get(),
        IcsVisionPage: ics_vision,
        IcsPriority: ics_priority,
        IcsPriorityLink: ics_link,
        IcsUpdatePage: ics_update,
        IcsUpdateAction: ics_update.actions.get(),
        type(home.pcn): home.pcn,
    }


def build_twins() -> dict[str, dict]:
    return {
        "a": _pcn_objects("a", hostname="localhost", default=True, ods="A81001"),
        "b": _pcn_objects("b", hostname="other.localhost", default=False, ods="B82002"),
    }
