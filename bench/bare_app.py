"""A bare FastAPI app: the floor that the service's latency and throughput are measured against.

Run ``python -m bench.bare_app [--host H] [--port P]``. It is served exactly as
``helixgraph serve`` serves the service: ``uvicorn.run`` of the app object, one worker,
``log_level="info"`` (so with an access log line per request). Its one endpoint is a
plain ``def`` like the service's read endpoints, so it runs in the same thread pool and
answers a small constant JSON document.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import uvicorn
from fastapi import FastAPI

__all__ = ["PATH", "app", "main"]

PATH = "/ping"

app = FastAPI(title="bare")


@app.get(PATH)
def ping() -> dict[str, str]:
    """A small constant answer."""
    return {"status": "ok", "service": "bare"}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A bare FastAPI endpoint for comparison.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
