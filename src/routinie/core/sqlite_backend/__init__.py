"""Django's SQLite backend whose write transactions queue for their turn (see base.py)."""
