"""Make a synthetic data set of the real shape at a chosen scale (consultations/synthetic.py).

manage.py make_synthetic_data --systems 1 --places 5 --pcns 50 --ideas-per-pcn 2000
"""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from consultations.rollup_figures import rollups_refresh_all
from consultations.synthetic import Scale, synthetic_data_make


class Command(BaseCommand):
    help = (
        "Make fictional ICSs, Places and PCNs with their sites, consultations, ideas, "
        "comments, supports, themes and updates, for trying Engage at scale. Safe to run "
        "again: only what is missing is made. Refused on a live site (DEBUG off) unless "
        "--allow-without-debug is given."
    )

    def add_arguments(self, parser):
        defaults = Scale()
        parser.add_argument("--systems", type=int, default=defaults.systems)
        parser.add_argument("--places", type=int, default=defaults.places)
        parser.add_argument("--pcns", type=int, default=defaults.pcns)
        parser.add_argument("--ideas-per-pcn", type=int, default=defaults.ideas_per_pcn)
        parser.add_argument("--comments-per-idea", type=int, default=defaults.comments_per_idea)
        parser.add_argument("--supports-per-idea", type=int, default=defaults.supports_per_idea)
        parser.add_argument("--residents", type=int, default=defaults.residents)
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--hostname-suffix",
            default="synthetic.localhost",
            help="Each PCN's site is pcnN.<suffix> (default: %(default)s).",
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even with DEBUG off (a benchmark database, never a live site).",
        )

    def handle(self, *args, allow_without_debug=False, hostname_suffix, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "Synthetic data is for development and benchmarks: DEBUG is off. Give "
                "--allow-without-debug if this database is not a live site."
            )
        scale = Scale(**{name: options[name] for name in Scale.__dataclass_fields__})
        try:
            scale.check()
        except ValueError as error:
            raise CommandError(str(error)) from error
        started = time.perf_counter()
        say = (lambda message: self.stdout.write(message)) if options["verbosity"] > 1 else None
        try:
            made = synthetic_data_make(scale=scale, hostname_suffix=hostname_suffix, progress=say)
        except ValidationError as error:
            raise CommandError(f"Could not make the synthetic data: {error}") from error
        # The Places' and ICSs' leads' figures, worked out (or queued) now, so the first look
        # at them is quick.
        rollups_refresh_all()
        seconds = time.perf_counter() - started
        counts = ", ".join(f"{count:,} {name}" for name, count in made.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Made {made.systems} ICS(s), {made.places} Place(s), {made.pcns} PCN(s) "
                f"({made.pcns_skipped} already there), {made.residents:,} residents"
                + (f", {counts}" if counts else "")
                + f" in {seconds:.1f} s."
            )
        )
