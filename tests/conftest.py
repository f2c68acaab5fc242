# Names tests import; the hooks and fixtures themselves are registered from tests/plugin.py.
from tests.plugin import OutboundConnectionBlocked, require

__all__ = ["OutboundConnectionBlocked", "require"]
