"""cms.asgi.application with the apps' static files, for ASGI server processes in tests
(as runserver and the in-thread tests/e2e/asgi_server.py serve them)."""

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from cms.asgi import application as site

application = ASGIStaticFilesHandler(site)
