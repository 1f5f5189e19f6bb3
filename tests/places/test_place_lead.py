"""The place lead: lands on their Place's vision, edits it and links its priorities to their
own Place's PCNs only; PCN staff and another Place's lead cannot; two-factor like every role."""

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import PlacePriorityLink
from engage.roles import needs_two_factor
from tests.engage.test_landing import signed_in
from tests.places.conftest import make_ideas

pytestmark = pytest.mark.django_db


def test_a_place_lead_needs_two_factor_and_lands_on_their_places_vision(places):
    assert needs_two_factor(places.place_lead)
    client = Client()
    assert signed_in(client, places.place_lead) == reverse("place_vision:index")
    response = client.get(reverse("place_vision:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Appointments that fit around work" in html
    assert "OTHERPLACEPRIORITY" not in html


def _edit(client, page):
    return client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def test_a_place_lead_may_edit_their_own_places_vision_only(places):
    client = Client()
    client.force_login(places.place_lead)
    assert _edit(client, places.vision).status_code == 200
    refused = _edit(client, places.other_vision)
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("who", ["staff", "other_place_lead"])
def test_pcn_staff_and_another_places_lead_cannot_edit_the_places_vision(places, who):
    client = Client()
    client.force_login(getattr(places, who))
    response = _edit(client, places.vision)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    links = client.get(reverse("place_vision:links", args=[places.priority.pk]))
    assert links.status_code == 302 and links["Location"] == reverse("wagtailadmin_home")
    client.post(
        reverse("place_vision:links", args=[places.priority.pk]), {"theme": places.one.theme.pk}
    )
    assert not PlacePriorityLink.objects.exists()


def test_a_place_lead_publishes_an_edit_of_their_vision(places):
    client = Client()
    client.force_login(places.place_lead)
    form = {
        "title": "Riverbridge together",
        "slug": places.vision.slug,
        "introduction": '{"blocks": [], "entityMap": {}}',
        "priorities-TOTAL_FORMS": "1",
        "priorities-INITIAL_FORMS": "1",
        "priorities-MIN_NUM_FORMS": "1",
        "priorities-MAX_NUM_FORMS": "1000",
        "priorities-0-id": str(places.priority.pk),
        "priorities-0-ORDER": "1",
        "priorities-0-DELETE": "",
        "priorities-0-title": "Appointments that fit around work",
        "priorities-0-description": "Evenings and weekends.",
        "action-publish": "action-publish",
    }
    response = client.post(reverse("wagtailadmin_pages:edit", args=[places.vision.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    places.vision.refresh_from_db()
    assert places.vision.title == "Riverbridge together"
    places.priority.refresh_from_db()
    assert places.priority.description == "Evenings and weekends."


def test_the_link_screen_offers_only_the_places_pcns_public_themes(places):
    client = Client()
    client.force_login(places.place_lead)
    url = reverse("place_vision:links", args=[places.priority.pk])
    html = client.get(url).content.decode()
    assert "Evening appointments" in html and "Later opening" in html
    for secret in ("OTHERPLACETHEME", "PRIVATETHEME", "OTHERPLACE PCN"):
        assert secret not in html


def test_the_link_screen_refuses_another_places_theme_sent_anyway(places):
    client = Client()
    client.force_login(places.place_lead)
    url = reverse("place_vision:links", args=[places.priority.pk])
    response = client.post(url, {"theme": places.other.theme.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url, {"vision_priority": places.other.vision.priorities.get().pk})
    assert response.status_code == 400
    assert not PlacePriorityLink.objects.exists()


def test_the_link_screen_links_and_takes_away_and_keeps_what_was_chosen_on_error(places):
    client = Client()
    client.force_login(places.place_lead)
    url = reverse("place_vision:links", args=[places.priority.pk])
    assert client.post(url, {"theme": places.one.theme.pk}).status_code == 302
    link = PlacePriorityLink.objects.get()
    assert link.confirmed_by == places.place_lead
    both = client.post(
        url,
        {"theme": places.two.theme.pk, "vision_priority": places.one.vision.priorities.get().pk},
    )
    assert both.status_code == 400
    html = both.content.decode()
    assert "Choose one PCN theme or one PCN priority" in html
    assert f'<option value="{places.two.theme.pk}" selected>' in html
    again = client.post(url, {"theme": places.one.theme.pk})
    assert "cites it already" in again.content.decode()
    unlink = reverse("place_vision:unlink", args=[places.priority.pk, link.pk])
    assert client.post(unlink).status_code == 302
    assert not PlacePriorityLink.objects.exists()


def test_another_places_lead_cannot_take_a_link_away(places):
    link = PlacePriorityLink.objects.create(
        priority=places.priority, theme=places.one.theme, confirmed_by=places.place_lead
    )
    client = Client()
    client.force_login(places.other_place_lead)
    client.post(reverse("place_vision:unlink", args=[places.priority.pk, link.pk]))
    assert PlacePriorityLink.objects.filter(pk=link.pk).exists()


def test_suggestions_offer_a_similar_theme_of_another_pcn_and_link_nothing(places):
    make_ideas(places.one.consultation, places.one.theme, 3)
    places.one.theme.summary = "Evening appointments after work for people with jobs."
    places.one.theme.save()
    places.two.theme.summary = "Appointments in the evening, after work."
    places.two.theme.save()
    PlacePriorityLink.objects.create(
        priority=places.priority, theme=places.one.theme, confirmed_by=places.place_lead
    )
    client = Client()
    client.force_login(places.place_lead)
    response = client.get(reverse("place_vision:links", args=[places.priority.pk]))
    suggestions = response.context["suggestions"]
    assert [(s.cited, s.theme) for s in suggestions] == [(places.one.theme, places.two.theme)]
    assert "may be about the same thing" in response.content.decode()
    assert PlacePriorityLink.objects.count() == 1


def test_the_admin_shows_a_place_lead_their_places_vision_page_only(places):
    from home.admin_scope import admin_may_see_page

    lead = places.place_lead
    assert admin_may_see_page(user=lead, page=places.vision)
    assert not admin_may_see_page(user=lead, page=places.other_vision)
    assert not admin_may_see_page(user=lead, page=places.one.home)
