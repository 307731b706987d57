"""Editors' and coordinators' text is in Polish: in another interface language, mark it.

`<p{% content_lang %}>{{ course.title }}</p>` gives ` lang="pl"` when the interface is
in English (nothing in Polish), so that a screen reader reads the Polish text as Polish.
The content language is the first of WAGTAIL_CONTENT_LANGUAGES (else LANGUAGE_CODE).
"""

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


def content_language() -> str:
    languages = getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None)
    return languages[0][0] if languages else settings.LANGUAGE_CODE


@register.simple_tag
def content_lang() -> SafeString:
    """` lang="pl"` on an element holding content in Polish, when the interface is in
    another language; nothing in Polish."""
    language = content_language()
    if (get_language() or language).split("-")[0] == language:
        return mark_safe("")
    return format_html(' lang="{}"', language)


@register.filter(needs_autoescape=True)
def pl(value, autoescape=True):
    """`{{ course.title|pl }}`: the value, inside `<span lang="pl">` when the interface
    is in another language than the content's."""
    text = conditional_escape(value) if autoescape else value
    language = content_language()
    if value in (None, "") or (get_language() or language).split("-")[0] == language:
        return text
    return format_html('<span lang="{}">{}</span>', language, text)
