from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.pl import pesel, regon


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
