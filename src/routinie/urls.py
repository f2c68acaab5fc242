from django.contrib import admin
from django.urls import include, path

from routinie.api import api

# The API first: every API request (the hot path) then matches at its first prefix instead of
# after the pages' hundred patterns; no page lives under `api/v1/`.
urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("routinie.core.urls")),
    path("", include("routinie.accounts.urls")),
    path("", include("routinie.policy.urls")),
    path("", include("routinie.tracking.urls")),
    path("", include("routinie.privacy.urls")),
    path("", include("routinie.support.urls")),
    path("", include("routinie.blog.urls")),
    path("", include("routinie.stats.urls")),
    path("", include("routinie.billing.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "routinie.core.views.bad_request"
handler403 = "routinie.core.views.permission_denied"
handler404 = "routinie.core.views.page_not_found"
handler500 = "routinie.core.views.server_error"
