"""``python -m web``: serve the trainee page and the trainer review (port 8080 by default)."""

from __future__ import annotations

import argparse
import logging
import os

from web.app import create_app
from web.settings import Settings

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("PTSP_BIND")
                        or os.environ.get("WEB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = Settings.from_env()
    if args.port:
        settings.port = args.port
    if settings.allowed_hosts is None and args.host in LOOPBACK:
        settings.allowed_hosts = LOOPBACK  # bound to loopback: answer to loopback names only
    if settings.password_generated:  # never the password itself: this output is a log file
        print(f"Trainer password generated and stored in {settings.password_file} (mode 600)",
              flush=True)
    elif settings.password_file:
        print(f"Trainer password: see {settings.password_file}", flush=True)
    app = create_app(settings)
    app.run(host=args.host, port=settings.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
