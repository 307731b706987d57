"""Dependencies point one way: cms -> courses, certificates -> courses, certificates
never -> cms. Checked in the code, the templates and the static files, and by running
courses' service and view tests with certificates not installed."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The app, and the apps it must never name.
FORBIDDEN = {
    "courses": ("cms", "certificates", "evaluation"),
    "certificates": ("cms", "evaluation"),
    "evaluation": ("cms", "certificates"),
}
TEXT_SUFFIXES = {".html", ".txt", ".js", ".css"}


def _names_an_app(value: str, labels: tuple[str, ...]) -> bool:
    """ "cms", "cms.CoursePage", "certificates:download", "cms/img/x.svg"; not prose."""
    return any(re.fullmatch(rf"{label}([.:/][\w./:-]*)?", value) for label in labels)


def python_violations(source: str, labels: tuple[str, ...]) -> list[str]:
    """Imports of the apps, and strings naming them: get_model, model references,
    migration dependencies, URL names, template and static paths."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _names_an_app(node.value, labels):
                found.append(f"line {node.lineno}: names {node.value!r}")
            continue
        else:
            continue
        for module in modules:
            if module.split(".")[0] in labels:
                found.append(f"line {node.lineno}: imports {module}")
    return found


def _tag_libraries(label: str) -> set[str]:
    """The template tag libraries the app offers (and its label, in case it adds one)."""
    folder = ROOT / label / "templatetags"
    return {label} | {
        path.stem for path in folder.glob("*.py") if path.stem != "__init__"
    }


def text_violations(text: str, labels: tuple[str, ...]) -> list[str]:
    """Template tags and paths of the apps in templates, scripts and stylesheets."""
    found = []
    libraries = set().union(*(_tag_libraries(label) for label in labels))
    for match in re.finditer(r"{%\s*load\s+(.*?)%}", text):
        for library in set(match.group(1).split()) & libraries:
            found.append(f"loads the {library!r} template tags")
    alternatives = "|".join(labels)
    patterns = [
        # {% include "cms/…" %}, {% extends 'cms/…' %}, {% static "cms/…" %}, …
        rf"{{%\s*\w+\s+[\"']({alternatives})/[^\"']*[\"']",
        # {% url "certificates:download" … %}
        rf"{{%\s*url\s+[\"']({alternatives}):",
        # settings.cms.SomeSetting (Wagtail's settings context processor)
        rf"\bsettings\.({alternatives})\.",
        # /static/cms/…, url(cms/…) in stylesheets and scripts
        rf"/static/({alternatives})/",
        rf"url\(\s*[\"']?({alternatives})/",
        rf"[\"']({alternatives})/[\w./-]+\.(svg|png|jpe?g|css|js|html|txt)[\"']",
    ]
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            found.append(f"names {match.group(0)!r}")
    return found


def _files(app: str):
    for path in sorted((ROOT / app).rglob("*")):
        if path.is_file() and (path.suffix == ".py" or path.suffix in TEXT_SUFFIXES):
            yield path


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_the_app_never_names_the_apps_above_it(app):
    labels = FORBIDDEN[app]
    problems = []
    for path in _files(app):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            found = python_violations(text, labels)
        else:
            found = text_violations(text, labels)
        problems += [f"{path.relative_to(ROOT)}: {problem}" for problem in found]
    assert not problems, "\n".join(problems)
    assert any(True for _ in _files(app))  # the scan saw the app's files


# The checks themselves fail on what they must catch, and pass what is allowed.

