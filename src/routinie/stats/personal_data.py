"""The stats app's tables in the personal-data registry (see privacy/registry.py).

The key-figure table is pseudonymous personal data: it is about one account each, under a
keyed hash of its id (no user id, name or e-mail address), so it has no owner path; its row is
deleted with the account by `stats/signals.py`. Releases, their figures and the budget ledger
hold aggregates only (no one's data)."""

from routinie.core.data_rules import KEY, LINK, USAGE, Rule, Table, not_personal

STATISTICS = "statistics (P05)"
KEY_FIGURES_RETENTION = "as long as the account exists (recomputed daily); deleted with it"
RUNS_RETENTION = "one year"
RELEASES_RETENTION = "public releases: kept as the statistics' history; staff releases: 90 days"


def _key_figure(what: str) -> Rule:
    return Rule(USAGE, f"{STATISTICS}: {what}", KEY_FIGURES_RETENTION)


_FIGURES = {
    "entries_total": "number of time entries",
    "entries_30d": "time entries of the last 30 days",
    "seconds_total": "time tracked",
    "seconds_30d": "time tracked in the last 30 days",
    "projects_total": "number of projects",
    "projects_30d": "projects used in the last 30 days",
    "routines_total": "number of routines",
    "routines_30d": "routines checked in within the last 30 days",
    "checkins_total": "number of check-ins",
    "checkins_30d": "check-ins of the last 30 days",
    "active_days_total": "days with an entry or check-in",
    "active_days_30d": "such days in the last 30 days",
    "routine_kinds": "which routine schedules are in use",
    "seconds_30d_mon": "time tracked on Mondays (30 days)",
    "seconds_30d_tue": "time tracked on Tuesdays (30 days)",
    "seconds_30d_wed": "time tracked on Wednesdays (30 days)",
    "seconds_30d_thu": "time tracked on Thursdays (30 days)",
    "seconds_30d_fri": "time tracked on Fridays (30 days)",
    "seconds_30d_sat": "time tracked on Saturdays (30 days)",
    "seconds_30d_sun": "time tracked on Sundays (30 days)",
}

TABLES: list[Table] = [
    Table(
        "stats.KeyFigures",
        "each account's key figures under a pseudonym, for statistics",
        None,
        {
            "pseudonym": _key_figure("a keyed hash of the account id, never the id itself"),
            "key_id": not_personal("which pseudonym key made the row", KEY_FIGURES_RETENTION),
            **{name: _key_figure(what) for name, what in _FIGURES.items()},
            "computed_at": not_personal("when the figures were computed", KEY_FIGURES_RETENTION),
        },
    ),
    Table(
        "stats.KeyFiguresRun",
        "each computation of the key figures, as counts",
        None,
        {
            "id": KEY,
            "started_at": not_personal("when it ran", RUNS_RETENTION),
            "finished_at": not_personal("when it ended", RUNS_RETENTION),
            "accounts": not_personal("how many accounts it covered", RUNS_RETENTION),
            "written": not_personal("how many rows changed", RUNS_RETENTION),
            "unchanged": not_personal("how many rows stayed the same", RUNS_RETENTION),
            "removed": not_personal("how many stale rows it deleted", RUNS_RETENTION),
        },
    ),
    Table(
        "stats.Release",
        "the published statistics (public and staff), aggregates only",
        None,
        {
            "id": KEY,
            "audience": not_personal("public or staff", RELEASES_RETENTION),
            "released_at": not_personal("when it was published", RELEASES_RETENTION),
            "data_as_of": not_personal("when its key figures were computed", RELEASES_RETENTION),
            "k": not_personal("the smallest group it shows", RELEASES_RETENTION),
            "epsilon": not_personal("the privacy budget it spent", RELEASES_RETENTION),
        },
    ),
    Table(
        "stats.ReleasedFigure",
        "the figures of each published release, aggregates only",
        None,
        {
            "id": KEY,
            "release": LINK,
            "name": not_personal("which figure", RELEASES_RETENTION),
            "position": not_personal("its order on the page", RELEASES_RETENTION),
            "rule": not_personal("the rules that protected it", RELEASES_RETENTION),
            "epsilon": not_personal("its share of the privacy budget", RELEASES_RETENTION),
            "sensitivity": not_personal("how much one person can change it", RELEASES_RETENTION),
            "noise_scale": not_personal("the scale of its noise", RELEASES_RETENTION),
            "margin": not_personal("what was taken off before rounding", RELEASES_RETENTION),
            "values": not_personal(
                "the published values (after k, noise and rounding)", RELEASES_RETENTION
            ),
        },
    ),
    Table(
        "stats.BudgetSpend",
        "the privacy-budget ledger",
        None,
        {
            "id": KEY,
            "release": LINK,
            "epsilon": not_personal("what a release spent", "kept with the release"),
            "spent_at": not_personal("when", "kept with the release"),
        },
    ),
]
