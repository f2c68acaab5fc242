from django.urls import path

from routinie.privacy import erasure_views, export_views, views

app_name = "privacy"
urlpatterns = [
    path("privacy/data/", views.data_we_keep, name="data"),
    path("cookies/", views.cookies, name="cookies"),
    path("staff/processing-record/", views.processing_record, name="processing-record"),
    path("transparency/", views.transparency, name="transparency"),
    path("account/export/", export_views.start, name="export-start"),
    path("account/export/<uuid:export_id>/", export_views.status, name="export-status"),
    path(
        "account/export/<uuid:export_id>/download/", export_views.download, name="export-download"
    ),
    path("account/delete/", erasure_views.delete_account, name="account-delete"),
]
