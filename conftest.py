# The suite-wide guards and fixtures live in tests/plugin.py, loaded for src/ and tests/ alike;
# tests/smtp_sink.py gives every test a real SMTP server to send to (`smtp_sink`).
pytest_plugins = ["tests.plugin", "tests.smtp_sink", "tests.payment_sandbox"]
