from django.urls import path

from routinie.core import installable_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("manifest.webmanifest", installable_views.manifest, name="manifest"),
    path("sw.js", installable_views.service_worker, name="service-worker"),
    path("offline/", installable_views.offline, name="offline"),
]
