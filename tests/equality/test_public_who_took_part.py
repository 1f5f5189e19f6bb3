"""Who took part on a PCN's public record (the list of "You said, we did" updates), when the
PCN chooses to show it (`PrimaryCareNetwork.show_who_took_part`, off by default;
consultations/representativeness.py `public_summary`): age bands against registered
patients and ethnic groups, hidden exactly as on the staff screen, left out below the
minimum of answers, private consultations never counted, outreach beside it, and the kept
page and figures renewed when the setting changes. Its query count is in
tests/consultations/test_query_counts.py."""

import itertools
import random
import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from consultations.models import (
    Comment,
    EqualityAnswers,
    Idea,
    OfflineContributor,
    OutreachAction,
    PostStatus,
)
from consultations.representativeness import representation
from engage.models import User
from home.models import Practice, PracticePopulation, PrimaryCareNetwork
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)
BANDS = ["under_25", "25_34", "35_44", "45_54", "55_64", "65_74", "75_84", "85_plus"]


def contributors(consultation, answers, *, status=PostStatus.PUBLISHED):
    """One resident per answer, each with an idea in `consultation`."""
    start = next(_numbers) * 10_000
    people = User.objects.bulk_create(
        User(username=f"public{start + i}", email=f"public{start + i}@example.org")
        for i in range(len(answers))
    )
    EqualityAnswers.objects.bulk_create(
        EqualityAnswers(user=person, **answer)
        for person, answer in zip(people, answers, strict=True)
    )
    Idea.objects.bulk_create(
        Idea(consultation=consultation, author=p, title="Idea", body="B", status=status)
        for p in people
    )
    return people


def showing(pcn, on=True):
    pcn.show_who_took_part = on
    pcn.save()  # as the PCN's edit form does