PYTHON_THAT_CROSSES = {
    "import cms.models": 1,
    "from certificates.models import Certificate": 1,
    "from cms import wagtail_hooks as h": 1,
    "import certificates.selectors as s": 1,
    'Certificate = apps.get_model("certificates", "Certificate")': 1,
    'apps.get_model("cms.CoursePage")': 1,
    'page = models.ForeignKey("cms.CoursePage", on_delete=models.CASCADE)': 1,
    'dependencies = [("cms", "0004_coursepage_course")]': 1,
    'url = reverse("certificates:download", args=[1])': 1,
    'render(request, "cms/course_page.html")': 1,
    'static("cms/img/marks/eu.svg")': 1,
}
PYTHON_THAT_STAYS = [
    "from .models import Course",
    "from . import certificates_of_mine",
    "from courses.models import Enrolment",
    'CERTS = "certificates per month"',
    '"""Certificates and the cms are plug-ins; courses offers them hooks."""',
    'hooks.get_hooks("courses_enrolment_links")',
    'static("courses/marks/eu.svg")',
]
TEXT_THAT_CROSSES = [
    "{% load i18n static certificates %}",
    '{% include "cms/includes/course_card.html" %}',
    "{% extends 'cms/base.html' %}",
    '{% static "cms/img/marks/eu.svg" %}',
    "<img src=\"{% static 'certificates/logo.png' %}\">",
    '<a href="{% url "certificates:download" certificate.pk %}">',
    "{% with marks=settings.cms.FundingSettings %}",
    ".marks { background: url(/static/cms/img/marks/eu.svg); }",
    'fetch("/static/certificates/batch.js")',
    "const mark = 'cms/img/marks/eu.svg';",
]
TEXT_THAT_STAYS = [
    "{% load i18n static wagtailimages_tags %}",
    '{% include "courses/includes/enrolment_links.html" with links=enrolment.links %}',
    '{% extends "base.html" %}',
    '<img src="{% static "courses/marks/eu.svg" %}" alt="">',
    "<p>Pobierz zaświadczenia (certificates) z cms.</p>",
    "{% with marks=settings.courses.FundingSettings %}",
]


@pytest.mark.parametrize(("source", "count"), PYTHON_THAT_CROSSES.items())
def test_the_python_check_catches_a_crossing(source, count):
    assert len(python_violations(source, ("cms", "certificates"))) == count


@pytest.mark.parametrize("source", PYTHON_THAT_STAYS)
def test_the_python_check_lets_the_app_s_own_code_pass(source):
    assert python_violations(source, ("cms", "certificates")) == []


@pytest.mark.parametrize("text", TEXT_THAT_CROSSES)
def test_the_template_check_catches_a_crossing(text):
    assert text_violations(text, ("cms", "certificates"))


@pytest.mark.parametrize("text", TEXT_THAT_STAYS)
def test_the_template_check_lets_the_app_s_own_templates_pass(text):
    assert text_violations(text, ("cms", "certificates")) == []


def test_a_crossing_file_fails_the_scan(tmp_path, monkeypatch):
    """The whole scan, on a synthetic app with one bad file, names that file."""
    app = tmp_path / "courses"
    (app / "templates" / "courses").mkdir(parents=True)
    (app / "views.py").write_text("from .models import Course\n")
    (app / "templates" / "courses" / "page.html").write_text(
        "{% load i18n certificates %}\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    with pytest.raises(AssertionError, match="page.html: loads the 'certificates'"):
        test_the_app_never_names_the_apps_above_it("courses")


# courses without certificates: its service and view tests, with the app removed.

WITHOUT_CERTIFICATES = [
    "tests/courses/test_enrolment_service.py",
    "tests/courses/test_attendance_service.py",
    "tests/courses/test_trainee_views.py",
    "tests/courses/test_attendance_views.py",
    "tests/courses/test_documents.py",
    "tests/courses/test_funding.py",
    "tests/courses/test_extension_points.py",
]


def _without_certificates(*args: str, timeout: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings_no_certificates"}
    env.pop("DJANGO_TEST_DB", None)  # a database of its own
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_settings_really_drop_certificates():
    check = (
        "import django; django.setup()\n"
        "from django.apps import apps; from django.urls import reverse, NoReverseMatch\n"
        "from wagtail import hooks\n"
        "assert not apps.is_installed('certificates')\n"
        "assert not apps.is_installed('evaluation')\n"
        "assert apps.is_installed('courses') and apps.is_installed('cms')\n"
        "links = hooks.get_hooks('courses_enrolment_links')\n"
        "series = hooks.get_hooks('courses_indicator_series')\n"
        "assert not links and not series, (links, series)\n"
        "try: reverse('certificates:verify'); raise SystemExit('URLs left')\n"
        "except NoReverseMatch: print('no certificates')\n"
    )
    result = _without_certificates("-c", check, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "no certificates" in result.stdout


def test_courses_service_and_view_tests_pass_without_certificates():
    result = _without_certificates(
        "-m",
        "pytest",
        "-p",
        "no:xdist",
        "-p",
        "no:randomly",
        "-q",
        "--ds=tests.settings_no_certificates",
        *WITHOUT_CERTIFICATES,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    # pytest's own closing line, not the PostgreSQL thread-test count printed before it.
    passed = re.findall(r"(\d+) passed", output.strip().splitlines()[-1])
    assert passed and int(passed[0]) >= 100, output[-2000:]
    assert (
        "failed" not in output.splitlines()[-1]
        and "error" not in output.splitlines()[-1]
    )
