"""Every text field people type refuses control and direction characters, whoever types it.

One-line fields (titles, names, descriptions) refuse them with an error saying what to remove;
longer text keeps its line breaks. Resident text reaches the field through its service's
`full_clean()`; staff text through the Wagtail admin's forms, which run the same validators.
"""

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from wagtail import blocks

from consultations import moderation
from consultations.models import ConsultationPage, Theme, UpdateAction
from engage.text import validate_multi_line, validate_single_line
from home.models import Neighbourhood
from tests.factories import make_moderator

OUR_APPS = ("engage", "home", "consultations")

# Text fields nobody types, or whose own validator allows less than ours already.
NOT_TYPED = {
    # Wagtail's Page fields, which PageTextMixin checks (title, seo_title, search_description)
    # or Wagtail makes (slug, url_path, draft_title, ...).
    "wagtailcore.Page",
    # Django's own user fields: the admin's, not residents'.
    "engage.User.username",
    "engage.User.first_name",
    "engage.User.last_name",
    "engage.User.password",
    # Codes checked by a pattern of letters and digits.
    "home.PrimaryCareNetwork.ods_code",
    "home.Practice.ods_code",
    "home.IntegratedCareSystem.ods_code",
    "home.Place.ods_code",
    # Reference data written by the imports, which check each code's pattern (home/imports).
    "home.LsoaDeprivation.lsoa_code",
    "home.PostcodeLsoa.postcode",
    "home.PostcodeLsoa.lsoa_code",
    # Email addresses: Django's validator refuses any control character.
    "engage.User.email",
    "home.PrimaryCareNetwork.contact_email",
    "home.PrimaryCareNetwork.safeguarding_contact_email",
    "consultations.OfflineContributor.email",
    "consultations.NoAccountPost.email",
    # Written by the code, never typed.
    "consultations.ModerationDecision.reason",
    "consultations.SuggestionRun.error",
    "consultations.Notice.key",
    "consultations.Notice.last_error",
    "consultations.Notice.email_key",
    "consultations.SummaryDraft.message",
    "consultations.SummaryDraft.error",
    "consultations.PlacePriorityDraft.message",
    "consultations.PlacePriorityDraft.error",
    "consultations.Letter.key",
    "engage.OutgoingEmail.key",
    "engage.OutgoingEmail.last_error",
    "consultations.RollupSnapshot.parameters",  # "months=12", from a form's cleaned choice
    # Keyed hashes, and the safety panel's fingerprint, written by the code
    # (consultations/services/no_account.py).
    "consultations.NoAccountPost.email_digest",
    "consultations.NoAccountPost.client_digest",
    "consultations.NoAccountPost.token_digest",
    "consultations.NoAccountPost.code_digest",
    "consultations.NoAccountPost.safety_seen",
}


def typed_text_fields():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.CharField | models.TextField):
                continue
            owner = field.model._meta.label
            if owner in NOT_TYPED or f"{owner}.{field.name}" in NOT_TYPED or field.choices:
                continue
            yield pytest.param(field, id=f"{owner}.{field.name}")


@pytest.mark.parametrize("field", list(typed_text_fields()))
def test_every_typed_text_field_refuses_control_and_direction_characters(field):
    assert validate_single_line in field.validators or validate_multi_line in field.validators
    if isinstance(field, models.TextField):
        assert validate_multi_line in field.validators, "a multi-line field keeps its lines"


def test_the_guard_sees_the_fields_that_matter():
    checked = {param.id for param in typed_text_fields()}
    assert {
        "consultations.Idea.title",
        "consultations.Idea.body",
        "consultations.Theme.name",
        "consultations.UpdateAction.description",
        "consultations.OfflineContributor.name",
        "engage.User.display_name",
        "home.PrimaryCareNetwork.name",
        "home.Neighbourhood.name",
    } <= checked


def test_a_consultations_headings_refuse_them_too():
    heading = ConsultationPage._meta.get_field("background").stream_block.child_blocks["heading"]
    assert isinstance(heading, blocks.CharBlock)
    with pytest.raises(ValidationError):
        heading.clean("What\nwe know")
    assert heading.clean("What we know") == "What we know"


@pytest.mark.parametrize(
    ("instance", "field", "value"),
    [
        (UpdateAction(status="planned"), "description", "Saturday\nclinic"),
        (UpdateAction(status="not_possible"), "not_possible_reason", "No\u202e money"),
        (Neighbourhood(), "name", "River\tside"),
        (Theme(), "name", "Evening\u2066hours"),
        (Theme(), "summary", "People \x1b want evenings"),
    ],
    ids=lambda value: value if isinstance(value, str) else type(value).__name__,
)
def test_a_model_refuses_them_when_it_is_cleaned(instance, field, value):
    setattr(instance, field, value)
    with pytest.raises(ValidationError) as refused:
        instance.clean_fields()
    assert field in refused.value.message_dict


def test_a_moderator_naming_a_theme_sees_why_and_keeps_what_they_typed(
    client, home, consultation_index
):
    from tests.factories import make_consultation

    consultation = make_consultation(consultation_index, phase="closed")
    client.force_login(make_moderator(home.pcn))
    url = "/admin/snippets/consultations/theme/add/"
    response = client.post(
        url, {"consultation": consultation.pk, "name": "Evening\thours", "summary": "x"}
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("input", attrs={"name": "name"})["value"] == "Evening\thours"
    assert "Remove the tab after 'Evening'" in soup.get_text()
    assert not Theme.objects.exists()
    # And through the service, for any other way in.
    with pytest.raises(ValidationError, match="tab"):
        moderation.theme_create(
            consultation=consultation, user=make_moderator(home.pcn), name="Evening\thours"
        )


def test_staff_naming_a_neighbourhood_in_the_admin_see_why(client, home):
    from tests.factories import make_admin

    client.force_login(make_admin())
    url = reverse("wagtailsnippets_home_neighbourhood:add")
    response = client.post(url, {"pcn": home.pcn.pk, "name": "Old\u202eTown"})
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert "changes the direction the text reads in" in text
    assert not Neighbourhood.objects.filter(name__startswith="Old").exists()
