"""A Place's shared vision: links that stay inside the Place, how widely each priority was
heard, and the public page that shows it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import PlacePriorityLink, PostStatus, Theme
from consultations.selectors import place_vision_heard
from consultations.services.places import place_priority_link, place_priority_unlink
from tests.places.conftest import make_ideas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_page(settings):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0


# The boundary one level up


def test_the_model_refuses_a_theme_of_another_places_pcn(places):
    link = PlacePriorityLink(
        priority=places.priority, theme=places.other.theme, confirmed_by=places.place_lead
    )
    with pytest.raises(ValidationError) as refused:
        link.full_clean()
    assert "belongs to another Place" in refused.value.message_dict["theme"][0]


def test_the_model_accepts_a_theme_and_a_priority_of_its_own_places_pcns(places):
    for cited in (
        {"theme": places.two.theme},
        {"vision_priority": places.one.vision.priorities.get()},
    ):
        PlacePriorityLink(
            priority=places.priority, confirmed_by=places.place_lead, **cited
        ).full_clean()


def test_the_service_refuses_a_cross_place_link_with_a_clear_message(places):
    with pytest.raises(ValidationError) as refused:
        place_priority_link(
            priority=places.priority, user=places.place_lead, theme=places.other.theme
        )
    assert refused.value.message_dict["theme"] == [
        "'OTHERPLACETHEME' belongs to another Place. Choose from the PCNs of Riverbridge only."
    ]
    with pytest.raises(ValidationError):
        place_priority_link(
            priority=places.priority,
            user=places.place_lead,
            vision_priority=places.other.vision.priorities.get(),
        )
    assert not PlacePriorityLink.objects.exists()


@pytest.mark.parametrize("who", ["other_place_lead", "staff"])
def test_only_the_places_leads_may_link_its_priorities(places, who):
    with pytest.raises(PermissionDenied):
        place_priority_link(
            priority=places.priority, user=getattr(places, who), theme=places.one.theme
        )
    assert not PlacePriorityLink.objects.exists()


def test_a_place_lead_links_and_unlinks_and_the_link_records_who_and_when(places):
    link = place_priority_link(
        priority=places.priority, user=places.place_lead, theme=places.one.theme
    )
    assert link.confirmed_by == places.place_lead
    assert link.confirmed_at is not None
    with pytest.raises(ValidationError, match="cites it already"):
        place_priority_link(
            priority=places.priority, user=places.place_lead, theme=places.one.theme
        )
    with pytest.raises(PermissionDenied):
        place_priority_unlink(link=link, user=places.other_place_lead)
    place_priority_unlink(link=link, user=places.place_lead)
    assert not PlacePriorityLink.objects.exists()


def test_a_theme_of_a_private_consultation_cannot_be_cited(places):
    with pytest.raises(ValidationError, match="the public cannot read"):
        place_priority_link(
            priority=places.priority, user=places.place_lead, theme=places.private_theme
        )


def test_one_link_cites_exactly_one_thing(places):
    with pytest.raises(ValidationError, match="Choose one"):
        place_priority_link(priority=places.priority, user=places.place_lead)
    with pytest.raises(ValidationError, match="Choose one"):
        place_priority_link(
            priority=places.priority,
            user=places.place_lead,
            theme=places.one.theme,
            vision_priority=places.one.vision.priorities.get(),
        )


# How widely each was heard


def _cite(places, **cited):
    return PlacePriorityLink.objects.create(
        priority=places.priority, confirmed_by=places.place_lead, **cited
    )


def test_heard_in_n_of_m_pcns_with_published_ideas_and_comments_only(places):
    make_ideas(places.one.consultation, places.one.theme, 3, comments=2)  # 3 + 6
    make_ideas(places.one.consultation, places.one.theme, 4, status=PostStatus.HIDDEN, comments=1)
    make_ideas(places.one.consultation, places.one.theme, 2, status=PostStatus.PENDING)
    _cite(places, theme=places.one.theme)
    (heard,) = place_vision_heard(page=places.vision)
    assert (heard.pcn_count, heard.place_pcn_count, heard.contributions) == (1, 2, 9)

    # PCN two's priority is cited: the themes feeding it count, from PCN two.
    make_ideas(places.two.consultation, places.two.theme, 1, comments=1)  # 1 + 1
    _cite(places, vision_priority=places.two.vision.priorities.get())
    (heard,) = place_vision_heard(page=places.vision)
    assert (heard.pcn_count, heard.place_pcn_count, heard.contributions) == (2, 2, 11)
    assert [cited.theme.name for cited in heard.themes] == ["Evening appointments", "Later opening"]


def test_an_idea_in_two_cited_themes_counts_once(places):
    ideas = make_ideas(places.one.consultation, places.one.theme, 2, comments=1)
    second = Theme.objects.create(consultation=places.one.consultation, name="Weekends")
    from consultations.models import IdeaTheme

    IdeaTheme.objects.create(idea=ideas[0], theme=second)
    _cite(places, theme=places.one.theme)
    _cite(places, theme=second)
    (heard,) = place_vision_heard(page=places.vision)
    assert heard.contributions == 4
    assert heard.pcn_count == 1


def test_a_private_consultations_theme_is_never_counted_or_shown(places):
    make_ideas(places.private, places.private_theme, 5, comments=1)
    # Linked before the consultation was made private, say: still left out.
    _cite(places, theme=places.private_theme)
    (heard,) = place_vision_heard(page=places.vision)
    assert (heard.pcn_count, heard.contributions, heard.themes) == (0, 0, [])


def test_a_theme_fed_into_a_cited_priority_from_a_private_consultation_is_left_out(places):
    places.private_theme.priority = places.one.vision.priorities.get()
    places.private_theme.save()
    make_ideas(places.private, places.private_theme, 5)
    _cite(places, vision_priority=places.one.vision.priorities.get())
    (heard,) = place_vision_heard(page=places.vision)
    assert [cited.theme.name for cited in heard.themes] == ["Evening appointments"]
    assert heard.contributions == 0


# The public page


def test_the_public_page_shows_each_priority_heard_in_and_its_themes(places):
    make_ideas(places.one.consultation, places.one.theme, 3, comments=1)
    make_ideas(places.private, places.private_theme, 2)
    _cite(places, theme=places.one.theme)
    _cite(places, theme=places.private_theme)
    _cite(places, vision_priority=places.two.vision.priorities.get())
    response = Client().get("/", HTTP_HOST="localhost")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Appointments that fit around work" in html
    assert "Heard in 2 of 2 PCNs, 6 contributions." in html
    what_we_heard = places.one.consultation.get_url() + "what-we-heard/"
    assert f'href="{what_we_heard}#theme-{places.one.theme.pk}"' in html
    assert "North PCN" in html and "Later opening" in html
    for secret in (
        "PRIVATETHEME",
        "PRIVATECONSULTATION",
        "OTHERPLACE",
        "HIDDENCOMMENT",
        "<script>",
    ):
        assert secret not in html


def _place_page_queries(places, hostname) -> int:
    client = Client()
    client.get("/", HTTP_HOST=hostname)  # warm the site's chrome and root paths
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", HTTP_HOST=hostname)
    assert response.status_code == 200
    return len(queries)


def test_the_place_pages_query_count_does_not_grow_with_the_data(places):
    from consultations.services.places import place_site_setup
    from tests.places.conftest import make_pcn_with_theme

    # Small: Place A, two PCNs, one priority citing two themes with a few ideas.
    make_ideas(places.one.consultation, places.one.theme, 2, comments=1)
    _cite(places, theme=places.one.theme)
    _cite(places, vision_priority=places.two.vision.priorities.get())
    small = _place_page_queries(places, "localhost")

    # Large: a Place of eight PCNs, five priorities each citing every theme and priority.
    pcns = [
        make_pcn_with_theme(
            name=f"Large {n} PCN",
            hostname=f"large{n}.example",
            place_name="Largeshire",
            theme_name=f"Large theme {n}",
        )
        for n in range(8)
    ]
    vision = place_site_setup(place=pcns[0].pcn.place, hostname="127.0.0.1")
    from consultations.models import PlacePriority

    vision.save_revision().publish()
    for p in range(5):
        priority = PlacePriority.objects.create(
            page=vision, title=f"Large priority {p}", description="Big.", sort_order=p
        )
        for each in pcns:
            make_ideas(each.consultation, each.theme, 10, comments=2)
            PlacePriorityLink.objects.create(priority=priority, theme=each.theme)
            PlacePriorityLink.objects.create(
                priority=priority, vision_priority=each.vision.priorities.get()
            )
    large = _place_page_queries(places, "127.0.0.1")
    assert large == small
    assert large <= 15
