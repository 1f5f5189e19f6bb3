"""The "Enter a contribution" screens in the Wagtail admin, through the test client."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.utils import timezone

from consultations.models import Idea, ModerationDecision, OfflineContributor, PostStatus
from tests.factories import make_consultation
from tests.offline.conftest import enter, make_user

OFFLINE = "/admin/offline/"
CHOOSE = "/admin/offline/new/"
ADMIN_LOGIN = "/admin/login/"


def form_url(consultation) -> str:
    return f"{CHOOSE}?consultation={consultation.pk}"


def idea_url(idea) -> str:
    consultation = idea.consultation
    return consultation.url + consultation.reverse_subpage("idea-detail", args=[idea.pk])


def form_data(for_consultation, **fields) -> dict:
    consultation = for_consultation
    data = {
        "consultation": consultation.pk,
        "channel": "paper",
        "received_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "title": "Bus to the surgery",
        "body": "The 42 bus stops before the surgery opens.",
        "neighbourhood": consultation.neighbourhoods.get(name="Riverside").pk,
        "reply_by": "letter",
        "contributor_name": "Margaret Holloway",
        "contributor_email": "",
        "contributor_address": "14 Willow Lane\r\nOld Town\r\nRV2 4QT",
    }
    data.update(fields)
    return data


def refused(response) -> bool:
    """Wagtail turns PermissionDenied into a redirect to the dashboard with an error."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_moderator_chooses_among_their_own_open_and_recent_consultations(
    client, moderator, consultation, other_consultation, consultation_index
):
    long_closed = make_consultation(
        consultation_index,
        phase="closed",
        title="Long closed",
        opens_at=timezone.now() - timedelta(days=100),
        closes_at=timezone.now() - timedelta(days=60),
    )
    client.force_login(moderator)
    response = client.get(CHOOSE)
    assert response.status_code == 200
    links = [a["href"] for a in soup_of(response).select("table a[href^='/admin/offline/new/']")]
    assert links == [form_url(consultation)]
    page = response.content.decode()
    assert other_consultation.title not in page
    assert long_closed.title not in page


def test_the_form_offers_the_consultations_and_its_neighbourhoods(client, moderator, consultation):
    client.force_login(moderator)
    response = client.get(form_url(consultation))
    assert response.status_code == 200
    soup = soup_of(response)
    offered = [o.get_text() for o in soup.select("select[name=consultation] option")]
    assert offered == ["Evening appointments"]
    neighbourhoods = [o.get_text() for o in soup.select("select[name=neighbourhood] option")]
    assert neighbourhoods == ["They did not say", "Hillcrest", "Riverside"]
    channels = [i["value"] for i in soup.select("input[name=channel]")]
    assert channels == ["paper", "phone", "meeting"]
    replies = [i["value"] for i in soup.select("input[name=reply_by]")]
    assert replies == ["nothing", "email", "letter"]


