"""Erasure removes every personal row of one user at once and nothing of anyone else (P18)."""

import pytest
from django.apps import apps
from django.db import models
from tests.fill import fill_every_table

from routinie.core.errors import InvalidInput
from routinie.privacy.erasure import erase_account, owned_tables
from routinie.privacy.models import LegalRequest
from routinie.privacy.registry import TABLES

pytestmark = pytest.mark.django_db(transaction=True)


def _owned_counts(user_id) -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.filter(**{owner: user_id}).count()
        for model, owner in owned_tables()
    }


def _all_text() -> str:
    """Every stored text value of every table (to search for what must be gone)."""
    chunks = []
    for model in apps.get_models(include_auto_created=True):
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(
                f, models.CharField | models.TextField | models.JSONField | models.EmailField
            )
        ]
        if names:
            chunks += [str(v) for row in model._default_manager.values_list(*names) for v in row]
    return "\n".join(chunks)


def test_every_owned_table_is_filled_by_the_fixture(make_user):
    filled = fill_every_table(make_user, "Ana")
    counts = _owned_counts(filled.user.pk)
    assert all(count > 0 for count in counts.values()), counts
    assert {label for label in counts} == {t.label for t in TABLES if t.owner}


@pytest.mark.promise("P18")
def test_erasing_one_user_leaves_nothing_of_theirs_and_everything_of_the_other(make_user):
    ana = fill_every_table(make_user, "Ana")
    bob = fill_every_table(make_user, "Bob")
    LegalRequest.objects.create(
        user=ana.user,
        authority="Court",
        legal_basis="Art. 1",
        reference="R-1",
        asked_for="x",
        scope=["account"],
    )
    before_bob = _owned_counts(bob.user.pk)
    ana_id = ana.user.pk

    kept = erase_account(user=ana.user, password=ana.password)

    assert kept, "the confirmation lists what is kept by law"
    assert set(_owned_counts(ana_id).values()) == {0}
    text = _all_text()
    for marker in ana.markers + ana.pseudonymous:
        assert marker not in text, marker
    assert str(ana_id) not in text.replace("-", "")
    assert str(ana_id) not in text
    assert _owned_counts(bob.user.pk) == before_bob
    for marker in bob.markers + bob.pseudonymous:
        assert marker in text, marker
    kept_request = LegalRequest.objects.get()
    assert kept_request.user_id is None, "kept by law, no longer linked to the person"


def test_a_wrong_password_erases_nothing(make_user):
    ana = fill_every_table(make_user, "Ana")
    before = _owned_counts(ana.user.pk)
    with pytest.raises(InvalidInput):
        erase_account(user=ana.user, password="not-it-1")
    assert _owned_counts(ana.user.pk) == before


def test_every_owned_table_cascades_from_the_user():
    """Erasure relies on ON DELETE CASCADE from the user: a new owned table must keep it."""
    user_model = apps.get_model("accounts.User")
    for table in TABLES:
        model = apps.get_model(table.label)
        if table.owner in (None, "pk") or model._meta.auto_created:
            continue
        first_hop = table.owner.split("__")[0]
        field = model._meta.get_field(first_hop)
        kept_by_law = table.label == "billing.Invoice"  # kept unlinked (SET_NULL) ten years
        expected = models.SET_NULL if kept_by_law else models.CASCADE
        assert field.remote_field.on_delete is expected, table.label
        if table.owner == "user":
            assert field.related_model is user_model


@pytest.mark.promise("P18")
def test_erasure_keeps_invoices_unlinked(make_user):
    from routinie.billing.models import Invoice

    ana = fill_every_table(make_user, "Ana")
    numbers = list(Invoice.objects.filter(user=ana.user).values_list("number", flat=True))
    erase_account(user=ana.user, password=ana.password)
    kept = Invoice.objects.filter(number__in=numbers)
    assert [(i.number, i.user_id, i.amount_cents) for i in kept] == [(numbers[0], None, 400)]
