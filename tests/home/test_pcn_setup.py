"""A PCN set up without code: `home.services.pcn_onboard`, the `create_pcn` command and the
admin's "Set up a PCN" screen. Everything a new PCN needs is made, once; a clash changes
nothing and says why."""

import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Site, WorkflowPage

from consultations.models import ConsultationIndexPage, UpdateIndexPage
from home.models import (
    HomePage,
    IntegratedCareSystem,
    Neighbourhood,
    Place,
    Practice,
    PrimaryCareNetwork,
    PrivacyNoticePage,
    VisionPage,
)
from home.services import PracticeEntry, pcn_onboard
from tests.factories import make_admin, make_pcn_site, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(db):
    ics = IntegratedCareSystem.objects.create(name="Wessex Vale ICS")
    return Place.objects.create(name="Riverbridge", integrated_care_system=ics)


def onboard(place, **fields):
    values = {
        "name": "Meadowbank PCN",
        "ods_code": "U54321",
        "place": place,
        "hostname": "meadowbank.example.nhs.uk",
        "contact_email": "engage@meadowbank.example.nhs.uk",
        "neighbourhoods": ["Meadowbank", "Old Town"],
        "practices": [
            PracticeEntry("Y54321", "Meadowbank Surgery", "Meadowbank"),
            PracticeEntry("Y54322", "Old Town Health Centre"),
        ],
    }
    values.update(fields)
    return pcn_onboard(**values)


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (
            PrimaryCareNetwork,
            Group,
            Site,
            Page,
            Neighbourhood,
            Practice,
            GroupPagePermission,
            WorkflowPage,
        )
    }


def test_it_makes_everything_a_new_pcn_needs(place):
    result = onboard(place)
    pcn = result.pcn
    assert {group.name for group in (pcn.moderator_group, pcn.staff_group, pcn.lead_group)} == {
        "Meadowbank PCN: PPG moderators",
        "Meadowbank PCN: staff",
        "Meadowbank PCN: PCN leads",
    }
    assert pcn.collection.name == "Meadowbank PCN"
    home = HomePage.objects.get(pcn=pcn)
    assert Site.objects.get(root_page=home).hostname == "meadowbank.example.nhs.uk"
    vision = VisionPage.objects.child_of(home).get()
    notice = PrivacyNoticePage.objects.child_of(home).get()
    assert not vision.live and not notice.live  # drafts for the PCN's staff to write
    consultations = ConsultationIndexPage.objects.child_of(home).get()
    updates = UpdateIndexPage.objects.child_of(home).get()
    assert consultations.live and updates.live
    # Staff publish their own pages; updates wait for a PCN lead's approval.
    assert GroupPagePermission.objects.filter(group=pcn.staff_group, page=home).exists()
    assert WorkflowPage.objects.filter(page=updates).exists()
    assert sorted(pcn.neighbourhoods.values_list("name", flat=True)) == ["Meadowbank", "Old Town"]
    surgery = Practice.objects.get(ods_code="Y54321")
    assert surgery.pcn == pcn and surgery.neighbourhood.name == "Meadowbank"
    assert Practice.objects.get(ods_code="Y54322").neighbourhood is None
    assert "the consultations section" in result.made


def test_running_it_twice_changes_nothing(place):
    onboard(place)
    before = snapshot()
    again = onboard(place)
    assert again.made == []
    assert snapshot() == before


def test_a_second_run_adds_only_what_is_missing(place):
    result = onboard(place)
    VisionPage.objects.child_of(result.home).get().delete()
    again = onboard(place, neighbourhoods=["Meadowbank", "Hillcrest"])
    assert again.made == ["a draft vision page", "the neighbourhood Hillcrest"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "Another PCN"}, "ods_code", "U54321 is already the ODS code of Meadowbank PCN."),
        ({"ods_code": "U99999"}, "name", "Another PCN is already called Meadowbank PCN."),
    ],
)
def test_a_clash_with_another_pcn_is_refused_and_changes_nothing(place, fields, field, message):
    onboard(place)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        onboard(place, **fields)
    assert error.value.message_dict == {field: [message]}
    assert snapshot() == before


def test_a_host_name_another_site_uses_is_refused_and_changes_nothing(place):
    make_pcn_site(name="Riverside PCN", hostname="taken.example.nhs.uk", default=False)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        onboard(place, hostname="taken.example.nhs.uk")
    assert "taken.example.nhs.uk:80 already serves Riverside PCN." in error.value.messages[0]
    assert snapshot() == before


def test_a_practice_of_another_pcn_is_refused_and_changes_nothing(place):
    home, _, _ = make_pcn_site(name="Riverside PCN", default=False, hostname="riverside.test")
    Practice.objects.create(pcn=home.pcn, name="Riverside Surgery", ods_code="Y11111")
    before = snapshot()
    with pytest.raises(ValidationError, match="Y11111 is a practice of Riverside PCN"):
        onboard(place, practices=[PracticeEntry("Y11111", "Riverside Surgery")])
    assert snapshot() == before


