"""The privacy app's own tables in the personal-data registry (see registry.py)."""

from routinie.core.data_rules import (
    CONSENT,
    CONSENT_RETENTION,
    EXPORT_RETENTION,
    KEY,
    LEGAL_RETENTION,
    LINK,
    OPERATIONS,
    USAGE,
    Rule,
    Table,
    not_personal,
)

TABLES: list[Table] = [
    Table(
        "privacy.DataExport",
        "your data exports",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "status": not_personal("whether the archive is ready", EXPORT_RETENTION),
            "progress": not_personal("the progress bar", EXPORT_RETENTION),
            "attempt": not_personal("which build run owns the export", EXPORT_RETENTION),
            "file_name": Rule(OPERATIONS, "where the archive lies on the server", EXPORT_RETENTION),
            "size_bytes": not_personal("the archive's size", EXPORT_RETENTION),
            "created_at": Rule(USAGE, "when you asked for it", EXPORT_RETENTION),
            "finished_at": Rule(USAGE, "when it was ready", EXPORT_RETENTION),
            "expires_at": not_personal("when it is deleted", EXPORT_RETENTION),
        },
    ),
    Table(
        "privacy.PurgeRun",
        "what the retention purge removed, as counts",
        None,
        {
            "id": KEY,
            "started_at": not_personal("when the purge ran", "one year"),
            "finished_at": not_personal("when it ended", "one year"),
            "dry_run": not_personal("whether it only counted", "one year"),
            "counts": not_personal("how many rows of each kind it removed", "one year"),
        },
    ),
    Table(
        "privacy.Consent",
        "your written permissions to disclose data",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "recipient": Rule(CONSENT, "who may receive the data", CONSENT_RETENTION),
            "purpose": Rule(CONSENT, "what for", CONSENT_RETENTION),
            "scope": Rule(CONSENT, "which kinds of data", CONSENT_RETENTION),
            "evidence": Rule(CONSENT, "your written request, as proof", CONSENT_RETENTION),
            "granted_at": Rule(CONSENT, "when you gave it", CONSENT_RETENTION),
            "revoked_at": Rule(CONSENT, "when you took it back", CONSENT_RETENTION),
        },
    ),
    Table(
        "privacy.LegalRequest",
        "requests from authorities",
        None,
        {
            "id": KEY,
            "user": LINK,
            "authority": not_personal("who asked", LEGAL_RETENTION),
            "legal_basis": not_personal("the law that obliges us", LEGAL_RETENTION),
            "reference": not_personal("the authority's reference", LEGAL_RETENTION),
            "asked_for": Rule(OPERATIONS, "what was asked", LEGAL_RETENTION),
            "scope": not_personal(
                "which kinds of data the law obliges us to release", LEGAL_RETENTION
            ),
            "received_at": not_personal("when it arrived", LEGAL_RETENTION),
            "granted": not_personal("whether we released anything", LEGAL_RETENTION),
        },
    ),
    Table(
        "privacy.Disclosure",
        "every release of your data to someone else",
        None,
        {
            "id": KEY,
            "user": LINK,
            "consent": LINK,
            "legal_request": LINK,
            "released_by": LINK,
            "recipient": Rule(OPERATIONS, "who received it", LEGAL_RETENTION),
            "categories": Rule(OPERATIONS, "which kinds of data", LEGAL_RETENTION),
            "released_at": Rule(OPERATIONS, "when", LEGAL_RETENTION),
        },
    ),
    Table(
        "privacy.StaffAccess",
        "when staff looked at your data",
        "user",
        {
            "id": KEY,
            "user": LINK,
            "staff": LINK,
            "what": Rule(OPERATIONS, "what staff looked at (shown in your export)"),
            "at": Rule(OPERATIONS, "when"),
        },
    ),
]
