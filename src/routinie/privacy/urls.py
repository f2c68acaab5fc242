from django.urls import path

from routinie.privacy import views

app_name = "privacy"
urlpatterns = [
    path("privacy/data/", views.data_we_keep, name="data"),
    path("cookies/", views.cookies, name="cookies"),
    path("staff/processing-record/", views.processing_record, name="processing-record"),
]
