"""Who took part (consultations/representativeness.py and its staff screen): who is counted,
small numbers hidden on the page, too few answers withheld, gaps in words, the PCN boundary,
and a query count that does not grow with the number of answers."""

import itertools
import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import (
    Channel,
    Comment,
    EqualityAnswers,
    Idea,
    IdeaTheme,
    OfflineContributor,
    PostStatus,
    Theme,
)
from consultations.representativeness import representation
from engage.models import User
from home.models import Practice, PracticePopulation
from tests.factories import (
    UserFactory,
    make_consultation,
    make_moderator,
    make_pcn_site,
    make_staff,
)

_numbers = itertools.count(1)


@pytest.fixture
def consultation(open_consultation):
    pcn = open_consultation.pcn
    practice = Practice.objects.create(pcn=pcn, name="Riverside Surgery", ods_code="Y99001")
    # 1,000 patients aged 15 and over, half female: 25 to 34 year olds are 30% of them,
    # 45 to 54 year olds 20%. Children are not compared with.
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


def contributors(consultation, answers: list[dict], *, status=PostStatus.PUBLISHED):
    """One resident per answer, each with an idea in `consultation` (bulk, for speed)."""
    n = len(answers)
    start = next(_numbers) * 10_000
    users = User.objects.bulk_create(
        User(username=f"voice{start + i}", email=f"voice{start + i}@example.org") for i in range(n)
    )
    Idea.objects.bulk_create(
        Idea(consultation=consultation, author=user, title="An idea", body="Words", status=status)
        for user in users
    )
    EqualityAnswers.objects.bulk_create(
        EqualityAnswers(user=user, **answer) for user, answer in zip(users, answers, strict=True)
    )
    return users


def _age_sex(figures):
    return figures.breakdowns[0]


