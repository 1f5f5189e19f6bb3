"""An idea may name its author's GP practice (optional): one of its PCN's only, offered on
the resident's form and the offline entry form, counted for staff, never shown with the
idea (in a small practice it could point to a person)."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations import services
from consultations.models import Idea, ModerationMode, PostStatus
from consultations.privacy import participation_data, participation_erase
from home.models import Practice
from tests.consultations.test_idea_journey import post_idea, route
from tests.factories import make_consultation, make_moderator, make_pcn_site
from tests.offline.conftest import enter
from tests.offline.test_offline_admin import form_data, form_url


@pytest.fixture
def consultation(consultation_index):
    return make_consultation(
        consultation_index, phase="open", moderation_mode=ModerationMode.POST, title="Hours"
    )


@pytest.fixture
def practices(home):
    return [
        Practice.objects.create(pcn=home.pcn, name="SECRETPRACTICE Surgery", ods_code="Y10001"),
        Practice.objects.create(pcn=home.pcn, name="Abbey Medical Centre", ods_code="Y10002"),
    ]


@pytest.fixture
def other_practice(home):
    other_home, _, _ = make_pcn_site(hostname="other.localhost", default=False)
    return Practice.objects.create(pcn=other_home.pcn, name="Their Surgery", ods_code="Y20001")


def _options(response, name="practice"):
    select = BeautifulSoup(response.content, "html.parser").find("select", {"name": name})
    return [(option["value"], option.get_text(strip=True)) for option in select.find_all("option")]


def test_the_resident_form_offers_this_pcns_practices_and_rather_not_say(
    client, resident, consultation, practices, other_practice
):
    client.force_login(resident)
    response = client.get(route(consultation, "idea-create"))
    assert "Which GP practice are you registered with? (optional)" in response.content.decode()
    assert _options(response) == [
        ("", "I'd rather not say"),
        (str(practices[1].pk), "Abbey Medical Centre (Y10002)"),
        (str(practices[0].pk), "SECRETPRACTICE Surgery (Y10001)"),
    ]


def test_a_resident_names_their_practice_or_not(client, resident, consultation, practices):
    client.force_login(resident)
    post_idea(client, consultation, title="With a practice", practice=practices[0].pk)
    post_idea(client, consultation, title="Without one", practice="")
    assert Idea.objects.get(title="With a practice").practice == practices[0]
    assert Idea.objects.get(title="Without one").practice is None


def test_another_pcns_practice_is_refused_and_the_text_kept(
    client, resident, consultation, practices, other_practice
):
    client.force_login(resident)
    response = post_idea(client, consultation, practice=other_practice.pk, title="Keep my words")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose one of the practices in the list" in text
    assert "Keep my words" in text
    assert not Idea.objects.exists()
    response = post_idea(client, consultation, practice="99999999999999999999999")
    assert "Choose one of the practices in the list" in response.content.decode()


def test_the_service_refuses_another_pcns_practice_on_the_field(
    resident, consultation, other_practice
):
    with pytest.raises(ValidationError) as refused:
        services.idea_submit(
            consultation=consultation,
            author=resident,
            title="Evening clinics",
            body="Please.",
            practice=other_practice,
        )
    assert "belongs to another PCN" in refused.value.message_dict["practice"][0]


def test_the_author_can_change_it_when_editing(client, resident, consultation, practices):
    client.force_login(resident)
    post_idea(client, consultation, practice=practices[0].pk)
    idea = Idea.objects.get()
    edit = route(consultation, "idea-edit", idea.pk)
    select = BeautifulSoup(client.get(edit).content, "html.parser").find(
        "select", {"name": "practice"}
    )
    assert select.find("option", selected=True)["value"] == str(practices[0].pk)
    data = {
        "title": idea.title,
        "body": idea.body,
        "neighbourhood": idea.neighbourhood_id,
        "attribution": "name",
        "practice": "",
        "confirm": "1",
    }
    assert client.post(edit, data).status_code == 302
    idea.refresh_from_db()
    assert idea.practice is None


def test_the_practice_is_never_shown_with_the_idea(client, resident, consultation, practices):
    client.force_login(resident)
    post_idea(client, consultation, practice=practices[0].pk)
    idea = Idea.objects.get(status=PostStatus.PUBLISHED)
    client.logout()
    pages = [
        consultation.url,
        route(consultation, "idea-detail", idea.pk),
        reverse("api-v1:consultation-detail", args=[consultation.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "SECRETPRACTICE" not in response.content.decode(), url
    # Nor to the PCN's moderators, idea by idea.
    client.force_login(make_moderator(consultation.pcn))
    for url in (
        reverse("moderation_ideas:index"),
        reverse("moderation_ideas:inspect", args=[idea.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "SECRETPRACTICE" not in response.content.decode(), url


def test_the_author_gets_it_in_their_data_and_erasure_unlinks_it(resident, consultation, practices):
    idea = services.idea_submit(
        consultation=consultation,
        author=resident,
        title="Evening clinics",
        body="Please.",
        practice=practices[1],
    )
    data = participation_data(user=resident)
    assert json.loads(json.dumps(data))["ideas"][0]["gp_practice"] == "Abbey Medical Centre"
    participation_erase(user=resident, keep_posts=True)
    idea.refresh_from_db()
    assert idea.author is None
    assert idea.practice is None


def test_offline_entry_offers_and_keeps_the_practice(client, home, practices, other_practice):
    index = home.get_children().get(title="Consultations")
    consultation = make_consultation(index, phase="open", title="Opening hours")
    moderator = make_moderator(home.pcn)
    client.force_login(moderator)
    response = client.get(form_url(consultation))
    assert "Which GP practice are they registered with? (optional)" in response.content.decode()
    values = [value for value, _label in _options(response)]
    assert values == ["", str(practices[1].pk), str(practices[0].pk)]
    # Another PCN's practice, sent anyway: refused beside the field, what was typed kept.
    response = client.post(
        form_url(consultation), form_data(consultation, practice=other_practice.pk)
    )
    assert response.status_code == 400
    assert "Choose one of the practices in the list" in response.content.decode()
    assert "Bus to the surgery" in response.content.decode()
    response = client.post(
        form_url(consultation), form_data(consultation, practice=practices[0].pk)
    )
    assert response.status_code == 302
    assert Idea.objects.get(title="Bus to the surgery").practice == practices[0]


def test_the_offline_service_refuses_another_pcns_practice(home, other_practice):
    index = home.get_children().get(title="Consultations")
    consultation = make_consultation(index, phase="open")
    with pytest.raises(ValidationError) as refused:
        enter(consultation, make_moderator(home.pcn), practice=other_practice)
    assert "belongs to another PCN" in refused.value.message_dict["practice"][0]
    assert not Idea.objects.exists()
