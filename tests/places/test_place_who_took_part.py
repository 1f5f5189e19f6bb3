"""Who took part across a Place (consultations/rollup.py and
consultations/viewsets/places/who_took_part.py): each person counted once across the Place's
PCNs, private consultations and other Places left out, no count from 1 to 9 on the page or
in the CSV, too few answers hide a breakdown, who may see it, wrong dates answered with a
clear error, and a query count that does not grow with the PCNs or the answers."""

import csv
import io
import itertools
import re
from datetime import date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.evidence import a_year_to
from consultations.models import (
    Comment,
    ContributorKind,
    EqualityAnswers,
    Idea,
    OfflineContributor,
    PostStatus,
)
from consultations.models.participation import Channel
from consultations.rollup import place_representation
from engage.models import User
from home.models import Place, Practice, PracticePopulation
from tests.factories import (
    UserFactory,
    make_admin,
    make_consultation,
    make_moderator,
    make_pcn_lead,
    make_pcn_site,
)

pytestmark = pytest.mark.django_db

PAGE = "place_vision:who_took_part"
CSV = "place_vision:who_took_part_csv"
ANSWERS = {
    "age_band": "25_34",
    "sex": "female",
    "deprivation_decile": 3,
    "ethnic_group": "white",
    "disability": "no",
    "unpaid_care": "no",
}
_numbers = itertools.count(1)


def people(n, answers=ANSWERS) -> list[User]:
    start = next(_numbers) * 10_000
    made = User.objects.bulk_create(
        User(username=f"rollup{start + i}", email=f"rollup{start + i}@example.org")
        for i in range(n)
    )
    if answers is not None:
        EqualityAnswers.objects.bulk_create(EqualityAnswers(user=p, **answers) for p in made)
    return made


def post(consultation, authors, *, status=PostStatus.PUBLISHED, **fields):
    return Idea.objects.bulk_create(
        Idea(consultation=consultation, author=a, title="Idea", body="B", status=status, **fields)
        for a in authors
    )


def offline(consultation, n, answers=ANSWERS):
    records = OfflineContributor.objects.bulk_create(
        OfflineContributor(pcn=consultation.pcn) for _ in range(n)
    )
    EqualityAnswers.objects.bulk_create(EqualityAnswers(contributor=r, **answers) for r in records)
    Idea.objects.bulk_create(
        Idea(
            consultation=consultation,
            contributor=r,
            channel=Channel.PAPER,
            title="Paper idea",
            body="B",
            status=PostStatus.PUBLISHED,
        )
        for r in records
    )


def patients(pcn, count, *, extract=date(2025, 7, 1)):
    practice = Practice.objects.create(
        pcn=pcn, name=f"{pcn.name} Surgery", ods_code=f"Y{next(_numbers):05d}"
    )
    for sex in ("female", "male"):
        for band in ("25_29", "30_34", "65_69"):
            PracticePopulation.objects.create(
                practice=practice, extract_date=extract, sex=sex, age_band=band, count=count // 6
            )


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="who-took-part-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _value(rows, figure, row="", column="") -> str:
    found = [r[4] for r in rows if r[1] == figure and r[2] == row and r[3] == column]
    assert len(found) == 1, (figure, row, column, found)
    return found[0]


def _label(pcn) -> str:
    return f"{pcn.name} ({pcn.ods_code})"


def _get(client, name, place, query=None):
    return client.get(reverse(name, args=[place.pk]), query or {})


# What it counts


