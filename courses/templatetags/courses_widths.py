"""Bar widths as classes: the CSP allows no inline style attribute.

`{{ value|width_class }}` gives `pct-42` (`width: 42%`), `{{ value|offset_class }}`
gives `pct-left-42` (`left: 42%`); both are clamped to 0-100 and rounded. The rules
are in `courses/css/widths.css`, loaded on every page that draws a bar.
"""

from django import template

register = template.Library()


def _percent(value) -> int:
    try:
        number = round(float(value))
    except (TypeError, ValueError):
        return 0
    return max(0, min(100, number))


@register.filter
def width_class(value) -> str:
    return f"pct-{_percent(value)}"


@register.filter
def offset_class(value) -> str:
    return f"pct-left-{_percent(value)}"
