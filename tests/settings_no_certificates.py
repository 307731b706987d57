"""The site without its plug-ins (certificates, evaluation): proves courses runs on its own.

tests/test_plugin_boundaries.py runs the courses service and view tests with these
settings. Without the app there are no certificate tables, URLs (cms/urls.py includes
them only when installed) or hooks (Wagtail loads wagtail_hooks of installed apps).
"""

import os

from cms.settings.test import *  # noqa: F403
from cms.settings.test import DATABASES, INSTALLED_APPS

PLUG_INS = {"certificates", "evaluation"}
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in PLUG_INS]

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Its own test database: the suite that starts this run holds test_<name>.
    DATABASES["default"]["TEST"] = {
        "NAME": f"test_{DATABASES['default']['NAME']}_no_certificates_{os.getpid()}"
    }
