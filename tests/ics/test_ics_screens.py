"""An ICS lead's linking screens (consultations/viewsets/systems/): they pick a priority of
their system's vision and link the priorities of their own Places' published visions, with
suggestions worked out on the server; another system's lead finds nothing, a place lead and
PCN staff are refused, and every link is a person's POST."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import IcsPriority, IcsPriorityLink, PlacePriority
from tests.ics.conftest import link_place_priority

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _links_url(priority) -> str:
    return reverse("ics_vision:links", args=[priority.pk])


def test_an_ics_lead_sees_their_systems_vision_and_its_priorities_only(system):
    response = _client(system.ics_lead).get(reverse("ics_vision:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Care closer to home" in html
    assert _links_url(system.priority) in html
    assert "OTHERICSOWNPRIORITY" not in html


def test_the_links_screen_offers_only_the_systems_places_published_priorities(system):
    system.places.other_vision.refresh_from_db()
    system.places.other_vision.unpublish()
    html = _client(system.ics_lead).get(_links_url(system.priority)).content.decode()
    assert "Appointments that fit around work (Riverbridge)" in html
    for hidden in ("OTHERICSPRIORITY", "OTHERPLACEPRIORITY"):
        assert hidden not in html


def test_an_ics_lead_links_a_place_priority_and_the_link_records_who(system):
    client = _client(system.ics_lead)
    response = client.post(
        _links_url(system.priority), {"place_priority": system.places.priority.pk}
    )
    assert response.status_code == 302 and response["Location"] == _links_url(system.priority)
    link = IcsPriorityLink.objects.get()
    assert (link.priority, link.place_priority) == (system.priority, system.places.priority)
    assert link.confirmed_by == system.ics_lead
    html = client.get(_links_url(system.priority)).content.decode()
    assert "now cites" in html
    assert reverse("ics_vision:unlink", args=[system.priority.pk, link.pk]) in html


def test_another_places_priority_of_the_same_system_may_be_linked_too(system):
    client = _client(system.ics_lead)
    for place_priority in (system.places.priority, system.places.other_priority):
        client.post(_links_url(system.priority), {"place_priority": place_priority.pk})
    assert IcsPriorityLink.objects.filter(priority=system.priority).count() == 2


def test_a_place_priority_of_another_system_is_refused_with_a_clear_error(system):
    response = _client(system.ics_lead).post(
        _links_url(system.priority), {"place_priority": system.far_priority.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The link was not made" in html
    assert "Choose a priority of one of this system&#x27;s own Places" in html
    assert not IcsPriorityLink.objects.exists()


def test_nothing_chosen_says_so_and_links_nothing(system):
    response = _client(system.ics_lead).post(_links_url(system.priority), {})
    assert response.status_code == 400
    assert "Choose a Place priority to link." in response.content.decode()
    assert not IcsPriorityLink.objects.exists()


def test_a_link_made_already_is_refused_and_the_choice_is_kept(system):
    client = _client(system.ics_lead)
    body = {"place_priority": system.places.priority.pk}
    client.post(_links_url(system.priority), body)
    again = client.post(_links_url(system.priority), body)
    assert again.status_code == 400
    html = again.content.decode()
    assert "cites it already" in html
    assert f'<option value="{system.places.priority.pk}" selected>' in html
    assert IcsPriorityLink.objects.count() == 1


def test_a_place_vision_unpublished_between_the_form_and_the_post_is_refused(system):
    client = _client(system.ics_lead)
    client.get(_links_url(system.priority))
    system.places.vision.unpublish()
    response = client.post(
        _links_url(system.priority), {"place_priority": system.places.priority.pk}
    )
    assert response.status_code == 400
    assert not IcsPriorityLink.objects.exists()


def test_an_ics_lead_takes_a_link_away(system):
    link = IcsPriorityLink.objects.create(
        priority=system.priority, place_priority=system.places.priority
    )
    client = _client(system.ics_lead)
    unlink = reverse("ics_vision:unlink", args=[system.priority.pk, link.pk])
    assert client.get(unlink).status_code == 405
    response = client.post(unlink)
    assert response.status_code == 302 and response["Location"] == _links_url(system.priority)
    assert not IcsPriorityLink.objects.exists()


def test_a_link_of_another_priority_cannot_be_taken_away_through_this_one(system):
    second = IcsPriority.objects.create(page=system.vision, title="Second", description="Two.")
    link = IcsPriorityLink.objects.create(priority=second, place_priority=system.places.priority)
    unlink = reverse("ics_vision:unlink", args=[system.priority.pk, link.pk])
    assert _client(system.ics_lead).post(unlink).status_code == 404
    assert IcsPriorityLink.objects.filter(pk=link.pk).exists()


def test_another_systems_lead_finds_nothing(system):
    link = IcsPriorityLink.objects.create(
        priority=system.priority, place_priority=system.places.priority
    )
    client = _client(system.other_ics_lead)
    assert client.get(_links_url(system.priority)).status_code == 404
    posted = client.post(
        _links_url(system.priority), {"place_priority": system.places.other_priority.pk}
    )
    assert posted.status_code == 404
    unlink = reverse("ics_vision:unlink", args=[system.priority.pk, link.pk])
    assert client.post(unlink).status_code == 404
    assert list(IcsPriorityLink.objects.all()) == [link]
    assert "Care closer to home" not in client.get(reverse("ics_vision:index")).content.decode()


@pytest.mark.parametrize("who", ["place_lead", "staff"])
def test_a_place_lead_and_pcn_staff_are_refused(system, who):
    link = IcsPriorityLink.objects.create(
        priority=system.priority, place_priority=system.places.priority
    )
    client = _client(getattr(system.places, who))
    home = reverse("wagtailadmin_home")
    for response in (
        client.get(reverse("ics_vision:index")),
        client.get(_links_url(system.priority)),
        client.post(
            _links_url(system.priority), {"place_priority": system.places.other_priority.pk}
        ),
        client.post(reverse("ics_vision:unlink", args=[system.priority.pk, link.pk])),
    ):
        assert response.status_code == 302 and response["Location"] == home
    assert list(IcsPriorityLink.objects.all()) == [link]


def test_the_menu_shows_ics_vision_to_ics_leads_only(system):
    menu = reverse("ics_vision:index")
    assert menu in _client(system.ics_lead).get(reverse("wagtailadmin_home")).content.decode()
    place_lead_home = _client(system.places.place_lead).get(reverse("wagtailadmin_home"))
    assert menu not in place_lead_home.content.decode()


def test_suggestions_offer_alike_place_priorities_and_link_nothing(system):
    places = system.places
    places.priority.title = "Appointments closer to home"
    places.priority.description = "Care near where people live, in the evenings."
    places.priority.save()
    places.other_priority.title = "Parking spaces"
    places.other_priority.description = "More parking."
    places.other_priority.save()
    client = _client(system.ics_lead)
    response = client.get(_links_url(system.priority))
    suggested = [s.place_priority for s in response.context["suggestions"]]
    assert suggested == [places.priority]
    html = response.content.decode()
    assert "may be about the same thing" in html
    assert f'name="place_priority" value="{places.priority.pk}"' in html
    assert not IcsPriorityLink.objects.exists()
    # Once it is cited, it is no longer suggested.
    client.post(_links_url(system.priority), {"place_priority": places.priority.pk})
    again = client.get(_links_url(system.priority))
    assert again.context["suggestions"] == []


def test_suggestions_read_what_a_place_priority_cites(system):
    places = system.places
    places.other_priority.title = "Working together"
    places.other_priority.description = "Partners."
    places.other_priority.save()
    places.other.theme.name = "Care closer to home for older people"
    places.other.theme.save()
    link_place_priority(places.other_priority, places.other.theme)
    response = _client(system.ics_lead).get(_links_url(system.priority))
    suggested = [s.place_priority for s in response.context["suggestions"]]
    assert places.other_priority in suggested


def test_suggestions_never_read_a_private_consultations_theme(system):
    places = system.places
    places.other_priority.title = "Working together"
    places.other_priority.description = "Partners."
    places.other_priority.save()
    places.private_theme.name = "Care closer to home for older people"
    places.private_theme.save()
    link_place_priority(places.other_priority, places.private_theme)
    response = _client(system.ics_lead).get(_links_url(system.priority))
    suggested = [s.place_priority for s in response.context["suggestions"]]
    assert places.other_priority not in suggested


def _links_screen_queries(client, priority) -> int:
    client.get(_links_url(priority))  # warm the admin's menu and the user's groups
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_links_url(priority))
    assert response.status_code == 200
    return len(queries)


def test_the_links_screen_query_count_does_not_grow_with_the_data(system):
    places = system.places
    client = _client(system.ics_lead)
    IcsPriorityLink.objects.create(priority=system.priority, place_priority=places.priority)
    link_place_priority(places.priority, places.one.theme)
    small = _links_screen_queries(client, system.priority)

    for n in range(12):
        for vision, theme in (
            (places.vision, places.two.theme),
            (places.other_vision, places.other.theme),
        ):
            place_priority = PlacePriority.objects.create(
                page=vision, title=f"Care closer to home {n}", description="Near people."
            )
            link_place_priority(place_priority, theme)
            if n % 2:
                IcsPriorityLink.objects.create(
                    priority=system.priority,
                    place_priority=place_priority,
                    confirmed_by=system.ics_lead,
                )
    large = _links_screen_queries(client, system.priority)
    assert large == small
