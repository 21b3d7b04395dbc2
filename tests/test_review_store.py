"""The review store (issue 12): fed from the tracker store by conversation, idempotent, with
lists that page, filter and search in SQL (no servers; SQLite files in tmp_path)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from review import queries
from review.db import engine, sessions, trainees, turns
from review.ingest import ReviewIngest, SqlBrokerFeed
from tests.test_review_data import make_store, visit_events


def web_sender(trainee: str, n: int) -> str:
    return f"web.{trainee}.{n:016x}"


@pytest.fixture()
def filled(tmp_path):
    """40 web visits of 4 trainees (every 4th an exam, every 3rd unfinished) + 1 REST one."""
    conversations = {}
    for n in range(40):
        trainee = f"T{n % 4}"
        events = visit_events(trainee, t0=1_700_000_000.0 + n * 3600)
        if n % 3 == 0:
            events = [e for e in events if e.get("name") != "debrief"
                      and e.get("text") != "/selesai"]
        if n % 4 == 0:
            events.insert(1, {"event": "slot", "name": "feedback_on", "value": False,
                              "timestamp": events[0]["timestamp"]})
        conversations[web_sender(trainee, n)] = events
    conversations["rest-demo"] = visit_events("rest-demo", t0=1_700_500_000.0)
    tracker = make_store(tmp_path, conversations)
    url = f"sqlite:///{tmp_path / 'review.db'}"
    report = ReviewIngest(tracker, url).rebuild()
    return tracker, url, report


def dump(url: str) -> list:
    with engine(url).connect() as conn:
        return [sorted(tuple(r) for r in conn.execute(sa.select(table)))
                for table in (sessions, turns, trainees)]


def test_a_rebuild_replayed_changes_nothing(filled):
    tracker, url, report = filled
    assert (report.conversations, report.sessions, report.turns) == (41, 41, 82)
    before = dump(url)
    again = ReviewIngest(tracker, url).rebuild()
    assert again.sessions == 41 and dump(url) == before
    ReviewIngest(tracker, url).sync([web_sender("T1", 1), web_sender("T1", 1)])
    assert dump(url) == before


def test_the_sql_broker_feed_processes_each_event_once_and_resumes(tmp_path, filled):
    tracker, url, _ = filled
    broker = sa.create_engine(f"sqlite:///{tmp_path / 'broker.db'}")
    table = sa.Table("events", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("sender_id", sa.String(255)), sa.Column("data", sa.Text))
    table.metadata.create_all(broker)
    with broker.begin() as conn:
        conn.execute(sa.insert(table), [{"sender_id": web_sender("T2", 2), "data": "{}"},
                                        {"sender_id": "rest-demo", "data": "{}"}])
    feed = SqlBrokerFeed(ReviewIngest(tracker, url), f"sqlite:///{tmp_path / 'broker.db'}")
    first = feed.catch_up()
    assert first.conversations == 2 and feed.position() == 2
    assert feed.catch_up().conversations == 0  # nothing new: nothing done


def test_lists_page_filter_and_sort_in_the_store(filled):
    _, url, _ = filled
    web = queries.Filters(web_only=True)
    page = queries.list_sessions(web, page=1, per_page=15, url=url)
    assert (page["total"], page["pages"], len(page["sessions"])) == (40, 3, 15)  # web only
    starts = [s["started"] for s in page["sessions"]]
    assert starts == sorted(starts, reverse=True)
    last = queries.list_sessions(web, page=3, per_page=15, url=url)
    assert len(last["sessions"]) == 10
    everyone = queries.list_sessions(queries.Filters(), url=url)
    assert everyone["total"] == 41
    t1 = queries.list_sessions(queries.Filters(trainee="T1"), sort="overall", url=url)
    assert t1["total"] == 10 and {s["trainee_id"] for s in t1["sessions"]} == {"T1"}
    unfinished = queries.list_sessions(queries.Filters(finished=False, web_only=True), url=url)
    assert unfinished["total"] == 14 and not any(s["finished"] for s in unfinished["sessions"])
    exams = queries.list_sessions(queries.Filters(exam=True, web_only=True), url=url)
    assert exams["total"] == 10 and all(s["exam_mode"] for s in exams["sessions"])
    failed = queries.list_sessions(queries.Filters(passed=False, web_only=True), url=url)
    assert failed["total"] == 26
    with pytest.raises(ValueError):
        queries.list_sessions(queries.Filters(), sort="reply; DROP TABLE sessions", url=url)


def test_text_search_finds_replies_literally(filled):
    _, url, _ = filled
    found = queries.list_sessions(queries.Filters(q="<script>"), url=url)
    assert found["total"] == 41
    assert queries.list_sessions(queries.Filters(q="100%_x"), url=url)["total"] == 0
    assert queries.list_sessions(queries.Filters(q="selamat PAGI"), url=url)["total"] == 41


def test_filters_from_the_url_are_checked():
    with pytest.raises(ValueError, match="tanggal"):
        queries.Filters.from_args({"since": "kemarin"})
    with pytest.raises(ValueError, match="passed"):
        queries.Filters.from_args({"passed": "mungkin"})
    assert queries.Filters.from_args({"passed": "ya", "web": "1"}).web_only is True


def test_trainee_picker_by_name_or_id_only_web_trainees(filled):
    _, url, _ = filled
    assert {t["id"] for t in queries.find_trainees("", url=url)} == {"T0", "T1", "T2", "T3"}
    assert [t["id"] for t in queries.find_trainees("t3", url=url)] == ["T3"]
    assert queries.find_trainees("sari", url=url)[0]["sessions"] == 10
    assert "rest-demo" in {t["id"] for t in queries.find_trainees("", True, url=url)}


def test_session_detail_progress_and_cohort_come_from_the_store(filled):
    _, url, _ = filled
    first = queries.list_sessions(queries.Filters(trainee="T0"), url=url)["sessions"][0]
    detail = queries.session_detail(first["id"], url=url)
    assert detail["turns"][0]["reply"] == "Selamat pagi, Ibu"
    progress = queries.progress("T0", url=url)
    dates = [p["started"] for p in progress["points"]]
    assert dates == sorted(dates) and progress["exams"] == 10
    assert queries.progress("T0", "renewal_complete", url=url)["points"] == []
    cohort = queries.cohort(queries.Filters(web_only=True), url=url)
    assert cohort["sessions"] == 40 and cohort["per_dimension"]["politeness"] == 80
    with engine(url).connect() as conn:
        row = conn.execute(sa.select(turns.c.data).limit(1)).scalar()
    assert json.loads(row)["session_id"].startswith("web.")


def test_the_batched_broker_writes_rasas_rows_in_one_commit_per_turn(tmp_path):
    """ptsp_stores/event_broker.py: the same rows as Rasa's SQL broker, one commit per save."""
    import asyncio

    from rasa.core.brokers.broker import EventBroker
    from rasa.utils.endpoints import EndpointConfig

    commits = []

    async def scenario() -> int:
        config = EndpointConfig(type="ptsp_stores.event_broker.BatchedSQLEventBroker",
                                dialect="sqlite", db=str(tmp_path / "broker.db"))
        broker = await EventBroker.create(config)
        sa.event.listen(broker.engine, "commit", lambda conn: commits.append(1))
        for n in range(10):  # what Rasa publishes while it saves one turn
            broker.publish({"sender_id": "web.A1.0123456789abcdef", "event": "slot", "n": n})
        before = len(commits)
        await asyncio.sleep(0)  # the save is done: the loop runs the write
        await broker.close()
        return before

    assert asyncio.run(scenario()) == 0  # nothing written while the save was still going
    assert len(commits) == 1
    engine_ = sa.create_engine(f"sqlite:///{tmp_path / 'broker.db'}")
    with engine_.connect() as conn:
        rows = conn.execute(sa.text("SELECT sender_id, data FROM events ORDER BY id")).all()
    assert [json.loads(data)["n"] for _, data in rows] == list(range(10))
    assert {sender for sender, _ in rows} == {"web.A1.0123456789abcdef"}


