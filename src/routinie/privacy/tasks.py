"""Background tasks of privacy; each is safe to run twice."""

from django_tasks import task


@task()
def build_export(export_id: str) -> bool:
    """Build a data export's archive (P18); True when it is ready.

    The export is claimed with a conditional update (queued → building), so a second run, or a
    second worker, finds it taken and returns False without touching it."""
    from routinie.privacy.export_archive import build_archive

    return build_archive(export_id)
