"""Jobs over every account survive one account's bad data: the account that fails is skipped
and reported, the others are done, and the job's result says some failed.

A report names an account by an opaque id only (a pseudonym, a row id), never by a name or an
e-mail address, and an error by its class alone: a database's message can quote the row's
values."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction

log = logging.getLogger("routinie.jobs")

# What one account's data can raise in a job: the database refusing a value (SQLite's "string
# or blob too big", PostgreSQL's out-of-range dates) or Python's dates overflowing.
ACCOUNT_FAILURES: tuple[type[Exception], ...] = (DatabaseError, ArithmeticError, ValueError)

SHOWN = 20  # opaque ids listed in a report; the count says how many in all


@dataclass
class Failures:
    """The accounts a job skipped, by opaque id."""

    job: str
    ids: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.ids)

    def add(self, opaque_id: str, error: BaseException) -> None:
        self.ids.append(opaque_id)
        log.warning("%s: account %s skipped (%s)", self.job, opaque_id, type(error).__name__)

    def summary(self) -> str:
        shown = ", ".join(self.ids[:SHOWN]) + (" …" if len(self.ids) > SHOWN else "")
        count = len(self.ids)
        return (
            f"{self.job}: {count} account{'s' if count != 1 else ''} failed and "
            f"{'were' if count != 1 else 'was'} skipped ({shown}); the others were done."
        )


@contextmanager
def contained() -> Iterator[None]:
    """Run one account's part so that its failure leaves the connection usable: inside a
    transaction, a savepoint (PostgreSQL aborts the whole transaction on a failed statement);
    outside one, nothing (a read then takes no lock on SQLite)."""
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        yield
