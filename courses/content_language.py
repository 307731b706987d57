"""Choices that are content, not interface: mark them lang="pl" in another language.

A voivodeship, a course, an advisory topic or a person offered in a form are names in
the content's language (LANGUAGE_CODE, Polish). When the interface is in English, each
such option says so, for screen readers: a <select>'s options get `lang`, the label
of a checkbox or radio button is wrapped in `<span lang>`. The empty choice ("any
course") is the interface's own and stays unmarked.
"""

from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language


def _other_language() -> bool:
    language = settings.LANGUAGE_CODE
    return (get_language() or language).split("-")[0] != language


def mark_content_options(widget: forms.Widget) -> forms.Widget:
    """Make `widget` (a choice widget) mark its non-empty options as content."""
    if getattr(widget, "_content_options", False) or not hasattr(
        widget, "create_option"
    ):
        return widget
    create_option = widget.create_option

    def create_marked_option(name, value, label, *args, **kwargs):
        option = create_option(name, value, label, *args, **kwargs)
        if value in (None, "") or not _other_language():
            return option
        if getattr(widget, "input_type", "select") == "select":
            option["attrs"] = {**option["attrs"], "lang": settings.LANGUAGE_CODE}
        else:  # a checkbox or radio button: its label is the text read out
            option["label"] = format_html(
                '<span lang="{}">{}</span>', settings.LANGUAGE_CODE, option["label"]
            )
        return option

    widget.create_option = create_marked_option  # type: ignore[method-assign]
    widget._content_options = True  # type: ignore[attr-defined]
    return widget


def mark_content_choices(form: forms.BaseForm, *names: str) -> None:
    """Mark the options of every model choice field of `form` and of `names`."""
    for name, field in form.fields.items():
        if name in names or isinstance(field, forms.ModelChoiceField):
            mark_content_options(field.widget)
