"""Passwords are stored with Argon2id (P12): the production settings hash with it first, and
a password set under them is an Argon2id hash that checks."""

import pytest

from routinie import settings as production


def test_production_hashes_passwords_with_argon2id_first():
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.promise("P12")
def test_a_password_is_stored_as_an_argon2id_hash(production_password_hashing, make_user):
    user, password = make_user()
    assert user.password.startswith("argon2$argon2id$")
    assert password not in user.password
    assert user.check_password(password)
    assert not user.check_password(password + "x")
