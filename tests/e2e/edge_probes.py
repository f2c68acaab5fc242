"""What the edge tests look for: an e-mail address in any form a log or a link could carry it."""

import base64
import binascii
import contextlib
import re
import zlib


def encoded_forms(address: str) -> list[str]:
    """The address as it reads plain, and every run of base64 (standard and URL-safe) that any
    base64 of a text holding it contains, whatever the alignment of the address in that text."""
    raw = address.encode()
    forms = [address]
    for skip in range(3):
        chunk = raw[skip:]
        whole_groups = chunk[: len(chunk) // 3 * 3]
        forms.append(base64.b64encode(whole_groups).decode())
        forms.append(base64.urlsafe_b64encode(whole_groups).decode())
    return forms


def decoded_segments(token: str) -> list[bytes]:
    """Each dot-, colon- or slash-separated part of `token` decoded as URL-safe base64, and
    inflated when it is zlib (Django's signing compresses with a leading dot)."""
    decoded = []
    for part in re.split(r"[.:/]", token):
        try:
            data = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            continue
        decoded.append(data)
        with contextlib.suppress(zlib.error):
            decoded.append(zlib.decompress(data))
    return decoded


def carries(text: str, address: str) -> list[str]:
    """The forms of `address` found in `text` (empty: none)."""
    found = [form for form in encoded_forms(address) if form in text]
    found += [
        f"decoded: {segment!r}" for segment in decoded_segments(text) if address.encode() in segment
    ]
    return found
