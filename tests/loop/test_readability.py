"""The readability warning (consultations/readability.py and its hook): staff who save an
update whose "You said" or "We did" reads above a reading age of about 11 are told so, with
the score and a hint, and the page is saved all the same."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from consultations.models import UpdatePage
from consultations.readability import (
    READING_AGE_TARGET,
    plain_words,
    reading_age,
    update_readability,
)
from tests.factories import make_staff
from tests.loop.conftest import make_update

EASY = (
    "You asked for appointments at the weekend. We listened. From May, Riverside Surgery "
    "is open on Saturday mornings. You can book by phone or online."
)
HARD = (
    "Following comprehensive consideration of the multifaceted representations received "
    "during the engagement period, the Primary Care Network has determined that "
    "implementation of extended-access provision necessitates organisational restructuring "
    "across constituent practices."
)


def test_plain_words_drop_the_markup_and_end_list_items_as_sentences():
    text = plain_words("<p>We did <b>this</b> &amp; that.</p><ul><li>One</li><li>Two</li></ul>")
    assert text == "We did this & that. One. Two."


def test_easy_text_scores_at_or_under_the_target_and_hard_text_above():
    assert reading_age(EASY) <= READING_AGE_TARGET
    assert reading_age(HARD) > 18


def test_too_few_words_are_not_scored():
    assert reading_age("Implementation necessitates restructuring.") is None


@pytest.mark.django_db  # building a page reads its content type
def test_an_update_is_scored_field_by_field():
    update = UpdatePage(you_said=f"<p>{EASY}</p>", we_did=f"<p>{HARD}</p>")
    you_said, we_did = update_readability(update)
    assert (you_said.field, we_did.field) == ("You said", "We did")
    assert not you_said.too_hard and we_did.too_hard
    assert f"reading age of about {we_did.reading_age}" in we_did.message
    assert "Shorter sentences" in we_did.message


def _edit_form(client, page) -> dict:
    """The edit form as the browser would send it back, unchanged."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    form = soup.select_one("form#page-edit-form")
    data: dict = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "select":
            chosen = field.select("option[selected]")
            values = [option.get("value", "") for option in chosen]
            if field.has_attr("multiple"):
                data[name] = values
            elif values:
                data[name] = values[0]
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") in ("submit", "button", "file"):
            continue
        elif field.name == "textarea":
            data[name] = field.get_text()
        else:
            data[name] = field.get("value", "")
    return data


@pytest.mark.parametrize(("we_did", "warned"), [(HARD, True), (EASY, False)])
def test_saving_an_update_warns_staff_when_it_reads_too_hard(
    client, home, update_index, we_did, warned
):
    update = make_update(update_index)
    staff = make_staff(home.pcn)
    client.force_login(staff)
    data = _edit_form(client, update)
    data["you_said"] = rich_text(f"<p>{EASY}</p>")
    data["we_did"] = rich_text(f"<p>{we_did}</p>")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[update.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    # Saved all the same: a warning, never a block.
    latest = UpdatePage.objects.get(pk=update.pk).get_latest_revision_as_object()
    assert "necessitates" in latest.we_did if warned else "Saturday mornings" in latest.we_did
    shown = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    if warned:
        assert len(shown) == 1
        assert shown[0].startswith('"We did" reads at a reading age of about ')
        assert f"we aim for {READING_AGE_TARGET} or under" in shown[0]
    else:
        assert shown == []
