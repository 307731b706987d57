from django.utils.functional import Promise


class RuleError(Exception):
    """A rule said no; the message is for the person, in their language.

    Each app that plugs into courses raises its own subclass; views and admin
    screens catch this one and show `message` (a field's error when `code` names it).
    """

    def __init__(self, message: str | Promise, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class EnrolmentError(RuleError):
    """A rule of enrolment, attendance, quotas or imports said no."""
