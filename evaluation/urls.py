from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("<int:pk>/test/<str:kind>/", views.take_test, name="test"),
    path("<int:pk>/ankieta/", views.take_survey, name="survey"),
    path("grupa/<int:pk>/", views.group_evaluation, name="group"),
    path("grupa/<int:pk>/test-do-druku/", views.printable_test, name="print"),
    path(
        "grupa/<int:pk>/papier/<int:enrolment_pk>/<str:kind>/",
        views.paper_entry,
        name="paper",
    ),
]
