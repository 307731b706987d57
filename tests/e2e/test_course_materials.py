import re

import pytest
from django.core import mail
from wagtail.documents import get_document_model

from cms.models import CoursePage, LessonPage
from courses.models import Edition, TraineeProfile
from courses.services import enrolment_create
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF_NAME = "lista-kontrolna-przeksztalcenia.pdf"


def _pdf() -> bytes:
    from weasyprint import HTML

    return HTML(
        string="<html lang='pl'><body><h1>Lista kontrolna przekształcenia OPS w CUS</h1>"
        "<p>Materiał dla uczestników.</p></body></html>"
    ).write_pdf()


def _login(page, site, email, password):
    page.context.clear_cookies()
    log_in(page, site.url, email, password)


def _submit_for_approval(page):
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="Wyślij do Akceptacja koordynatora").click()
    page.wait_for_load_state()


def _approve(page):
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="Zatwierdź i Opublikuj").click()
    page.wait_for_load_state()


def test_trainer_publishes_a_restricted_pdf_through_the_coordinator(
    site, page, shot, axe
):
    course_page = CoursePage.objects.get(
        slug="zarzadzanie-i-organizacja-uslug-spolecznych"
    )
    lesson = LessonPage.objects.get(slug="przeksztalcenie-ops-w-cus")

    # The trainer edits the course page in the Wagtail admin.
    _login(page, site, "trener@szkolenia.test", "trener-demo-2026")
    page.goto(site.url + f"/admin/pages/{course_page.pk}/edit/")
    page.locator("#id_summary").fill(
        "Moduł I dla kadry CUS: planowanie, organizacja i zlecanie usług społecznych, "
        "z listą kontrolną przekształcenia OPS w CUS."
    )
    shot(page, "1-trainer-edits-course")
    _submit_for_approval(page)
    page.wait_for_load_state()
    shot(page, "2-course-submitted")

    # ...uploads a PDF to the course's own (restricted) collection...
    page.goto(site.url + "/admin/documents/add/")
    page.get_by_label("Tytuł").fill("Lista kontrolna przekształcenia OPS w CUS")
    page.get_by_label("Plik").set_input_files(
        {"name": PDF_NAME, "mimeType": "application/pdf", "buffer": _pdf()}
    )
    # Only the collections of her own courses are offered.
    collection = page.get_by_label("Kolekcja")
    offered = " ".join(collection.locator("option").all_inner_texts())
    assert "Zarządzanie i organizacja usług społecznych" in offered
    assert "Opracowywanie i realizacja" not in offered
    collection.select_option(str(course_page.materials_collection_id))
    shot(page, "3-upload")
    page.locator("form button[type='submit']").last.click()
    page.wait_for_url(re.compile(r"/admin/documents/(\?.*)?$"))
    document = get_document_model().objects.get(
        title="Lista kontrolna przekształcenia OPS w CUS"
    )
    assert document.collection_id == course_page.materials_collection_id

    # ...puts it in a restricted lesson and submits the lesson for approval.
    page.goto(site.url + f"/admin/pages/{lesson.pk}/edit/")
    page.locator(".c-sf-add-button").last.click()
    page.get_by_role("option", name="Plik do pobrania", exact=True).click()
    page.get_by_role("button", name="Wybierz dokument").last.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name="Lista kontrolna przekształcenia OPS w CUS").click()
    modal.wait_for(state="hidden")
    shot(page, "4-lesson-with-pdf")
    _submit_for_approval(page)
    shot(page, "5-lesson-submitted")

    # The coordinator approves: the lesson goes live with the PDF.
    _login(page, site, "koordynator@szkolenia.test", "koordynator-demo-2026")
    page.goto(site.url + f"/admin/pages/{lesson.pk}/edit/")
    _approve(page)
    shot(page, "6-coordinator-approved")
    page.goto(site.url + f"/admin/pages/{course_page.pk}/edit/")
    _approve(page)
    lesson.refresh_from_db()
    course_page.refresh_from_db()
    assert lesson.live and not lesson.has_unpublished_changes
    assert "listą kontrolną" in course_page.summary
    assert document.pk in [
        block.value["document"].pk
        for block in lesson.body
        if block.block_type == "document"
    ]
    # Wagtail tells the trainer by e-mail that her submission was approved.
    assert any("trener@szkolenia.test" in m.to for m in mail.outbox)

    # An enrolled trainee reads the lesson and downloads the PDF.
    trainee = TraineeProfile.objects.get(user__email="uczestnik@szkolenia.test")
    enrolment_create(trainee=trainee, edition=Edition.objects.get(code="ZOUS-KAT-01"))
    _login(page, site, "uczestnik@szkolenia.test", "uczestnik-demo-2026")
    page.goto(site.url + course_page.url)
    assert page.get_by_text("Dla uczestników – masz dostęp").count() >= 1
    assert axe(page) == []
    shot(page, "7-course-for-trainee")
    page.get_by_role("link", name="Przekształcenie OPS w CUS krok po kroku").click()
    page.get_by_role(
        "heading", name="Harmonogram przekształcenia"
    ).wait_for()  # the next page has loaded and shows it
    assert axe(page) == []
    shot(page, "8-lesson-for-trainee")
    # The browser shows a PDF inline; fetch it with the trainee's session instead.
    link = page.get_by_role("link", name=re.compile("Lista kontrolna przekształcenia"))
    assert link.get_attribute("href") == document.url
    response = page.context.request.get(site.url + document.url)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert PDF_NAME in response.headers["content-disposition"]

    # An anonymous visitor gets the teaser and the login prompt; the file refuses them.
    page.context.clear_cookies()
    page.goto(site.url + lesson.url)
    assert page.get_by_role(
        "heading", name="Dla uczestników i uprawnionych organizacji"
    ).is_visible()
    assert page.get_by_role("heading", name="Harmonogram przekształcenia").count() == 0
    assert page.get_by_role("link", name=re.compile("Lista kontrolna")).count() == 0
    assert axe(page) == []
    shot(page, "9-lesson-for-anonymous")
    refused = page.context.request.get(site.url + document.url, max_redirects=0)
    assert refused.status == 302
    assert refused.headers["location"].startswith("/konto/login/")
    page.goto(site.url + document.url)
    assert "/konto/login/" in page.url
    shot(page, "10-document-refused")

    page.goto(site.url + "/szukaj/?q=przekształcenia")
    assert page.get_by_role("heading", name=re.compile("wynik")).is_visible()
    assert page.get_by_text("Tylko dla uczestników").count() >= 1
    assert axe(page) == []
    shot(page, "11-search-anonymous")
    for path, step in [
        ("/o-projekcie/", "11b-project"),
        ("/deklaracja-dostepnosci/", "11c-accessibility"),
    ]:
        page.goto(site.url + path)
        assert axe(page) == []
        shot(page, step)

    # Another trainer cannot edit this course.
    _login(page, site, "trener2@szkolenia.test", "trener-demo-2026")
    page.goto(site.url + f"/admin/pages/{course_page.pk}/edit/")
    assert f"/admin/pages/{course_page.pk}/edit/" not in page.url
    assert "nie posiadasz uprawnień" in page.locator(".messages").inner_text()
    shot(page, "12-other-trainer-refused")


def test_materials_on_a_phone(site, phone_page, shot, axe):
    page = phone_page
    course_page = CoursePage.objects.get(slug="organizacja-spolecznosci-lokalnej")
    page.goto(site.url + course_page.url)
    materials = page.get_by_role("region", name="Lekcje i materiały")
    assert materials.get_by_text("Tylko dla uczestników").count() == 1
    assert materials.get_by_text("Dostępne dla wszystkich").count() == 1
    assert axe(page) == []
    shot(page, "1-course")
    page.get_by_role("link", name="Diagnoza społeczności lokalnej").click()
    page.get_by_role(
        "link", name=re.compile("Karta mapowania")
    ).wait_for()  # the next page has loaded and shows it
    assert axe(page) == []
    shot(page, "2-open-lesson")
    page.goto(site.url + "/szukaj/?q=plan")
    assert axe(page) == []
    shot(page, "3-search")
