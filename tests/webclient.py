"""A tiny cookie-keeping HTTP client for the web service tests (standard library only)."""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Optional


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class WebClient:
    """One browser-like user: its own cookie jar; redirects are not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(
        self, method: str, path: str, body: Any = None, headers: Optional[dict] = None,
        raw: Optional[bytes] = None,
    ) -> tuple[int, dict, Any]:
        """Returns (status, headers, decoded JSON or text)."""
        data = raw if raw is not None else (
            None if body is None else json.dumps(body).encode("utf-8"))
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json",
                                              **(headers or {})})
        try:
            with self.opener.open(req, timeout=90) as resp:
                status, head, content = resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            status, head, content = err.code, dict(err.headers), err.read()
        text = content.decode("utf-8", "replace")
        try:
            return status, head, json.loads(text)
        except ValueError:
            return status, head, text

    def start(self, name: str, employee_id: str, scenario: str = "", exam: bool = False):
        return self.request("POST", "/api/visit/start", {
            "name": name, "employee_id": employee_id, "scenario": scenario, "exam": exam})

    def say(self, text: str):
        return self.request("POST", "/api/visit/say", {"text": text})

    def raw(self, method: str, path: str) -> bytes:
        """The body of a successful response as bytes (downloads)."""
        with self.opener.open(urllib.request.Request(self.base + path, method=method),
                              timeout=90) as resp:
            return resp.read()

    def login(self, password: str, trainer: str = "", username: str = "") -> int:
        form = {"password": password, "next": "/review", "trainer": trainer,
                "username": username}
        req = urllib.request.Request(
            self.base + "/review/login", method="POST",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with self.opener.open(req, timeout=30) as resp:
                self.last_location = resp.headers.get("Location", "")
                return resp.status
        except urllib.error.HTTPError as err:
            self.last_location = err.headers.get("Location", "")
            return err.code


def sign_in(base: str, employee_id: str, secret: str, new_password: Optional[str] = None
            ) -> tuple[WebClient, int, Any]:
    """A fresh browser-like client that signed in as a trainee of the roster."""
    client = WebClient(base)
    body = {"employee_id": employee_id, "secret": secret}
    if new_password is not None:
        body["new_password"] = new_password
    status, _, answer = client.request("POST", "/api/login", body)
    return client, status, answer


def enrol(trainer: WebClient, employee_id: str, name: str, unit: str) -> str:
    """Enrol a trainee through the review (the unit is added first when the trainer is an
    admin and it is missing); their one-time enrolment code."""
    trainer.request("POST", "/review/api/units", {"name": unit})  # 409 when it exists
    status, _, body = trainer.request("POST", "/review/api/roster", {
        "employee_id": employee_id, "name": name, "unit": unit})
    assert status == 200, body
    return body["code"]


def enrolled_trainee(trainer: WebClient, employee_id: str, name: str = "Peserta Uji",
                     unit: str = "DPMPTSP Uji", password: str = "sandi-peserta-1"
                     ) -> WebClient:
    """A trainee enrolled by ``trainer``, signed in (password chosen) on a fresh client."""
    code = enrol(trainer, employee_id, name, unit)
    client, status, body = sign_in(trainer.base, employee_id, code, password)
    assert status == 200, body
    return client


def roster_trainee(web: Any, name: str = "Peserta Uji", unit: str = "DPMPTSP Uji"
                   ) -> tuple[str, WebClient]:
    """(employee ID, signed-in client) of a new trainee of the shared test stack's roster,
    enrolled by a trainer signed in with the shared password (exams and history need one)."""
    import uuid

    trainer = WebClient(web.web_url)
    assert trainer.login(web.trainer_password, trainer="Bu Wati") == 303
    employee = f"rt-{uuid.uuid4().hex[:8]}"
    return employee, enrolled_trainee(trainer, employee, name, unit)
