"""The figures behind the staff charts: what a PCN heard and how it answered, or a Place's
PCNs side by side (`consultations.viewsets.charts` shows them, `engage.charts` draws them).

Six charts, each a table of figures (`Chart`), drawn, shown as a table and downloadable as
CSV from the same numbers:

- contributions per month: published ideas and published comments (on published ideas),
  by the month they were received (an offline idea by the day it arrived);
- published ideas by channel, by neighbourhood and by GP practice, over the same months;
- themes answered or not: the themes of closed consultations, answered when a live update
  names them;
- days to respond: from a consultation's close to its first live update (the median, as on
  every public page's record).

An integrated care system's charts (`ics_charts`) compare its Places, each the sum of its
PCNs: contributions per month, ideas by channel, themes answered and the median days to
respond (no neighbourhood or practice chart: an ICS has hundreds of them; each Place's and
PCN's own charts show them).

Published posts only: what a moderator has not let through is not yet something we heard.

**Small numbers.** A count by practice from 1 to 9 is hidden (`engage.suppression`, with
the totals that would give it away): nobody sees an idea's practice, and a handful of ideas
from a small practice, with their dates and neighbourhoods on the public site, could point
to a person. Counts by month, channel and neighbourhood are shown whole: each idea shows its
date, channel and neighbourhood in public already, so their counts tell nobody anything new.

A fixed number of queries, whatever the number of ideas, comments or themes: posts are
counted in the database, grouped by PCN (the PCN's home page's path starts each
consultation's path) and by what the chart shows.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from consultations.models import (
    Channel,
    Comment,
    ConsultationPage,
    Idea,
    PostStatus,
    Theme,
    UpdatePage,
)
from engage.charts import Cell, Series, bar_drawing, line_drawing
from engage.suppression import table_suppress
from home.boundary import in_pcns, with_home_path
from home.models import HomePage, Neighbourhood, Place, Practice, PrimaryCareNetwork

MONTHS_DEFAULT = 12
MONTHS_MOST = 24
NOT_GIVEN = "Not given"


@dataclass
class Chart:
    slug: str  # its name in the CSV download's address
    title: str
    caption: str  # the table's caption
    row_header: str
    categories: list[str]
    series: list[Series]
    kind: str = "bar"  # or "line"
    note: str = ""
    summary: str = ""  # a sentence for the chart's description
    axis_labels: list[str] | None = None  # shorter labels under a line chart's axis

    def drawing(self, *, prefix: str = "chart"):
        chart_id = f"{prefix}-{self.slug}"
        description = (
            f"{self.summary} The table beside the chart gives every figure."
            if self.summary
            else "The table beside the chart gives every figure."
        )
        if self.kind == "line":
            return line_drawing(
                chart_id=chart_id,
                title=self.title,
                description=description,
                labels=self.categories,
                series=self.series,
                axis_labels=self.axis_labels,
            )
        return bar_drawing(
            chart_id=chart_id,
            title=self.title,
            description=description,
            categories=self.categories,
            series=self.series,
        )

    @property
    def header(self) -> list[str]:
        return [self.row_header, *(each.name for each in self.series)]

    @property
    def rows(self) -> list[list[str]]:
        """The table's rows: the category, then each series' figure as shown."""
        return [
            [category, *(each.cells[n].text for each in self.series)]
            for n, category in enumerate(self.categories)
        ]

    @property
    def empty(self) -> bool:
        return not self.categories


@dataclass
class Scope:
    """Whose figures: `pcns` (one, or a Place's, or an ICS's), the live consultations and
    updates of theirs the person may read (a place or ICS lead: public ones only), and for
    an ICS its Places (each PCN's `place_id` says which it is in)."""

    pcns: list
    consultations: object  # a ConsultationPage queryset
    updates: object  # an UpdatePage queryset
    places: list = field(default_factory=list)


def place_scope(place) -> Scope:
    """The Place's PCNs and their public live consultations and updates."""
    pcns = list(with_home_path(place.pcns.order_by("name")))
    return Scope(
        pcns=pcns,
        consultations=in_pcns(ConsultationPage.objects.live().public(), pcns),
        updates=in_pcns(UpdatePage.objects.live().public(), pcns),
    )


def ics_scope(ics) -> Scope:
    """The ICS's Places, their PCNs and the PCNs' public live consultations and updates."""
    places = list(
        Place.objects.filter(integrated_care_system=ics)
        .order_by("name")
        .prefetch_related(
            Prefetch("pcns", queryset=with_home_path(PrimaryCareNetwork.objects.order_by("name")))
        )
    )
    pcns = [pcn for place in places for pcn in place.pcns.all()]
    return Scope(
        pcns=pcns,
        places=places,
        consultations=in_pcns(ConsultationPage.objects.live().public(), pcns),
        updates=in_pcns(UpdatePage.objects.live().public(), pcns),
    )


def month_starts(*, months: int, today: date) -> list[date]:
    """The first day of each of the last `months` months, this one last."""
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _month_label(start: date) -> str:
    return start.strftime("%b %Y")


def _month_axis_label(start: date) -> str:
    return start.strftime("%b %y")


def _pcn_of_path(homes: list[tuple[int, str]], lookup: str) -> Case:
    """The PCN id of each row, from the path of the page `lookup` reaches."""
    return Case(
        *(When(**{f"{lookup}__startswith": path}, then=Value(str(pk))) for pk, path in homes),
        default=Value(""),
        output_field=CharField(),
    )


def _month_key(value) -> tuple[int, int]:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return (value.year, value.month)


@dataclass
class Figures:
    """The counts every chart is drawn from (read in a fixed number of queries)."""

    pcns: list
    months: list[date]
    ideas_by_month: dict  # (pcn id, (year, month)) -> count
    comments_by_month: dict
    ideas_by_kind: list[dict]  # rows: pcn, channel, neighbourhood_id, practice_id, count
    neighbourhoods: list
    practices: list
    themes: list[dict]  # rows: consultation_id, total, answered
    consultations: list[dict]  # closed consultations: pk, title, closes_at, pcn
    first_responses: dict  # consultation id -> first live update's first publication


def figures_read(
    *, scope: Scope, months: int, today: date | None = None, local: bool = True
) -> Figures:
    """The figures of `scope`'s PCNs; their neighbourhoods and practices only if `local` (an
    ICS's charts show neither). PCNs read `with_home_path` bring their sites' paths."""
    today = today or timezone.localdate()
    starts = month_starts(months=months, today=today)
    since = timezone.make_aware(datetime(starts[0].year, starts[0].month, 1))
    pcn_ids = [pcn.pk for pcn in scope.pcns]
    if all(hasattr(pcn, "home_path") for pcn in scope.pcns):
        homes = sorted(
            ((pcn.pk, pcn.home_path) for pcn in scope.pcns if pcn.home_path),
            key=lambda home: home[1],
        )
    else:
        homes = list(HomePage.objects.filter(pcn_id__in=pcn_ids).values_list("pcn_id", "path"))
    published = Idea.objects.filter(
        status=PostStatus.PUBLISHED, consultation__in=scope.consultations, created_at__gte=since
    )
    # Ideas by month and by kind (channel, neighbourhood, practice) in one read, added up
    # both ways here.
    ideas_by_month: dict = {}
    kinds: dict = {}
    for row in (
        published.annotate(
            pcn=_pcn_of_path(homes, "consultation__path"), month=TruncMonth("created_at")
        )
        .order_by()
        .values("pcn", "month", "channel", "neighbourhood_id", "practice_id")
        .annotate(count=Count("pk"))
    ):
        if not row["pcn"]:
            continue
        pcn = int(row["pcn"])
        month = (pcn, _month_key(row["month"]))
        ideas_by_month[month] = ideas_by_month.get(month, 0) + row["count"]
        kind = (pcn, row["channel"], row["neighbourhood_id"], row["practice_id"])
        kinds[kind] = kinds.get(kind, 0) + row["count"]
    comments = Comment.objects.filter(
        status=PostStatus.PUBLISHED,
        idea__status=PostStatus.PUBLISHED,
        idea__consultation__in=scope.consultations,
        created_at__gte=since,
    )
    comments_by_month = {
        (int(row["pcn"]), _month_key(row["month"])): row["count"]
        for row in comments.annotate(
            pcn=_pcn_of_path(homes, "idea__consultation__path"), month=TruncMonth("created_at")
        )
        .order_by()
        .values("pcn", "month")
        .annotate(count=Count("pk"))
        if row["pcn"]
    }
    ideas_by_kind = [
        {
            "pcn": pcn,
            "channel": channel,
            "neighbourhood_id": neighbourhood_id,
            "practice_id": practice_id,
            "count": count,
        }
        for (pcn, channel, neighbourhood_id, practice_id), count in kinds.items()
    ]
    closed = scope.consultations.finished()
    answered = Exists(scope.updates.filter(themes=OuterRef("pk")))
    themes = list(
        Theme.objects.filter(consultation__in=closed)
        .annotate(is_answered=answered)
        .order_by()
        .values("consultation_id")
        .annotate(total=Count("pk"), answered=Count("pk", filter=Q(is_answered=True)))
    )
    consultations = [
        {**row, "pcn": int(row["pcn"])}
        for row in ConsultationPage.objects.filter(pk__in=closed.values("pk"))
        .annotate(pcn=_pcn_of_path(homes, "path"))
        .order_by("closes_at", "title")
        .values("pk", "title", "closes_at", "pcn")
        if row["pcn"]
    ]
    first_responses = {
        row["consultation_id"]: row["first"]
        for row in scope.updates.filter(consultation__in=closed)
        .order_by()  # page querysets sort by tree path, which would split the groups
        .values("consultation_id")
        .annotate(first=Min("first_published_at"))
        if row["first"]
    }
    return Figures(
        pcns=list(scope.pcns),
        months=starts,
        ideas_by_month=ideas_by_month,
        comments_by_month=comments_by_month,
        ideas_by_kind=ideas_by_kind,
        neighbourhoods=list(
            Neighbourhood.objects.filter(pcn_id__in=pcn_ids)
            .select_related("pcn")
            .order_by("pcn__name", "name")
        )
        if local
        else [],
        practices=list(
            Practice.objects.filter(pcn_id__in=pcn_ids)
            .select_related("pcn")
            .order_by("pcn__name", "name")
        )
        if local
        else [],
        themes=themes,
        consultations=consultations,
        first_responses=first_responses,
    )


def _days(consultation: dict, first_responses: dict) -> int | None:
    first = first_responses.get(consultation["pk"])
    if first is None:
        return None
    # A response published before the consultation closed counts as a same-day response.
    return max(0, (first - consultation["closes_at"]).days)


def _counts(cells) -> list[Cell]:
    return [Cell.of(value) for value in cells]


def _count_by(figures: Figures, key: str, pcn_id: int | None = None) -> dict:
    totals: dict = {}
    for row in figures.ideas_by_kind:
        if pcn_id is not None and row["pcn"] != pcn_id:
            continue
        totals[row[key]] = totals.get(row[key], 0) + row["count"]
    return totals


def _practice_chart(figures: Figures, *, label_pcn: bool) -> Chart:
    """Ideas by practice, with counts from 1 to 9 hidden and any total that would give one
    away hidden too (`engage.suppression.table_suppress`)."""
    by_practice = _count_by(figures, "practice_id")
    labels = [
        f"{practice.name} ({practice.pcn.name})" if label_pcn else practice.name
        for practice in figures.practices
    ]
    values = [by_practice.get(practice.pk, 0) for practice in figures.practices]
    labels.append(NOT_GIVEN)
    values.append(by_practice.get(None, 0))
    table = table_suppress([[value] for value in values])
    cells = [
        Cell(entry.value if entry.shown else None, entry.display)
        for entry in (row[0] for row in table.cells)
    ]
    total = table.total
    return Chart(
        slug="practices",
        title="Ideas by GP practice",
        caption="Published ideas by the GP practice their authors said they are registered with",
        row_header="GP practice",
        categories=[*labels, "All ideas"],
        series=[
            Series("Ideas", [*cells, Cell(total.value if total.shown else None, total.display)])
        ],
        note='A count from 1 to 9 is shown as "hidden", and so is any other figure that '
        "would let someone work one out: with an idea's date and neighbourhood, a few ideas "
        "from a small practice could point to a person.",
        summary="Bar chart of published ideas by the GP practice their authors named.",
    )


def _neighbourhood_chart(figures: Figures, *, label_pcn: bool) -> Chart:
    by_neighbourhood = _count_by(figures, "neighbourhood_id")
    labels = [
        f"{item.name} ({item.pcn.name})" if label_pcn else item.name
        for item in figures.neighbourhoods
    ]
    values = [by_neighbourhood.get(item.pk, 0) for item in figures.neighbourhoods]
    return Chart(
        slug="neighbourhoods",
        title="Ideas by neighbourhood",
        caption="Published ideas by the neighbourhood they are about",
        row_header="Neighbourhood",
        categories=[*labels, NOT_GIVEN],
        series=[Series("Ideas", _counts([*values, by_neighbourhood.get(None, 0)]))],
        summary="Bar chart of published ideas by neighbourhood.",
    )


def _period(figures: Figures) -> str:
    first, last = figures.months[0], figures.months[-1]
    if first == last:
        return f"in {first:%B %Y}"
    return f"from {first:%B %Y} to {last:%B %Y}"


def pcn_charts(*, scope: Scope, months: int, today: date | None = None) -> list[Chart]:
    """One PCN's charts: its contributions, by channel, neighbourhood and practice, and how
    it answered each closed consultation."""
    figures = figures_read(scope=scope, months=months, today=today)
    pcn = figures.pcns[0]
    keys = [(start.year, start.month) for start in figures.months]
    ideas = [figures.ideas_by_month.get((pcn.pk, key), 0) for key in keys]
    comments = [figures.comments_by_month.get((pcn.pk, key), 0) for key in keys]
    by_channel = _count_by(figures, "channel")
    period = _period(figures)
    answered_by_consultation = {row["consultation_id"]: row for row in figures.themes}
    with_themes = [c for c in figures.consultations if c["pk"] in answered_by_consultation]
    days = [_days(c, figures.first_responses) for c in figures.consultations]
    known_days = [d for d in days if d is not None]
    median = statistics.median(known_days) if known_days else None
    return [
        Chart(
            slug="contributions",
            kind="line",
            title=f"Contributions each month, {period}",
            caption=f"Published ideas and comments each month, {period}",
            row_header="Month",
            categories=[_month_label(start) for start in figures.months],
            axis_labels=[_month_axis_label(start) for start in figures.months],
            series=[Series("Ideas", _counts(ideas)), Series("Comments", _counts(comments))],
            summary=f"Line chart: {sum(ideas):,} ideas and {sum(comments):,} comments {period}.",
        ),
        Chart(
            slug="channels",
            title=f"Ideas by how they reached us, {period}",
            caption=f"Published ideas by channel, {period}",
            row_header="Channel",
            categories=[label for _value, label in Channel.choices],
            series=[Series("Ideas", _counts([by_channel.get(v, 0) for v, _ in Channel.choices]))],
            summary="Bar chart of published ideas by channel.",
        ),
        _retitled(_neighbourhood_chart(figures, label_pcn=False), period),
        _retitled(_practice_chart(figures, label_pcn=False), period),
        Chart(
            slug="themes",
            title="Themes answered, by closed consultation",
            caption='Themes of each closed consultation: answered by a live "You said, we '
            'did" update, or not yet',
            row_header="Consultation",
            categories=[c["title"] for c in with_themes],
            series=[
                Series(
                    "Answered",
                    _counts([answered_by_consultation[c["pk"]]["answered"] for c in with_themes]),
                ),
                Series(
                    "Not answered yet",
                    _counts(
                        [
                            answered_by_consultation[c["pk"]]["total"]
                            - answered_by_consultation[c["pk"]]["answered"]
                            for c in with_themes
                        ]
                    ),
                ),
            ],
            summary="Bar chart of each closed consultation's themes, answered and not yet.",
        ),
        Chart(
            slug="days-to-respond",
            title="Days from closing to the first response",
            caption="Days from each closed consultation's close to its first live \"You "
            'said, we did" update',
            row_header="Consultation",
            categories=[c["title"] for c in figures.consultations],
            series=[
                Series("Days", [Cell.of(d, missing="not answered yet") for d in days]),
            ],
            note=(
                f"Median: {Cell.of(median).text} days."
                if median is not None
                else "No consultation has a response yet."
            ),
            summary="Bar chart of the days each closed consultation waited for a response"
            + (f"; the median is {Cell.of(median).text} days." if median is not None else "."),
        ),
    ]


def _retitled(chart: Chart, period: str) -> Chart:
    chart.title = f"{chart.title}, {period}"
    chart.caption = f"{chart.caption}, {period}"
    return chart


def place_charts(*, scope: Scope, months: int, today: date | None = None) -> list[Chart]:
    """A Place's PCNs side by side: each PCN's contributions per month, its ideas by channel,
    every neighbourhood's and practice's ideas, each PCN's themes answered and its median
    days to respond."""
    figures = figures_read(scope=scope, months=months, today=today)
    pcns = sorted(figures.pcns, key=lambda pcn: pcn.name)
    keys = [(start.year, start.month) for start in figures.months]
    period = _period(figures)
    consultation_pcn = {c["pk"]: c["pcn"] for c in figures.consultations}
    themes = {pcn.pk: [0, 0] for pcn in pcns}
    for row in figures.themes:
        pcn_id = consultation_pcn.get(row["consultation_id"])
        if pcn_id in themes:
            themes[pcn_id][0] += row["answered"]
            themes[pcn_id][1] += row["total"] - row["answered"]
    medians = _medians(figures.consultations, figures.first_responses, [{pcn.pk} for pcn in pcns])
    channels = [_count_by(figures, "channel", pcn.pk) for pcn in pcns]
    return [
        Chart(
            slug="contributions",
            kind="line",
            title=f"Contributions each month by PCN, {period}",
            caption=f"Published ideas and comments each month, by PCN, {period}",
            row_header="Month",
            categories=[_month_label(start) for start in figures.months],
            axis_labels=[_month_axis_label(start) for start in figures.months],
            series=[
                Series(
                    pcn.name,
                    _counts(
                        [
                            figures.ideas_by_month.get((pcn.pk, key), 0)
                            + figures.comments_by_month.get((pcn.pk, key), 0)
                            for key in keys
                        ]
                    ),
                )
                for pcn in pcns
            ],
            summary=f"Line chart of each PCN's ideas and comments together, {period}.",
        ),
        Chart(
            slug="channels",
            title=f"Ideas by how they reached us, by PCN, {period}",
            caption=f"Published ideas by PCN and channel, {period}",
            row_header="PCN",
            categories=[pcn.name for pcn in pcns],
            series=[
                Series(label, _counts([counts.get(value, 0) for counts in channels]))
                for value, label in Channel.choices
            ],
            summary="Bar chart of each PCN's published ideas by channel.",
        ),
        _retitled(_neighbourhood_chart(figures, label_pcn=True), period),
        _retitled(_practice_chart(figures, label_pcn=True), period),
        Chart(
            slug="themes",
            title="Themes answered, by PCN",
            caption='Themes of closed consultations, by PCN: answered by a live "You said, '
            'we did" update, or not yet',
            row_header="PCN",
            categories=[pcn.name for pcn in pcns],
            series=[
                Series("Answered", _counts([themes[pcn.pk][0] for pcn in pcns])),
                Series("Not answered yet", _counts([themes[pcn.pk][1] for pcn in pcns])),
            ],
            summary="Bar chart of each PCN's themes, answered and not yet.",
        ),
        Chart(
            slug="days-to-respond",
            title="Median days from closing to the first response, by PCN",
            caption="Median days from a closed consultation's close to its first live \"You "
            'said, we did" update, by PCN',
            row_header="PCN",
            categories=[pcn.name for pcn in pcns],
            series=[
                Series("Median days", [Cell.of(m, missing="no response yet") for m in medians])
            ],
            summary="Bar chart of each PCN's median days to respond.",
        ),
    ]


def _medians(consultations: list[dict], first_responses: dict, groups: list[set]) -> list:
    """The median days to respond of the consultations of each group of PCN ids."""
    medians = []
    for pcn_ids in groups:
        days = [
            d
            for c in consultations
            if c["pcn"] in pcn_ids and (d := _days(c, first_responses)) is not None
        ]
        medians.append(statistics.median(days) if days else None)
    return medians


def ics_charts(*, scope: Scope, months: int, today: date | None = None) -> list[Chart]:
    """An ICS's Places side by side, each the sum of its PCNs: contributions per month, ideas
    by channel, themes answered, and the median days to respond of its PCNs' consultations."""
    figures = figures_read(scope=scope, months=months, today=today, local=False)
    places = sorted(scope.places, key=lambda place: place.name)
    pcns_of = {
        place.pk: {pcn.pk for pcn in figures.pcns if pcn.place_id == place.pk} for place in places
    }
    keys = [(start.year, start.month) for start in figures.months]
    period = _period(figures)

    def place_sum(counts: dict, place, key) -> int:
        return sum(counts.get((pcn_id, key), 0) for pcn_id in pcns_of[place.pk])

    consultation_pcn = {c["pk"]: c["pcn"] for c in figures.consultations}
    themes = {place.pk: [0, 0] for place in places}
    place_of_pcn = {pcn.pk: pcn.place_id for pcn in figures.pcns}
    for row in figures.themes:
        place_id = place_of_pcn.get(consultation_pcn.get(row["consultation_id"]))
        if place_id in themes:
            themes[place_id][0] += row["answered"]
            themes[place_id][1] += row["total"] - row["answered"]
    channels = []
    for place in places:
        counts: dict = {}
        for row in figures.ideas_by_kind:
            if row["pcn"] in pcns_of[place.pk]:
                counts[row["channel"]] = counts.get(row["channel"], 0) + row["count"]
        channels.append(counts)
    medians = _medians(
        figures.consultations, figures.first_responses, [pcns_of[place.pk] for place in places]
    )
    return [
        Chart(
            slug="contributions",
            kind="line",
            title=f"Contributions each month by Place, {period}",
            caption=f"Published ideas and comments each month, by Place, {period}",
            row_header="Month",
            categories=[_month_label(start) for start in figures.months],
            axis_labels=[_month_axis_label(start) for start in figures.months],
            series=[
                Series(
                    place.name,
                    _counts(
                        [
                            place_sum(figures.ideas_by_month, place, key)
                            + place_sum(figures.comments_by_month, place, key)
                            for key in keys
                        ]
                    ),
                )
                for place in places
            ],
            summary=f"Line chart of each Place's ideas and comments together, {period}.",
        ),
        Chart(
            slug="channels",
            title=f"Ideas by how they reached us, by Place, {period}",
            caption=f"Published ideas by Place and channel, {period}",
            row_header="Place",
            categories=[place.name for place in places],
            series=[
                Series(label, _counts([counts.get(value, 0) for counts in channels]))
                for value, label in Channel.choices
            ],
            summary="Bar chart of each Place's published ideas by channel.",
        ),
        Chart(
            slug="themes",
            title="Themes answered, by Place",
            caption='Themes of closed consultations, by Place: answered by a live "You said, '
            'we did" update, or not yet',
            row_header="Place",
            categories=[place.name for place in places],
            series=[
                Series("Answered", _counts([themes[place.pk][0] for place in places])),
                Series("Not answered yet", _counts([themes[place.pk][1] for place in places])),
            ],
            summary="Bar chart of each Place's themes, answered and not yet.",
        ),
        Chart(
            slug="days-to-respond",
            title="Median days from closing to the first response, by Place",
            caption="Median days from a closed consultation's close to its first live \"You "
            'said, we did" update, by Place',
            row_header="Place",
            categories=[place.name for place in places],
            series=[
                Series("Median days", [Cell.of(m, missing="no response yet") for m in medians])
            ],
            summary="Bar chart of each Place's median days to respond.",
        ),
    ]


def chart_by_slug(charts: list[Chart], slug: str) -> Chart | None:
    return next((chart for chart in charts if chart.slug == slug), None)
