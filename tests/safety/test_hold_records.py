"""What the safety check's holds keep, for how long, and who can see it: the author's data
download, erasure, retention; and the PCN's safeguarding contact, set when it is set up."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from consultations.models import SafetyHold
from consultations.privacy import participation_data
from engage.privacy import account_erase
from engage.retention import retention_apply
from home.models import IntegratedCareSystem, Place, PrimaryCareNetwork
from home.pcn_setup import PcnSetupForm
from tests.factories import UserFactory


def _hold(idea, **fields):
    return SafetyHold.objects.create(
        consultation=idea.consultation,
        idea=idea,
        personal_data=True,
        matches=[
            {
                "field": "body",
                "type": "personal",
                "key": "phone number",
                "label": "Phone number",
                "start": 0,
                "end": 5,
                "rule": "phone",
            }
        ],
        original_body="Ring me on 07700 900123",
        **fields,
    )


def test_the_download_lists_the_holds_of_their_posts(idea, resident):
    _hold(idea)
    data = participation_data(user=resident)
    [hold] = data["safety_holds"]
    assert hold["idea"] == idea.pk and hold["held_for"] == ["Personal information"]
    assert hold["found"] == ["Phone number"]
    assert hold["original_text"] == "Ring me on 07700 900123"
    assert "resolved_by" not in hold
    assert participation_data(user=UserFactory())["safety_holds"] == []


def test_erasure_removes_the_original_words_of_their_held_posts(idea, resident, moderator):
    hold = _hold(idea, resolved_at=timezone.now(), resolved_by=moderator)
    account_erase(user=resident, keep_posts=True)
    hold.refresh_from_db()
    assert (hold.original_title, hold.original_body) == ("", "")
    account_erase(user=moderator, keep_posts=True)
    hold.refresh_from_db()
    assert hold.resolved_by is None


def test_erasing_their_posts_removes_the_holds(idea, resident):
    _hold(idea)
    account_erase(user=resident, keep_posts=False)
    assert not SafetyHold.objects.exists()


def test_resolved_holds_go_after_the_audit_retention_period(idea, comment):
    old = _hold(idea, resolved_at=timezone.now() - timedelta(days=6 * 365 + 1))
    recent = SafetyHold.objects.create(
        consultation=idea.consultation,
        comment=comment,
        urgent=True,
        resolved_at=timezone.now() - timedelta(days=6 * 365 - 1),
    )
    still_open = SafetyHold.objects.create(consultation=idea.consultation, idea=idea, urgent=True)
    SafetyHold.objects.filter(pk=still_open.pk).update(
        created_at=timezone.now() - timedelta(days=10 * 365)
    )
    results = {result.rule.key: result.count for result in retention_apply()}
    assert results["resolved_safety_holds"] == 1
    assert set(SafetyHold.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert not SafetyHold.objects.filter(pk=old.pk).exists()


def test_a_pcn_is_set_up_with_its_safeguarding_contact(db):
    call_command(
        "create_pcn",
        "--name",
        "Meadowbank PCN",
        "--ods-code",
        "U54321",
        "--place",
        "Riverbridge",
        "--ics",
        "Wessex Vale ICS",
        "--hostname",
        "meadowbank.example.nhs.uk",
        "--safeguarding-email",
        "safeguarding@meadowbank.example.nhs.uk",
        "--safeguarding-name",
        "Safeguarding lead, Meadowbank Surgery",
        stdout=io.StringIO(),
    )
    pcn = PrimaryCareNetwork.objects.get(ods_code="U54321")
    assert pcn.safeguarding_contact_email == "safeguarding@meadowbank.example.nhs.uk"
    assert pcn.safeguarding_contact_name == "Safeguarding lead, Meadowbank Surgery"

    place = Place.objects.get(name="Riverbridge")
    data = {
        "name": "Hillcrest PCN",
        "ods_code": "U65432",
        "place": place.pk,
        "hostname": "hillcrest.example.nhs.uk",
        "safeguarding_contact_email": "not an email",
    }
    form = PcnSetupForm(data)
    assert "safeguarding_contact_email" in form.errors
    form = PcnSetupForm({**data, "safeguarding_contact_email": ""})
    assert form.is_valid(), form.errors  # optional
    assert IntegratedCareSystem.objects.count() == 1


def test_the_demo_pcn_has_a_safeguarding_contact(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    pcn = PrimaryCareNetwork.objects.get(ods_code="U99001")  # the demo's own PCN
    assert pcn.safeguarding_contact_email.endswith(".example.org")
