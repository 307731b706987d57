from django.core.management.base import BaseCommand

from courses.services import enrolments_expire


class Command(BaseCommand):
    help = "Expire pending places held past their time and promote the waiting lists."

    def handle(self, *args, **options):
        expired = enrolments_expire()
        if options["verbosity"]:
            self.stdout.write(f"Expired: {expired}")
