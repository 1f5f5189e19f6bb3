"""Two Places: Place A with two PCNs (each with a consultation, themes and a vision), and
Place B with one; a Place vision for each, served at its own host name."""

from types import SimpleNamespace

import pytest
from wagtail.models import PageViewRestriction

from consultations.models import Comment, Idea, IdeaTheme, PlacePriority, PostStatus, Theme
from consultations.services.places import place_site_setup
from tests.factories import UserFactory, make_consultation, make_pcn_site
from tests.loop.conftest import make_vision


def make_ideas(consultation, theme, count: int, *, status=PostStatus.PUBLISHED, comments=0):
    """`count` ideas in `theme`, each with `comments` published comments (and one hidden)."""
    author = UserFactory()
    ideas = Idea.objects.bulk_create(
        Idea(
            consultation=consultation,
            author=author,
            title=f"Idea {n} <script>alert(1)</script>",
            body="Evening appointments would help.",
            status=status,
            comment_count=comments,
        )
        for n in range(count)
    )
    IdeaTheme.objects.bulk_create(IdeaTheme(idea=idea, theme=theme) for idea in ideas)
    Comment.objects.bulk_create(
        Comment(idea=idea, author=author, body="Yes.", status=PostStatus.PUBLISHED)
        for idea in ideas
        for _ in range(comments)
    )
    Comment.objects.bulk_create(
        Comment(idea=idea, author=author, body="HIDDENCOMMENT", status=PostStatus.HIDDEN)
        for idea in ideas
    )
    return ideas


def make_pcn_with_theme(*, name, hostname, place_name, default=False, theme_name):
    home, consultations, _ = make_pcn_site(
        name=name, hostname=hostname, default=default, place_name=place_name
    )
    vision = make_vision(home, f"{name} access")
    vision.save_revision().publish()
    consultation = make_consultation(
        consultations, phase="closed", phase_override="under_review", title=f"{name} hours"
    )
    theme = Theme.objects.create(
        consultation=consultation,
        name=theme_name,
        summary="People want evenings.",
        priority=vision.priorities.get(),
    )
    return SimpleNamespace(
        home=home,
        pcn=home.pcn,
        index=consultations,
        vision=vision,
        consultation=consultation,
        theme=theme,
    )


@pytest.fixture
def places(db):
    one = make_pcn_with_theme(
        name="North PCN",
        hostname="north.example",
        place_name="Riverbridge",
        default=True,
        theme_name="Evening appointments",
    )
    two = make_pcn_with_theme(
        name="South PCN",
        hostname="south.example",
        place_name="Riverbridge",
        theme_name="Later opening",
    )
    other = make_pcn_with_theme(
        name="OTHERPLACE PCN",
        hostname="other.example",
        place_name="Otherbridge",
        theme_name="OTHERPLACETHEME",
    )
    # A private consultation of PCN one: its themes are never cited in public.
    private = make_consultation(
        one.index, phase="closed", phase_override="under_review", title="PRIVATECONSULTATION"
    )
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([one.pcn.staff_group])
    private_theme = Theme.objects.create(consultation=private, name="PRIVATETHEME")

    vision = place_site_setup(place=one.pcn.place, hostname="localhost")
    vision.title = "Riverbridge: our shared vision"
    vision.save_revision().publish()
    vision.refresh_from_db()
    priority = PlacePriority.objects.create(
        page=vision, title="Appointments that fit around work", description="Evenings."
    )
    other_vision = place_site_setup(place=other.pcn.place, hostname="otherplace.example")
    other_vision.save_revision().publish()
    other_priority = PlacePriority.objects.create(
        page=other_vision, title="OTHERPLACEPRIORITY", description="Theirs."
    )
    place_lead = UserFactory(groups=[one.pcn.place.lead_group])
    other_place_lead = UserFactory(groups=[other.pcn.place.lead_group])
    return SimpleNamespace(
        one=one,
        two=two,
        other=other,
        private=private,
        private_theme=private_theme,
        vision=vision,
        priority=priority,
        other_vision=other_vision,
        other_priority=other_priority,
        place_lead=place_lead,
        other_place_lead=other_place_lead,
        staff=UserFactory(groups=[one.pcn.staff_group]),
        admin=UserFactory(is_superuser=True, is_staff=True),
    )


__all__ = ["make_ideas", "make_pcn_with_theme", "places"]
