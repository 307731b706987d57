from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key], or "" (for a form's posted values in a template)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
