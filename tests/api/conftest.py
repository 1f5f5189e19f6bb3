"""A public world for the open data API: a PCN's site with content in every state, one
private consultation (Wagtail's PageViewRestriction), and a second PCN."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import PageViewRestriction

from consultations.models import Comment, IdeaTheme, PostStatus, Support, Theme
from tests.factories import UserFactory, make_consultation, make_pcn_site
from tests.loop.conftest import action, make_idea, make_update, make_vision

API = "/api/v1/"


@dataclass
class World:
    home: object
    other_home: object
    open_consultation: object
    closed_consultation: object
    private_consultation: object
    other_consultation: object
    theme: object
    private_theme: object
    update: object
    private_update: object
    vision: object


def build_world() -> World:
    home, consultations, updates = make_pcn_site(name="Riverside PCN")
    other_home, other_consultations, _ = make_pcn_site(
        name="Meadowbank PCN", hostname="other.localhost", default=False
    )
    vision = make_vision(home, "Right appointment", "Close to home")
    vision.save_revision().publish()
    priority = vision.priorities.order_by("sort_order").first()
    open_consultation = make_consultation(consultations, title="Evening appointments")
    closed_consultation = make_consultation(
        consultations, phase="closed", phase_override="under_review", title="Weekend opening"
    )
    private_consultation = make_consultation(consultations, title="PRIVATECONSULTATION rota")
    restriction = PageViewRestriction.objects.create(
        page=private_consultation, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([home.pcn.staff_group])
    other_consultation = make_consultation(other_consultations, title="Mornings")

    author, supporter = UserFactory(), UserFactory()
    published = make_idea(open_consultation, author, title="Published idea")
    Idea = type(published)
    Idea.objects.filter(pk=published.pk).update(comment_count=1, support_count=1)
    Comment.objects.create(idea=published, author=supporter, body="Yes", status="published")
    Support.objects.create(idea=published, user=supporter)
    hidden_ideas = [
        make_idea(open_consultation, author, status=status, title=f"{status.upper()}IDEA")
        for status in (PostStatus.PENDING, PostStatus.HIDDEN, PostStatus.WITHDRAWN)
    ]
    # Counters of posts that are not published must not be added up either.
    Idea.objects.filter(pk__in=[i.pk for i in hidden_ideas]).update(
        comment_count=5, support_count=5
    )
    theme = Theme.objects.create(
        consultation=closed_consultation,
        name="Weekends",
        summary="People want weekends.",
        priority=priority,
    )
    reviewed = make_idea(closed_consultation, author, title="Saturday please")
    IdeaTheme.objects.create(idea=reviewed, theme=theme)
    for idea in hidden_ideas:
        IdeaTheme.objects.create(idea=idea, theme=theme)
    open_theme = Theme.objects.create(
        consultation=open_consultation, name="Evenings", summary="SECRETSUMMARY not yet public"
    )
    IdeaTheme.objects.create(idea=published, theme=open_theme)
    private_theme = Theme.objects.create(
        consultation=private_consultation, name="PRIVATETHEME rotas", priority=priority
    )
    update = make_update(
        updates,
        title="Saturday clinics",
        consultation=closed_consultation,
        themes=[theme],
        priority=priority,
        actions=[
            action("Saturday clinic", "done", 0),
            action("Sunday clinic", "not_possible", 1, not_possible_reason="No staff."),
        ],
    )
    private_update = make_update(
        updates,
        title="PRIVATEUPDATE rota",
        consultation=private_consultation,
        themes=[private_theme],
    )
    PageViewRestriction.objects.create(
        page=private_update, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    make_update(updates, title="DRAFTUPDATE plan", live=False, publish=False)
    return World(
        home=home,
        other_home=other_home,
        open_consultation=open_consultation,
        closed_consultation=closed_consultation,
        private_consultation=private_consultation,
        other_consultation=other_consultation,
        theme=theme,
        private_theme=private_theme,
        update=update,
        private_update=private_update,
        vision=vision,
    )


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def api():
    """GET an address of the API as a visitor: the response, its JSON in `.data`."""
    cache.clear()
    client = Client()

    def get(address, **params):
        response = client.get(API + address, params)
        response.data = response.json()
        return response

    return get


def results(api, address, **params) -> list[dict]:
    """Every result of a list, following its `next` links."""
    response = api(address, **params)
    assert response.status_code == 200, response.data
    found = list(response.data["results"])
    while response.data["next"]:
        response = Client().get(response.data["next"])
        found += response.json()["results"]
    return found
