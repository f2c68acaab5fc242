"""Background tasks of privacy; each is safe to run twice."""

from django_tasks import TaskContext, task


@task(takes_context=True)
def build_export(context: TaskContext, export_id: str) -> bool:
    """Build a data export's archive (P18); True when it is ready.

    The export is claimed with a conditional update (queued → building), so a second run, or a
    second worker, finds it taken and returns False without touching it. A run again after
    the first run's worker died (`context.attempt` > 1: the queue reclaimed the task) takes a
    building export over and starts it again (see export_archive)."""
    from routinie.privacy.export_archive import build_archive

    return build_archive(export_id, take_over=context.attempt > 1)
