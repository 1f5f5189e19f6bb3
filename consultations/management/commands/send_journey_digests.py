"""Run every few minutes (cron, or a scheduler beside the task worker).

Sends each person one email with every step of their ideas' journeys owed since we last
wrote (put in a theme, linked to a vision priority, answered by an update, an action's
status changed), once the oldest has waited ENGAGE_DIGEST_SETTLE_MINUTES. A step whose email
failed is offered again under the same key; a second run sends nothing twice.
"""

from django.core.management.base import BaseCommand

from consultations.notifications import send_journey_digests


class Command(BaseCommand):
    help = "Email each person the steps of their ideas' journeys that have settled, in one digest."

    def handle(self, *args, **options):
        queued = send_journey_digests()
        self.stdout.write(f"{queued} digest emails queued to send.")
