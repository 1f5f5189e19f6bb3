"""Accessible formats (the Accessible Information Standard): a contributor's communication
needs, recorded on a resident's choices page and on the offline entry form; large print
letters print in large type; the letters to print say which need another format."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from consultations.models import CommunicationNeeds, Idea, Letter, OfflineContributor
from consultations.services.equality import communication_needs_save
from engage.privacy import account_data, account_erase
from tests.factories import UserFactory
from tests.offline.conftest import enter
from tests.offline.test_letters import (  # noqa: F401 (fixtures)
    cast,
    letters_url,
    print_url,
    theme,
    update,
)
from tests.offline.test_offline_admin import form_data, form_url

PREFERENCES = "/notifications/"


@pytest.fixture
def answered(update):  # noqa: F811 (test_letters' fixture: an update owing two letters)
    return update


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


# The service


def test_needs_are_stored_in_the_listed_order_once(db):
    user = UserFactory()
    record = communication_needs_save(
        user=user,
        formats=["large_print", "other_language", "easy_read"],
        language="  Polish ",
    )
    assert record.formats == ["easy_read", "large_print", "other_language"]
    assert record.language == "Polish" and record.large_print
    assert record.described == ["Easy read", "Large print", "Another language: Polish"]


def test_no_formats_removes_the_record(db):
    user = UserFactory()
    communication_needs_save(user=user, formats=["braille"])
    assert communication_needs_save(user=user, formats=[]) is None
    assert not CommunicationNeeds.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"formats": ["other_language"]}, "communication_language", "Enter the language"),
        ({"formats": [], "language": "Urdu"}, "communication_language", "Tick"),
        ({"formats": ["other"]}, "communication_other", "Say what else"),
        ({"formats": [], "other": "Makaton"}, "communication_other", "Tick"),
        ({"formats": ["semaphore"]}, "communication_formats", "from the list"),
        (
            {"formats": ["other_language"], "language": "x" * 51},
            "communication_language",
            "50 characters or fewer",
        ),
        (
            {"formats": ["other"], "other": "Large\u202etext"},
            "communication_other",
            "",
        ),
    ],
)
def test_bad_needs_are_refused_by_field(db, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        communication_needs_save(user=UserFactory(), **fields)
    assert message in " ".join(refused.value.message_dict[field])
    assert not CommunicationNeeds.objects.exists()


# A resident's choices page


def test_a_resident_records_the_formats_they_need(client, db):
    resident = UserFactory()
    client.force_login(resident)
    page = _soup(client.get(PREFERENCES))
    boxes = [box["value"] for box in page.select("input[name=communication_formats]")]
    assert boxes == [
        "easy_read",
        "large_print",
        "bsl",
        "other_language",
        "braille",
        "audio",
        "other",
    ]
    response = client.post(
        PREFERENCES,
        {
            "email_updates": "on",
            "communication_formats": ["large_print", "other_language"],
            "communication_language": "Somali",
        },
    )
    assert response.status_code == 302
    record = CommunicationNeeds.objects.get(user=resident)
    assert record.described == ["Large print", "Another language: Somali"]
    again = _soup(client.get(PREFERENCES))
    assert again.select_one("input[value=large_print]").has_attr("checked")
    assert again.select_one("input[name=communication_language]")["value"] == "Somali"


def test_a_bad_choice_comes_back_with_an_error_and_what_was_typed(client, db):
    resident = UserFactory(email_updates=True)
    client.force_login(resident)
    response = client.post(
        PREFERENCES, {"communication_formats": ["braille"], "communication_language": "Welsh"}
    )
    assert response.status_code == 400
    soup = _soup(response)
    summary = soup.select_one(".nhsuk-error-summary").get_text(" ", strip=True)
    assert "Another language" in summary
    assert soup.select_one("input[value=braille]").has_attr("checked")
    assert soup.select_one("input[name=communication_language]")["value"] == "Welsh"
    assert not CommunicationNeeds.objects.exists()
    resident.refresh_from_db()
    assert resident.email_updates is True  # nothing saved, the email choice included


def test_the_download_holds_the_needs_and_erasure_removes_them(db):
    resident = UserFactory()
    communication_needs_save(user=resident, formats=["audio", "other"], other="Slow speech")
    data = account_data(user=resident)
    assert data["communication_needs"]["formats"] == ["Audio", "Something else: Slow speech"]
    json.dumps(data)
    account_erase(user=resident, keep_posts=False)
    assert not CommunicationNeeds.objects.exists()


# The offline entry form


def test_needs_entered_offline_belong_to_the_contributor(moderator, consultation):
    idea = enter(
        consultation,
        moderator,
        communication_needs={"formats": ["bsl"], "language": "", "other": ""},
    )
    assert idea.contributor is not None and idea.contributor.reply_by == "nothing"
    assert idea.contributor.needs.described == ["British Sign Language (BSL)"]


def test_bad_needs_on_the_entry_form_come_back_with_everything(client, moderator, consultation):
    client.force_login(moderator)
    data = form_data(consultation, communication_formats=["other_language"])
    response = client.post(form_url(consultation), data)
    assert response.status_code == 400
    soup = _soup(response)
    assert "Enter the language they need" in soup.get_text()
    assert soup.select_one("input[name=communication_formats][value=other_language]").has_attr(
        "checked"
    )
    assert soup.select_one("input[name=title]")["value"] == data["title"]
    assert not Idea.objects.exists() and not OfflineContributor.objects.exists()


def test_the_entry_form_stores_the_needs(client, moderator, consultation):
    client.force_login(moderator)
    data = form_data(consultation, communication_formats=["large_print"])
    assert client.post(form_url(consultation), data).status_code == 302
    assert Idea.objects.get().contributor.needs.large_print


# Letters


def test_a_large_print_letter_prints_in_large_type_and_says_so(client, answered, moderator):
    person = OfflineContributor.objects.get(name="Letter Person")
    communication_needs_save(contributor=person, formats=["large_print"])
    client.force_login(moderator)
    soup = _soup(client.get(print_url(answered)))
    assert len(soup.select("article.engage-letter")) == 2
    large = [a for a in soup.select("article.engage-letter") if "Letter Person" in a.get_text()]
    other = [a for a in soup.select("article.engage-letter") if "Direct Person" in a.get_text()]
    assert "engage-letter--large-print" in large[0]["class"]
    assert "engage-letter--large-print" not in other[0]["class"]
    note = large[0].select_one(".engage-letter__needs")
    assert "engage-no-print" in note["class"] and "Large print" in note.get_text()


def test_the_letters_to_print_say_which_need_another_format(client, answered, staff):
    person = OfflineContributor.objects.get(name="Letter Person")
    communication_needs_save(
        contributor=person, formats=["braille", "other_language"], language="Polish"
    )
    client.force_login(staff)
    soup = _soup(client.get(letters_url(answered)))
    rows = {
        row.get_text(" ", strip=True)
        for row in soup.select("tbody tr")
        if Letter.objects.filter(pk=row.select_one("input")["data-object-id"]).exists()
    }
    assert any("Letter Person" in r and "Another language: Polish; Braille" in r for r in rows)
    assert any("Direct Person" in r and "Standard print" in r for r in rows)
