"""`manage.py create_place_site`: a Place's site and draft vision, made once."""

import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import GroupPagePermission, Site

from consultations.models import PlaceVisionPage
from tests.factories import make_pcn_site

pytestmark = pytest.mark.django_db


def run(**options):
    out = io.StringIO()
    call_command("create_place_site", stdout=out, **options)
    return out.getvalue()


def test_it_makes_the_site_the_draft_vision_and_the_leads_permissions_once():
    home, _, _ = make_pcn_site(place_name="Riverbridge")
    options = {"place": "Riverbridge", "ics": "Test ICS", "hostname": "Riverbridge.example"}
    assert "riverbridge.example:80" in run(**options)
    run(**options)
    vision = PlaceVisionPage.objects.get()
    assert not vision.live and vision.place == home.pcn.place
    assert Site.objects.get(root_page=vision).hostname == "riverbridge.example"
    home.pcn.place.refresh_from_db()
    group = home.pcn.place.lead_group
    assert group.permissions.filter(codename="access_admin").exists()
    assert set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "page_id", "permission__codename"
        )
    ) == {
        (vision.pk, "add_page"),
        (vision.pk, "change_page"),
        (vision.pk, "publish_page"),
    }


def test_an_unknown_place_or_a_host_name_in_use_changes_nothing():
    make_pcn_site(place_name="Riverbridge", hostname="localhost")
    with pytest.raises(CommandError, match="no Place called"):
        run(place="Nowhere", ics="Test ICS", hostname="nowhere.example")
    with pytest.raises(CommandError, match="already serves"):
        run(place="Riverbridge", ics="Test ICS", hostname="localhost")
    assert not PlaceVisionPage.objects.exists()
