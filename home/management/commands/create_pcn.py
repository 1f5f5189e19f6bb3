"""Set up a PCN without code: its role groups, site, pages, neighbourhoods and practices.

    python manage.py create_pcn --name "Riverside PCN" --ods-code U12345 \\
        --place "Riverbridge" --ics "Wessex Vale ICS" --hostname riverside.example.nhs.uk \\
        --contact-email engage@riverside.example.nhs.uk \\
        --safeguarding-email safeguarding@riverside.example.nhs.uk \\
        --safeguarding-name "Safeguarding lead, Riverside Surgery" \\
        --neighbourhood Riverside --neighbourhood "Old Town" \\
        --practice "Y12345:Riverside Surgery:Riverside"

Safe to run again with the same ODS code: it adds only what is missing. Then add people to
the PCN's groups (PPG moderators, staff, PCN leads) in the admin, under Settings → Groups.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from home.models import IntegratedCareSystem, Place
from home.services import PracticeEntry, pcn_onboard


def practice_entry(value: str) -> PracticeEntry:
    parts = [part.strip() for part in value.split(":")]
    if len(parts) not in (2, 3) or not all(parts[:2]):
        raise CommandError(
            f"--practice {value!r}: write it as ODS code:name, or ODS code:name:neighbourhood."
        )
    return PracticeEntry(*parts)


def _place(*, place: str, ics: str) -> Place:
    """The Place (and its ICS) by name, made if new: checked as the admin's form would."""
    system = IntegratedCareSystem.objects.filter(name=ics).first()
    if system is None:
        system = IntegratedCareSystem(name=ics)
        system.full_clean()
        system.save()
    found = Place.objects.filter(name=place, integrated_care_system=system).first()
    if found is None:
        found = Place(name=place, integrated_care_system=system)
        found.full_clean()
        found.save()
    return found


class Command(BaseCommand):
    help = "Set up a PCN with its site, pages, role groups, neighbourhoods and practices."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The PCN's name.")
        parser.add_argument("--ods-code", required=True, help="Its ODS code, like U12345.")
        parser.add_argument("--place", required=True, help="The Place it belongs to.")
        parser.add_argument(
            "--ics", required=True, help="The Integrated Care System the Place is in."
        )
        parser.add_argument("--hostname", required=True, help="The host name of its site.")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--contact-email", default="")
        parser.add_argument(
            "--safeguarding-email",
            default="",
            help="Emailed at once about posts that read like an emergency (optional; without "
            "it the PCN's moderators are).",
        )
        parser.add_argument(
            "--safeguarding-name", default="", help="The safeguarding contact's name or role."
        )
        parser.add_argument("--neighbourhood", action="append", default=[])
        parser.add_argument(
            "--practice",
            action="append",
            default=[],
            help="ODS code:name[:neighbourhood]; repeat for each practice.",
        )

    def handle(self, *args, **options):
        practices = [practice_entry(value) for value in options["practice"]]
        try:
            with transaction.atomic():
                place = _place(place=options["place"].strip(), ics=options["ics"].strip())
                result = pcn_onboard(
                    name=options["name"].strip(),
                    ods_code=options["ods_code"].strip().upper(),
                    place=place,
                    hostname=options["hostname"].strip().lower(),
                    port=options["port"],
                    contact_email=options["contact_email"].strip(),
                    safeguarding_contact_email=options["safeguarding_email"].strip(),
                    safeguarding_contact_name=options["safeguarding_name"].strip(),
                    neighbourhoods=[name.strip() for name in options["neighbourhood"]],
                    practices=practices,
                )
        except ValidationError as error:
            messages = (
                [f"{field}: {m}" for field, ms in error.message_dict.items() for m in ms]
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise CommandError("Nothing was changed. " + " ".join(messages)) from error
        if result.made:
            self.stdout.write(f"{result.pcn.name}: made " + "; ".join(result.made) + ".")
        else:
            self.stdout.write(f"{result.pcn.name} was already set up; nothing was changed.")
        self.stdout.write(
            f"Its site is at http://{result.home.get_site().hostname}/. Add people to its "
            "groups in the admin (Settings → Groups), then write its vision and privacy "
            "notice and publish them."
        )
