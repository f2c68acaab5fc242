"""Rows of the stats app for one user, for the export and erasure tests (tests/fill.py).

The stats app's only row about one person is their key figures, under a pseudonym (P05). It has
no owner path, so the export does not hold it; erasure deletes it with the account
(stats/signals.py). The erasure test proves that with the pseudonym this returns."""

from django.utils import timezone

from routinie.accounts.models import User
from routinie.stats.chunk_figures import figures_of_chunk
from routinie.stats.models import KeyFigures
from routinie.stats.pseudonyms import key_id, pseudonym_of


def fill(user: User, tag: str) -> list[str]:
    """Create the key-figure row of `user` (their tracking counted as the daily job counts it);
    return its pseudonym, the value that must be gone once the account is erased. `tag` marks
    nothing here: the row holds counts and a keyed hash, no text of the person's."""
    now = timezone.now()
    [figures] = figures_of_chunk([user.pk], user.timezone, now).values()
    pseudonym = pseudonym_of(user.pk)
    KeyFigures.objects.create(pseudonym=pseudonym, key_id=key_id(), computed_at=now, **figures)
    return [pseudonym]
