import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.pl import nip, pesel, regon

POSTCODE = re.compile(r"^\d{2}-\d{3}$")


def validate_pesel(value: str) -> None:
    if not pesel.is_valid(value):
        raise ValidationError(
            _("This PESEL number is not valid: check its 11 digits."),
            code="invalid_pesel",
        )


def validate_regon(value: str) -> None:
    if not regon.is_valid(value):
        raise ValidationError(
            _(
                "This REGON number is not valid: it has 9 or 14 digits with a check digit."
            ),
            code="invalid_regon",
        )


def validate_nip(value: str) -> None:
    if not nip.is_valid(value):
        raise ValidationError(
            _("This NIP number is not valid: it has 10 digits with a check digit."),
            code="invalid_nip",
        )


def validate_postcode(value: str) -> None:
    if not POSTCODE.match(value):
        raise ValidationError(
            _("Write the postcode as two digits, a hyphen and three digits: 40-001."),
            code="invalid_postcode",
        )
