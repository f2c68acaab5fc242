from django.urls import path

from routinie.policy import views

app_name = "policy"
urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/versions/<int:number>/", views.version, name="version"),
    path("privacy/changes/", views.changes, name="changes"),
]
