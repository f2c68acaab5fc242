"""The blog app's deadlines for the purge job (see privacy/retention.py)."""

from routinie.privacy.data_rules import RetentionRule

RULES: list[RetentionRule] = []
