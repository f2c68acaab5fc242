"""The admin app with Routinie's admin site (installed in place of `django.contrib.admin`)."""

from django.contrib.admin.apps import AdminConfig


class RoutinieAdminConfig(AdminConfig):
    default_site = "routinie.accounts.admin_site.ThrottledAdminSite"
