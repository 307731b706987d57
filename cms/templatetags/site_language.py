"""The site's content is in Polish: in another language, mark it lang="pl"."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from courses.templatetags.courses_language import content_lang as _content_lang
from courses.templatetags.courses_language import content_language

register = template.Library()
_content_language = content_language
# ` lang="pl"` on an element holding editors' Polish text in another interface language.
register.simple_tag(_content_lang, name="content_lang")


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
