# Names tests import; the hooks and fixtures themselves are registered from tests/plugin.py.
from tests.plugin import OutboundConnectionBlocked, require, run_queued_tasks

__all__ = ["OutboundConnectionBlocked", "require", "run_queued_tasks"]
