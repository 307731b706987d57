from django.core.management.base import BaseCommand, CommandError

from courses.errors import EnrolmentError
from courses.services import enrolments_expire


class Command(BaseCommand):
    help = "Expire pending places held past their time and promote the waiting lists."

    def handle(self, *args, **options):
        try:
            expired = enrolments_expire()
        except EnrolmentError as error:  # busy: the next run from cron tries again
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write(f"Expired: {expired}")
