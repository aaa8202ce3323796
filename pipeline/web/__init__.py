"""`bisum serve`: a local web page to paste an article and see its cleaning (every edit in place), both summaries
with their provenance and notices, and the glossary; and to run a batch of an uploaded file. Starlette and
uvicorn (the `web` extra): a small ASGI app whose HTML is built and escaped on the server, with one short script."""
from __future__ import annotations

import ipaddress
import sys

from .app import Limits, create_app

__all__ = ["Limits", "create_app", "serve"]


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(config=None, host: str = "127.0.0.1", port: int = 8000, limits: Limits = Limits()) -> None:
    """Serve the page until interrupted. Binding beyond loopback is said on stderr: anyone who reaches the
    address can then use the server."""
    import uvicorn

    if not is_loopback(host):
        print(f"bisum serve: listening on {host}, not only this machine: anyone who can reach port {port} can use "
              "this server", file=sys.stderr)
    print(f"bisum serve: http://{host if ':' not in host else f'[{host}]'}:{port}/ (Ctrl+C stops)", file=sys.stderr)
    uvicorn.run(create_app(config, limits), host=host, port=port, log_level="warning")
