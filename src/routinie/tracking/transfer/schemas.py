"""API schema of an import's answer."""

from ninja import Schema


class ImportOut(Schema):
    imported: int
    skipped_duplicates: int
    format: str


class RoutinesImportOut(Schema):
    imported_routines: int
    imported_checkins: int
