"""Set up an integrated care system's shared vision: its site, its draft vision page and its
ICS leads' group.

    python manage.py create_ics_site --ics "Wessex Vale ICS" --hostname wessexvale.example.nhs.uk

The ICS must exist (made with its first Place, by `create_pcn` or the ODS import). Safe to
run again: it adds only what is missing. Then put the ICS's leads in its group ("<ICS>: ICS
leads", under Settings → Groups); they write and publish the vision in the admin.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from consultations.services.systems import ics_site_setup
from home.models import IntegratedCareSystem


class Command(BaseCommand):
    help = "Set up an ICS's site with its shared vision (a draft) and its ICS leads' group."

    def add_arguments(self, parser):
        parser.add_argument("--ics", required=True, help="The integrated care system's name.")
        parser.add_argument("--hostname", required=True, help="The host name of its site.")
        parser.add_argument("--port", type=int, default=80)

    def handle(self, *args, ics, hostname, port, **options):
        found = IntegratedCareSystem.objects.filter(name=ics).first()
        if found is None:
            raise CommandError(f"There is no integrated care system called {ics!r}.")
        try:
            vision = ics_site_setup(ics=found, hostname=hostname.strip().lower(), port=port)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        site = vision.get_site()
        self.stdout.write(
            self.style.SUCCESS(
                f"{found.name}'s vision: at {site.hostname}:{site.port}, for the group "
                f"{found.lead_group.name!r} to write and publish."
            )
        )
