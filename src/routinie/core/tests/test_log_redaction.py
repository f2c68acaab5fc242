import pytest

from routinie.core.log_redaction import redact


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("login ana.pop+x@example.co.uk ok", "login [email] ok"),
        ("from 192.168.10.1 at 10:23:52", "from [ip] at 10:23:52"),
        ("from 2001:db8::8a2e:370:7334 done", "from [ip] done"),
        ("peer ::1 closed", "peer [ip] closed"),
        ("Authorization: Bearer abc.def", "Authorization: [token]"),
        ("token rt_AbCdEf123456789 used", "token [token] used"),
        ("GET /x?password=hunter2&y=1", "GET /x?[token]&y=1"),
        ("took 12:30 minutes", "took 12:30 minutes"),
    ],
)
def test_redact_removes_emails_ips_and_tokens(line, expected):
    assert redact(line) == expected
