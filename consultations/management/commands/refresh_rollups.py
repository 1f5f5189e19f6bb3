"""Run every few minutes (cron, or a scheduler beside the task worker), more often than
`ENGAGE_ROLLUP_MAX_AGE_SECONDS`: work out again the figures of every Place's and every ICS's
leads' screens (their charts over the default twelve months, who took part over the default
period), so a lead finds them fresh. Each is a task (`tasks.refresh_rollup`), run by the
worker, or at once with the immediate backend; a second run stores the same figures again
(`consultations.rollup_figures.rollups_refresh_all`)."""

from django.core.management.base import BaseCommand

from consultations.rollup_figures import rollups_refresh_all


class Command(BaseCommand):
    help = "Work out again the figures of every Place's and ICS's charts and who took part."

    def handle(self, *args, **options):
        queued = rollups_refresh_all()
        self.stdout.write(f"Queued {queued} refreshes of Places' and ICSs' figures.")
