"""Evidence packs (consultations/evidence.py and consultations/viewsets/evidence_pack.py):
what each section counts, that no count from 1 to 9 of any breakdown shows on the page or in
the CSV (nor can be worked out from the totals), who may see which PCN's pack, wrong choices
answered with a clear error, and a query count that does not grow with the data."""

import csv
import io
import itertools
import random
import re
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from consultations.evidence import a_year_to
from consultations.models import (
    Channel,
    Comment,
    EqualityAnswers,
    Idea,
    IdeaTheme,
    OfflineContributor,
    OutreachAction,
    PostStatus,
    Theme,
    UpdateAction,
    UpdateIndexPage,
    UpdatePage,
)
from consultations.services.places import place_site_setup
from engage.models import User
from home.models import Neighbourhood, Practice, PracticePopulation
from tests.factories import (
    UserFactory,
    make_admin,
    make_consultation,
    make_moderator,
    make_pcn_lead,
    make_pcn_site,
    make_staff,
)

_numbers = itertools.count(1)

INDEX = "evidence_pack:index"
PRINT = "evidence_pack:print"
CSV = "evidence_pack:csv"


@pytest.fixture
def pcn(open_consultation):
    return open_consultation.pcn


@pytest.fixture
def practice(pcn):
    """A practice of the PCN in its Riverside neighbourhood, with 1,000 patients aged 15 and
    over (25 to 34 year olds 30% of them), and a second practice with other patients."""
    riverside = Neighbourhood.objects.get(pcn=pcn, name="Riverside")
    practice = Practice.objects.create(
        pcn=pcn, name="Riverside Surgery", ods_code="Y99001", neighbourhood=riverside
    )
    other = Practice.objects.create(pcn=pcn, name="Hillcrest Surgery", ods_code="Y99002")
    bands = {"15_19": 50, "20_24": 50, "25_29": 150, "30_34": 150, "45_49": 200, "65_69": 400}
    for sex in ("female", "male"):
        for band, count in bands.items():
            PracticePopulation.objects.create(
                practice=practice,
                extract_date=date(2025, 7, 1),
                sex=sex,
                age_band=band,
                count=count // 2,
            )
        PracticePopulation.objects.create(
            practice=other, extract_date=date(2025, 7, 1), sex=sex, age_band="85_89", count=500
        )
    return practice


def ideas(consultation, n, *, channel=Channel.ONLINE, status=PostStatus.PUBLISHED, **fields):
    """`n` ideas in `consultation`, each by its own person (a resident, or for a paper, phone
    or meeting idea a resident who took part offline), made in bulk for speed. `answers`
    (a dict) gives each person the same equality answers."""
    answers = fields.pop("answers", None)
    start = next(_numbers) * 10_000
    if channel == Channel.ONLINE:
        people = User.objects.bulk_create(
            User(username=f"pack{start + i}", email=f"pack{start + i}@example.org")
            for i in range(n)
        )
        made = Idea.objects.bulk_create(
            Idea(consultation=consultation, author=person, title="Idea", body="B", status=status)
            for person in people
        )
        key = "user"
    else:
        people = OfflineContributor.objects.bulk_create(
            OfflineContributor(pcn=consultation.pcn) for _ in range(n)
        )
        made = Idea.objects.bulk_create(
            Idea(
                consultation=consultation,
                contributor=person,
                channel=channel,
                title="Paper idea",
                body="B",
                status=status,
            )
            for person in people
        )
        key = "contributor"
    if fields:
        Idea.objects.filter(pk__in=[idea.pk for idea in made]).update(**fields)
    if answers is not None:
        EqualityAnswers.objects.bulk_create(
            EqualityAnswers(**{key: person}, **answers) for person in people
        )
    return made


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="evidence-pack-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _value(rows, figure, row="", column="") -> str:
    found = [r[4] for r in rows if r[1] == figure and r[2] == row and r[3] == column]
    assert len(found) == 1, (figure, row, column, found)
    return found[0]


def _text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


# What each section counts


