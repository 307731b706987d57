"""Wagtail's chooser widgets without inline scripts, for the Content-Security-Policy.

`BaseChooser.render` appends `<script>new PageChooser("id", {...})</script>` to the
widget. Here it writes the same call as data (`data-wagtail-init`), which
`cms/static/cms/js/admin-init.js` runs; the date, time and inline-panel templates are
overridden in `templates/wagtailadmin/` the same way. A chooser whose class writes its
own script (`render_js_init` overridden, e.g. the workflow task chooser) keeps it: the
CSP refuses it, and the browser test of the admin would show it.
"""

import json

from django.utils.html import format_html
from wagtail.admin.widgets.chooser import BaseChooser

_original_render = BaseChooser.render


def render_without_inline_script(self, name, value, attrs=None, renderer=None):
    if type(self).render_js_init is not BaseChooser.render_js_init:
        return _original_render(self, name, value, attrs=attrs, renderer=renderer)
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as error:
        raise TypeError(
            "BaseChooser cannot be rendered without an 'id' attribute"
        ) from error
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    options = self.get_js_init_options(id_, name, value_data)
    return format_html(
        '{}<span hidden data-wagtail-init="{}" data-wagtail-init-id="{}"'
        ' data-wagtail-init-options="{}"></span>',
        widget_html,
        self.js_constructor,
        id_,
        json.dumps(options),
    )


def install() -> None:
    BaseChooser.render = render_without_inline_script  # type: ignore[method-assign]
