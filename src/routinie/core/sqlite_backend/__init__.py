"""Django's SQLite backend with one write transaction at a time per process (see base.py)."""
