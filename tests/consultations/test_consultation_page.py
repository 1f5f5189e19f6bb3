from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations.models import (
    ActionStatus,
    ConsultationPage,
    UpdateAction,
    UpdatePage,
)
from home.models import Neighbourhood
from home.pages import PcnPageForm
from tests.factories import make_consultation, make_pcn_site


@pytest.mark.parametrize("phase", ["upcoming", "open", "closed"])
def test_phase_follows_the_dates(consultation_index, phase):
    consultation = make_consultation(consultation_index, phase=phase)
    assert consultation.phase == phase


@pytest.mark.parametrize("phase", ["upcoming", "open", "closed"])
def test_phase_querysets_agree_with_the_phase_property(consultation_index, phase):
    make_consultation(consultation_index, phase="upcoming")
    make_consultation(consultation_index, phase="open")
    make_consultation(consultation_index, phase="closed")
    queryset = {
        "upcoming": ConsultationPage.objects.upcoming(),
        "open": ConsultationPage.objects.open_now(),
        "closed": ConsultationPage.objects.finished(),
    }[phase]
    assert [page.phase for page in queryset] == [phase]


def test_staff_override_wins_once_closed(consultation_index):
    consultation = make_consultation(consultation_index, phase="closed")
    consultation.phase_override = "under_review"
    consultation.full_clean()
    assert consultation.phase == "under_review"
    assert not ConsultationPage.objects.open_now().filter(pk=consultation.pk).exists()
    assert ConsultationPage.objects.finished().filter(pk=consultation.pk).exists()


def test_override_refused_while_still_open(open_consultation):
    open_consultation.phase_override = "responded"
    with pytest.raises(ValidationError) as error:
        open_consultation.full_clean()
    assert "phase_override" in error.value.message_dict


def test_closing_date_must_follow_opening_date(open_consultation):
    open_consultation.closes_at = open_consultation.opens_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        open_consultation.full_clean()
    assert "closes_at" in error.value.message_dict


def test_an_action_not_possible_needs_a_reason(update_index):
    update = update_index.add_child(instance=UpdatePage(title="Fine", you_said="x", we_did="y"))
    action = UpdateAction(
        page=update, description="Sunday opening", status=ActionStatus.NOT_POSSIBLE
    )
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "not_possible_reason" in error.value.message_dict
    action.not_possible_reason = "No staff on Sundays"
    action.full_clean()


def test_admin_form_offers_only_this_pcns_neighbourhoods(consultation_index, home):
    other_home, _, _ = make_pcn_site(hostname="other.localhost", default=False)
    form_class = ConsultationPage.get_edit_handler().get_form_class()
    form = form_class(instance=ConsultationPage(), parent_page=consultation_index, for_user=None)
    offered = set(form.fields["neighbourhoods"].queryset)
    assert offered == set(Neighbourhood.objects.filter(pcn=home.pcn))
    assert not offered & set(Neighbourhood.objects.filter(pcn=other_home.pcn))
    assert issubclass(form_class, PcnPageForm)


def test_consultation_page_shows_when_it_opens(client, consultation_index):
    upcoming = make_consultation(
        consultation_index, phase="upcoming", opens_at=timezone.now() + timedelta(days=3)
    )
    response = client.get(upcoming.url)
    assert response.status_code == 200
    assert "This consultation opens on" in response.content.decode()
