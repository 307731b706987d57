from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.storage_check import storage_check


class Command(BaseCommand):
    help = (
        "Check that every private file the database names exists and is whole, list "
        "the files it does not name, and that the certificate counters are not behind "
        "(exit status 1 while anything is wrong)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete-orphans",
            action="store_true",
            help="Delete the files no row names (run without it first: it lists them).",
        )
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Move every certificate counter up to the highest number issued.",
        )
        parser.add_argument(
            "--grace",
            type=int,
            default=3600,
            help="Leave out files younger than this many seconds (default 3600).",
        )

    def handle(self, *, delete_orphans: bool, repair: bool, grace: int, **options):
        report = storage_check(
            repair=repair, delete_orphans=delete_orphans, grace=timedelta(seconds=grace)
        )
        write = self.stdout.write
        write(
            ngettext(
                "%(count)s file named by the database checked.",
                "%(count)s files named by the database checked.",
                report.checked,
            )
            % {"count": report.checked}
        )
        for file in report.missing:
            write(
                _("MISSING: %(name)s (%(what)s)")
                % {"name": file.name, "what": file.what}
            )
        for file, reason in report.damaged:
            write(
                _("DAMAGED: %(name)s (%(what)s): %(reason)s")
                % {"name": file.name, "what": file.what, "reason": reason}
            )
        deleted = set(report.orphans_deleted)
        for name in report.orphans:
            if name in deleted:
                write(_("ORPHAN DELETED: %(name)s") % {"name": name})
            else:
                write(_("ORPHAN (no row names it): %(name)s") % {"name": name})
        if report.orphans and not delete_orphans:
            write(
                _(
                    "Delete the orphans with --delete-orphans once you have checked them."
                )
            )
        for finding in report.findings:
            prefix = _("REPAIRED") if finding.repaired else _("PROBLEM")
            write(f"{prefix}: {finding.message}")
        if any(not finding.repaired for finding in report.findings):
            write(_("Fix the counters with --repair."))
        if report.problems:
            raise CommandError(
                ngettext(
                    "%(count)s problem found.",
                    "%(count)s problems found.",
                    report.problems,
                )
                % {"count": report.problems}
            )
        write(_("Storage and database agree."))
