"""The policy's facts come from the code (P15): the registry, the cookie inventory and the
operator settings, so the text cannot say something the platform does not do."""

import pytest

from routinie.core.errors import InvalidInput
from routinie.policy.facts import facts_drift, render_facts
from routinie.policy.first_version import first_version_fields
from routinie.policy.selectors import policy_in_force
from routinie.privacy.cookies import inventory
from routinie.privacy.registry import personal_fields


@pytest.mark.promise("P15")
def test_the_first_version_names_every_table_of_personal_data_and_every_cookie(db):
    text = policy_in_force().text
    for table, _name, rule in personal_fields():
        assert f"**{table.holds}**" in text
        assert " ".join(rule.retention.split()).replace("|", "\\|") in text
    for cookie in inventory():
        assert f"`{cookie.name}`" in text
    assert "{{" not in text


def test_the_operator_identity_in_the_text_follows_the_settings(settings):
    settings.OPERATOR_NAME = "Acme Time Ltd"
    settings.SUPPORT_EMAIL = "help@acme.test"
    text = first_version_fields()["text"]
    assert "Routinie is run by Acme Time Ltd," in text
    assert "<help@acme.test>" in text


def test_an_unknown_placeholder_is_refused_naming_it():
    with pytest.raises(InvalidInput) as refused:
        render_facts("We keep {{ data_we_keep }} and {{ shoe_size }}.")
    assert "shoe_size" in refused.value.detail
    assert refused.value.errors[0].field == "source"


def test_a_fact_that_changed_since_publication_is_reported_as_drift(db, settings):
    current = policy_in_force()
    assert facts_drift(source=current.source, text=current.text) == []
    settings.OPERATOR_ADDRESS = "1 New Street, Cluj, Romania"
    assert facts_drift(source=current.source, text=current.text) == ["operator"]
