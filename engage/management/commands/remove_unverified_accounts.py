"""Delete accounts whose email address was never confirmed, once they are N days old.

Someone who signs up but never clicks the confirmation link cannot sign in or take part;
keeping their email address for ever would serve no purpose (UK GDPR: storage limitation).
Run it daily. Staff, admins and anyone in a group are never touched.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from engage.privacy import unverified_accounts, unverified_accounts_remove


class Command(BaseCommand):
    help = "Delete accounts whose email address was never confirmed and that are old enough."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Delete accounts made more than this many days ago "
            f"(default: ENGAGE_UNVERIFIED_ACCOUNT_DAYS, {settings.ENGAGE_UNVERIFIED_ACCOUNT_DAYS}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say how many accounts would be deleted, and delete nothing.",
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.ENGAGE_UNVERIFIED_ACCOUNT_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        if dry_run:
            count = unverified_accounts(older_than_days=days).count()
            self.stdout.write(
                f"{count} unconfirmed account{'s' if count != 1 else ''} older than {days} days "
                "would be deleted. Nothing was changed (dry run)."
            )
            return
        count = unverified_accounts_remove(older_than_days=days)
        self.stdout.write(
            f"Deleted {count} unconfirmed account{'s' if count != 1 else ''} "
            f"older than {days} days."
        )
