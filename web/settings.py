"""Settings of the web service, from the environment (with the embedded defaults)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _secret_file(path: Path, length: int) -> tuple[str, bool]:
    """Read a secret from ``path``, creating it (mode 600) on first use; (value, created)."""
    if path.exists():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value, False
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(length)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value, True


def _positive(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    return int(value)


@dataclass
class Settings:
    """Everything the web service needs to know."""

    rasa_url: str
    port: int
    trainer_password: str
    cookie_secret: bytes
    secure_cookies: bool
    channel_token: str = ""
    password_generated: bool = False
    password_file: Path | None = None
    # host names the service answers to (DNS rebinding: a foreign page that resolves its own
    # name to 127.0.0.1 must not reach the loopback service); None: any
    allowed_hosts: tuple[str, ...] | None = None
    open_practice: bool = True  # people not on the roster may practise (no exam, no history)
    starts_per_trainee: int = 20  # visit starts per 10 minutes per employee ID
    starts_per_address: int = 200  # ... and per address (an office may share one)

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("PTSP_DATA_DIR") or ROOT / "var")
        password = os.environ.get("PTSP_TRAINER_PASSWORD", "").strip()
        generated = False
        password_file = None
        if not password:
            password_file = data_dir / "trainer_password"
            password, generated = _secret_file(password_file, 12)
        secret = os.environ.get("PTSP_WEB_SECRET", "").strip()
        if not secret:
            secret, _ = _secret_file(data_dir / "web_secret", 32)
        return cls(
            rasa_url=(os.environ.get("RASA_URL") or
                      f"http://127.0.0.1:{os.environ.get('RASA_PORT') or 5005}").rstrip("/"),
            port=int(os.environ.get("WEB_PORT", "8080")),
            trainer_password=password,
            cookie_secret=secret.encode("utf-8"),
            secure_cookies=os.environ.get("PTSP_SECURE_COOKIES", "").lower() in ("1", "true"),
            channel_token=os.environ.get("PTSP_CHANNEL_TOKEN", "").strip(),
            password_generated=generated,
            password_file=password_file,
            allowed_hosts=tuple(h.strip().lower() for h in os.environ.get(
                "PTSP_ALLOWED_HOSTS", "").split(",") if h.strip()) or None,
            open_practice=os.environ.get("PTSP_OPEN_PRACTICE", "1").lower() not in
            ("0", "false", "no", "tidak"),
            starts_per_trainee=_positive("PTSP_STARTS_PER_TRAINEE", 20),
            starts_per_address=_positive("PTSP_STARTS_PER_ADDRESS", 200),
        )