def test_a_person_who_took_part_in_two_pcns_is_counted_once_across_the_place(
    client, places, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    place = places.one.pcn.place
    both = people(12)
    post(places.one.consultation, both)
    # The same people comment in South: one person each at Place level.
    south_ideas = post(places.two.consultation, people(15, answers={**ANSWERS, "sex": "male"}))
    Comment.objects.bulk_create(
        Comment(idea=south_ideas[0], author=p, body="Yes", status=PostStatus.PUBLISHED)
        for p in both
    )
    offline(places.two.consultation, 11)
    # Not counted: pending and hidden posts, posts before the period, the private
    # consultation, and another Place's.
    post(places.one.consultation, people(20), status=PostStatus.PENDING)
    post(places.one.consultation, people(20), status=PostStatus.HIDDEN)
    old = post(places.one.consultation, people(20))
    Idea.objects.filter(pk__in=[i.pk for i in old]).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    post(places.private, people(30))
    post(places.other.consultation, people(40))
    patients(places.one.pcn, 6000)
    patients(places.two.pcn, 12000)

    client.force_login(places.place_lead)
    rows = _csv(_get(client, CSV, place))
    # 12 in both PCNs + 15 in South + 11 on paper in South.
    assert _value(rows, "People who took part, each counted once") == "38"
    assert _value(rows, "Age and sex", "All", "All") == "38"
    assert _value(rows, "Age and sex", "25 to 34", "Female") == "23"
    assert _value(rows, "Age and sex", "25 to 34", "Male") == "15"
    assert _value(rows, "Ethnic group", "All", "All") == "38"
    # Side by side: the 12 are in both PCNs' rows.
    assert _value(rows, "People who took part", _label(places.one.pcn)) == "12"
    assert _value(rows, "People who took part", _label(places.two.pcn)) == "38"
    assert _value(rows, "Registered patients", _label(places.one.pcn)) == "6000"
    assert _value(rows, "Registered patients", _label(places.two.pcn)) == "12000"
    per_thousand = "People who took part per 1,000 registered patients"
    assert _value(rows, per_thousand, _label(places.one.pcn)) == "2.0"
    assert _value(rows, per_thousand, _label(places.two.pcn)) == "3.2"
    # Against the Place's registered patients: 25 to 34 year olds are 2/3 of its patients.
    assert _value(rows, "Age and sex: share of registered patients", "25 to 34") == "67%"
    assert not [r for r in rows if "OTHERPLACE" in " ".join(r)]

    page = _get(client, PAGE, place)
    assert page.status_code == 200
    text = BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
    assert "38 people took part across 2 PCNs" in text
    assert "aged 65 to 74 are 33% of registered patients aged 15 and over, and 0%" in text
    for secret in ("OTHERPLACE", "PRIVATECONSULTATION"):
        assert secret not in page.content.decode()


def test_people_without_an_account_count_in_their_pcn_and_in_the_whole(places):
    one, two = places.one, places.two
    post(one.consultation, people(10))
    two_ideas = post(two.consultation, people(10))
    # Someone without an account who only commented, in PCN two; and a no-email idea there.
    commenter = OfflineContributor.objects.create(
        pcn=two.pcn, kind=ContributorKind.NO_ACCOUNT, email="kim@example.org"
    )
    Comment.objects.create(
        idea=two_ideas[0], contributor=commenter, body="Yes", status=PostStatus.PUBLISHED
    )
    Comment.objects.create(
        idea=two_ideas[1], contributor=commenter, body="And yes", status=PostStatus.PUBLISHED
    )
    sender = OfflineContributor.objects.create(pcn=two.pcn, kind=ContributorKind.NO_ACCOUNT)
    Idea.objects.create(
        consultation=two.consultation,
        contributor=sender,
        title="No email",
        body="B",
        status=PostStatus.PUBLISHED,
    )
    rollup = place_representation(place=one.pcn.place, period=a_year_to(timezone.localdate()))
    by_pcn = {row.pcn.pk: row.contributors.value for row in rollup.comparison}
    assert by_pcn == {one.pcn.pk: 10, two.pcn.pk: 12}
    assert rollup.contributors.value == 22
    assert rollup.breakdowns[0].answers == 20  # they gave no answers


def test_the_period_chooses_which_posts_count(client, places, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    made = post(places.one.consultation, people(14))
    Idea.objects.filter(pk__in=[i.pk for i in made[:4]]).update(
        created_at=timezone.make_aware(datetime(2024, 3, 10, 12))
    )
    client.force_login(places.place_lead)
    place = places.one.pcn.place
    rows = _csv(_get(client, CSV, place))
    assert _value(rows, "People who took part, each counted once") == "10"
    rows = _csv(_get(client, CSV, place, {"start": "2024-01-01", "end": "2024-12-31"}))
    assert _value(rows, "From") == "2024-01-01"
    assert _value(rows, "People who took part, each counted once") == "hidden"


# Small numbers


def test_no_count_from_1_to_9_shows_on_the_page_or_in_the_csv(client, places, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    place = places.one.pcn.place
    post(places.one.consultation, people(3))  # North: 3, hidden
    post(places.two.consultation, people(20))
    post(places.two.consultation, people(4, answers={**ANSWERS, "age_band": "75_84"}))
    post(places.two.consultation, people(12, answers={**ANSWERS, "sex": "male"}))
    client.force_login(places.place_lead)

    soup = BeautifulSoup(_get(client, PAGE, place).content, "html.parser")
    cells = [td.get_text(strip=True) for td in soup.select("table td")]
    assert len(cells) > 30
    assert "hidden" in cells
    assert not [c for c in cells if re.fullmatch(r"[1-9]", c)], cells
    assert "took part across 2 PCNs" in soup.get_text(" ", strip=True)
    rows = _csv(_get(client, CSV, place))
    counts = [r for r in rows if "share" not in r[1] and r[0] != "About these figures"]
    assert len(counts) > 30
    assert not [r for r in counts if re.fullmatch(r"[1-9]", r[4])], counts
    # North's 3 are hidden, and so is South (or 3 would be the whole less South).
    north, south = _label(places.one.pcn), _label(places.two.pcn)
    assert _value(rows, "People who took part", north) == "hidden"
    assert _value(rows, "People who took part", south) == "hidden"
    assert _value(rows, "People who took part per 1,000 registered patients", north) == "hidden"
    assert _value(rows, "People who took part, each counted once") == "39"
    # The 4 aged 75 to 84 are hidden, with another cell of their row and column.
    assert _value(rows, "Age and sex", "75 to 84", "Female") == "hidden"
    assert [r[4] for r in rows if r[1] == "Age and sex" and r[2] == "75 to 84"].count("hidden") >= 2


def test_too_few_answers_hide_a_breakdown(client, places, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 50
    post(places.one.consultation, people(30))
    post(places.two.consultation, people(15, answers=None))  # no answers: counted, not shown
    client.force_login(places.place_lead)
    place = places.one.pcn.place
    rows = _csv(_get(client, CSV, place))
    assert _value(rows, "People who took part, each counted once") == "45"
    assert _value(rows, "Age and sex").startswith("not shown: Fewer than 50")
    assert not [r for r in rows if r[1] == "Age and sex" and r[2]]
    text = BeautifulSoup(_get(client, PAGE, place).content, "html.parser").get_text(" ")
    assert "Fewer than 50 of the people who took part told us both their age and their sex" in text


# Who may see it


def test_the_places_lead_and_admins_see_it_and_land_beside_it(client, places):
    place = places.one.pcn.place
    for person in (places.place_lead, places.admin):
        client.force_login(person)
        assert _get(client, PAGE, place).status_code == 200
        assert _get(client, CSV, place).status_code == 200
    client.force_login(places.place_lead)
    landing = client.get(reverse("place_vision:index")).content.decode()
    assert reverse(PAGE, args=[place.pk]) in landing
    assert reverse(PAGE, args=[places.other.pcn.place_id]) not in landing


def test_another_places_lead_pcn_staff_moderators_and_residents_are_refused(client, places):
    place = places.one.pcn.place
    pcn = places.one.pcn
    client.force_login(places.other_place_lead)
    for name in (PAGE, CSV):
        assert _get(client, name, place).status_code == 404
    for person in (places.staff, make_pcn_lead(pcn), make_moderator(pcn), UserFactory()):
        client.force_login(person)
        for name in (PAGE, CSV):
            response = _get(client, name, place)
            assert response.status_code == 302, (person, name)
            location = response["Location"]
            assert location == reverse("wagtailadmin_home") or location.startswith("/admin/login/")
            assert "OTHERPLACE" not in response.content.decode()
    client.logout()
    assert _get(client, PAGE, place).status_code == 302
    client.force_login(make_admin())
    assert client.get(reverse(PAGE, args=["x"])).status_code == 404
    assert client.get(reverse(PAGE, args=[999999])).status_code == 404


# Wrong dates


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "17/03/2026"}, "start", "Enter a real date, for example 2026-03-17"),
        ({"end": "2026-02-30"}, "end", "Enter a real date, for example 2026-03-17"),
        ({"start": "1850-01-01"}, "start", "Enter a date between 2000 and 2100"),
        (
            {"start": "2026-05-01", "end": "2026-04-01"},
            "start",
            "The start date must be on or before the end date",
        ),
    ],
)
def test_wrong_dates_get_a_clear_error_and_keep_what_was_typed(
    client, places, query, field, message
):
    client.force_login(places.place_lead)
    place = places.one.pcn.place
    response = _get(client, PAGE, place, query)
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert message in soup.select_one(f"#id_{field}-error").get_text()
    assert soup.select_one('[role="alert"]').find("a", href=f"#id_{field}")
    assert soup.select_one(f"#id_{field}")["value"] == query[field]
    assert not soup.select("table")
    response = _get(client, CSV, place, query)
    assert response.status_code == 400
    assert message in response.content.decode()


