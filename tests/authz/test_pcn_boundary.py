"""The PCN boundary where it once leaked: the update editor, the idea chooser, the services,
the people an update tells, and the private consultations behind the public roll-ups."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from consultations import loop, moderation
from consultations.models import (
    ConsultationPage,
    Idea,
    IdeaTheme,
    Theme,
    UpdateIdea,
    UpdatePage,
)
from home.models import HomePage, VisionPriority
from tests.authz.twins import build_twins
from tests.factories import make_moderator, make_staff


@pytest.fixture
def twins(db):
    return build_twins()


@pytest.fixture
def a(twins):
    return twins["a"]


@pytest.fixture
def b(twins):
    return twins["b"]


# The idea chooser


def test_the_idea_chooser_lists_only_the_editors_pcn(client, a, b):
    client.force_login(make_staff(a[HomePage].pcn))
    response = client.get(reverse("idea_chooser:choose"))
    assert response.status_code == 200
    html = response.json()["html"]
    assert a[Idea].title in html
    assert b[Idea].title not in html


def test_the_idea_chooser_searches_only_the_editors_pcn(client, a, b):
    client.force_login(make_staff(a[HomePage].pcn))
    response = client.get(reverse("idea_chooser:choose_results"), {"q": "Twin idea"})
    assert response.status_code == 200
    html = response.content.decode()
    assert a[Idea].title in html
    assert b[Idea].title not in html


def test_another_pcns_idea_cannot_be_chosen_by_id(client, a, b):
    client.force_login(make_staff(a[HomePage].pcn))
    assert client.get(reverse("idea_chooser:chosen", args=[a[Idea].pk])).status_code == 200
    assert client.get(reverse("idea_chooser:chosen", args=[b[Idea].pk])).status_code == 404
    multiple = client.get(
        reverse("idea_chooser:chosen_multiple"), {"id": [str(a[Idea].pk), str(b[Idea].pk), "x"]}
    )
    assert multiple.status_code == 200
    assert b[Idea].title not in multiple.content.decode()
    assert a[Idea].title in multiple.content.decode()


def test_the_chooser_is_an_editors_tool(client, a):
    client.force_login(a[Idea].comments.first().author)  # a resident
    response = client.get(reverse("idea_chooser:choose"))
    assert response.status_code == 302


# The update editor, end to end


def _update_form_data(update, **changes):
    data = nested_form_data(
        {
            "title": update.title,
            "slug": update.slug,
            "consultation": update.consultation_id,
            "themes": [theme.pk for theme in update.themes.all()],
            "priority": update.priority_id or "",
            "you_said": rich_text("Later"),
            "we_did": rich_text("Done"),
            "easy_read": rich_text(""),
            "actions": inline_formset(
                [
                    {
                        "id": update.actions.get().pk,
                        "description": "Evening clinic",
                        "status": "planned",
                        "date": "",
                        "not_possible_reason": "",
                    }
                ],
                initial=1,
                min=1,
            ),
            "answered_ideas": inline_formset(
                [
                    {
                        "id": update.answered_ideas.get().pk,
                        "idea": update.answered_ideas.get().idea_id,
                    }
                ],
                initial=1,
            ),
        }
    )
    data.update(changes)
    return data


def _save_draft(client, update, **changes):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[update.pk]), _update_form_data(update, **changes)
    )


def test_the_update_editor_saves_its_own_pcns_links(client, a):
    client.force_login(make_staff(a[HomePage].pcn))
    response = _save_draft(client, a[UpdatePage], title="Evening clinics, revised")
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = UpdatePage.objects.get(pk=a[UpdatePage].pk).get_latest_revision_as_object()
    assert draft.title == "Evening clinics, revised"


@pytest.mark.parametrize(
    ("field", "pick"),
    [
        ("themes", lambda b: [b[Theme].pk]),
        ("consultation", lambda b: b[ConsultationPage].pk),
        ("priority", lambda b: b[VisionPriority].pk),
        ("answered_ideas-0-idea", lambda b: b[Idea].pk),
    ],
)
def test_the_update_editor_refuses_another_pcns_object(client, a, b, field, pick):
    update = a[UpdatePage]
    client.force_login(make_staff(a[HomePage].pcn))
    response = _save_draft(client, update, **{field: pick(b)}, title="Kept title")
    assert response.status_code == 200  # the form again, with its error
    html = response.content.decode()
    assert "Kept title" in html  # what they typed is still there
    assert "The page could not be saved due to validation errors" in html
    assert update.revisions.count() == UpdatePage.objects.get(pk=update.pk).revisions.count()
    assert UpdatePage.objects.get(pk=update.pk).get_latest_revision_as_object().title != (
        "Kept title"
    )


def test_the_update_editor_offers_only_its_pcns_themes_and_priorities(client, a, b):
    client.force_login(make_staff(a[HomePage].pcn))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[a[UpdatePage].pk])).content
    html = html.decode()
    assert a[Theme].name in html and a[VisionPriority].title in html
    assert b[Theme].name not in html
    assert b[VisionPriority].title not in html
    assert b[Idea].title not in html


# Services


def test_a_theme_cannot_feed_another_pcns_priority(a, b):
    moderator = make_moderator(a[HomePage].pcn)
    with pytest.raises(ValidationError) as refused:
        moderation.theme_update(
            theme=a[Theme],
            user=moderator,
            name=a[Theme].name,
            summary="",
            priority=b[VisionPriority],
        )
    assert "belongs to another PCN" in str(refused.value.message_dict["priority"])
    a[Theme].refresh_from_db()
    assert a[Theme].priority == a[VisionPriority]


# Who an update tells, whatever was saved


def test_an_update_never_tells_another_pcns_contributors(a, b):
    """Even a link written past every check (a bulk insert) reaches no one in PCN B."""
    update = a[UpdatePage]
    UpdatePage.themes.through.objects.create(updatepage=update, theme=b[Theme])
    UpdateIdea.objects.create(page=update, idea=b[Idea])
    answered = set(loop.answered_ideas(update))
    assert a[Idea] in answered
    assert b[Idea] not in answered
    assert b[Idea].contributor not in set(loop.update_letter_recipients(update))
    letter_ids = loop.update_letters_create(update=update)
    assert all(
        letter.contributor.pcn_id == a[HomePage].pcn_id
        for letter in update.letters.filter(pk__in=letter_ids)
    )


# Private consultations behind the public roll-ups


@pytest.fixture
def private_theme(a, client):
    """A's consultation made private (signed-in people only), with its own theme linked to
    A's vision priority."""
    consultation = a[ConsultationPage]
    PageViewRestriction.objects.create(
        page=consultation, restriction_type=PageViewRestriction.LOGIN
    )
    theme = Theme.objects.create(
        consultation=consultation, name="Secret staffing theme", priority=a[VisionPriority]
    )
    IdeaTheme.objects.create(idea=a[Idea], theme=theme)
    return theme


def test_a_private_consultations_themes_stay_off_the_public_vision(client, a, private_theme):
    vision = a[HomePage].get_children().type(type(a[VisionPriority].page)).first().specific
    vision.save_revision().publish()
    response = client.get(vision.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret staffing theme" not in html
    assert a[Theme].name not in html  # the consultation's other theme is private too


def test_a_private_consultation_adds_nothing_to_the_public_record(a, private_theme):
    record = loop.accountability(home=a[HomePage])
    assert record.themes == 0
    PageViewRestriction.objects.filter(page=a[ConsultationPage]).delete()
    assert loop.accountability(home=a[HomePage]).themes == 2
