"""The local backing services of the production profile for the tests: the settings of
deploy/prod.env.example, PostgreSQL and Redis started when they are down (the test is skipped,
with the reason printed, only when that is impossible), and a dedicated database."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path
from typing import Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = ROOT / "deploy" / "prod.env.example"


def read_env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def ensure_service(name: str, host: str, port: int, start: list[str]) -> None:
    """Start the service with `start` if nothing listens on host:port; skip if impossible."""
    if port_open(host, port):
        return
    reason = f"{name} is down on {host}:{port} and `{' '.join(start)}` did not start it"
    try:
        proc = subprocess.run(start, capture_output=True, text=True, timeout=60)
        output = (proc.stdout + proc.stderr).strip()
    except (OSError, subprocess.SubprocessError) as error:  # e.g. not installed
        print(f"{reason}: {error}")
        pytest.skip(f"{reason}: {error}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if port_open(host, port):
            return
        time.sleep(0.5)
    print(f"{reason}: {output}")
    pytest.skip(f"{reason}: {output}")


def postgres_start_command() -> list[str]:
    versions = sorted(p.name for p in Path("/etc/postgresql").glob("*")) or ["15"]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"]


def backend_env(db_name: str) -> dict[str, str]:
    """deploy/prod.env.example with ``db_name``; starts PostgreSQL/Redis/RabbitMQ or skips the
    test; creates the database if missing."""
    env = read_env_example()
    env["DB_NAME"] = db_name
    ensure_service("PostgreSQL", env["DB_HOST"], int(env["DB_PORT"]), postgres_start_command())
    ensure_service(
        "Redis", env["REDIS_HOST"], int(env["REDIS_PORT"]),
        ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port",
         env["REDIS_PORT"], "--save", "", "--appendonly", "no"],
    )
    ensure_service("RabbitMQ", env["RABBITMQ_HOST"], int(env["RABBITMQ_PORT"]),
                   ["rabbitmq-server", "-detached"])
    conn = pg_connect(env, "postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db_name,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{db_name}"')
    conn.close()
    return env


def pg_connect(env: dict[str, str], dbname: Optional[str] = None):
    import psycopg2

    return psycopg2.connect(host=env["DB_HOST"], port=env["DB_PORT"], user=env["DB_USER"],
                            password=env["DB_PASSWORD"] or None,
                            dbname=dbname or env["DB_NAME"], connect_timeout=10)
