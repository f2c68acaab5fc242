from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "routinie.accounts"
    label = "accounts"
    verbose_name = "Accounts"
