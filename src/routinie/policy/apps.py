from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "routinie.policy"
    label = "policy"
    verbose_name = "Privacy policy"

    def ready(self) -> None:
        from routinie.accounts.context import register_banner_source
        from routinie.accounts.policy_terms import register_policy_terms
        from routinie.accounts.signals import account_created
        from routinie.policy.accounts_hooks import (
            PolicyTermsInForce,
            new_version_banner,
            tell_new_account,
        )

        register_policy_terms(PolicyTermsInForce())
        register_banner_source("new policy version", new_version_banner)
        account_created.connect(tell_new_account, dispatch_uid="policy.tell_new_account")
