from django.urls import path

from .views import trainee

app_name = "courses"

urlpatterns = [
    path("profil/", trainee.profile, name="profile"),
    path("moje-szkolenia/", trainee.my_enrolments, name="my_enrolments"),
    path("edycje/<int:pk>/zapisz/", trainee.enrol, name="enrol"),
    path("zgloszenia/<int:pk>/wycofaj/", trainee.withdraw, name="withdraw"),
]
