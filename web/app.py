"""The Sanic application: trainee page, trainee API, trainer review."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path
from typing import Optional

import aiohttp
from sanic import Sanic, response
from sanic.request import Request

from actions import catalog
from actions.visits import Visit, build_visits, web_trainee
from review import db as review_db
from review.ingest import ReviewIngest, SqlBrokerFeed, broker_db_url
from review.pika_feed import PikaFeed
from review.store import TrackerStore
from web import (
    assignment_routes,
    members,
    my_visits,
    review_routes,
    roster_routes,
    trainee,
    trainer_auth,
    trainer_word,
)
from web.security import SECURITY_HEADERS, foreign_origin
from web.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
POLL_SECONDS = 2.0
logger = logging.getLogger(__name__)


def start_review_feed(app: Sanic) -> None:
    """Keep the review store fed from Rasa's event broker: the SQL broker (embedded default)
    is read by polling and caught up before each review request; RabbitMQ (``PTSP_BROKER=
    pika``, production) is consumed as the events come."""
    app.ctx.review_stop = asyncio.Event()
    ingest = ReviewIngest(app.ctx.store)
    if os.environ.get("PTSP_BROKER", "").lower() == "pika":
        feed = PikaFeed(ingest)
        app.add_task(feed.run(app.ctx.review_stop), name="review_feed")
        return
    broker = broker_db_url()
    if broker is None:
        logger.warning("no SQL event broker: the review store is only as fresh as the last "
                       "`python -m review rebuild`")
        return
    sql_feed = SqlBrokerFeed(ingest, broker)
    lock = asyncio.Lock()

    async def catch_up() -> None:
        async with lock:  # one catch-up at a time; the next one finds the work done
            await asyncio.get_running_loop().run_in_executor(None, sql_feed.catch_up)

    async def poll() -> None:
        while not app.ctx.review_stop.is_set():
            try:
                await catch_up()
            except Exception:  # noqa: BLE001 - logged; the next round tries again
                logger.exception("review ingest failed")
            try:
                await asyncio.wait_for(app.ctx.review_stop.wait(), timeout=POLL_SECONDS)
            except asyncio.TimeoutError:
                pass

    app.ctx.review_catch_up = catch_up
    app.add_task(poll(), name="review_feed")


def host_name(host: str) -> str:
    """The name of a ``Host`` header without its port (``[::1]:8080`` -> ``[::1]``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def create_app(settings: Optional[Settings] = None, store: Optional[TrackerStore] = None) -> Sanic:
    """Build the app; the tracker store defaults to the one in endpoints.yml."""
    app = Sanic("ptsp_web")
    app.config.REQUEST_MAX_SIZE = 1_000_000
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings or Settings.from_env()
    app.ctx.store = store or TrackerStore()
    app.ctx.scenarios = catalog.scenarios()

    async def load_sessions(sender_ids: Optional[list[str]], keep_empty: bool = False
                            ) -> list[Visit]:
        loop = asyncio.get_running_loop()
        conversations = await loop.run_in_executor(None, app.ctx.store.conversations, sender_ids)
        return build_visits(conversations, keep_empty=keep_empty)

    async def senders_of(trainee_id: str) -> list[str]:
        """The web page's conversations of one trainee (``web.<employee id>.<random>``)."""
        loop = asyncio.get_running_loop()
        senders = await loop.run_in_executor(None, app.ctx.store.sender_ids,
                                             f"web.{trainee_id}.")
        return [s for s in senders if web_trainee(s) == trainee_id]

    app.ctx.load_sessions = load_sessions
    app.ctx.senders_of = senders_of

    @app.listener("before_server_start")
    async def open_client(app: Sanic, _loop: object) -> None:
        app.ctx.http = aiohttp.ClientSession()
        # the review's own tables (notes, audit log, review store) at the newest schema
        await asyncio.get_running_loop().run_in_executor(None, review_db.engine)
        start_review_feed(app)

    @app.listener("before_server_stop")
    async def stop_feed(app: Sanic, _loop: object) -> None:
        app.ctx.review_stop.set()

    @app.listener("after_server_stop")
    async def close_client(app: Sanic, _loop: object) -> None:
        await app.ctx.http.close()

    @app.on_request
    async def same_origin_only(request: Request) -> Optional[response.HTTPResponse]:
        allowed = app.ctx.settings.allowed_hosts
        if allowed and "*" not in allowed and host_name(request.host) not in allowed:
            return response.json({"error": "Nama host tidak dikenal oleh layanan ini."},
                                 status=421)
        if request.method not in ("GET", "HEAD") and foreign_origin(request):
            return response.json({"error": "Permintaan dari asal lain ditolak."}, status=403)
        if request.method == "OPTIONS":
            return response.empty(status=403)  # no CORS preflight is ever granted
        return None

    @app.on_response
    async def headers(request: Request, resp: response.HTTPResponse) -> None:
        for key, value in SECURITY_HEADERS.items():
            resp.headers.setdefault(key, value)

    @app.get("/")
    async def index(request: Request) -> response.HTTPResponse:
        return await response.file(STATIC / "trainee.html")

    catalog_js = "window.PTSP_CATALOG = " + json.dumps({
        "dimensions": [[k, v] for k, v in catalog.DIMENSION_LABELS.items()],
        "moods": catalog.MOOD_LABELS, "ended_by": catalog.ENDED_BY_LABELS,
        "scenarios": catalog.scenarios()}, ensure_ascii=False) + ";\n"

    @app.get("/catalog.js")
    async def catalog_script(request: Request) -> response.HTTPResponse:
        """The one catalog (scenarios, dimensions and their labels) for the pages' scripts."""
        return response.text(catalog_js, content_type="text/javascript; charset=utf-8")

    @app.get("/healthz")
    async def health(request: Request) -> response.HTTPResponse:
        return response.json({"status": "ok"})

    static_files = {p.name for p in STATIC.iterdir() if p.is_file()}

    @app.get("/static/<name:path>")
    async def static(request: Request, name: str) -> response.HTTPResponse:
        """The page's own files only; anything else (``.``, ``x%00``, paths) is a plain 404."""
        if name not in static_files:
            return response.json({"error": "Tidak ditemukan."}, status=404)
        return await response.file(STATIC / name)

    @app.get("/static/")
    async def static_index(request: Request) -> response.HTTPResponse:
        return response.json({"error": "Tidak ditemukan."}, status=404)
    app.blueprint(members.bp)
    app.blueprint(trainee.bp)
    app.blueprint(my_visits.bp)
    app.blueprint(trainer_word.bp)
    app.blueprint(trainer_auth.bp)
    app.blueprint(review_routes.bp)
    app.blueprint(roster_routes.bp)
    app.blueprint(assignment_routes.bp)
    app.blueprint(assignment_routes.certificates)
    return app