@pytest.mark.parametrize("role", ["moderator", "staff"])
def test_a_moderator_or_staff_member_enters_a_paper_contribution(
    client, request, consultation, role, mailoutbox
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.post(form_url(consultation), form_data(consultation))
    assert response.status_code == 302
    assert response["Location"] == form_url(consultation)
    idea = Idea.objects.get()
    assert idea.status == PostStatus.PUBLISHED
    assert idea.channel == "paper"
    assert idea.title == "Bus to the surgery"
    assert idea.contributor.name == "Margaret Holloway"
    assert idea.contributor.postal_address == "14 Willow Lane\nOld Town\nRV2 4QT"
    assert ModerationDecision.objects.get(idea=idea).actor == user
    message = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == [
        "'Bus to the surgery' is published as A resident of Riverside (paper). "
        "Enter another, or go back to the list."
    ]
    assert mailoutbox == []  # nobody has an account to email about it


def test_the_idea_page_shows_the_channel_and_never_the_contact_details(
    client, moderator, consultation
):
    idea = enter(
        consultation,
        moderator,
        channel="phone",
        neighbourhood=consultation.neighbourhoods.get(name="Hillcrest"),
        reply_by="letter",
        contributor_name="Margaret Holloway",
        contributor_address="14 Willow Lane",
    )
    response = client.get(idea_url(idea))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Posted by A resident of Hillcrest (phone)" in " ".join(page.split())
    assert "Holloway" not in page and "Willow" not in page
    # Its journey starts with how it was sent and the day it was received.
    journey = soup_of(response).select_one("ol.engage-journey")
    stages = [" ".join(li.get_text().split()) for li in journey.find_all("li", recursive=False)]
    received = timezone.localtime(idea.created_at)
    assert stages[0] == f"Done Submitted by phone {received:%-d %B %Y}"
    assert stages[1].startswith("Done Published")
    assert "Typed up and published for the resident by the PCN" in stages[1]


def test_refused_input_comes_back_with_errors_and_what_was_typed(client, moderator, consultation):
    client.force_login(moderator)
    data = form_data(
        consultation,
        title="",
        body="Keep this <b>text</b>, please.\r\nSecond line",
        received_on=(timezone.localdate() + timedelta(days=3)).isoformat(),
        contributor_address="",
    )
    response = client.post(form_url(consultation), data)
    assert response.status_code == 400
    soup = soup_of(response)
    summary = soup.select_one("[role=alert]")
    assert summary is not None
    summary_links = {a["href"] for a in summary.select("a")}
    assert summary_links == {"#id_title", "#id_received_on", "#id_contributor_address"}
    # A browser drops the one newline that starts a textarea's content.
    shown = soup.find("textarea", id="id_body").get_text().removeprefix("\n")
    assert shown.replace("\r\n", "\n") == data["body"].replace("\r\n", "\n")
    assert soup.find("input", id="id_contributor_name")["value"] == "Margaret Holloway"
    assert not Idea.objects.exists() and not OfflineContributor.objects.exists()


def test_an_error_from_the_service_is_shown_beside_its_field(client, moderator, consultation):
    """The form accepts any text as an address; the service finds it blank once cleaned."""
    client.force_login(moderator)
    response = client.post(
        form_url(consultation), form_data(consultation, contributor_address="<p></p>")
    )
    assert response.status_code == 400
    soup = soup_of(response)
    assert "Enter the postal address to send the letter to" in soup.get_text()
    assert soup.find("input", id="id_title")["value"] == "Bus to the surgery"
    assert not Idea.objects.exists()


# Another PCN's people, residents and visitors get nothing.


def test_a_moderator_of_another_pcn_cannot_open_or_post_the_form(
    client, other_moderator, consultation
):
    client.force_login(other_moderator)
    assert refused(client.get(form_url(consultation)))
    response = client.post(form_url(consultation), form_data(consultation))
    assert refused(response)
    assert not Idea.objects.exists()


def test_another_pcns_consultation_cannot_be_smuggled_into_the_form(
    client, moderator, consultation, other_consultation
):
    client.force_login(moderator)
    data = form_data(
        consultation,
        consultation=other_consultation.pk,
        neighbourhood=other_consultation.neighbourhoods.first().pk,
    )
    response = client.post(form_url(consultation), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Idea.objects.filter(consultation=other_consultation).exists()
    assert not Idea.objects.exists()


def test_staff_of_another_pcn_see_none_of_this_pcns_consultations(
    client, other_staff, consultation
):
    client.force_login(other_staff)
    assert consultation.title not in client.get(OFFLINE).content.decode()
    assert consultation.title not in client.get(CHOOSE).content.decode()
    assert refused(client.get(form_url(consultation)))


@pytest.mark.parametrize("who", ["resident", "visitor"])
def test_residents_and_visitors_are_sent_to_the_admin_login(client, consultation, who):
    if who == "resident":
        client.force_login(make_user())
    for url in (OFFLINE, CHOOSE, form_url(consultation)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(ADMIN_LOGIN)
    response = client.post(form_url(consultation), form_data(consultation))
    assert response.status_code == 302
    assert not Idea.objects.exists()


def test_the_menu_offers_the_screens_to_moderators_and_staff_only(client, moderator, staff, home):
    for user in (moderator, staff):
        client.force_login(user)
        page = client.get("/admin/").content.decode()
        assert '"/admin/offline/"' in page
        assert '"/admin/letters/"' in page
    client.force_login(make_user(is_staff=True))
    assert client.get("/admin/").status_code == 302  # no admin access at all


def test_the_listing_shows_what_was_entered(client, moderator, staff, consultation):
    enter(consultation, moderator, title="Entered on Monday")
    client.force_login(staff)
    soup = soup_of(client.get(OFFLINE))
    rows = [
        [" ".join(td.get_text().split()) for td in tr.select("td")]
        for tr in soup.select("table")[0].select("tbody tr")
    ]
    assert len(rows) == 1
    assert rows[0][:3] == ["Entered on Monday", "Evening appointments", "Paper form"]
    assert rows[0][5] == "No"
    # The title leads to what was entered, in the admin (not to the moderation screens).
    idea = Idea.objects.get()
    links = [a["href"] for a in soup.select("table")[0].select("tbody a")]
    assert links == [f"/admin/offline/inspect/{idea.pk}/"]
