from django.urls import path

from .views import (
    advisory,
    attendance,
    calls,
    catalogue,
    documents,
    partners,
    privacy,
    seats,
    trainee,
    working_groups,
)

app_name = "courses"

urlpatterns = [
    path("terminy/", catalogue.catalogue, name="catalogue"),
    path("profil/", trainee.profile, name="profile"),
    path(
        "profil/dane-do-monitorowania/",
        trainee.participant_record,
        name="participant_record",
    ),
    path("moje-szkolenia/", trainee.my_enrolments, name="my_enrolments"),
    path("moje-dane/", privacy.my_data, name="my_data"),
    path("moje-dane/zgody/", privacy.consents_save, name="consents_save"),
    path("moje-dane/pobierz/", privacy.my_data_download, name="my_data_download"),
    path("moje-dane/usuniecie/", privacy.erasure, name="erasure"),
    path("moje-dane/usuniecie/gotowe/", privacy.erasure_done, name="erasure_done"),
    path("prywatnosc/", privacy.privacy, name="privacy"),
    path(
        "prywatnosc/klauzule/<int:pk>/", privacy.privacy_clause, name="privacy_clause"
    ),
    path(
        "moje-szkolenia/kalendarz/",
        trainee.calendar_feed_manage,
        name="calendar_feed_manage",
    ),
    path("kalendarz/<str:token>.ics", trainee.calendar_feed, name="calendar_feed"),
    path("edycje/<int:pk>/", trainee.edition_detail, name="edition"),
    path(
        "edycje/<int:pk>/miejsca.json", seats.edition_seats_json, name="edition_seats"
    ),
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
    path("moje-grupy/", attendance.my_groups, name="my_groups"),
    path("moje-grupy/<int:pk>/", attendance.edition_detail, name="group"),
    path(
        "moje-grupy/<int:pk>/kontakty/",
        attendance.edition_contacts,
        name="group_contacts",
    ),
    path(
        "moje-grupy/<int:pk>/wiadomosc/",
        attendance.edition_message,
        name="group_message",
    ),
    path(
        "moje-grupy/<int:pk>/ukonczenie/",
        attendance.edition_completion,
        name="group_completion",
    ),
    path(
        "moje-grupy/<int:pk>/ukonczenie/potwierdz/",
        attendance.edition_completion_confirm,
        name="group_completion_confirm",
    ),
    path(
        "zajecia/<int:pk>/obecnosc/",
        attendance.session_attendance,
        name="session_attendance",
    ),
    path(
        "zajecia/<int:pk>/lista-obecnosci.pdf",
        attendance.session_pdf,
        name="session_pdf",
    ),
    path("zajecia/<int:pk>/skan/", attendance.session_sheet, name="session_sheet"),
    path(
        "zajecia/<int:pk>/skan/plik/",
        attendance.session_sheet_file,
        name="session_sheet_file",
    ),
    path("doradztwo/", advisory.offer_list, name="advisory_offers"),
    path("doradztwo/<int:pk>/", advisory.offer_detail, name="advisory_offer"),
    path(
        "doradztwo/<int:pk>/zgloszenie/",
        advisory.request_create,
        name="advisory_request",
    ),
    path(
        "doradztwo/<int:pk>/nowe-zgloszenie/",
        advisory.coordinator_request_create,
        name="advisory_request_enter",
    ),
    path("coaching/", advisory.coaching_offer_list, name="coaching_offers"),
    path("moje-doradztwo/", advisory.my_advisory, name="my_advisory"),
    path("moje-coachingi/", advisory.my_coaching, name="my_coaching"),
    path(
        "moje-sesje-coachingowe/",
        advisory.my_coaching_sessions,
        name="my_coaching_sessions",
    ),
    path("moje-doradztwo/<int:pk>/", advisory.case_detail, name="advisory_case"),
    path(
        "moje-doradztwo/<int:pk>/zakoncz/",
        advisory.case_complete,
        name="advisory_case_complete",
    ),
    path(
        "spotkania/<int:pk>/zapis/",
        advisory.meeting_record,
        name="advisory_meeting_record",
    ),
    path("nabory/", calls.call_list, name="calls"),
    path("nabory/<int:pk>/", calls.call_detail, name="call"),
    path("nabory/<int:pk>/zgloszenie/", calls.call_apply, name="call_apply"),
    path("nabory/<int:pk>/ranking/", calls.call_ranking_view, name="call_ranking"),
    path("nabory/<int:pk>/wybor/", calls.call_select_view, name="call_select"),
    path("nabory/<int:pk>/wyniki/", calls.call_publish_view, name="call_publish"),
    path(
        "nabory/zgloszenia/<int:pk>/punkty/",
        calls.call_manual_points,
        name="call_manual_points",
    ),
    path("nabory/<int:pk>/grupy/", working_groups.call_groups, name="call_groups"),
    path("grupy-robocze/<int:pk>/", working_groups.group_detail, name="working_group"),
    path(
        "grupy-robocze/spotkania/<int:pk>/lista-wynagrodzen.<str:format>",
        working_groups.meeting_fee_list_download,
        name="meeting_fee_list",
    ),
    path("eksport-danych/", partners.export, name="partner_export"),
    path(
        "eksport-danych/<int:pk>/", partners.export_status, name="partner_export_status"
    ),
    path(
        "eksport-danych/<int:pk>/plik/",
        partners.export_file,
        name="partner_export_file",
    ),
]
