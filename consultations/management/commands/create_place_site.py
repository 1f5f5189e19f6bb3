"""Set up a Place's shared vision: its site, its draft vision page and its place leads' group.

    python manage.py create_place_site --place Riverbridge --ics "Wessex Vale ICS" \\
        --hostname riverbridge.example.nhs.uk

The Place must exist (made with its first PCN, by `create_pcn` or the ODS import). Safe to run
again: it adds only what is missing. Then put the Place's leads in its group ("<Place>: place
leads", under Settings → Groups); they write and publish the vision in the admin.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from consultations.services.places import place_site_setup
from home.models import Place


class Command(BaseCommand):
    help = "Set up a Place's site with its shared vision (a draft) and its place leads' group."

    def add_arguments(self, parser):
        parser.add_argument("--place", required=True, help="The Place's name.")
        parser.add_argument("--ics", required=True, help="The Integrated Care System it is in.")
        parser.add_argument("--hostname", required=True, help="The host name of its site.")
        parser.add_argument("--port", type=int, default=80)

    def handle(self, *args, place, ics, hostname, port, **options):
        found = Place.objects.filter(name=place, integrated_care_system__name=ics).first()
        if found is None:
            raise CommandError(f"There is no Place called {place!r} in {ics!r}.")
        try:
            vision = place_site_setup(place=found, hostname=hostname.strip().lower(), port=port)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        site = vision.get_site()
        self.stdout.write(
            self.style.SUCCESS(
                f"{found.name}'s vision: at {site.hostname}:{site.port}, for the group "
                f"{found.lead_group.name!r} to write and publish."
            )
        )
