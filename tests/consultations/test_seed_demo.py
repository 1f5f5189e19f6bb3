import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings

from consultations.management.commands.seed_demo import ICS_HOST, PCN_ODS_CODE, PLACE_HOST
from consultations.models import ConsultationPage
from home.models import HomePage


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def seeded(db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


def test_seed_demo_twice_changes_nothing(seeded):
    before = row_counts()
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    assert row_counts() == before


def demo_consultations():
    """The demo PCN's (the second PCN of its Place has one of its own)."""
    return ConsultationPage.objects.descendant_of(HomePage.objects.get(pcn__ods_code=PCN_ODS_CODE))


def test_seed_demo_makes_upcoming_open_and_closed_consultations(seeded):
    phases = sorted(page.phase for page in demo_consultations())
    # The closed one has been answered, so the demo shows the whole loop.
    assert phases == ["open", "responded", "upcoming"]
    assert demo_consultations().finished().get().phase == "responded"


def test_seeded_home_page_lists_the_open_consultation(seeded, client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Riverside and Meadowbank PCN" in body
    open_consultation = demo_consultations().open_now().get()
    assert open_consultation.title in body
    assert open_consultation.get_url(request=response.wsgi_request) in body
    upcoming = demo_consultations().upcoming().get()
    assert "Open consultations" in body
    assert (
        body.index(open_consultation.title) < body.index("Coming soon") < body.index(upcoming.title)
    )


@pytest.mark.parametrize(
    "email", ["resident", "moderator", "staff", "placelead", "icslead", "admin"]
)
def test_each_demo_account_can_sign_in(seeded, client, email):
    from consultations.management.commands.seed_demo import ACCOUNTS

    password = next(p for e, _n, _r, p in ACCOUNTS if e.startswith(email + "@"))
    assert client.login(username=f"{email}@example.org", password=password)


def test_demo_roles_are_in_their_groups(seeded):
    from engage.models import User
    from home.models import PrimaryCareNetwork

    pcn = PrimaryCareNetwork.objects.get(ods_code=PCN_ODS_CODE)
    assert (
        User.objects.get(email="moderator@example.org")
        .groups.filter(pk=pcn.moderator_group_id)
        .exists()
    )
    assert User.objects.get(email="staff@example.org").groups.filter(pk=pcn.staff_group_id).exists()
    assert User.objects.get(email="admin@example.org").is_superuser
    assert not User.objects.get(email="resident@example.org").groups.exists()


@override_settings(DEBUG=False)
def test_seed_demo_refuses_without_debug(db):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not ConsultationPage.objects.exists()


def test_seed_demo_has_paper_contributions_and_a_letter_to_print(seeded):
    from consultations.loop import letters_due
    from consultations.models import Idea, UpdatePage

    paper = Idea.objects.filter(channel="paper").select_related("contributor")
    assert paper.count() == 2
    assert all(idea.author is None and idea.contributor.postal_address for idea in paper)
    assert all(idea.shown_author.endswith("(paper)") for idea in paper)
    update = UpdatePage.objects.live().get(title="Drop-in wellbeing sessions for young people")
    due = [letter.contributor.name for letter in letters_due(update=update)]
    assert due == ["Margaret Holloway"]


def test_demo_accounts_with_a_role_have_the_documented_authenticator(seeded):
    from allauth.mfa.models import Authenticator

    from consultations.management.commands.seed_demo import ACCOUNTS, DEMO_TOTP_SECRET
    from engage.models import User
    from tests.factories import totp_secret

    for email, _name, role, _password in ACCOUNTS:
        user = User.objects.get(email=email)
        types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
        if role == "resident":
            assert types == set(), email
        else:
            assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}, email
            assert totp_secret(user) == DEMO_TOTP_SECRET, email


def test_a_demo_loaded_before_two_factor_gets_its_authenticators(seeded):
    from allauth.mfa.models import Authenticator

    from consultations.management.commands.seed_demo import ACCOUNTS

    Authenticator.objects.all().delete()
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    roles = sum(role != "resident" for _e, _n, role, _p in ACCOUNTS)
    assert roles == 6  # moderator, staff, PCN lead, place lead, ICS lead, admin
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == roles


def test_demo_totp_code_prints_the_code_an_app_would_show(db):
    from consultations.management.commands.seed_demo import DEMO_TOTP_SECRET
    from tests.factories import totp_code

    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("demo_totp_code", stdout=out)
    printed = out.getvalue().splitlines()[0]
    # The code may have just rolled over to the next 30 seconds.
    assert printed in {totp_code(DEMO_TOTP_SECRET), totp_code(DEMO_TOTP_SECRET, offset=-1)}
    assert DEMO_TOTP_SECRET in out.getvalue()


def test_demo_totp_code_refuses_to_run_with_debug_off(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG on"):
        call_command("demo_totp_code", stdout=io.StringIO())


def test_the_demo_site_answers_where_make_run_serves_it(db):
    out = io.StringIO()
    call_command("seed_demo", allow_without_debug=True, address="127.0.0.1:8123", stdout=out)
    from wagtail.models import Site

    from consultations.models import UpdatePage

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    assert UpdatePage.objects.live().first().full_url.startswith("http://127.0.0.1:8123/")
    # Run again on another port: the links follow it.
    call_command(
        "seed_demo", allow_without_debug=True, address="127.0.0.1:9000", stdout=io.StringIO()
    )
    site.refresh_from_db()
    assert site.port == 9000


@pytest.mark.django_db(transaction=True)
def test_loading_the_demo_prints_no_email_and_sends_none(mailoutbox):
    # Committed for real, as `make run` does: publishing the demo's update owes its
    # contributors emails once the load commits.
    out = io.StringIO()
    call_command("seed_demo", allow_without_debug=True, stdout=out)
    assert "Subject:" not in out.getvalue()
    assert "email(s) to the demo's fictional residents were not sent." in out.getvalue()
    assert mailoutbox == []


def test_a_bad_address_is_refused():
    from consultations.management.commands.seed_demo import site_address

    assert site_address("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert site_address("Demo.Example") == ("demo.example", 80)
    for bad in ("127.0.0.1:x", ":8000", "host:0", "host:70000"):
        with pytest.raises(Exception, match="is not a host:port"):
            site_address(bad)


def test_the_demo_place_vision_is_heard_in_both_of_its_pcns(seeded, client, settings):
    from engage.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, PLACE_HOST]
    response = client.get("/", HTTP_HOST=PLACE_HOST)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Riverbridge: our shared vision" in body
    assert "Heard in 2 of 2 PCNs" in body
    place_lead = User.objects.get(email="placelead@example.org")
    assert place_lead.groups.filter(led_place__vision_page__isnull=False).exists()


def test_the_demo_is_one_ics_with_two_places_and_four_pcns(seeded, settings):
    from home.models import IntegratedCareSystem, Place, PrimaryCareNetwork

    assert IntegratedCareSystem.objects.count() == 1
    assert Place.objects.count() == 2
    assert PrimaryCareNetwork.objects.count() >= 4
    for place in Place.objects.all():
        assert place.pcns.count() >= 2
    # The second Place's PCNs are working sites with residents' ideas.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    from django.test import Client

    response = Client(HTTP_HOST="pcn1.localhost").get("/")
    assert response.status_code == 200
    assert "Northbrook Riverside PCN 1" in response.content.decode()


def test_the_demo_place_has_one_published_update_acting_on_its_first_priority(seeded, settings):
    from consultations.models import Notice, PlaceUpdatePage

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, PLACE_HOST]
    update = PlaceUpdatePage.objects.get()
    assert update.live and update.place.name == "Riverbridge"
    first = update.place.vision_page.priorities.order_by("sort_order").first()
    assert list(update.priorities.all()) == [first]
    # The residents behind what its first priority cites are owed the step.
    assert Notice.objects.filter(place_update=update).exists()
    from django.test import Client

    page = Client().get(update.url, HTTP_HOST=PLACE_HOST)
    assert page.status_code == 200 and update.title in page.content.decode()


def test_the_demo_ics_vision_cites_both_places_and_has_a_published_update(seeded, settings):
    from django.test import Client

    from consultations.models import IcsUpdatePage, IcsVisionPage
    from engage.models import User
    from engage.roles import needs_two_factor
    from home.boundary import ics_ids_led_by

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ICS_HOST]
    vision = IcsVisionPage.objects.get()
    assert vision.live and vision.ics.name == "Wessex Vale Integrated Care System"
    priorities = list(vision.priorities.order_by("sort_order"))
    assert len(priorities) == 2
    for priority in priorities:
        places = {link.place_priority.page.place.name for link in priority.links.all()}
        assert places == {"Riverbridge", "Northbrook"}, priority.title
    update = IcsUpdatePage.objects.get()
    assert update.live and update.ics == vision.ics
    assert list(update.priorities.all()) == [priorities[0]]
    assert update.actions.count() == 2
    body = Client().get("/", HTTP_HOST=ICS_HOST).content.decode()
    assert "Wessex Vale: our shared vision" in body
    assert "of 2 Places" in body
    page = Client().get(update.url, HTTP_HOST=ICS_HOST)
    assert page.status_code == 200 and update.title in page.content.decode()
    lead = User.objects.get(email="icslead@example.org")
    assert ics_ids_led_by(lead) == [vision.ics_id]
    assert needs_two_factor(lead)
