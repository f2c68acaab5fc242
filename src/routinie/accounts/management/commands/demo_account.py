"""`routinie demo_account`: create (or reset) the demo account and print how to sign in."""

import secrets
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from routinie.accounts.models import User
from routinie.accounts.policy_terms import policy_terms

DEMO_EMAIL = "demo@routinie.localhost"


class Command(BaseCommand):
    help = "Create the demo account, or give it a new password, and print its credentials."

    def handle(self, *args: Any, **options: Any) -> None:
        password = f"demo-{secrets.token_urlsafe(9)}-{secrets.randbelow(90) + 10}"
        with transaction.atomic():
            user = User.objects.filter(email=DEMO_EMAIL).first()
            if user is None:
                user = User.objects.create_user(
                    DEMO_EMAIL, password, name="Demo Person", email_confirmed_at=timezone.now()
                )
            else:
                user.set_password(password)
                user.save()
            terms = policy_terms()
            version = terms.version_in_force()
            if version is not None:
                terms.record_acceptance(user=user, version=version)
        self.stdout.write(f"Demo account: {DEMO_EMAIL}  password: {password}")
