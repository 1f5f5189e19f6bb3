"""'About you' on the offline entry form: the resident's equality answers, recorded only with
their consent, checked as a resident's own are, stored against their offline contributor and
counted in "Who took part"."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from consultations.models import EqualityAnswers, Idea, OfflineContributor
from consultations.representativeness import representation
from home.models import LsoaDeprivation, PostcodeLsoa
from tests.offline.conftest import by_letter, enter
from tests.offline.test_offline_admin import form_data, form_url

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


def test_answers_with_consent_are_kept_against_a_contributor_with_no_contact_details(
    moderator, consultation, area
):
    idea = enter(
        consultation,
        moderator,
        equality_answers={"age_band": "75_84", "sex": "female", "unpaid_care": "up_to_19"},
        equality_postcode="rb11aa",
        equality_consent=True,
    )
    contributor = idea.contributor
    assert contributor is not None and contributor.email == contributor.postal_address == ""
    answers = EqualityAnswers.objects.get(contributor=contributor)
    assert (answers.age_band, answers.sex, answers.unpaid_care) == ("75_84", "female", "up_to_19")
    assert answers.deprivation_decile == 2
    assert answers.user_id is None


def test_answers_go_with_the_contributor_who_hears_back_by_letter(moderator, consultation):
    idea = enter(
        consultation,
        moderator,
        equality_answers={"age_band": "65_74"},
        equality_consent=True,
        **by_letter(),
    )
    assert idea.contributor.postal_address
    assert idea.contributor.equality_answers.age_band == "65_74"
    assert OfflineContributor.objects.count() == 1


def test_answers_without_consent_are_refused_and_nothing_is_saved(moderator, consultation):
    with pytest.raises(ValidationError) as refused:
        enter(consultation, moderator, equality_answers={"age_band": "65_74"})
    assert "agreed to share these answers" in refused.value.message_dict["equality_consent"][0]
    assert not Idea.objects.exists()
    assert not OfflineContributor.objects.exists()
    assert not EqualityAnswers.objects.exists()


def test_a_postcode_alone_also_needs_consent(moderator, consultation, area):
    with pytest.raises(ValidationError) as refused:
        enter(consultation, moderator, equality_postcode=POSTCODE)
    assert "equality_consent" in refused.value.message_dict


def test_a_bad_answer_is_refused_by_field_with_the_other_errors(moderator, consultation):
    with pytest.raises(ValidationError) as refused:
        enter(
            consultation,
            moderator,
            title="",
            equality_answers={"age_band": "150_plus", "ethnic_group": "white"},
            equality_postcode="not a postcode",
            equality_consent=True,
        )
    errors = refused.value.message_dict
    assert errors["age_band"] == ["Choose one of the answers in the list"]
    assert "Enter a full UK postcode" in errors["postcode"][0]
    assert "title" in errors
    assert not EqualityAnswers.objects.exists()


def test_consent_alone_with_no_answers_records_nothing(moderator, consultation):
    idea = enter(consultation, moderator, equality_answers={"age_band": ""}, equality_consent=True)
    assert idea.contributor is None
    assert not EqualityAnswers.objects.exists()


def test_answers_entered_offline_are_counted_in_who_took_part(moderator, consultation, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 1
    for _ in range(12):
        enter(
            consultation,
            moderator,
            equality_answers={"age_band": "85_plus", "sex": "male"},
            equality_consent=True,
        )
    table = representation(consultation=consultation).breakdowns[0].table
    assert table.cells[7][1].value == 12 and table.total.value == 12


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_form_asks_the_same_questions_with_a_consent_box(client, moderator, consultation):
    client.force_login(moderator)
    soup = _soup(client.get(form_url(consultation)))
    for name in ("age_band", "sex", "ethnic_group_detail", "sexual_orientation", "postcode"):
        assert soup.select(f"[name={name}]"), name
    consent = soup.select_one("input[name=equality_consent][type=checkbox]")
    assert consent is not None
    label = soup.select_one(f"label[for={consent['id']}]").get_text(strip=True)
    assert label == "The resident agreed to share these answers"


def test_answers_without_consent_come_back_with_everything_typed(client, moderator, consultation):
    client.force_login(moderator)
    data = form_data(consultation, age_band="55_64", sex="female", postcode="RB1 1AA")
    response = client.post(form_url(consultation), data)
    assert response.status_code == 400
    soup = _soup(response)
    summary = soup.select_one("[role=alert]").get_text(" ", strip=True)
    assert "agreed to share these answers" in summary
    assert soup.select_one("input[name=age_band][value='55_64']").has_attr("checked")
    assert soup.select_one("input[name=sex][value=female]").has_attr("checked")
    assert soup.select_one("input[name=postcode]")["value"] == "RB1 1AA"
    assert soup.select_one("input[name=title]")["value"] == data["title"]
    assert not Idea.objects.exists() and not EqualityAnswers.objects.exists()


def test_the_form_stores_answers_given_with_consent(client, moderator, consultation):
    client.force_login(moderator)
    data = form_data(consultation, age_band="55_64", equality_consent="on")
    response = client.post(form_url(consultation), data)
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.contributor.equality_answers.age_band == "55_64"
    # The listing still says how they hear back: by letter.
    listing = client.get("/admin/offline/").content.decode()
    assert "By letter" in listing