# The command


def run(*args) -> str:
    out = io.StringIO()
    call_command("create_pcn", *args, stdout=out)
    return out.getvalue()


COMMAND = [
    "--name",
    "Meadowbank PCN",
    "--ods-code",
    "u54321",
    "--place",
    "Riverbridge",
    "--ics",
    "Wessex Vale ICS",
    "--hostname",
    "Meadowbank.example.nhs.uk",
    "--neighbourhood",
    "Meadowbank",
    "--practice",
    "Y54321:Meadowbank Surgery:Meadowbank",
]


def test_the_command_sets_up_a_pcn_and_says_what_it_made(db):
    output = run(*COMMAND)
    assert output.startswith("Meadowbank PCN: made the PCN, its role groups and its collection;")
    assert "Its site is at http://meadowbank.example.nhs.uk/." in output
    pcn = PrimaryCareNetwork.objects.get(ods_code="U54321")
    assert pcn.place.name == "Riverbridge"
    assert pcn.place.integrated_care_system.name == "Wessex Vale ICS"
    assert run(*COMMAND).startswith("Meadowbank PCN was already set up; nothing was changed.")


def test_the_command_refuses_a_badly_written_practice(db):
    with pytest.raises(CommandError, match="write it as ODS code:name"):
        run(*COMMAND[:-2], "--practice", "Y54321")
    assert not PrimaryCareNetwork.objects.exists()


def test_the_command_refuses_a_bad_ods_code_and_leaves_no_place_behind(db):
    with pytest.raises(CommandError, match="Nothing was changed"):
        run(*[("U5" if value == "u54321" else value) for value in COMMAND])
    assert not PrimaryCareNetwork.objects.exists()
    assert not Place.objects.exists() and not IntegratedCareSystem.objects.exists()


# The admin screen

URL = "/admin/pcns/set-up/"


@pytest.fixture
def admin_client(client, place):
    client.force_login(make_admin())
    return client


def form_data(in_place, **fields):
    data = {
        "name": "Meadowbank PCN",
        "ods_code": "u54321",
        "place": str(in_place.pk),
        "hostname": "meadowbank.example.nhs.uk",
        "contact_email": "",
        "neighbourhoods": "Meadowbank\n\nOld Town\nMeadowbank",
        "practices": "Y54321, Meadowbank Surgery, Meadowbank\n",
    }
    data.update(fields)
    return data


def test_an_admin_sets_up_a_pcn_from_the_screen(admin_client, place):
    assert reverse("pcn-setup") == URL
    response = admin_client.post(URL, form_data(place))
    pcn = PrimaryCareNetwork.objects.get(ods_code="U54321")
    assert response.status_code == 302
    assert response.url == reverse("wagtailsnippets_home_primarycarenetwork:edit", args=[pcn.pk])
    assert sorted(pcn.neighbourhoods.values_list("name", flat=True)) == ["Meadowbank", "Old Town"]
    assert HomePage.objects.filter(pcn=pcn).exists()


def test_the_pcn_list_sends_an_admin_to_the_set_up_screen(admin_client, place):
    page = BeautifulSoup(
        admin_client.get(reverse("wagtailsnippets_home_primarycarenetwork:list")).content,
        "html.parser",
    )
    link = page.find("a", href=URL)
    assert link is not None and "Set up a PCN" in link.get_text()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"ods_code": "X1"}, "Enter the PCN's ODS code"),
        ({"hostname": "http://meadowbank.example.nhs.uk/"}, "Enter a host name only"),
        ({"practices": "Y54321"}, "Line 1: write the ODS code, then the name"),
        ({"practices": "12345, Surgery"}, "Line 1:"),
        ({"place": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_the_text_kept(admin_client, place, fields, error):
    response = admin_client.post(URL, form_data(place, **fields))
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert error in page.find(class_="help-critical").get_text()
    sent = form_data(place, **fields)["practices"].strip()
    assert sent in page.find("textarea", {"name": "practices"}).get_text()  # kept as typed
    assert not PrimaryCareNetwork.objects.exists()


def test_a_clash_found_by_the_service_is_shown_on_the_form(admin_client, place):
    make_pcn_site(name="Riverside PCN", hostname="taken.example.nhs.uk", default=False)
    response = admin_client.post(URL, form_data(place, hostname="taken.example.nhs.uk"))
    assert response.status_code == 400
    summary = BeautifulSoup(response.content, "html.parser").find(class_="help-critical")
    assert "already serves Riverside PCN" in summary.get_text()
    assert not PrimaryCareNetwork.objects.filter(ods_code="U54321").exists()


def test_only_admins_may_set_up_a_pcn(client, place):
    home, _, _ = make_pcn_site(name="Riverside PCN")
    client.force_login(make_staff(home.pcn))
    assert client.get(URL).status_code in (302, 403)
    response = client.post(URL, form_data(place))
    assert response.status_code in (302, 403)
    assert not PrimaryCareNetwork.objects.filter(ods_code="U54321").exists()