def test_the_pack_counts_published_contributions_in_the_period_by_consultation_and_channel(
    client, open_consultation, pcn, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 1000  # breakdowns: see the tests below
    ideas(open_consultation, 25)
    ideas(open_consultation, 12, channel=Channel.PAPER)
    ideas(open_consultation, 3, channel=Channel.PHONE)  # small: hidden
    ideas(open_consultation, 4, channel=Channel.MEETING)
    # Not counted: pending, hidden and withdrawn ideas, and ideas from before the period.
    ideas(open_consultation, 30, status=PostStatus.PENDING)
    ideas(open_consultation, 30, status=PostStatus.HIDDEN)
    ideas(open_consultation, 30, status=PostStatus.WITHDRAWN)
    ideas(open_consultation, 30, created_at=timezone.now() - timedelta(days=400))
    # Comments: published ones on published ideas, by people who also posted, or not.
    published = Idea.objects.filter(status=PostStatus.PUBLISHED, channel=Channel.ONLINE)
    commenters = UserFactory.create_batch(11)
    for person, idea in zip(commenters, published, strict=False):
        Comment.objects.create(idea=idea, author=person, body="Yes", status=PostStatus.PUBLISHED)
    Comment.objects.create(
        idea=published[0], author=commenters[0], body="Hidden", status=PostStatus.HIDDEN
    )
    hidden_idea = Idea.objects.filter(status=PostStatus.HIDDEN).first()
    Comment.objects.create(idea=hidden_idea, author=commenters[0], body="On a hidden idea")
    # Another consultation, which closed before the period: not in the pack at all.
    make_consultation(
        open_consultation.get_parent().specific,
        phase="closed",
        title="Long ago",
        opens_at=timezone.now() - timedelta(days=800),
        closes_at=timezone.now() - timedelta(days=700),
    )

    client.force_login(make_staff(pcn))
    rows = _csv(client.get(reverse(CSV)))
    table = "Contributions by consultation and how they reached us"
    title = open_consultation.title
    assert _value(rows, table, title, "Ideas sent online") == "25"
    assert _value(rows, table, title, "Ideas on paper") == "12"
    assert _value(rows, table, title, "Ideas by phone") == "hidden"
    assert _value(rows, table, title, "Ideas at a meeting") == "hidden"
    # The two small counts hide each other; with the row's total shown, their sum (7) would
    # say both are under 10, so the smallest shown count of the row (11 comments) is hidden
    # with them.
    assert _value(rows, table, title, "Comments") == "hidden"
    assert _value(rows, table, title, "All") == "55"
    assert _value(rows, table, "All consultations", "Ideas by phone") == "hidden"
    assert _value(rows, "Consultations open in the period") == "1"
    assert not [r for r in rows if "Long ago" in r[2]]
    # 25 online + 12 + 3 + 4 offline people + 11 commenters, each counted once.
    assert _value(rows, "People who took part") == "55"


def test_the_pack_shows_outreach_and_what_changed_in_the_period(
    client, open_consultation, pcn, update_index
):
    closed = make_consultation(open_consultation.get_parent().specific, phase="closed")
    OutreachAction.objects.create(
        consultation=open_consultation,
        groups=["age:25_34"],
        description="Stall at the college",
        held_on=timezone.localdate() - timedelta(days=3),
        contributions=4,
    )
    OutreachAction.objects.create(
        consultation=open_consultation,
        groups=["sex:male"],
        description="Before the period",
        held_on=timezone.localdate() - timedelta(days=500),
        contributions=40,
    )
    theme = Theme.objects.create(consultation=closed, name="Weekends")
    Theme.objects.create(consultation=closed, name="Not answered")
    update = update_index.add_child(
        instance=UpdatePage(
            title="Saturday clinics",
            you_said="<p>Weekends.</p>",
            we_did="<p>A Saturday clinic.</p>",
            consultation=closed,
            actions=[
                UpdateAction(description="Open on Saturdays", status="done"),
                UpdateAction(
                    description="Open on Sundays",
                    status="not_possible",
                    not_possible_reason="No staff.",
                ),
            ],
        )
    )
    update.themes.set([theme])
    update.save_revision().publish()

    client.force_login(make_staff(pcn))
    rows = _csv(client.get(reverse(CSV)))
    outreach = [r for r in rows if r[1] == "Outreach"]
    assert [r[2] for r in outreach] == ["Stall at the college"]
    assert outreach[0][3] == "People aged 25 to 34"
    assert _value(rows, "Outreach sessions") == "1"
    assert _value(rows, "Contributions outreach brought in") == "4"
    assert _value(rows, "Updates published") == "1"
    assert _value(rows, "Action", "Saturday clinics", "Open on Saturdays") == "Done"
    assert _value(rows, "Action", "Saturday clinics", "Open on Sundays") == "Not possible"
    assert _value(rows, "Actions by status", "Done") == "1"
    assert _value(rows, "Themes of the period's consultations") == "2"
    assert _value(rows, "Themes answered") == "1"
    assert _value(rows, "Median days from closing to a response") == "1"

    page = _text(client.get(reverse(PRINT)))
    assert "Stall at the college" in page and "Before the period" not in page
    assert "Open on Sundays: not possible" in page and "Why: No staff." in page
    assert "1 of 2 (50%)" in page


def test_who_took_part_is_compared_with_registered_patients_with_gaps_in_words(
    client, open_consultation, pcn, practice, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 50
    mine = {"practice": practice}  # each idea named the practice
    ideas(open_consultation, 40, answers={"age_band": "65_74", "sex": "female"}, **mine)
    ideas(open_consultation, 40, answers={"age_band": "65_74", "sex": "male"}, **mine)
    ideas(open_consultation, 10, answers={"age_band": "25_34", "sex": "female"}, **mine)
    ideas(open_consultation, 10, answers={"age_band": "25_34", "sex": "male"}, **mine)
    client.force_login(make_staff(pcn))
    # The PCN's pack compares with both practices' patients (85 and over: half of them).
    rows = _csv(client.get(reverse(CSV)))
    assert _value(rows, "Age and sex", "65 to 74", "Female") == "40"
    assert _value(rows, "Age and sex: share of registered patients", "85 or over") == "50%"
    # The practice's pack compares with the practice's own patients.
    rows = _csv(client.get(reverse(CSV), {"practice": practice.pk}))
    assert _value(rows, "Age and sex: share of registered patients", "85 or over") == "0%"
    assert _value(rows, "Age and sex: share of registered patients", "25 to 34") == "30%"
    gap = (
        "People aged 45 to 54 are 20% of registered patients aged 15 and over, and 0% of the "
        "people who told us their age and sex."
    )
    assert gap in [r[4] for r in rows if r[1] == "Heard less from"]
    assert gap in _text(client.get(reverse(INDEX), {"practice": practice.pk}))
    # Deprivation: nobody gave a postcode, so that breakdown is not shown, and says why.
    assert _value(rows, "How deprived their area is").startswith("not shown: Fewer than 50")


def test_a_practice_pack_counts_the_ideas_that_named_the_practice(
    client, open_consultation, pcn, practice, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    riverside = practice.neighbourhood
    hillcrest = Practice.objects.get(ods_code="Y99002")
    second = make_consultation(open_consultation.get_parent().specific, phase="open", title="B")
    white = {"ethnic_group": "white", "unpaid_care": "no"}
    named = ideas(open_consultation, 14, practice=practice, answers=white)
    ideas(open_consultation, 12, channel=Channel.PAPER, practice=practice, answers=white)
    ideas(second, 20, practice=practice, answers={"ethnic_group": "asian", "unpaid_care": "no"})
    ideas(open_consultation, 3, channel=Channel.PHONE, practice=practice)
    # Not the practice's: another practice's, none named, pending; and comments.
    ideas(open_consultation, 30, practice=hillcrest, answers={"ethnic_group": "black"})
    ideas(open_consultation, 25, neighbourhood=riverside, answers={"ethnic_group": "black"})
    ideas(second, 11, practice=practice, status=PostStatus.PENDING, answers=white)
    commenters = User.objects.bulk_create(
        User(username=f"commenter{i}", email=f"commenter{i}@example.org") for i in range(15)
    )
    Comment.objects.bulk_create(
        Comment(idea=named[0], author=person, body="Yes", status=PostStatus.PUBLISHED)
        for person in commenters
    )
    EqualityAnswers.objects.bulk_create(
        EqualityAnswers(user=person, ethnic_group="mixed") for person in commenters
    )
    client.force_login(make_staff(pcn))
    text = _text(client.get(reverse(PRINT), {"practice": practice.pk}))
    assert "Evidence pack: Riverside Surgery (Y99001)" in text
    assert "Comments do not record a GP practice, so they are not counted here" in text
    assert "do not record the contributor's GP practice yet" not in text
    assert "each counted once): 49" in text

    rows = _csv(client.get(reverse(CSV), {"practice": practice.pk}))
    assert _value(rows, "Practice") == "Riverside Surgery (Y99001)"
    assert len([r for r in rows if r[1] == "What the practice's figures count"]) == 4
    table = "Contributions by consultation and how they reached us: ideas that named the practice"
    assert _value(rows, table, "Open consultation", "Ideas sent online") == "14"
    assert _value(rows, table, "Open consultation", "Ideas by phone") == "hidden"  # 3
    # and 12 on paper with it, so the 3 is not the row's total less the rest
    assert _value(rows, table, "Open consultation", "Ideas on paper") == "hidden"
    assert _lines_of_hidden(rows, table) == []
    assert _value(rows, table, "B", "Ideas sent online") == "20"
    assert _value(rows, table, "All consultations", "All") == "49"
    assert not [r for r in rows if r[1] == table and r[3] == "Comments"]
    assert _value(rows, "People who took part") == "49"
    # Who they are: the practice's contributors' answers only (no commenter, no other's).
    assert _value(rows, "Ethnic group", "People", "White") == "26"
    assert _value(rows, "Ethnic group", "People", "Asian, Asian British or Asian Welsh") == "20"
    assert _value(rows, "Ethnic group", "All", "All") == "46"
    assert _value(rows, "Unpaid carers", "People", "Not an unpaid carer") == "46"
    # The ideas naming the practice's neighbourhood are still shown beside them.
    assert _value(rows, "Ideas that named Riverside, the practice's neighbourhood", "Ideas", "All")

    # The PCN's pack counts everyone, comments too, and says nothing of the kind.
    rows = _csv(client.get(reverse(CSV)))
    assert _value(rows, "Ethnic group", "All", "All") == str(26 + 20 + 30 + 25 + 15)
    assert not [r for r in rows if r[1] == "What the practice's figures count"]
    assert (
        _value(
            rows,
            "Contributions by consultation and how they reached us",
            "Open consultation",
            "Comments",
        )
        == "15"
    )


# Small numbers, on the page and in the CSV

BREAKDOWN_FIGURES = re.compile(
    r"^(Contributions by consultation|Ideas that named|People who took part|Age and sex"
    r"|How deprived|Ethnic group|Disability or long-term condition|Unpaid carers)"
)


def _random_world(consultation, practice, seed):
    """Two consultations' ideas by people of every age band and sex, many groups small."""
    generator = random.Random(seed)
    other = make_consultation(consultation.get_parent().specific, phase="open", title="Second")
    bands = ["under_25", "25_34", "35_44", "45_54", "55_64", "65_74", "75_84", "85_plus"]
    for band in bands:
        for sex in ("female", "male"):
            n = generator.choice([0, 1, 2, 3, 5, 9, 10, 12, 25])
            if n:
                ideas(
                    generator.choice([consultation, other]),
                    n,
                    channel=generator.choice([Channel.ONLINE, Channel.ONLINE, Channel.PAPER]),
                    neighbourhood=generator.choice([practice.neighbourhood, None]),
                    practice=generator.choice([practice, practice, None]),
                    answers={
                        "age_band": band,
                        "sex": sex,
                        "deprivation_decile": generator.randint(1, 10),
                        "ethnic_group": generator.choice(["white", "asian", "black", "mixed"]),
                        "disability": generator.choice(["no", "not_limited", "limited_a_lot"]),
                        "unpaid_care": generator.choice(["no", "no", "up_to_19", "50_or_more"]),
                    },
                )
    # A few by phone and at a meeting, in one consultation each.
    ideas(other, generator.randint(1, 9), channel=Channel.PHONE, practice=practice)
    ideas(consultation, generator.randint(1, 9), channel=Channel.MEETING, practice=practice)


def _lines_of_hidden(rows, figure_prefix) -> list:
    """Each row and column of one table in the CSV (with its totals) that holds exactly one
    hidden entry: that one could be worked out from the others and the total."""
    grid = {}
    for _section, figure, row, column, value in rows:
        if figure.startswith(figure_prefix) and row and column:
            grid[(row, column)] = value
    lines = {}
    for (row, column), value in grid.items():
        lines.setdefault(("row", row), []).append(value)
        lines.setdefault(("column", column), []).append(value)
    return [line for line, values in lines.items() if values.count("hidden") == 1]


@pytest.mark.parametrize("seed", range(3))
def test_no_count_from_1_to_9_of_any_breakdown_shows_on_the_page_or_in_the_csv(
    client, open_consultation, pcn, practice, settings, seed
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    _random_world(open_consultation, practice, seed)
    client.force_login(make_staff(pcn))
    for query in ({}, {"practice": practice.pk}):
        for name in (INDEX, PRINT):
            soup = BeautifulSoup(client.get(reverse(name), query).content, "html.parser")
            cells = [td.get_text(strip=True) for td in soup.select("table.engage-breakdown td")]
            assert len(cells) > 30, "the page shows its tables"
            assert "hidden" in cells
            assert not [c for c in cells if re.fullmatch(r"[1-9]", c)], cells
            people = re.search(r"each counted once\): (\S+)", soup.get_text(" ", strip=True))
            assert not re.fullmatch(r"[1-9]", people.group(1))

        rows = _csv(client.get(reverse(CSV), query))
        figures = [r for r in rows if BREAKDOWN_FIGURES.match(r[1]) and "share" not in r[1]]
        assert len(figures) > 30
        assert not [r for r in figures if re.fullmatch(r"[1-9]", r[4])], figures
        assert "hidden" in [r[4] for r in figures]
        for prefix in ("Contributions by consultation", "Age and sex", "Ideas that named"):
            assert _lines_of_hidden(rows, prefix) == [], prefix
        # A one-row breakdown: a lone hidden group would be the total less the others.
        for title in ("Ethnic group", "Disability or long-term condition", "Unpaid carers"):
            row = [r[4] for r in rows if r[1] == title and r[2] == "People"]
            assert row.count("hidden") != 1, (title, query, row)
        # Percentages only of counts shown.
        shares = [r for r in rows if r[1].endswith("share of contributors")]
        assert shares and all(r[4] == "hidden" or r[4].endswith("%") for r in shares)


def test_a_small_number_of_people_is_hidden_and_too_few_answers_hide_a_breakdown(
    client, open_consultation, pcn, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 50
    ideas(open_consultation, 7, answers={"age_band": "25_34", "sex": "female"})
    client.force_login(make_staff(pcn))
    rows = _csv(client.get(reverse(CSV)))
    assert _value(rows, "People who took part") == "hidden"
    assert _value(rows, "Age and sex").startswith("not shown: Fewer than 50")
    assert not [r for r in rows if r[1] == "Age and sex" and r[2]]
    page = client.get(reverse(PRINT))
    assert "each counted once): hidden" in _text(page)
    assert "Fewer than 50 of the people who took part" in _text(page)


# Speed


def test_the_query_count_does_not_grow_with_the_data(
    client, open_consultation, pcn, practice, update_index, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 10
    client.force_login(make_staff(pcn))
    answers = {"age_band": "25_34", "sex": "female", "deprivation_decile": 3}

    def more(n):
        consultation = make_consultation(open_consultation.get_parent().specific, phase="open")
        made = ideas(consultation, n, answers=answers, neighbourhood=practice.neighbourhood)
        ideas(consultation, n, channel=Channel.PAPER, answers=answers)
        Comment.objects.bulk_create(
            Comment(idea=idea, author=idea.author, body="Yes", status=PostStatus.PUBLISHED)
            for idea in made
        )
        theme = Theme.objects.create(consultation=consultation, name=f"Theme {n}")
        IdeaTheme.objects.bulk_create(IdeaTheme(idea=idea, theme=theme) for idea in made)
        OutreachAction.objects.create(
            consultation=consultation,
            groups=["sex:male"],
            description="A session",
            held_on=timezone.localdate(),
        )
        update = update_index.add_child(
            instance=UpdatePage(
                title=f"Update {n}",
                you_said="<p>Said.</p>",
                we_did="<p>Did.</p>",
                consultation=consultation,
                actions=[UpdateAction(description="Act", status="planned")],
            )
        )
        update.themes.set([theme])
        update.save_revision().publish()

    more(12)
    counts = {}
    for name in (INDEX, PRINT, CSV):
        for query in ({}, {"practice": practice.pk}):
            client.get(reverse(name), query)  # warm the caches every admin page fills once
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse(name), query)
                if name == CSV:
                    b"".join(response.streaming_content)
            counts[(name, str(query))] = len(captured)
    for _ in range(3):
        more(60)
    assert Idea.objects.count() > 300
    for name in (INDEX, PRINT, CSV):
        for query in ({}, {"practice": practice.pk}):
            client.get(reverse(name), query)  # the caches new pages emptied, filled again
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse(name), query)
                if name == CSV:
                    b"".join(response.streaming_content)
            assert response.status_code == 200
            assert len(captured) == counts[(name, str(query))], (
                name,
                query,
                [q["sql"] for q in captured.captured_queries],
            )


# Who may see which pack


def _place_lead(pcn):
    """A lead of the PCN's Place, with the admin their Place's site set-up gives them."""
    place_site_setup(place=pcn.place, hostname="place.localhost")
    pcn.place.refresh_from_db()
    return UserFactory(groups=[pcn.place.lead_group])


def test_only_the_pcns_staff_leads_place_leads_and_admins_see_its_pack(
    client, open_consultation, pcn
):
    other_home, other_index, _ = make_pcn_site(
        hostname="other.localhost", default=False, place_name="Other Place"
    )
    other_pcn = other_home.pcn
    other_consultation = make_consultation(other_index, title="Their consultation")
    ideas(other_consultation, 20)
    for name in (INDEX, PRINT, CSV):
        url = reverse(name)
        # Residents are sent to the admin's sign-in; moderators refused (not their data).
        client.force_login(UserFactory())
        assert client.get(url)["Location"].startswith(reverse("wagtailadmin_login"))
        client.force_login(make_moderator(pcn))
        assert client.get(url)["Location"] == reverse("wagtailadmin_home")
        client.logout()
        assert client.get(url)["Location"].startswith(reverse("wagtailadmin_login"))
        # Another PCN's staff: their own pack, and never this PCN's.
        client.force_login(make_staff(other_pcn))
        assert client.get(url).status_code == 200
        refused = client.get(url, {"pcn": pcn.pk})
        assert refused.status_code == 400
        assert "Choose one of the PCNs listed" in refused.content.decode()
        assert open_consultation.title not in refused.content.decode()
        for person in (make_staff(pcn), make_pcn_lead(pcn)):
            client.force_login(person)
            assert client.get(url, {"pcn": pcn.pk}).status_code == 200
            assert client.get(url, {"pcn": other_pcn.pk}).status_code == 400
        client.force_login(make_admin())
        assert client.get(url, {"pcn": other_pcn.pk}).status_code == 200
    text = _text(client.get(reverse(PRINT), {"pcn": other_pcn.pk}))
    assert "Their consultation" in text and open_consultation.title not in text
    # The menu item shows to those who may see a pack only.
    client.force_login(make_moderator(pcn))
    assert reverse(INDEX) not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(make_staff(pcn))
    assert reverse(INDEX) in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_place_lead_reads_their_places_pcns_public_consultations_only(
    client, open_consultation, pcn, consultation_index
):
    place_lead = _place_lead(pcn)
    # A second PCN of the same Place, and a PCN of another Place.
    sibling_home, sibling_index, _ = make_pcn_site(hostname="sibling.localhost", default=False)
    make_consultation(sibling_index, title="The sibling's consultation")
    elsewhere, _, _ = make_pcn_site(
        hostname="elsewhere.localhost", default=False, place_name="Elsewhere"
    )
    private = make_consultation(consultation_index, title="Staff rota")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([pcn.staff_group])
    ideas(private, 12)
    ideas(open_consultation, 15)
    update_index = UpdateIndexPage.objects.child_of(consultation_index.get_parent()).get()
    update = update_index.add_child(
        instance=UpdatePage(
            title="Rota changes",
            you_said="<p>Said.</p>",
            we_did="<p>Did.</p>",
            consultation=private,
            actions=[UpdateAction(description="New rota", status="done")],
        )
    )
    update.save_revision().publish()

    client.force_login(place_lead)
    page = client.get(reverse(INDEX))
    choices = [
        o.get_text() for o in BeautifulSoup(page.content, "html.parser").select("#id_pcn option")
    ]
    assert sorted(choices) == sorted([pcn.name, sibling_home.pcn.name])
    assert client.get(reverse(CSV), {"pcn": elsewhere.pcn.pk}).status_code == 400
    text = _text(client.get(reverse(PRINT), {"pcn": pcn.pk}))
    assert open_consultation.title in text
    assert "Staff rota" not in text and "Rota changes" not in text
    assert "private consultations and updates are left out" in text
    rows = _csv(client.get(reverse(CSV), {"pcn": pcn.pk}))
    assert _value(rows, "People who took part") == "15"
    assert "The sibling's consultation" in _text(
        client.get(reverse(PRINT), {"pcn": sibling_home.pcn.pk})
    )
    # The PCN's own staff see the private consultation in their pack.
    client.force_login(make_staff(pcn))
    rows = _csv(client.get(reverse(CSV)))
    assert _value(rows, "People who took part") == "27"
    text = _text(client.get(reverse(PRINT)))
    assert "Staff rota" in text and "Rota changes" in text


# Wrong choices: a clear error, never a 500


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"practice": "999999"}, "practice", "Choose one of the practices of the PCN you chose"),
        ({"practice": "abc"}, "practice", "Choose one of the practices of the PCN you chose"),
        ({"practice": "9" * 30}, "practice", "Choose one of the practices of the PCN you chose"),
        ({"pcn": "abc"}, "pcn", "Choose one of the PCNs listed"),
        ({"pcn": "99999999"}, "pcn", "Choose one of the PCNs listed"),
        ({"start": "2026-02-30"}, "start", "Enter a real date, for example 2026-03-17"),
        ({"end": "next week"}, "end", "Enter a real date, for example 2026-03-17"),
        ({"end": "9999-12-31"}, "end", "Enter a date between 2000 and 2100"),
        ({"start": "1066-10-14"}, "start", "Enter a date between 2000 and 2100"),
        (
            {"start": "2026-03-01", "end": "2026-02-01"},
            "start",
            "The start date must be on or before the end date",
        ),
    ],
)
def test_wrong_choices_get_a_clear_error_and_keep_what_was_typed(
    client, open_consultation, pcn, query, field, message
):
    client.force_login(make_staff(pcn))
    response = client.get(reverse(INDEX), query)
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert message in soup.select_one(f"#id_{field}-error").get_text()
    assert soup.select_one('[role="alert"]').find("a", href=f"#id_{field}")
    if field in ("start", "end"):
        assert soup.select_one(f"#id_{field}")["value"] == query[field]
    assert not soup.select(".engage-evidence-pack")
    for name in (PRINT, CSV):
        response = client.get(reverse(name), query)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_a_practice_of_another_pcn_is_refused(client, open_consultation, pcn, practice):
    other_home, _, _ = make_pcn_site(hostname="other.localhost", default=False)
    theirs = Practice.objects.create(pcn=other_home.pcn, name="Their Surgery", ods_code="Y99009")
    for person in (make_staff(pcn), make_admin()):
        client.force_login(person)
        for name in (INDEX, PRINT, CSV):
            response = client.get(reverse(name), {"pcn": pcn.pk, "practice": theirs.pk})
            assert response.status_code == 400
            assert "Choose one of the practices of the PCN you chose" in response.content.decode()
            assert "Their Surgery" not in response.content.decode()
    # The practices offered are the chosen PCN's own.
    client.force_login(make_staff(pcn))
    soup = BeautifulSoup(client.get(reverse(INDEX)).content, "html.parser")
    offered = [o.get_text() for o in soup.select("#id_practice option")]
    assert offered == ["The whole PCN", "Hillcrest Surgery (Y99002)", "Riverside Surgery (Y99001)"]