def visitor_page(update_index) -> BeautifulSoup:
    response = Client(HTTP_HOST="localhost").get(update_index.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def section(soup):
    return soup.select_one("section[aria-labelledby=who-took-part-heading]")


def table_rows(found, caption_start: str) -> dict[str, list[str]]:
    for table in found.select("table"):
        if table.caption.get_text(strip=True).startswith(caption_start):
            return {
                row.th.get_text(" ", strip=True): [
                    td.get_text(" ", strip=True) for td in row.select("td")
                ]
                for row in table.select("tbody tr")
            }
    raise AssertionError(f"no table {caption_start!r}")


@pytest.fixture
def consultation(open_consultation):
    practice = Practice.objects.create(pcn=open_consultation.pcn, name="Surgery", ods_code="Y9")
    # 1,000 patients aged 15 and over: 25 to 34 year olds are 30%, 65 to 74 year olds 40%.
    bands = {"0_4": 300, "15_19": 50, "20_24": 50, "25_29": 150, "30_34": 150, "45_49": 200}
    bands |= {"65_69": 400}
    for sex in ("female", "male"):
        for band, count in bands.items():
            PracticePopulation.objects.create(
                practice=practice,
                extract_date=date(2025, 7, 1),
                sex=sex,
                age_band=band,
                count=count // 2,
            )
    return open_consultation


def test_it_is_off_by_default_and_the_page_shows_nothing_of_it(
    consultation, update_index, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    contributors(consultation, [{"age_band": "25_34", "sex": "female"}] * 30)
    assert PrimaryCareNetwork._meta.get_field("show_who_took_part").default is False
    assert not consultation.pcn.show_who_took_part
    soup = visitor_page(update_index)
    assert section(soup) is None
    assert "Who took part" not in soup.get_text()


def test_when_on_it_shows_age_bands_against_patients_ethnic_groups_and_outreach(
    consultation, update_index, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    contributors(
        consultation,
        [{"age_band": "25_34", "sex": "female", "ethnic_group": "white"}] * 20
        + [{"age_band": "65_74", "sex": "male", "ethnic_group": "asian"}] * 30,
    )
    OutreachAction.objects.create(
        consultation=consultation,
        groups=["age:under_25"],
        description="Session at the youth club",
        held_on=date(2025, 3, 1),
        contributions=14,
    )
    showing(consultation.pcn)
    found = section(visitor_page(update_index))
    assert found is not None
    ages = table_rows(found, "Age")
    assert ages["25 to 34"] == ["20", "40%", "30%"]
    assert ages["65 to 74"] == ["30", "60%", "40%"]
    assert ages["45 to 54"] == ["0", "0%", "20%"]
    assert ages["All who told us their age and sex"][0] == "50"
    groups = table_rows(found, "Ethnic group")
    assert groups["White"][:2] == ["20", "40%"]
    assert groups["All who told us their ethnic group"][0] == "50"
    text = found.get_text(" ", strip=True)
    assert "1 outreach session" in text
    assert "youth club" not in text  # counts only, not what was done


def test_below_the_minimum_of_answers_no_breakdown_is_shown(consultation, update_index, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 50
    contributors(consultation, [{"age_band": "25_34", "sex": "female"}] * 30)
    # Ethnic group: fewer still (nobody said).
    showing(consultation.pcn)
    found = section(visitor_page(update_index))
    assert found.select("table") == []
    assert "Not enough people have told us about themselves yet" in found.get_text(" ")
    assert not re.search(r"\b30\b", found.get_text(" "))


def test_only_the_ethnic_groups_show_when_only_they_reach_the_minimum(
    consultation, update_index, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 20
    contributors(consultation, [{"ethnic_group": "white"}] * 25)  # no age or sex given
    showing(consultation.pcn)
    found = section(visitor_page(update_index))
    captions = [table.caption.get_text(strip=True) for table in found.select("table")]
    assert captions == ["Ethnic group: people who took part"]


@pytest.mark.parametrize("seed", range(3))
def test_no_count_from_1_to_9_shows_and_it_hides_as_the_staff_screen_does(
    consultation, update_index, settings, seed
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    generator = random.Random(seed)
    groups = ["white", "asian", "black", "mixed", "other"]
    answers = []
    for band in BANDS:
        for sex in ("female", "male"):
            answers += [
                {"age_band": band, "sex": sex, "ethnic_group": generator.choice(groups)}
            ] * generator.choice([0, 1, 2, 3, 7, 9, 10, 12, 25])
    contributors(consultation, answers)
    showing(consultation.pcn)
    found = section(visitor_page(update_index))
    cells = [td.get_text(" ", strip=True) for td in found.select("td")]
    assert cells
    for text in cells:
        assert not re.fullmatch(r"[1-9]", text), (text, cells)
    assert "hidden" in cells
    # The same age bands hidden as on the staff screen (one consultation: the same people).
    staff = representation(consultation=consultation).breakdowns[0]
    ages = table_rows(found, "Age")
    for share in staff.rows:
        assert ages[share.label][0] == share.contributors.display


def test_private_consultations_and_unpublished_posts_are_not_counted(
    consultation, consultation_index, update_index, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    contributors(consultation, [{"age_band": "25_34", "sex": "female"}] * 20)
    contributors(consultation, [{"age_band": "65_74", "sex": "male"}] * 20, status="pending")
    private = make_consultation(consultation_index, phase="open", title="Staff only")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([consultation.pcn.staff_group])
    contributors(private, [{"age_band": "65_74", "sex": "male"}] * 20)
    # A paper contributor's comment counts through their record.
    record = OfflineContributor.objects.create(pcn=consultation.pcn)
    EqualityAnswers.objects.create(contributor=record, age_band="25_34", sex="male")
    Comment.objects.create(
        idea=Idea.objects.filter(consultation=consultation, status="published").first(),
        contributor=record,
        body="Yes",
        status=PostStatus.PUBLISHED,
    )
    showing(consultation.pcn)
    ages = table_rows(section(visitor_page(update_index)), "Age")
    assert ages["65 to 74"][0] == "0"
    assert ages["All who told us their age and sex"][0] == "21"


def test_the_kept_page_changes_when_the_setting_changes(consultation, update_index, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    settings.ENGAGE_PAGE_CACHE_SECONDS = 60
    contributors(consultation, [{"age_band": "25_34", "sex": "female"}] * 20)
    assert section(visitor_page(update_index)) is None
    with CaptureQueriesContext(connection) as kept:
        assert section(visitor_page(update_index)) is None
    assert len(kept) == 0  # served whole from the cache
    showing(consultation.pcn)
    assert section(visitor_page(update_index)) is not None
    showing(consultation.pcn, on=False)
    assert section(visitor_page(update_index)) is None
