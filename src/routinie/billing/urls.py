from django.urls import path

from routinie.billing import views

app_name = "billing"

urlpatterns = [
    path("account/billing/", views.billing, name="billing"),
    path("account/billing/setup-intent/", views.setup_intent, name="setup-intent"),
    path("account/billing/subscribe/", views.subscribe, name="subscribe"),
    path("account/billing/cancel/", views.cancel, name="cancel"),
]
