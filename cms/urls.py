from allauth.account.decorators import secure_admin_login
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import routing, views

# Django's admin signs in through allauth's form: its rate limits and two-step
# verification, instead of a second login form that counts no failed attempts.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    # Wagtail's own login form would count no failed attempts either: one form for all.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin_login",
    ),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumenty/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("szukaj/", views.search, name="search"),
    # Images and their renditions go out only through this checked view, in every
    # environment: those of restricted lessons only to those entitled (README).
    re_path(
        r"^media/(?P<path>(?:original_images|images)/[^/]+)$",
        views.media_image,
        name="media_image",
    ),
    path("konto/", views.account, name="my_account"),
    path("konto/", include("allauth.urls")),
    path("", include("courses.urls")),
]
if apps.is_installed("certificates"):  # a plug-in: the site runs without it too
    urlpatterns.insert(-1, path("zaswiadczenia/", include("certificates.urls")))
if apps.is_installed("evaluation"):  # a plug-in, like certificates
    urlpatterns.insert(-1, path("ocena/", include("evaluation.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    # Documents go out only through the checked view at /dokumenty/, never as media.
    urlpatterns += [re_path(r"^media/documents/", views.not_found)]
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's serve view, the route of a path kept while the site is unchanged.
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]
