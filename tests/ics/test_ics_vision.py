"""An ICS's shared vision: its site, the links its leads confirm to its Places' priorities,
and its page, which shows how widely what is behind each priority was heard."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from wagtail.models import Site

from consultations.models import IcsPriorityLink, IcsVisionPage, PlacePriority
from consultations.services.systems import ics_priority_link, ics_priority_unlink, ics_site_setup
from home.boundary import ics_of, in_ics, pcn_ids_for
from home.models import PrimaryCareNetwork
from tests.factories import UserFactory
from tests.ics.conftest import link_place_priority
from tests.places.conftest import make_ideas

pytestmark = pytest.mark.django_db


def test_site_setup_makes_the_vision_site_and_group_once(system):
    again = ics_site_setup(ics=system.ics, hostname="elsewhere.example")
    assert again.pk == system.vision.pk
    assert Site.objects.filter(root_page=system.vision).get().hostname == "ics.example"
    assert system.ics.lead_group.name == "Test ICS: ICS leads"
    assert IcsVisionPage.objects.filter(ics=system.ics).count() == 1


def test_site_setup_refuses_a_host_name_another_site_serves_changing_nothing(system):
    from home.models import IntegratedCareSystem

    third = IntegratedCareSystem.objects.create(name="Third ICS")
    with pytest.raises(ValidationError, match="already serves"):
        ics_site_setup(ics=third, hostname="ics.example")
    assert not IcsVisionPage.objects.filter(ics=third).exists()


def test_command_sets_up_and_reports_an_unknown_ics(system, capsys):
    from home.models import IntegratedCareSystem

    IntegratedCareSystem.objects.create(name="Fourth ICS")
    call_command("create_ics_site", ics="Fourth ICS", hostname="Fourth.Example")
    assert IcsVisionPage.objects.get(ics__name="Fourth ICS").get_site().hostname == (
        "fourth.example"
    )
    with pytest.raises(CommandError, match="no integrated care system called"):
        call_command("create_ics_site", ics="Nowhere ICS", hostname="nowhere.example")


def test_a_lead_links_a_place_priority_of_their_ics(system):
    link = ics_priority_link(
        priority=system.priority, place_priority=system.places.priority, user=system.ics_lead
    )
    assert link.confirmed_by == system.ics_lead
    with pytest.raises(ValidationError, match="cites it already"):
        ics_priority_link(
            priority=system.priority, place_priority=system.places.priority, user=system.ics_lead
        )
    ics_priority_unlink(link=link, user=system.ics_lead)
    assert not IcsPriorityLink.objects.exists()


def test_another_ics_place_priority_is_refused(system):
    with pytest.raises(ValidationError) as error:
        ics_priority_link(
            priority=system.priority, place_priority=system.far_priority, user=system.ics_lead
        )
    assert "another integrated care system" in str(error.value)
    assert not IcsPriorityLink.objects.exists()
    link = IcsPriorityLink(priority=system.priority, place_priority=system.far_priority)
    with pytest.raises(ValidationError):
        link.full_clean()


def test_a_place_priority_on_an_unpublished_vision_is_refused(system):
    system.places.vision.unpublish()
    with pytest.raises(ValidationError, match="not published"):
        ics_priority_link(
            priority=system.priority, place_priority=system.places.priority, user=system.ics_lead
        )


@pytest.mark.parametrize("who", ["other_ics_lead", "place_lead", "staff", "resident"])
def test_only_the_ics_leads_may_link(system, who):
    user = {
        "other_ics_lead": system.other_ics_lead,
        "place_lead": system.places.place_lead,
        "staff": system.places.staff,
        "resident": UserFactory(),
    }[who]
    with pytest.raises(PermissionDenied):
        ics_priority_link(
            priority=system.priority, place_priority=system.places.priority, user=user
        )
    link = IcsPriorityLink.objects.create(
        priority=system.priority, place_priority=system.places.priority
    )
    with pytest.raises(PermissionDenied):
        ics_priority_unlink(link=link, user=user)


def test_boundary_knows_each_objects_ics(system):
    link = IcsPriorityLink.objects.create(
        priority=system.priority, place_priority=system.places.priority
    )
    assert ics_of(link) == system.ics
    assert ics_of(system.places.priority) == system.ics
    assert ics_of(system.far_priority) == system.other_ics
    assert ics_of(system.places.one.theme) == system.ics
    assert set(in_ics(PlacePriority.objects.all(), system.ics)) == {
        system.places.priority,
        system.places.other_priority,
    }
    assert set(in_ics(PrimaryCareNetwork.objects.all(), system.other_ics)) == {system.far.pcn}


def test_an_ics_lead_reads_across_their_ics_pcns_only(system):
    ids = pcn_ids_for(system.ics_lead)
    assert set(ids) == {
        system.places.one.pcn.pk,
        system.places.two.pcn.pk,
        system.places.other.pcn.pk,
    }
    assert pcn_ids_for(system.ics_lead, with_place=False) == []


def _link_all(system):
    places = system.places
    link_place_priority(places.priority, places.one.theme)
    link_place_priority(places.priority, places.two.theme)
    link_place_priority(places.priority, places.private_theme)
    IcsPriorityLink.objects.create(priority=system.priority, place_priority=places.priority)


def test_vision_page_shows_how_widely_each_priority_was_heard(system, client):
    places = system.places
    make_ideas(places.one.consultation, places.one.theme, 3, comments=2)
    make_ideas(places.two.consultation, places.two.theme, 2, comments=1)
    make_ideas(places.two.consultation, places.two.theme, 4, status="hidden")
    _link_all(system)
    response = client.get("/", HTTP_HOST="ics.example")
    assert response.status_code == 200
    text = response.content.decode()
    # 5 published ideas + 3*2 + 2*1 published comments; hidden ones never count.
    assert "Heard in 2 of 3 PCNs and 1 of 2 Places, 13 contributions." in text
    assert "Appointments that fit around work" in text
    assert "(Riverbridge)" in text
    assert "OTHERICS" not in text
    assert "PRIVATE" not in text
    assert "HIDDENCOMMENT" not in text


def test_vision_page_queries_do_not_grow_with_the_data(system, client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.ENGAGE_PAGE_CACHE_SECONDS = 0
    places = system.places
    _link_all(system)
    make_ideas(places.one.consultation, places.one.theme, 2, comments=1)
    client.get("/", HTTP_HOST="ics.example")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/", HTTP_HOST="ics.example").status_code == 200
    make_ideas(places.one.consultation, places.one.theme, 40, comments=3)
    make_ideas(places.two.consultation, places.two.theme, 40, comments=3)
    priority = PlacePriority.objects.create(
        page=places.other_vision, title="More", description="More."
    )
    link_place_priority(priority, places.other.theme)
    IcsPriorityLink.objects.create(priority=system.priority, place_priority=priority)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/", HTTP_HOST="ics.example")
    assert "Heard in 3 of 3 PCNs and 2 of 2 Places" in response.content.decode()
    assert len(large) == len(small)
    assert len(large) <= 15
