# The suite-wide guards and fixtures live in tests/plugin.py, loaded for src/ and tests/ alike.
pytest_plugins = ["tests.plugin"]
