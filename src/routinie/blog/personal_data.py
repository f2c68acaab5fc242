"""The blog app's tables in the personal-data registry (see privacy/registry.py)."""

from routinie.privacy.data_rules import Table

TABLES: list[Table] = []
