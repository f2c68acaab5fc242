"""A coarse device name from a User-Agent header ("Firefox on Linux"). The header itself is never
stored: only this name, so the sessions list can tell sessions apart (P14) without fingerprints."""

import re

_BROWSERS = [
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/")),
    ("Opera", re.compile(r"OPR/|Opera")),
    ("Firefox", re.compile(r"Firefox/|FxiOS/")),
    ("Chrome", re.compile(r"Chrome/|CriOS/|Chromium/")),
    ("Safari", re.compile(r"Safari/")),
]
_SYSTEMS = [
    ("iPhone", re.compile(r"iPhone")),
    ("iPad", re.compile(r"iPad")),
    ("Android", re.compile(r"Android")),
    ("Windows", re.compile(r"Windows")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("Linux", re.compile(r"Linux|X11")),
]
_CLIENTS = [
    ("curl", re.compile(r"^curl/")),
    ("Python", re.compile(r"python-requests|python-httpx|Python-urllib|aiohttp")),
]


def coarse_device(user_agent: str) -> str:
    """A short, human name for the browser and system, or "Unknown device"."""
    for name, pattern in _CLIENTS:
        if pattern.search(user_agent):
            return f"{name} client"
    browser = next((name for name, p in _BROWSERS if p.search(user_agent)), None)
    system = next((name for name, p in _SYSTEMS if p.search(user_agent)), None)
    if browser and "HeadlessChrome" in user_agent:
        browser = "Headless Chrome"
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"
