"""Run once a day (cron, or a scheduler beside the task worker): tell each PCN's moderators
when posts are waiting for them. PCNs with nothing waiting get no email; a second run on the
same day sends nothing new."""

from django.core.management.base import BaseCommand

from consultations.notifications import send_moderation_digest
from home.models import PrimaryCareNetwork


class Command(BaseCommand):
    help = "Email each PCN's PPG moderators a summary of posts waiting for them."

    def handle(self, *args, **options):
        for pcn_id in PrimaryCareNetwork.objects.values_list("pk", flat=True):
            send_moderation_digest.enqueue(pcn_id=pcn_id)
        self.stdout.write("Queued the daily moderation emails.")
