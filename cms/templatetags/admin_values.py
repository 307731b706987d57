"""Values as the admin shows them: in the interface's language, never Python's words.

Wagtail prints a column's or an inspected field's value with str(): "True", "False",
"None" in a Polish admin. These filters say "Tak", "Nie" and "—" instead.
"""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def admin_value(value):
    """Yes/No for a boolean, a dash for nothing; any other value as it is."""
    if value is True:
        return gettext("Yes")
    if value is False:
        return gettext("No")
    if value is None:
        return "—"
    return value


@register.filter
def yes_no_unknown(value) -> str:
    """The spoken word of a boolean icon's cell (Wagtail says "True")."""
    if value is None:
        return gettext("Unknown")
    return gettext("Yes") if value else gettext("No")
