import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from courses.services.erasure import retention_run


class Command(BaseCommand):
    help = (
        "After projects' archival dates (retention_until): delete their scans and "
        "anonymise the people who may go. Run with --dry-run first: it only reports."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="report only, change nothing"
        )
        parser.add_argument(
            "--today", help="the date to act as of (YYYY-MM-DD); default: today"
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"--today: {error}") from error
        report = retention_run(today=today, dry_run=options["dry_run"])
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"Projects past their archival date: {', '.join(report.projects) or 'none'}\n"
            f"People who {verb} anonymised: {len(report.people)}\n"
            f"Declaration scans that {verb} deleted: {report.declarations}\n"
            f"Attendance list scans that {verb} deleted: {report.sheets}"
        )
