"""The figures a Place's or an ICS's leads' screen shows: its stored snapshot
(`consultations.snapshots`), fresh or stale, or worked out there and then when there is none.

- **Fresh** (worked out less than `ENGAGE_ROLLUP_MAX_AGE_SECONDS` ago): shown as stored.
- **Stale**: shown as stored, and a refresh is queued (`tasks.refresh_rollup`) for the next
  look. One queued refresh per snapshot per max age: the snapshot is marked
  (`refresh_requested_at`) in the same update that decides to queue, so twenty leads opening
  a stale screen at once queue one refresh, and a refresh lost by a stopped worker is asked
  for again after another max age.
- **None yet** (a Place's or an ICS's first look, or a new choice of months): worked out in
  the request, stored and shown, as the screen did before there were snapshots.

`rollups_refresh_all` queues a refresh of every Place's and ICS's default screens
(`manage.py refresh_rollups`, run more often than the max age; and at the end of
`seed_demo` and `make_synthetic_data`, so the first look is quick).

Every screen says when its figures were worked out and how old they can be
(`consultations/admin/rollup_freshness.html`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from consultations.charts import MONTHS_DEFAULT
from consultations.models import RollupKind, RollupSnapshot
from consultations.snapshots import (
    DEFAULT_PERIOD,
    charts_parameters,
    snapshot_read,
    snapshot_refresh,
)
from consultations.tasks import refresh_rollup
from home.models import IntegratedCareSystem, Place


@dataclass
class ShownFigures:
    figures: dict  # as `consultations.snapshots` stores them
    computed_at: datetime
    stale: bool  # older than the max age: a refresh is queued

    @property
    def max_age_minutes(self) -> int:
        return max(1, round(max_age().total_seconds() / 60))


def max_age() -> timedelta:
    return timedelta(seconds=settings.ENGAGE_ROLLUP_MAX_AGE_SECONDS)


def rollup_figures(*, kind: str, organisation, parameters: str) -> ShownFigures:
    """The screen's figures (see the module's docstring): one query when a snapshot is fresh,
    one more when it is stale."""
    now = timezone.now()
    snapshot = snapshot_read(kind=kind, organisation=organisation, parameters=parameters)
    if snapshot is None:
        snapshot = snapshot_refresh(
            kind=kind, organisation_id=organisation.pk, parameters=parameters
        )
        return ShownFigures(figures=snapshot.figures, computed_at=snapshot.computed_at, stale=False)
    stale = snapshot.computed_at <= now - max_age()
    if stale:
        _refresh_queue(snapshot, now=now)
    return ShownFigures(figures=snapshot.figures, computed_at=snapshot.computed_at, stale=stale)


def _refresh_queue(snapshot: RollupSnapshot, *, now: datetime) -> None:
    """Queue one refresh, unless one was queued within the max age."""
    marked = (
        RollupSnapshot.objects.filter(pk=snapshot.pk)
        .filter(Q(refresh_requested_at__isnull=True) | Q(refresh_requested_at__lte=now - max_age()))
        .update(refresh_requested_at=now)
    )
    if marked:
        transaction.on_commit(
            partial(
                refresh_rollup.enqueue,
                kind=snapshot.kind,
                organisation_id=snapshot.place_id or snapshot.integrated_care_system_id,
                parameters=snapshot.parameters,
            )
        )


DEFAULT_SCREENS = [
    (RollupKind.PLACE_CHARTS, Place, charts_parameters(MONTHS_DEFAULT)),
    (RollupKind.PLACE_WHO_TOOK_PART, Place, DEFAULT_PERIOD),
    (RollupKind.ICS_CHARTS, IntegratedCareSystem, charts_parameters(MONTHS_DEFAULT)),
    (RollupKind.ICS_WHO_TOOK_PART, IntegratedCareSystem, DEFAULT_PERIOD),
]


def rollups_refresh_all() -> int:
    """Queue a refresh of every Place's and ICS's charts over the default twelve months and
    who took part over the default period (other choices of months are refreshed when a
    lead opens them stale); how many were queued. Run at once by the immediate backend."""
    queued = 0
    for kind, model, parameters in DEFAULT_SCREENS:
        for organisation_id in model.objects.order_by("pk").values_list("pk", flat=True):
            refresh_rollup.enqueue(
                kind=kind, organisation_id=organisation_id, parameters=parameters
            )
            queued += 1
    return queued
