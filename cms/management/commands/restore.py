from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive of `backup`: verified against its manifest first, then the "
        "database and the media replaced together, or nothing at all. Stop the site "
        "and the task workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive written by `backup`.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask: the database and the media are replaced.",
        )

    def handle(self, *, archive: str, yes: bool, **options):
        if not yes and options.get("interactive", True):
            answer = input(
                _("This replaces the database and the media. Type 'tak' to go on: ")
            )
            if answer.strip().lower() not in ("tak", "yes"):
                raise CommandError(_("Nothing restored."))
        try:
            restored = backup_restore(Path(archive))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Restored: the database and %(count)s files.") % {"count": restored.files}
        )
        for previous in restored.previous:
            self.stdout.write(
                _("The previous folder is kept as %(path)s; remove it once checked.")
                % {"path": previous}
            )
        if restored.migrations_to_apply:
            self.stdout.write(
                _(
                    "The archive is older than this code: run `manage.py migrate` "
                    "(%(count)s migrations to apply)."
                )
                % {"count": restored.migrations_to_apply}
            )
        self.stdout.write(_("Then run `manage.py storage_check`."))
