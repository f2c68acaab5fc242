"""Policy change notices at scale (performance.md: "policy change notice to every account").

Creates N accounts in a fresh database, queues the notice batches for a new version (timed:
the queueing time), then starts worker processes that send to a local SMTP sink (aiosmtpd, in
this process) and times the delivery until every account has its e-mail; counts duplicates.
`make bench` runs the same fan-out over its loaded population (bench/scale.py); both use
bench/fanout.py.

    python -m bench.notices --accounts 20000 --workers 2 [--repeats 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.notices
"""

import argparse
import sys
from datetime import datetime
from pathlib import Path

from bench.database import fresh_database
from bench.fanout import Delivery, deliver, new_version, smtp_sink
from bench.report import Row, table, write_json

RESULTS = Path(__file__).resolve().parent / "results"
PASSWORD_HASH_OF_NOBODY = "!"  # unusable password: the accounts only receive e-mail


def create_accounts(count: int) -> set[str]:
    from routinie.accounts.models import User

    chunk = 5_000
    emails = {f"p{i}@example.test" for i in range(count)}
    for start in range(0, count, chunk):
        User.objects.bulk_create(
            User(name=f"Person {i}", email=f"p{i}@example.test", password=PASSWORD_HASH_OF_NOBODY)
            for i in range(start, min(start + chunk, count))
        )
    return emails


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    with smtp_sink() as (sink, email_url), fresh_database() as db:
        db.env.update(
            EMAIL_URL=email_url,
            POLICY_NOTICE_BATCH=str(args.batch),
            POLICY_NOTICE_SWEEP_SECONDS="3600",
        )
        db.setup_django()
        emails = create_accounts(args.accounts)
        runs: list[Delivery] = [
            deliver(
                version=new_version(2 + n),
                sink=sink,
                env=db.env,
                expected=emails,
                workers=args.workers,
            )
            for n in range(args.repeats)
        ]

    scale = 500_000 / args.accounts
    scenario = f"policy notice, {args.accounts:,} accounts, {args.workers} workers"
    rows = [
        Row(scenario, "queueing time", "s", [r.queueing for r in runs]),
        Row(
            scenario,
            "queueing time scaled to 500,000",
            "s",
            [r.queueing * scale for r in runs],
            target=60,
        ),
        Row(
            scenario,
            "delivery rate (first to last e-mail)",
            "rows/s",
            [r.rate for r in runs],
            target=1000,
            better="higher",
        ),
        Row(scenario, "delivery rate (from workers' start)", "rows/s", [r.rate_wall for r in runs]),
        Row(
            scenario,
            "duplicates + missing + unrecorded",
            "count",
            [r.duplicates + r.missing + (args.accounts - r.recorded) for r in runs],
            target=0,
            judge="worst",
        ),
    ]
    print(table(rows))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = write_json(RESULTS / f"notices-{stamp}.json", rows, {"database": db.description})
    print(f"written {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
