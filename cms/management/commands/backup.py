from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.backup import BackupError, backup_create, backups_prune


class Command(BaseCommand):
    help = (
        "Write one archive of the database and the media (private files as stored, "
        "encrypted) with a manifest of every file's size and SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            help="The archive to write, or a folder to write szkolenia-<time>.tar.gz in.",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="With a folder: keep only this many newest archives in it.",
        )

    def handle(self, *, archive: str, keep: int, **options):
        target = Path(archive)
        try:
            written, manifest = backup_create(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Archive %(path)s written: the database and %(count)s files.")
            % {"path": written, "count": len(manifest["files"])}
        )
        self.stdout.write(
            _("The encryption keys are not in it: keep them apart from the archive.")
        )
        if keep and target.is_dir():
            for removed in backups_prune(target, keep=keep):
                self.stdout.write(_("Removed %(path)s.") % {"path": removed})
