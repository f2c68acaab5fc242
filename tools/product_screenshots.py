"""Take the landing page's pictures of the product: /today/ with demo data, light and dark.

    PYTHONPATH=src .venv/bin/python tools/product_screenshots.py

It makes a throwaway installation in a temporary directory (migrate, the demo account), serves
it on a free loopback port, fills the demo account through the public API (projects, entries,
routines, check-ins, a running timer), signs in with Debian's Chromium and photographs /today/
at 1280 x 800 in both colour schemes. Chromium itself encodes the pictures as WebP (a canvas's
`toDataURL`), so no image library is needed. They are written to the core app's static files,
where the landing page's <picture> reads them.
"""

import argparse
import base64
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "routinie" / "core" / "static" / "routinie" / "img"
ROUTINIE = Path(sys.executable).with_name("routinie")
CHROMIUM = "/usr/bin/chromium"
VIEWPORT: Any = {"width": 1280, "height": 880}
WEBP_QUALITY = 0.82


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [str(ROUTINIE), *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def late_morning_zone() -> str:
    """A fixed-offset zone where it is now about half past eleven: the pictured day looks like
    a working day whenever the pictures are taken (Etc/GMT-5 is UTC+5: the sign is POSIX's)."""
    offset = (11 - datetime.now(UTC).hour + 12) % 24 - 12
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def fill_demo_account(base: str, email: str, password: str) -> None:
    """A believable working day: three projects, a morning of entries, routines, a timer."""
    with httpx.Client(base_url=base, timeout=20) as web:
        token = web.post(
            "/api/v1/auth/tokens", json={"email": email, "password": password, "label": "pictures"}
        ).json()["token"]
        web.headers["Authorization"] = f"Bearer {token}"
        web.patch("/api/v1/me", json={"timezone": late_morning_zone()}).raise_for_status()

        def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
            answer = web.post(path, json=body)
            answer.raise_for_status()
            return dict(answer.json())

        client = post("/api/v1/projects", {"name": "Client website", "color": "#4f7fb3"})["id"]
        writing = post("/api/v1/projects", {"name": "Writing", "color": "#b7792d"})["id"]
        admin = post("/api/v1/projects", {"name": "Admin", "color": "#8a5fa8"})["id"]
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        start = now - timedelta(hours=3, minutes=40)
        day = [
            ("Answer e-mail and plan the day", admin, ["planning"], 25),
            ("Homepage layout: header and pricing", client, ["design"], 80),
            ("Draft: onboarding article", writing, ["draft"], 55),
        ]
        for description, project, tags, minutes in day:
            end = start + timedelta(minutes=minutes)
            post(
                "/api/v1/time-entries",
                {
                    "description": description,
                    "project_id": project,
                    "tags": tags,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                },
            )
            start = end + timedelta(minutes=10)
        routines: list[tuple[dict[str, Any], dict[str, Any] | None]] = [
            ({"name": "Morning run", "schedule": {"kind": "daily"}}, {"status": "done"}),
            (
                {
                    "name": "Read",
                    "schedule": {"kind": "daily"},
                    "target": {"value": 20, "unit": "pages"},
                },
                {"status": "done", "value": 24},
            ),
            (
                {
                    "name": "Drink water",
                    "schedule": {"kind": "daily"},
                    "target": {"value": 8, "unit": "glasses"},
                },
                None,
            ),
            ({"name": "Stretch", "schedule": {"kind": "daily"}}, None),
        ]
        today = now.date()
        for routine, check_in in routines:
            routine_id = post("/api/v1/routines", routine)["id"]
            for days_ago in range(1, 12):  # a streak behind each routine
                if days_ago % 5 != 4:
                    body = {
                        "date": (today - timedelta(days=days_ago)).isoformat(),
                        "status": "done",
                    }
                    post(f"/api/v1/routines/{routine_id}/checkins", body)
            if check_in:
                post(
                    f"/api/v1/routines/{routine_id}/checkins",
                    {"date": today.isoformat(), **check_in},
                )
        running = {"description": "Homepage: feature blocks", "project_id": client}
        running |= {"tags": ["design"], "start": (now - timedelta(minutes=27)).isoformat()}
        post("/api/v1/time-entries", running)  # no end: the running timer


def photograph(base: str, email: str, password: str, out: Path) -> list[Path]:
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme)
            page = context.new_page()
            page.goto(f"{base}/login/")
            page.locator("input[name=email]").fill(email)
            page.locator("input[name=password]").fill(password)
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_load_state("networkidle")
            page.goto(f"{base}/today/")
            page.wait_for_timeout(1500)  # the running clock has ticked
            png = page.screenshot(type="png")
            webp = as_webp(page, png)
            path = out / f"today-{scheme}.webp"
            path.write_bytes(webp)
            written.append(path)
            context.close()
        browser.close()
    return written


def as_webp(page: Any, png: bytes) -> bytes:
    """The PNG re-encoded as WebP by the browser's own canvas."""
    data_url = page.evaluate(
        """async ([png, quality]) => {
            const image = new Image();
            image.src = "data:image/png;base64," + png;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.naturalWidth;
            canvas.height = image.naturalHeight;
            canvas.getContext("2d").drawImage(image, 0, 0);
            return canvas.toDataURL("image/webp", quality);
        }""",
        [base64.b64encode(png).decode(), WEBP_QUALITY],
    )
    match = re.fullmatch(r"data:image/webp;base64,(.+)", data_url)
    if not match:
        raise SystemExit("This Chromium cannot encode WebP.")
    return base64.b64decode(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write (default {OUT})")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="routinie-pictures-") as data_dir:
        env = {**os.environ, "DATA_DIR": data_dir, "PYTHONPATH": str(REPO / "src")}
        env.pop("DATABASE_URL", None)
        run(env, "migrate", "-v0")
        credentials = run(env, "demo_account")
        found = re.search(r"Demo account: (\S+)\s+password: (\S+)", credentials)
        if not found:
            raise SystemExit(f"Unexpected demo_account output: {credentials!r}")
        email, password = found.groups()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
            [str(ROUTINIE), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    if httpx.get(f"{base}/", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            fill_demo_account(base, email, password)
            for path in photograph(base, email, password, out):
                print(f"{path.relative_to(REPO)}: {path.stat().st_size // 1024} KiB")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
