from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("weryfikacja/", views.verify, name="verify"),
    path("weryfikacja/<str:code>/", views.verify_code, name="verify_code"),
    path("<int:pk>/pobierz/", views.download, name="download"),
    path("wydawanie/<int:pk>/postep/", views.batch_progress, name="batch_progress"),
]
