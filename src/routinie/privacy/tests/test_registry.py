"""The personal-data registry is complete, checked at start-up, and the pages come from it (P01)."""

import pytest
from django.test import Client

from routinie.privacy.checks import stale, unclassified
from routinie.privacy.registry import BY_LABEL, personal_fields


@pytest.mark.promise("P01")
def test_every_field_of_every_model_is_classified():
    assert unclassified(BY_LABEL) == []
    assert stale(BY_LABEL) == []


@pytest.mark.promise("P01")
@pytest.mark.django_db
def test_the_public_data_page_is_generated_from_the_registry():
    page = Client().get("/privacy/data/")
    assert page.status_code == 200
    assert "set-cookie" not in {k.lower() for k in page.headers}
    text = page.content.decode()
    for _table, _name, rule in personal_fields():
        assert rule.purpose[:1].upper() + rule.purpose[1:] in text.replace("&#x27;", "'").replace(
            "&quot;", '"'
        )


@pytest.mark.django_db
def test_the_record_of_processing_is_for_staff_only(make_user):
    user, _ = make_user()
    client = Client()
    client.force_login(user)
    assert client.get("/staff/processing-record/").status_code == 302
    user.is_staff = True
    user.save()
    record = client.get("/staff/processing-record/")
    assert record.status_code == 200
    assert "tracking.TimeEntry" in record.content.decode()