def test_the_default_period_is_the_last_twelve_months():
    assert a_year_to(date(2026, 12, 6)).start == date(2025, 12, 7)
    assert a_year_to(date(2028, 2, 29)).start == date(2027, 3, 1)


# The printable page


def test_the_printable_page_has_no_admin_around_it_and_a_print_stylesheet(
    client, open_consultation, pcn
):
    client.force_login(make_staff(pcn))
    response = client.get(reverse(PRINT), {"start": "2026-01-01", "end": "2026-06-30"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "en-GB"
    sheets = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
    assert any("nhsuk-frontend" in href for href in sheets)
    assert any(href.endswith("css/evidence-pack.css") for href in sheets)
    assert not any("wagtailadmin" in href for href in sheets)
    assert not soup.select("script") and not soup.select("[style]")
    assert not soup.select("aside, nav, form")
    assert soup.h1.get_text() == f"Evidence pack: {pcn.name}"
    assert "From 1 January 2026 to 30 June 2026" in _text(response)
    csv_link = soup.find("a", string=re.compile("CSV"))["href"]
    assert csv_link.startswith(reverse(CSV)) and "start=2026-01-01" in csv_link
    from django.contrib.staticfiles import finders

    with open(finders.find("css/evidence-pack.css")) as sheet:
        css = sheet.read()
    assert "@media print" in css and ".engage-no-print" in css
