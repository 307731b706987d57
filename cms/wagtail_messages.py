"""Wagtail's admin strings that its Polish catalogue lacks, translated in ours.

The project's catalogue (LOCALE_PATHS) comes before Wagtail's own, so these msgids,
listed here for makemessages to keep, are shown in Polish in the admin instead of
"There are no … to display" and "0 Images / 6 Documents". Nothing calls this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    # "Dodaj edycja", "Dodaj pula miejsc": Wagtail puts the model's name in the
    # nominative after "Dodaj"; ours says "Dodaj: edycja" (no case to get wrong).
    gettext_noop("Add %(model_name)s"),
    gettext_noop("There are no %(model_name)s to display."),
    gettext_noop(
        'There are no %(model_name)s to display. Why not <a href="%(add_url)s">add '
        "one</a>?"
    ),
    ngettext_lazy(
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    ngettext_lazy(
        '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    ngettext_lazy(
        '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
]
