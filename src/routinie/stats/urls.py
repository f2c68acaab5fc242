from django.urls import path

from routinie.stats import views

app_name = "stats"
urlpatterns = [
    path("stats/", views.public_stats, name="public"),
    path("stats/staff/", views.staff_stats, name="staff"),
]
