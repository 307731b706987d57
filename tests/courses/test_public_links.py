"""Links in e-mails: the request's address in development, the setting in production."""

import re

import pytest
from django.urls import reverse

from tests.factories import EditionFactory, ProjectFactory, QuotaFactory, TraineeFactory

pytestmark = pytest.mark.django_db
URL = re.compile(r"https?://[^\s\"'<>]+")


def _enrol_by_request(client, host, capture, mailoutbox):
    project = ProjectFactory()
    QuotaFactory(project=project, regions=["śląskie"])
    edition = EditionFactory(project=project)
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    with capture(execute=True):
        client.post(reverse("courses:enrol", args=[edition.pk]), HTTP_HOST=host)
    (message,) = [m for m in mailoutbox if m.to == [trainee.user.email]]
    return message.body, message.alternatives[0][0]


def test_development_links_follow_the_request_address(
    settings, client, django_capture_on_commit_callbacks, mailoutbox
):
    settings.DEBUG = True
    text, html = _enrol_by_request(
        client, "127.0.0.1:8114", django_capture_on_commit_callbacks, mailoutbox
    )
    for body in (text, html):
        links = URL.findall(body)
        assert links, body
        assert all(link.startswith("http://127.0.0.1:8114/") for link in links), links
    assert "http://127.0.0.1:8114/moje-szkolenia/" in text


def test_production_links_come_from_the_setting_not_the_host_header(
    settings, client, django_capture_on_commit_callbacks, mailoutbox
):
    settings.DEBUG = False
    settings.WAGTAILADMIN_BASE_URL = "https://szkolenia.rops.example.pl/"
    text, html = _enrol_by_request(
        client, "attacker.example", django_capture_on_commit_callbacks, mailoutbox
    )
    for body in (text, html):
        assert "attacker" not in body
        links = [u for u in URL.findall(body) if "rops.example.pl" in u]
        assert links
        assert all(u.startswith("https://szkolenia.rops.example.pl/") for u in links)
    assert "https://szkolenia.rops.example.pl/moje-szkolenia/" in text


def test_production_links_come_from_the_configured_wagtail_site(
    settings, client, django_capture_on_commit_callbacks, mailoutbox
):
    from wagtail.models import Site

    settings.DEBUG = False
    settings.WAGTAILADMIN_BASE_URL = "https://stary-adres.example.pl/"
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "szkolenia.rops.slaskie.pl", 8443
    site.save()
    text, html = _enrol_by_request(
        client, "attacker.example", django_capture_on_commit_callbacks, mailoutbox
    )
    for body in (text, html):
        assert "attacker" not in body and "stary-adres" not in body
    assert "http://szkolenia.rops.slaskie.pl:8443/moje-szkolenia/" in text


def test_the_placeholder_wagtail_site_is_not_an_address(settings):
    """Wagtail's initial localhost:80 Site means nobody set it: the setting is used."""
    from wagtail.models import Site

    from courses.links import public_url

    settings.WAGTAILADMIN_BASE_URL = "https://szkolenia.rops.example.pl"
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    assert public_url("/x/") == "https://szkolenia.rops.example.pl/x/"
    Site.objects.filter(is_default_site=True).update(
        hostname="rops.example.pl", port=80
    )
    assert public_url("/x/") == "http://rops.example.pl/x/"
