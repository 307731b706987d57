"""The site's content is in Polish: in another language, mark it lang="pl"."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


def _content_language() -> str:
    return settings.WAGTAIL_CONTENT_LANGUAGES[0][0]


@register.simple_tag
def content_lang() -> SafeString:
    """` lang="pl"` on an element holding editors' Polish text, when the interface is
    in another language; nothing in Polish."""
    language = _content_language()
    if (get_language() or language) == language:
        return mark_safe("")
    return format_html(' lang="{}"', language)


@register.simple_tag
def page_title(page) -> SafeString:
    """The page's title as the menu and the footer show it: in English its English
    name when it has one, else the Polish title marked as Polish."""
    language = _content_language()
    current = get_language() or language
    if current == language:
        return format_html("{}", page.title)
    english = getattr(page, "title_en", "") if current == "en" else ""
    if english:
        return format_html("{}", english)
    return format_html('<span lang="{}">{}</span>', language, page.title)
