from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "routinie.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Every sign-in counts as a recent confirmation ("confirm it's you"): its receiver.
        from routinie.accounts import reauth  # noqa: F401