# Speed


def _place_of(n_pcns, per_pcn, name):
    """A Place of `n_pcns` PCNs, each with a public consultation that `per_pcn` people
    answered in (one in three also in the next PCN), a private one, and patients."""
    consultations = []
    for i in range(n_pcns):
        home, index, _ = make_pcn_site(
            name=f"{name} PCN {i}", hostname=f"{name}{i}.example", default=False, place_name=name
        )
        consultations.append(make_consultation(index, phase="open"))
        patients(home.pcn, 6000)
    everyone = []
    for consultation in consultations:
        made = people(per_pcn)
        post(consultation, made)
        offline(consultation, per_pcn // 2)
        everyone.append(made)
    for consultation, made in zip(consultations[1:], everyone, strict=False):
        post(consultation, made[::3])
    return Place.objects.get(name=name)


def test_the_query_count_does_not_grow_with_the_pcns_or_the_answers(client, places, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    small = _place_of(2, 12, "Smallplace")
    large = _place_of(8, 40, "Largeplace")
    assert Idea.objects.count() > 400
    client.force_login(places.admin)
    counts = {}
    for place in (small, large):
        for name in (PAGE, CSV):
            _get(client, name, place)  # warm the caches every admin page fills once
            with CaptureQueriesContext(connection) as captured:
                response = _get(client, name, place)
                if name == CSV:
                    rows = _csv(response)
                else:
                    assert response.status_code == 200
            counts[(place.name, name)] = len(captured)
        if place == large:
            assert _value(rows, "People who took part, each counted once") == f"{8 * 60}"
    for name in (PAGE, CSV):
        assert counts[("Smallplace", name)] == counts[("Largeplace", name)], counts
