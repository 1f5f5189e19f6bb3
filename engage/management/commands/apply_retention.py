"""Remove or anonymise every record past its retention period (engage/retention.py).

Run it daily. `--dry-run` says what would go and changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from engage.retention import retention_apply


class Command(BaseCommand):
    help = "Remove or anonymise every record kept longer than its retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be removed or anonymised, and change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        try:
            results = retention_apply(dry_run=dry_run)
        except ValueError as error:  # a bad ENGAGE_RETENTION_DAYS
            raise CommandError(str(error)) from error
        for result in results:
            rule = result.rule
            verb = f"would be {rule.action}" if dry_run else rule.action
            self.stdout.write(f"{rule.label} (kept {result.days} days): {result.count} {verb}.")
        total = sum(result.count for result in results)
        if dry_run:
            self.stdout.write(f"{total} record(s) in all. Nothing was changed (dry run).")
        else:
            self.stdout.write(f"{total} record(s) removed or anonymised in all.")
