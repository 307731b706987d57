from django.urls import path

from .views import documents, trainee

app_name = "courses"

urlpatterns = [
    path("profil/", trainee.profile, name="profile"),
    path("moje-szkolenia/", trainee.my_enrolments, name="my_enrolments"),
    path("edycje/<int:pk>/zapisz/", trainee.enrol, name="enrol"),
    path("zgloszenia/<int:pk>/wycofaj/", trainee.withdraw, name="withdraw"),
    path(
        "zgloszenia/<int:pk>/formularz.pdf",
        documents.application_pdf,
        name="application_pdf",
    ),
    path(
        "zgloszenia/<int:pk>/oswiadczenie/",
        documents.declaration_upload,
        name="declaration_upload",
    ),
    path(
        "zgloszenia/<int:pk>/oswiadczenie/plik/",
        documents.declaration_file,
        name="declaration_file",
    ),
    path("edycje/<int:pk>/kalendarz.ics", documents.edition_ics, name="edition_ics"),
]
