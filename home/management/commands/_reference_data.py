"""What the import commands share: running an import and printing its report."""

from pathlib import Path

from django.core.management.base import CommandError

from home.imports.files import ImportReport, LayoutError

PROBLEMS_SHOWN = 50


def run_import(command, importer, **paths) -> ImportReport:
    for name, path in paths.items():
        if name.endswith("path") and not Path(path).is_file():
            raise CommandError(f"There is no file at {path}.")
    try:
        report = importer(**paths)
    except LayoutError as error:
        raise CommandError(f"{error} Nothing was changed.") from error
    command.stdout.write(command.style.SUCCESS(report.summary()))
    for note in report.notes:
        command.stdout.write(note)
    for problem in report.problems[:PROBLEMS_SHOWN]:
        command.stderr.write(f"Bad {problem}")
    hidden = report.problem_count - min(len(report.problems), PROBLEMS_SHOWN)
    if hidden > 0:
        command.stderr.write(f"... and {hidden} more bad line(s).")
    return report
