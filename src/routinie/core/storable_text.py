"""What no database's text can hold: NUL (PostgreSQL refuses it; SQLite would store it) and
the UTF-16 surrogates, which JSON's \\ud800 escapes can carry alone and no UTF-8 text can
encode. The API's text fields (`core.schemas.SafeStr`), the forms and the imports refuse them."""

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def has_unstorable(text: str) -> bool:
    return _UNSTORABLE.search(text) is not None
