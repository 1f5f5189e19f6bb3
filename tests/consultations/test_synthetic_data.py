"""Synthetic data at a chosen scale (consultations/synthetic.py, `make_synthetic_data`): the
real shape, every PCN a working site, nobody emailed, safe to run again, bad scales refused."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from consultations.models import (
    Comment,
    ConsultationPage,
    IcsPriorityLink,
    IcsVisionPage,
    Idea,
    IdeaTheme,
    Notice,
    PlacePriority,
    PlacePriorityLink,
    PlaceVisionPage,
    PostStatus,
    Support,
    Theme,
    UpdatePage,
)
from consultations.synthetic import Scale, synthetic_data_make
from engage.models import OutgoingEmail, User
from home.boundary import ics_of, place_of
from home.models import IntegratedCareSystem, Place, Practice, PrimaryCareNetwork

SMALL = Scale(systems=1, places=2, pcns=3, ideas_per_pcn=30, residents=40, seed=7)


@pytest.fixture
def made(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return synthetic_data_make(scale=SMALL)


def test_the_tree_from_ics_to_practice_has_the_real_shape(made):
    assert IntegratedCareSystem.objects.count() == 1
    assert Place.objects.count() == 2
    pcns = PrimaryCareNetwork.objects.order_by("ods_code")
    assert [pcn.ods_code for pcn in pcns] == ["U90000", "U90001", "U90002"]
    # Spread over the Places: every Place has a PCN.
    assert set(pcns.values_list("place", flat=True)) == set(
        Place.objects.values_list("pk", flat=True)
    )
    for pcn in pcns:
        assert pcn.practices.count() == 5
        assert pcn.neighbourhoods.count() == 3
    for practice in Practice.objects.all():
        practice.full_clean()  # real ODS formats


def test_each_pcn_has_consultations_ideas_comments_supports_themes_and_an_update(made):
    assert made.pcns == 3 and made.counts["ideas"] == 90
    assert Idea.objects.count() == 90
    for pcn in PrimaryCareNetwork.objects.all():
        consultations = ConsultationPage.objects.live().filter(path__startswith=pcn_home(pcn).path)
        assert sorted(page.phase for page in consultations) == ["open", "responded"]
    assert Comment.objects.exists() and Support.objects.exists()
    # The counts shown on pages are the rows that exist.
    for idea in Idea.objects.all():
        assert idea.support_count == idea.supports.count()
        assert idea.comment_count == idea.comments.filter(status=PostStatus.PUBLISHED).count()
    # Themes hold only published ideas of their own consultation.
    assert Theme.objects.count() == made.counts["themes"] > 0
    for link in IdeaTheme.objects.select_related("idea", "theme"):
        assert link.idea.status == PostStatus.PUBLISHED
        assert link.idea.consultation_id == link.theme.consultation_id
    assert UpdatePage.objects.live().count() == 3


def test_nobody_who_does_not_exist_is_emailed(made):
    assert mail.outbox == []
    assert not Notice.objects.exists() and not OutgoingEmail.objects.exists()
    assert not User.objects.filter(email__endswith="@synthetic.example.org")[
        0
    ].has_usable_password()


def test_every_pcn_is_a_working_site(made, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".synthetic.localhost"]
    for number, pcn in enumerate(PrimaryCareNetwork.objects.order_by("ods_code"), start=1):
        client = Client(HTTP_HOST=f"pcn{number}.synthetic.localhost")
        home = client.get("/")
        assert home.status_code == 200 and pcn.name in home.content.decode()
        consultation = (
            ConsultationPage.objects.live().filter(path__startswith=pcn_home(pcn).path).first()
        )
        listing = client.get(consultation.url)
        assert listing.status_code == 200
        newest = consultation.ideas.filter(status=PostStatus.PUBLISHED).latest("created_at")
        assert newest.title in listing.content.decode()


def test_each_place_and_ics_has_a_published_vision_citing_the_level_below(made, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".synthetic.localhost"]
    assert PlaceVisionPage.objects.live().count() == Place.objects.count() == 2
    for link in PlacePriorityLink.objects.select_related("priority__page", "theme"):
        assert link.theme.name == link.priority.title
        assert place_of(link.theme) == link.priority.page.place
    assert PlacePriority.objects.filter(links__isnull=True).count() == 0
    vision = IcsVisionPage.objects.live().get()
    priorities = list(vision.priorities.all())
    assert 1 <= len(priorities) <= 2
    links = IcsPriorityLink.objects.filter(priority__page=vision).select_related("place_priority")
    assert {link.priority for link in links} == set(priorities)
    for link in links:
        assert ics_of(link.place_priority) == vision.ics
        assert link.place_priority.title == link.priority.title
    page = Client(HTTP_HOST="ics1.synthetic.localhost").get("/")
    assert page.status_code == 200
    assert "Heard in" in page.content.decode()
    # Each Place's vision is a working site too, and its editor shows what is live.
    place = PlaceVisionPage.objects.order_by("pk").first()
    assert len(place.get_latest_revision_as_object().priorities.all()) > 0


def test_a_second_run_adds_nothing(made):
    before = (
        Idea.objects.count(),
        Comment.objects.count(),
        User.objects.count(),
        PlacePriorityLink.objects.count(),
        IcsPriorityLink.objects.count(),
        PlaceVisionPage.objects.count(),
        IcsVisionPage.objects.count(),
    )
    again = synthetic_data_make(scale=SMALL)
    assert (again.pcns, again.pcns_skipped, again.residents) == (0, 3, 0)
    assert (
        Idea.objects.count(),
        Comment.objects.count(),
        User.objects.count(),
        PlacePriorityLink.objects.count(),
        IcsPriorityLink.objects.count(),
        PlaceVisionPage.objects.count(),
        IcsVisionPage.objects.count(),
    ) == before


def test_a_larger_run_adds_only_the_new_pcns(made):
    bigger = Scale(**{**SMALL.__dict__, "pcns": 4})
    again = synthetic_data_make(scale=bigger)
    assert (again.pcns, again.pcns_skipped) == (1, 3)
    assert Idea.objects.count() == 120


@override_settings(DEBUG=True)
def test_the_command_reports_what_it_made(db):
    out = io.StringIO()
    call_command(
        "make_synthetic_data",
        "--pcns",
        "2",
        "--places",
        "1",
        "--ideas-per-pcn",
        "5",
        "--residents",
        "10",
        stdout=out,
    )
    assert "Made 1 ICS(s), 1 Place(s), 2 PCN(s) (0 already there), 10 residents" in out.getvalue()
    assert "10 ideas" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pcns", "0"], "--pcns must be 1 or more"),
        (["--places", "3", "--pcns", "2"], "--pcns must be at least --places"),
        (["--systems", "2", "--places", "1"], "--places must be at least --systems"),
        (["--ideas-per-pcn", "-1"], "--ideas-per-pcn must be 0 or more"),
        (["--supports-per-idea", "11", "--residents", "10"], "must not exceed --residents"),
        (["--pcns", "10000"], "9,999 or fewer"),
    ],
)
@override_settings(DEBUG=True)
def test_a_bad_scale_is_refused_and_changes_nothing(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("make_synthetic_data", *args, stdout=io.StringIO())
    assert not PrimaryCareNetwork.objects.exists() and not User.objects.exists()


@override_settings(DEBUG=False)
def test_a_live_site_is_refused(db):
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("make_synthetic_data", stdout=io.StringIO())
    assert not PrimaryCareNetwork.objects.exists()


def pcn_home(pcn):
    from home.models import HomePage

    return HomePage.objects.get(pcn=pcn)