def test_each_person_is_counted_once_and_only_for_published_posts(consultation, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 1
    people = contributors(consultation, [{"age_band": "25_34", "sex": "female"}] * 12)
    # A second idea and a comment by the same person: still one person.
    Idea.objects.create(
        consultation=consultation,
        author=people[0],
        title="Two",
        body="B",
        status=PostStatus.PUBLISHED,
    )
    published = Idea.objects.filter(author=people[0]).first()
    Comment.objects.create(idea=published, author=people[1], body="C", status="published")
    # Pending and hidden posts do not count; nor answers of people who took no part.
    contributors(consultation, [{"age_band": "65_74", "sex": "male"}] * 15, status="pending")
    contributors(consultation, [{"age_band": "65_74", "sex": "male"}] * 15, status="hidden")
    EqualityAnswers.objects.create(user=UserFactory(), age_band="65_74", sex="male")
    # A commenter on a published idea counts; an offline contributor counts.
    commenter = UserFactory()
    EqualityAnswers.objects.create(user=commenter, age_band="25_34", sex="male")
    Comment.objects.create(
        idea=published, author=commenter, body="Yes", status=PostStatus.PUBLISHED
    )
    offline = OfflineContributor.objects.create(pcn=consultation.pcn)
    EqualityAnswers.objects.create(contributor=offline, age_band="25_34", sex="male")
    Idea.objects.create(
        consultation=consultation,
        contributor=offline,
        title="Paper",
        body="P",
        status=PostStatus.PUBLISHED,
        channel=Channel.PAPER,
    )
    # Answers of someone in another consultation do not count.
    other = make_consultation(consultation.get_parent().specific, phase="open")
    contributors(other, [{"age_band": "65_74", "sex": "female"}] * 20)

    table = _age_sex(representation(consultation=consultation)).table
    values = [[entry.value for entry in row] for row in table.cells]
    assert values[1] == [12, 2]  # 25 to 34: 12 women, the commenter and the paper idea
    assert table.total.value == 14
    assert sum(map(sum, values)) == 14


def test_prefer_not_to_say_and_unanswered_are_left_out_of_the_table(consultation, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 1
    contributors(
        consultation,
        [{"age_band": "25_34", "sex": "prefer_not_to_say"}, {"age_band": "", "sex": "male"}]
        + [{"age_band": "35_44", "sex": "male"}] * 10,
    )
    assert _age_sex(representation(consultation=consultation)).table.total.value == 10


def test_too_few_answers_and_the_breakdown_is_not_shown(consultation, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 50
    contributors(consultation, [{"age_band": "25_34", "sex": "female"}] * 49)
    breakdown = _age_sex(representation(consultation=consultation))
    assert not breakdown.shown and breakdown.table is None
    assert breakdown.why_not_shown.startswith("Fewer than 50 of the people who took part")


def test_a_theme_counts_only_the_people_behind_its_ideas(consultation, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 1
    contributors(consultation, [{"age_band": "25_34", "sex": "female"}] * 20)
    contributors(consultation, [{"age_band": "65_74", "sex": "male"}] * 11)
    theme = Theme.objects.create(consultation=consultation, name="Older patients")
    for idea in Idea.objects.filter(author__equality_answers__age_band="65_74"):
        IdeaTheme.objects.create(idea=idea, theme=theme)
    table = _age_sex(representation(consultation=consultation, theme=theme)).table
    assert table.total.value == 11 and table.cells[5][1].value == 11


def _page(client, consultation, **query):
    url = reverse("who_took_part:consultation", args=[consultation.pk])
    return client.get(url, query)


def _counts_shown(response) -> list[str]:
    """Every number the page shows as a count: table cells, "From N people" and "N people
    took part"."""
    soup = BeautifulSoup(response.content, "html.parser")
    main = soup.select_one("main") or soup
    texts = [cell.get_text(" ", strip=True) for cell in main.select("table td")]
    texts += re.findall(r"From (\S+) people", main.get_text(" ", strip=True))
    texts += re.findall(r"(\S+) people took part", main.get_text(" ", strip=True))
    return texts


@pytest.mark.parametrize("seed", range(3))
def test_the_staff_page_never_shows_a_count_from_1_to_9(client, consultation, settings, seed):
    import random

    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    generator = random.Random(seed)
    bands = ["under_25", "25_34", "35_44", "45_54", "55_64", "65_74", "75_84", "85_plus"]
    answers = []
    for band in bands:
        for sex in ("female", "male"):
            answers += [
                {"age_band": band, "sex": sex, "deprivation_decile": generator.randint(1, 10)}
            ] * generator.choice([0, 1, 2, 3, 7, 9, 10, 12, 25])
    contributors(consultation, answers)
    client.force_login(make_staff(consultation.pcn))
    response = _page(client, consultation)
    assert response.status_code == 200
    shown = _counts_shown(response)
    assert shown, "the page shows its tables"
    for text in shown:
        assert not re.fullmatch(r"[1-9]", text.replace(",", "")), (text, shown)
    assert "hidden" in shown


def test_the_page_calls_out_an_under_heard_group_in_words(client, consultation, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 50
    contributors(
        consultation,
        [{"age_band": "65_74", "sex": "female"}] * 40
        + [{"age_band": "65_74", "sex": "male"}] * 40
        + [{"age_band": "25_34", "sex": "female"}] * 10
        + [{"age_band": "25_34", "sex": "male"}] * 10,
    )
    client.force_login(make_staff(consultation.pcn))
    text = BeautifulSoup(_page(client, consultation).content, "html.parser").get_text(" ")
    assert (
        "People aged 25 to 34 are 30% of registered patients aged 15 and over, and 20% of "
        "the people who told us their age and sex."
    ) not in text  # 20% is not under half of 30%
    assert (
        "People aged 45 to 54 are 20% of registered patients aged 15 and over, and 0% of "
        "the people who told us their age and sex."
    ) in text
    assert "<svg" in _page(client, consultation).content.decode()


def test_with_too_few_answers_the_page_says_why_in_a_sentence(client, consultation, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 50
    contributors(consultation, [{"age_band": "25_34", "sex": "female"}] * 12)
    client.force_login(make_staff(consultation.pcn))
    response = _page(client, consultation)
    text = BeautifulSoup(response.content, "html.parser").get_text(" ")
    assert "Fewer than 50 of the people who took part told us both their age" in text
    # Only how many took part, answers or not: no breakdown's counts.
    assert _counts_shown(response) == ["12"]


def test_the_query_count_does_not_grow_with_the_answers(client, consultation, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    client.force_login(make_staff(consultation.pcn))
    spread = [
        {
            "age_band": band,
            "sex": sex,
            "deprivation_decile": decile,
            "ethnic_group": group,
            "disability": "no" if decile < 5 else "limited_a_lot",
            "unpaid_care": "up_to_19" if sex == "female" else "no",
        }
        for band, sex, decile, group in itertools.product(
            ["under_25", "25_34", "45_54", "65_74"],
            ["female", "male"],
            [1, 4, 9],
            ["white", "asian"],
        )
    ]
    contributors(consultation, (spread * 1)[:20])
    _page(client, consultation)  # warm the caches every admin page fills once
    with CaptureQueriesContext(connection) as few:
        assert _page(client, consultation).status_code == 200
    contributors(consultation, (spread * 9)[:180])
    with CaptureQueriesContext(connection) as many:
        response = _page(client, consultation)
    assert EqualityAnswers.objects.count() == 200
    assert response.content.decode().count("From 200 people") == 5  # every breakdown
    assert len(few) == len(many), [q["sql"] for q in many.captured_queries]


def test_only_this_pcns_staff_and_leads_see_it(client, consultation):
    other_home, _, _ = make_pcn_site(hostname="other.localhost", default=False)
    url = reverse("who_took_part:consultation", args=[consultation.pk])
    client.force_login(make_staff(other_home.pcn))
    assert client.get(url).status_code == 404
    client.force_login(make_moderator(consultation.pcn))
    assert client.get(url)["Location"] == reverse("wagtailadmin_home")
    client.force_login(UserFactory())
    assert client.get(url)["Location"].startswith(reverse("wagtailadmin_login"))
    client.force_login(make_staff(consultation.pcn))
    assert client.get(url).status_code == 200
    # A theme of another consultation is not found.
    other = make_consultation(consultation.get_parent().specific, phase="open")
    theme = Theme.objects.create(consultation=other, name="Elsewhere")
    assert client.get(url, {"theme": theme.pk}).status_code == 404
    assert client.get(url, {"theme": "99999999999999999999999"}).status_code == 404
    index = client.get(reverse("who_took_part:index"))
    assert consultation.title in index.content.decode()


# Ethnic group, disability or long-term condition, unpaid care


def _by_title(figures, title):
    (found,) = [b for b in figures.breakdowns if b.title == title]
    return found


def test_ethnic_group_disability_and_unpaid_care_are_counted_once_each_person(
    consultation, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 1
    contributors(
        consultation,
        [{"ethnic_group": "asian", "disability": "no", "unpaid_care": "no"}] * 12
        + [{"ethnic_group": "white", "disability": "limited_a_lot", "unpaid_care": "50_or_more"}]
        * 15
        # "Prefer not to say" and unanswered are left out of each table.
        + [{"ethnic_group": "prefer_not_to_say", "disability": "", "unpaid_care": "no"}] * 4,
    )
    # Answers of people whose ideas are pending are not counted.
    contributors(consultation, [{"ethnic_group": "black"}] * 20, status=PostStatus.PENDING)
    figures = representation(consultation=consultation)

    ethnic = _by_title(figures, "Ethnic group")
    assert ethnic.column_labels[0] == "Asian, Asian British or Asian Welsh"
    assert [e.value for e in ethnic.table.cells[0]] == [12, 0, 0, 15, 0]
    assert ethnic.table.total.value == ethnic.answers == 27
    assert [s.contributor_percent for s in ethnic.columns] == [44, 0, 0, 56, 0]
    assert all(s.population_percent is None for s in ethnic.columns)
    assert "age and sex only" in ethnic.note
    assert ethnic.gaps == []

    disability = _by_title(figures, "Disability or long-term condition")
    assert [e.value for e in disability.table.cells[0]] == [15, 0, 0, 12]
    care = _by_title(figures, "Unpaid carers")
    assert [e.value for e in care.table.cells[0]] == [0, 0, 15, 16]
    assert care.table.total.value == 31


def test_a_small_group_is_hidden_with_another_so_it_cannot_be_worked_out(consultation, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 1
    contributors(
        consultation,
        [{"ethnic_group": "white"}] * 40
        + [{"ethnic_group": "asian"}] * 20
        + [{"ethnic_group": "black"}] * 3,
    )
    ethnic = _by_title(representation(consultation=consultation), "Ethnic group")
    cells = ethnic.table.cells[0]
    shown = [entry.display for entry in cells]
    assert shown[1] == "hidden"  # 3
    assert shown.count("hidden") == 2, shown  # and one more, so 3 is not the total less the rest
    assert ethnic.table.total.display == "63"
    assert [s.contributor_percent for s in ethnic.columns if not s.contributors.shown] == [
        None,
        None,
    ]


def test_each_breakdown_needs_its_own_minimum_of_answers(consultation, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 20
    contributors(
        consultation,
        [{"ethnic_group": "white", "unpaid_care": "no"}] * 20
        + [{"disability": "no", "unpaid_care": "prefer_not_to_say"}] * 19,
    )
    figures = representation(consultation=consultation)
    assert _by_title(figures, "Ethnic group").shown
    disability = _by_title(figures, "Disability or long-term condition")
    assert not disability.shown and disability.table is None
    assert disability.why_not_shown.startswith(
        "Fewer than 20 of the people who took part told us whether they have a disability"
    )
    assert _by_title(figures, "Unpaid carers").answers == 20  # prefer not to say left out
    # Religion, sexual orientation and gender identity are never broken down.
    titles = [b.title for b in figures.breakdowns]
    assert not [t for t in titles if re.search("religion|sexual|gender", t, re.I)], titles


@pytest.mark.parametrize("seed", range(3))
def test_the_staff_page_never_shows_a_count_from_1_to_9_of_the_other_answers(
    client, consultation, settings, seed
):
    import random

    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    generator = random.Random(seed)
    answers = []
    for group in ("asian", "black", "mixed", "white", "other"):
        for disability in ("limited_a_lot", "limited_a_little", "not_limited", "no"):
            care = generator.choice(["no", "up_to_19", "20_to_49", "50_or_more"])
            answers += [
                {"ethnic_group": group, "disability": disability, "unpaid_care": care}
            ] * generator.choice([0, 1, 2, 4, 9, 10, 30])
    contributors(consultation, answers)
    client.force_login(make_staff(consultation.pcn))
    response = _page(client, consultation)
    text = BeautifulSoup(response.content, "html.parser").get_text(" ")
    for title in ("Ethnic group", "Disability or long-term condition", "Unpaid carers"):
        assert title in text
    shown = _counts_shown(response)
    assert not [t for t in shown if re.fullmatch(r"[1-9]", t.replace(",", ""))], shown
    figures = representation(consultation=consultation)
    for breakdown in figures.breakdowns[2:]:
        if breakdown.shown:
            # One row: a hidden cell is never alone (it would be the total less the others).
            assert [e.shown for e in breakdown.table.cells[0]].count(False) != 1, breakdown
            for entry in breakdown.table.cells[0]:
                if 0 < entry.value < 10:
                    assert not entry.shown, breakdown
