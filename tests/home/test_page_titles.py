"""Page titles refuse control and direction characters, on every page type and every way in.

The worst of them is a line break: Wagtail puts a page's title in the subject of its workflow
emails, Django refuses a subject with a line break (header injection), and Wagtail logs the
failure and carries on, so the PCN leads who should approve an update never hear of it. The
title is refused where it is typed, and the form comes back with it as it was typed.
"""

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page

from consultations.models import UpdatePage
from home.models import PrivacyNoticePage, VisionPage
from home.pages import PageTextMixin
from home.services import pcn_sections_setup
from tests.factories import UserFactory
from tests.loop.conftest import make_update, make_vision

OUR_APPS = ("home", "consultations", "engage")


def our_page_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model._meta.app_label in OUR_APPS
    ]


def test_every_page_type_of_ours_checks_its_title():
    models = our_page_models()
    assert PrivacyNoticePage in models and UpdatePage in models
    for model in models:
        assert issubclass(model, PageTextMixin), f"{model.__name__} does not check its title"
        # First, so its clean() runs Wagtail's too.
        assert model.__mro__.index(PageTextMixin) < model.__mro__.index(Page), model


@pytest.mark.parametrize("model", our_page_models(), ids=lambda model: model.__name__)
@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("title", "Saturday\nclinics", "line_break"),
        ("title", "Saturday\tclinics", "tab"),
        ("title", "Saturday\u202eclinics", "text_direction"),
        ("title", "Saturday\x1bclinics", "control_character"),
        ("seo_title", "Saturday\r\nclinics", "line_break"),
        ("search_description", "Saturday\u2066clinics", "text_direction"),
    ],
)
def test_every_page_type_refuses_the_characters_in_its_title(db, model, field, value, code):
    page = model(title="Saturday clinics", slug="saturday-clinics")
    setattr(page, field, value)
    with pytest.raises(ValidationError) as refused:
        page.check_text()
    assert [error.code for error in refused.value.error_dict[field]] == [code]


def test_a_description_may_have_line_breaks(db):
    page = VisionPage(title="Our vision", search_description="Line one\r\nLine two")
    page.check_text()


def test_a_page_saved_from_code_is_refused_too(update_index):
    """`save()` runs `full_clean()` for a live page and `minimal_clean()` for a draft."""
    with pytest.raises(ValidationError, match="line break"):
        make_update(update_index, title="Saturday\nclinics")
    with pytest.raises(ValidationError, match="line break"):
        make_update(update_index, title="Saturday\nclinics", live=False, publish=False)
    assert not UpdatePage.objects.exists()


# Through the Wagtail admin, as PCN staff edit and submit an update.


@pytest.fixture
def sections(home, consultation_index, update_index):
    make_vision(home, "Care when you need it")
    pcn_sections_setup(pcn=home.pcn, home=home)


@pytest.fixture
def lead(home):
    return UserFactory(groups=[home.pcn.staff_group, home.pcn.lead_group], email="lead@example.org")


@pytest.fixture
def staff_client(client, home):
    staff = UserFactory(groups=[home.pcn.staff_group], email="staff@example.org")
    client.force_login(staff)
    return client


def form_as_sent(soup, form_id: str) -> dict:
    """What a browser would send for the form as the page shows it."""
    form = soup.find("form", id=form_id)
    assert form is not None, f"no form #{form_id}"
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data


def submit_for_approval(client, page, *, title: str):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = form_as_sent(BeautifulSoup(response.content, "html.parser"), "page-edit-form")
    data["title"] = title
    data["action-submit"] = "Submit for approval"
    return client.post(url, data)


@pytest.fixture
def draft_update(update_index, sections):
    return make_update(update_index, title="Saturday clinics", live=False, publish=False)


@pytest.mark.parametrize(
    "title",
    ["Saturday\nclinics", "Saturday clinics\r\nBcc: x@example.org", "Saturday\u202eclinics"],
)
def test_a_title_with_a_hidden_character_is_refused_in_the_editor_and_kept_as_typed(
    staff_client, draft_update, lead, mailoutbox, django_capture_on_commit_callbacks, title
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_for_approval(staff_client, draft_update, title=title)

    assert response.status_code == 200  # the form again, not a redirect
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.find(attrs={"name": "title"})
    typed = field.get_text() if field.name == "textarea" else field.get("value", "")
    assert typed.replace("\r\n", "\n") == title.replace("\r\n", "\n")
    assert field["aria-invalid"] == "true"
    error = soup.find(id="panel-child-content-child-title-errors").get_text(" ", strip=True)
    assert "Remove the hidden character" in error or "remove the line break" in error
    draft_update.refresh_from_db()
    assert draft_update.title == "Saturday clinics"
    assert draft_update.workflow_in_progress is False
    assert mailoutbox == []


def test_an_update_submitted_for_approval_tells_the_pcn_leads_by_email(
    staff_client, draft_update, lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_for_approval(staff_client, draft_update, title="Saturday clinics")

    assert response.status_code == 302
    draft_update.refresh_from_db()
    assert draft_update.workflow_in_progress
    to_lead = [message for message in mailoutbox if message.to == ["lead@example.org"]]
    assert len(to_lead) == 1
    assert "Saturday clinics" in to_lead[0].subject


def test_without_the_check_the_leads_would_never_hear_of_it(
    draft_update, home, lead, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    """Why the title is refused at source: Wagtail drops the email without a word. A page
    whose title has a line break (saved without validation, as Wagtail's own copy does) is
    submitted; the lead gets nothing, and only a log line says why."""
    staff = UserFactory(groups=[home.pcn.staff_group])
    draft_update.title = draft_update.draft_title = "Saturday\nclinics"
    draft_update.save(clean=False)
    with django_capture_on_commit_callbacks(execute=True):
        draft_update.get_workflow().start(draft_update, staff)

    assert draft_update.workflow_in_progress
    assert [message for message in mailoutbox if message.to == ["lead@example.org"]] == []
    assert "Failed to send notification email" in caplog.text
