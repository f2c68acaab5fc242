from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "routinie.policy"
    label = "policy"
    verbose_name = "Privacy policy"
