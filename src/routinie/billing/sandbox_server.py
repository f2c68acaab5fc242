"""The local payment sandbox's server process (`python -m routinie.billing.sandbox_server`):
localstripe, a Stripe-compatible sandbox, listening on loopback only (never on every interface
as its own command does), on a free port it prints as its first line. Its state is kept in
the file given (`--state`), not in a file shared by every sandbox on the machine."""

import argparse
import asyncio
import contextlib
import pickle
import sys
from pathlib import Path
from typing import Any

from aiohttp import web
from localstripe import resources
from localstripe.server import app


def _keep_state_in(path: Path | None) -> None:
    def load(store: Any) -> None:
        if path is not None and path.exists():
            store.update(pickle.loads(path.read_bytes()))  # noqa: S301 (our own file)

    def dump(store: Any) -> None:
        if path is not None:
            path.write_bytes(pickle.dumps(dict(store), protocol=pickle.HIGHEST_PROTOCOL))

    resources.Store.try_load_from_disk = load
    resources.Store.dump_to_disk = dump
    load(resources.store)


async def _serve(port: int) -> None:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    server: Any = site._server
    bound = server.sockets[0].getsockname()[1] if server is not None else port
    sys.stdout.write(f"{bound}\n")
    sys.stdout.flush()
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--state", type=Path, default=None)
    args = parser.parse_args()
    _keep_state_in(args.state)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.port))


if __name__ == "__main__":
    main()
