from datetime import timedelta

from django.core.management.base import BaseCommand

from certificates.sweep import certificates_sweep


class Command(BaseCommand):
    help = (
        "Remove temporary certificate files and files no certificate names, and store "
        "the PDFs of certificates that have none (run it every few minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace",
            type=int,
            default=600,
            help="Touch only what is older than this many seconds (default 600).",
        )

    def handle(self, *, grace: int, **options):
        result = certificates_sweep(grace=timedelta(seconds=grace))
        self.stdout.write(
            f"temporary files removed: {len(result.temporary_removed)}, "
            f"unnamed files removed: {len(result.unnamed_removed)}, "
            f"PDFs stored: {len(result.stored)}, "
            f"PDFs still missing: {len(result.not_stored)}"
        )
        if result.not_stored:
            self.stderr.write("Not stored: " + ", ".join(result.not_stored))
