"""Declarations each app makes in a module of its own, gathered at start-up the way the admin
gathers every app's `admin.py`: a lower layer reads what the apps above it declare (their
personal data, their retention rules) without importing any of them by name."""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def declared(module: str, name: str) -> list[tuple[str, list[Any]]]:
    """(app label, the list `name` of `<app>.<module>`) for every installed app that has such a
    module, in INSTALLED_APPS order. An app's module without `name` is an error, not a skip."""
    found: list[tuple[str, list[Any]]] = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, module):
            found.append(
                (config.label, list(getattr(import_module(f"{config.name}.{module}"), name)))
            )
    return found
