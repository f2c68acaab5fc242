"""The installable web app: its manifest and the app shell its service worker keeps offline.

The shell is the static files every signed-in page loads, the icons and the offline page. Its
version is a digest of those files' bytes, so a deploy that changes any of them gives a new
service worker, which drops the old cache (static URLs carry no hash here)."""

import hashlib
from functools import cache
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.templatetags.static import static

# Light and dark theme colours: app.css's --accent and --bg.
THEME_COLOR_LIGHT = "#2f6f5e"
THEME_COLOR_DARK = "#141917"
BACKGROUND_COLOR = "#fbfbf8"
START_URL = "/today/"
OFFLINE_PAGE = "/offline/"
OFFLINE_TEMPLATE = "core/offline.html"
ICONS = [
    ("routinie/icons/icon-192.png", "192x192", "any"),
    ("routinie/icons/icon-512.png", "512x512", "any"),
    ("routinie/icons/icon-maskable-512.png", "512x512", "maskable"),
]
SHELL_STATIC = [
    "routinie/css/app.css",
    "routinie/css/frame.css",
    "routinie/css/entries.css",
    "routinie/icon.svg",
    "routinie/vendor/htmx-2.0.11.min.js",
    "routinie/js/app.js",
    "routinie/js/menu.js",
    "routinie/js/timer.js",
    "routinie/js/offline.js",
    *(path for path, _size, _purpose in ICONS),
]


def web_app_manifest() -> dict[str, Any]:
    """The Web App Manifest (served as /manifest.webmanifest)."""
    return {
        "id": START_URL,
        "name": "Routinie: time and routines",
        "short_name": "Routinie",
        "description": "Track your time and keep your routines, privately.",
        "start_url": START_URL,
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOR,
        "theme_color": THEME_COLOR_LIGHT,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }


def shell_urls() -> list[str]:
    """What the service worker caches when it installs: the static shell and the offline page."""
    return [*(static(path) for path in SHELL_STATIC), OFFLINE_PAGE]


@cache
def shell_version() -> str:
    """A digest of the shell's files (and the offline page's template): it changes whenever one
    of them does."""
    digest = hashlib.sha256()
    files = [(path, finders.find(path)) for path in SHELL_STATIC]
    files.append((OFFLINE_TEMPLATE, get_template(OFFLINE_TEMPLATE).origin.name))  # type: ignore[attr-defined]
    for path, found in files:
        if not isinstance(found, str):
            raise LookupError(f"The app shell names a file that does not exist: {path}")
        with open(found, "rb") as file:
            digest.update(path.encode() + b"\0" + file.read())
    return digest.hexdigest()[:16]
