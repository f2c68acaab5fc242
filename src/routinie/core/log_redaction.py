"""A logging filter that keeps IP addresses, e-mail addresses and tokens out of every log line.

It rewrites the final message of each record (arguments merged in), so whatever a library logs
leaves this process redacted. Tests run real flows and search every captured line (P08).
"""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# Runs of hex groups with at least two colons (IPv6), but not clock times like 10:23:52.
IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}(?![\w:])")
TOKEN = re.compile(
    r"(?i)(bearer\s+\S+|(?:rt|pr)_[A-Za-z0-9_-]{8,}|(?:token|sessionid|csrftoken|password)=[^&\s]+)"
)


def redact(text: str) -> str:
    """The text with every e-mail, IP address and token replaced by a placeholder."""
    text = TOKEN.sub("[token]", text)
    text = EMAIL.sub("[email]", text)
    text = IPV4.sub("[ip]", text)
    return IPV6.sub(lambda m: "[ip]" if _looks_like_ipv6(m.group(0)) else m.group(0), text)


def _looks_like_ipv6(candidate: str) -> bool:
    return candidate.count(":") >= 2 and not re.fullmatch(r"\d{1,2}:\d{2}:\d{2}", candidate)


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info:
            # Formatted here so the traceback passes through the same redaction.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        # A request object attached by Django is never formatted, but drop it to be sure.
        if hasattr(record, "request"):
            record.request = None
        return True
