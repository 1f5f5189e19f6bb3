"""Roll-up snapshots: the figures of a Place's or an ICS's leads' screens, worked out ahead.

A Place's or an ICS's charts and its "who took part" count every idea and comment of all its
PCNs; worked out as the page is asked for, the figures of an ICS of fifty PCNs took more
than a second. So they are worked out by a task (`consultations.tasks.refresh_rollup`, run
by `manage.py refresh_rollups` and whenever a screen finds its snapshot stale) and stored
here, one row per screen, organisation and choice of period; the screen reads its row in one
query and says when the figures were worked out (`consultations.rollup_figures`).

`figures` holds plain JSON (numbers, text, dates as ISO text; `consultations.snapshots`
writes and reads it), never pickled objects, and only what the screen shows: small numbers
are suppressed before they are stored, so a hidden count is not in the table at all.
"""

from django.db import models
from django.db.models import Q


class RollupKind(models.TextChoices):
    PLACE_CHARTS = "place_charts", "A Place's charts"
    ICS_CHARTS = "ics_charts", "An ICS's charts"
    PLACE_WHO_TOOK_PART = "place_who_took_part", "Who took part across a Place"
    ICS_WHO_TOOK_PART = "ics_who_took_part", "Who took part across an ICS"


PLACE_KINDS = (RollupKind.PLACE_CHARTS, RollupKind.PLACE_WHO_TOOK_PART)


class RollupSnapshot(models.Model):
    """One screen's figures for one Place or ICS (`place` or `integrated_care_system`, as
    `kind` says) and one choice of period (`parameters`: "months=12" for charts, "" for who
    took part over its default period), as they were at `computed_at`.

    `refresh_requested_at` is when a screen last found it stale and queued a refresh, so
    that many leads opening a stale screen at once queue one refresh, not one each."""

    kind = models.CharField(max_length=32, choices=RollupKind.choices)
    place = models.ForeignKey(
        "home.Place", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    integrated_care_system = models.ForeignKey(
        "home.IntegratedCareSystem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    parameters = models.CharField(max_length=64, blank=True)
    figures = models.JSONField()
    computed_at = models.DateTimeField()
    refresh_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="rollup_snapshot_of_its_kinds_organisation",
                condition=(
                    Q(
                        kind__in=PLACE_KINDS,
                        place__isnull=False,
                        integrated_care_system__isnull=True,
                    )
                    | (
                        ~Q(kind__in=PLACE_KINDS)
                        & Q(place__isnull=True, integrated_care_system__isnull=False)
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["kind", "place", "parameters"],
                condition=Q(place__isnull=False),
                name="one_rollup_snapshot_per_place_screen",
            ),
            models.UniqueConstraint(
                fields=["kind", "integrated_care_system", "parameters"],
                condition=Q(integrated_care_system__isnull=False),
                name="one_rollup_snapshot_per_ics_screen",
            ),
        ]

    def __str__(self):
        organisation = self.place_id or self.integrated_care_system_id
        return f"{self.get_kind_display()} {organisation} {self.parameters}".strip()
