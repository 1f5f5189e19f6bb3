"""Run every few minutes (cron, or a scheduler beside the task worker).

Tells followers when consultations open, close or are answered, and queues every update
or phase email still owed: new ones, and any the mail queue never received or gave up on
early. An email the mail queue is still retrying keeps to its own schedule (engage.mail).
"""

from django.core.management.base import BaseCommand

from consultations.loop import phase_notices_create
from consultations.models import ConsultationPage
from consultations.notifications import retry_pending_notices


class Command(BaseCommand):
    help = "Queue phase-change emails for followers, and every update or phase email owed."

    def handle(self, *args, **options):
        created = 0
        for consultation in ConsultationPage.objects.live():
            created += len(phase_notices_create(consultation=consultation))
        queued = retry_pending_notices()
        self.stdout.write(f"{created} new phase emails; {queued} emails queued to send.")
