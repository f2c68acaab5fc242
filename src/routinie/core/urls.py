from django.urls import path

from routinie.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("favicon.ico", views.favicon, name="favicon"),
]
