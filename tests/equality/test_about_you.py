"""A resident's "About you": asked once after their first post, skipped in one click, changed
later; only listed answers stored, a bad one keeps the others; the postcode never stored; in
the data download and gone with the account."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from consultations.models import EqualityAnswers, Idea
from consultations.privacy import equality_data
from consultations.services.equality import equality_answers_save
from engage.privacy import account_erase
from home.models import LsoaDeprivation, PostcodeLsoa
from tests.factories import UserFactory

ABOUT_YOU = "/about-you/"
POSTCODE = "RB1 1AA"


@pytest.fixture
def area(db):
    PostcodeLsoa.objects.create(postcode=POSTCODE, lsoa_code="E01099001")
    LsoaDeprivation.objects.create(
        edition=LsoaDeprivation.Edition.IOD2025,
        lsoa_code="E01099001",
        lsoa_name="Riverside 001A",
        imd_rank=1234,
        imd_decile=2,
    )


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_address_is_the_named_route():
    assert reverse("consultations:about-you") == ABOUT_YOU


def test_visitors_are_sent_to_sign_in(client, db):
    response = client.get(ABOUT_YOU)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_says_why_and_who_sees_and_every_question_has_prefer_not_to_say(client, resident):
    client.force_login(resident)
    response = client.get(ABOUT_YOU)
    assert response.status_code == 200
    soup = _soup(response)
    text = soup.get_text(" ", strip=True)
    assert "Every question is optional" in text
    assert "only ever see totals" in text and "below 10 is hidden" in text
    assert "your postcode is not kept" in text
    for name in ("age_band", "sex", "gender_same_as_sex", "ethnic_group", "disability"):
        values = [radio["value"] for radio in soup.select(f"input[name={name}]")]
        assert "prefer_not_to_say" in values, name
    # Skip is one button, needing no answer and no JavaScript.
    skip = soup.find("button", attrs={"name": "skip"})
    assert skip is not None and skip.find_parent("form")["method"] == "post"
    assert not soup.select("main script")


def test_the_first_idea_leads_to_about_you_and_skip_goes_back_to_it(
    client, resident, open_consultation
):
    client.force_login(resident)
    create = open_consultation.url + open_consultation.reverse_subpage("idea-create")
    response = client.post(
        create,
        {
            "title": "Evening clinics",
            "body": "Open until eight on Tuesdays.",
            "attribution": "name",
            "neighbourhood": open_consultation.neighbourhoods.first().pk,
            "confirm": "1",
        },
    )
    idea = Idea.objects.get(author=resident)
    assert response.status_code == 302
    assert response["Location"].startswith(ABOUT_YOU + "?next=")
    page = client.get(response["Location"])
    assert "Thank you. Your idea is" in page.content.decode()
    next_url = _soup(page).find("input", attrs={"name": "next"})["value"]
    skipped = client.post(ABOUT_YOU, {"skip": "1", "next": next_url})
    assert skipped.status_code == 302 and skipped["Location"] == next_url
    assert next_url == open_consultation.url + open_consultation.reverse_subpage(
        "idea-detail", args=[idea.pk]
    )
    record = EqualityAnswers.objects.get(user=resident)
    assert not record.answered
    # Asked once: the second post goes straight to itself.
    second = client.post(
        create,
        {
            "title": "Weekend phone line",
            "body": "Answer the phone on Saturdays.",
            "attribution": "name",
            "neighbourhood": open_consultation.neighbourhoods.first().pk,
            "confirm": "1",
        },
    )
    assert second.status_code == 302 and not second["Location"].startswith(ABOUT_YOU)


def test_a_next_address_on_another_site_is_ignored(client, resident):
    client.force_login(resident)
    response = client.post(ABOUT_YOU, {"skip": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("consultations:my-contributions")


def test_answers_are_saved_and_shown_again_for_editing(client, resident, area):
    client.force_login(resident)
    response = client.post(
        ABOUT_YOU,
        {
            "age_band": "25_34",
            "sex": "female",
            "ethnic_group": "asian",
            "ethnic_group_detail": "asian_indian",
            "disability": "prefer_not_to_say",
            "postcode": "rb11aa",
        },
    )
    assert response.status_code == 302
    record = EqualityAnswers.objects.get(user=resident)
    assert (record.age_band, record.sex, record.ethnic_group) == ("25_34", "female", "asian")
    assert record.ethnic_group_detail == "asian_indian"
    assert record.disability == "prefer_not_to_say" and record.religion == ""
    assert record.deprivation_decile == 2
    soup = _soup(client.get(ABOUT_YOU))
    assert soup.find("input", attrs={"name": "age_band", "value": "25_34"}).has_attr("checked")
    assert "decile 2 of 10" in soup.get_text(" ", strip=True)
    # Saving again without a postcode keeps the area; "Forget" removes it.
    client.post(ABOUT_YOU, {"age_band": "35_44"})
    record.refresh_from_db()
    assert (record.age_band, record.sex, record.deprivation_decile) == ("35_44", "", 2)
    client.post(ABOUT_YOU, {"age_band": "35_44", "forget_area": "on"})
    record.refresh_from_db()
    assert record.deprivation_decile is None


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("age_band", "17", "Choose one of the answers in the list"),
        ("sex", "<script>alert(1)</script>", "Choose one of the answers in the list"),
        ("ethnic_group_detail", "black_african", "within the group you chose"),
        ("postcode", "not a postcode", "Enter a full UK postcode"),
        ("postcode", "ZZ9 9ZZ", "could not find that postcode"),
    ],
)
def test_a_bad_answer_gets_an_error_and_keeps_the_others(
    client, resident, area, field, value, message
):
    client.force_login(resident)
    data = {"age_band": "45_54", "ethnic_group": "white", "religion": "sikh", field: value}
    response = client.post(ABOUT_YOU, data)
    assert response.status_code == 200
    soup = _soup(response)
    summary = soup.select_one(".nhsuk-error-summary")
    assert summary is not None and message in summary.get_text()
    assert not EqualityAnswers.objects.filter(user=resident).exists()
    assert soup.find("input", attrs={"name": "religion", "value": "sikh"}).has_attr("checked")
    if field != "age_band":
        radio = soup.find("input", attrs={"name": "age_band", "value": "45_54"})
        assert radio.has_attr("checked")
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_service_refuses_values_not_in_the_list(resident):
    with pytest.raises(ValidationError) as raised:
        equality_answers_save(user=resident, answers={"sexual_orientation": "anything"})
    assert "sexual_orientation" in raised.value.message_dict
    with pytest.raises(ValueError):
        equality_answers_save(answers={})


def _rows_holding(text: str) -> list[str]:
    """Every table and column in the database holding `text` (any case, any spacing)."""
    found = []
    needle = text.replace(" ", "").lower()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (names from introspection)
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is not None and needle in str(value).replace(" ", "").lower():
                        found.append(f"{table}.{column}")
    return found


def test_the_postcode_is_stored_nowhere(client, resident, area):
    PostcodeLsoa.objects.all().delete()  # the lookup itself holds it: take it out first
    PostcodeLsoa.objects.create(postcode="RB9 9ZQ", lsoa_code="E01099001")
    client.force_login(resident)
    client.post(ABOUT_YOU, {"age_band": "55_64", "postcode": "RB9 9ZQ"})
    assert EqualityAnswers.objects.get(user=resident).deprivation_decile == 2
    assert _rows_holding("RB9 9ZQ") == ["home_postcodelsoa.postcode"]


def test_the_download_holds_the_answers_in_words(client, resident, area):
    equality_answers_save(
        user=resident, answers={"age_band": "65_74", "unpaid_care": "20_to_49"}, postcode=POSTCODE
    )
    client.force_login(resident)
    response = client.post(reverse("account_data_download"))
    data = json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    about = data["about_you"]
    assert about["age_band"] == "65 to 74"
    assert about["unpaid_care"] == "Yes, 20 to 49 hours a week"
    assert about["sex"] is None and about["deprivation_decile"] == 2
    assert "postcode" not in json.dumps(about).lower()
    assert equality_data(user=UserFactory()) == {"about_you": None, "communication_needs": None}


def test_erasing_the_account_leaves_no_answer(resident):
    equality_answers_save(user=resident, answers={"religion": "jewish", "sex": "male"})
    counts = account_erase(user=resident, keep_posts=True)
    assert counts["equality_answers"] == 1
    assert not EqualityAnswers.objects.exists()