def store_of(tmp_path, conversations):
    url = f"sqlite:///{tmp_path / 'review.db'}"
    ReviewIngest(make_store(tmp_path, conversations), url).rebuild()
    return url


def test_filters_sorting_and_dates(tmp_path):
    url = store_of(tmp_path, {"web.A1.00000000000000a1": visit_events("A1"),
                              "web.B2.00000000000000b2": visit_events("B2", t0=1.8e9)})
    newest = queries.list_sessions(queries.Filters(), url=url)["sessions"]
    assert [s["trainee_id"] for s in newest] == ["B2", "A1"]
    assert queries.list_sessions(queries.Filters(trainee="A1"), url=url)["total"] == 1
    since = queries.list_sessions(queries.Filters(since="2026-12-01"), url=url)["sessions"]
    assert [s["trainee_id"] for s in since] == ["B2"]
    assert queries.list_sessions(queries.Filters(scenario="gratuity_offer"), url=url)["total"] == 0
    with pytest.raises(ValueError):
        queries.list_sessions(queries.Filters(since="besok"), url=url)
    by_id = queries.list_sessions(queries.Filters(), sort="trainee_id", descending=False, url=url)
    assert [s["trainee_id"] for s in by_id["sessions"]] == ["A1", "B2"]


def test_cohort_and_progress(tmp_path):
    url = store_of(tmp_path, {"web.A1.00000000000000a1": visit_events("A1"),
                              "web.A1.00000000000000a2": visit_events("A1", t0=1.8e9)})
    cohort = queries.cohort(queries.Filters(), url=url)
    assert cohort["weakest_dimension"] == "responsiveness"
    assert cohort["common_tips"][0] == {"tip": "Sebutkan lama proses.", "count": 4}
    assert cohort["per_scenario"]["upset_customer"]["pass_rate"] == 0
    progress = queries.progress("A1", url=url)
    # the chart's overall is the visit score (the debrief's), the replies' mean beside it
    assert len(progress["points"]) == 2 and progress["points"][0]["overall"] == 62
    assert progress["points"][0]["reply_mean"] == 70
    assert cohort["per_dimension"]["overall"] == 62 and cohort["per_dimension"]["reply_mean"] == 70
