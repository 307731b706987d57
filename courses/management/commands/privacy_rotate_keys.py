from django.core.management.base import BaseCommand

from courses.services.keys import keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every PESEL number and private file with the first key of "
        "PRIVACY_ENCRYPTION_KEYS and recompute the PESEL hashes with PRIVACY_HASH_KEY."
    )

    def handle(self, *args, **options):
        done = keys_rotate()
        if options["verbosity"]:
            self.stdout.write(
                f"PESEL numbers: {done.pesels}; private files: {done.files} "
                f"(of which encrypted for the first time: {done.plain_files})"
            )
