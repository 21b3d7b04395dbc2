"""The trainee's guards and own visits over HTTP (issue 11): a repeated start, an empty reply,
the case facts in the answers, resuming after a lost cookie, closing as abandoned, history.

Real Rasa server, real action server, real SQLite tracker store and the real web service.
"""

from __future__ import annotations

import uuid

from tests.webclient import WebClient, enrol, sign_in

PASSWORD = "sandi-peserta-1"


def employee() -> str:
    return f"api-{uuid.uuid4().hex[:8]}"


def trainer(web) -> WebClient:
    client = WebClient(web.web_url)
    assert client.login(web.trainer_password, trainer="Bu Wati") == 303
    return client


def member(web, name: str = "Nur Aini") -> tuple[str, WebClient]:
    """A trainee enrolled on the roster and signed in (exams and history need it)."""
    who = employee()
    code = enrol(trainer(web), who, name, "DPMPTSP Uji")
    client, status, body = sign_in(web.web_url, who, code, PASSWORD)
    assert status == 200, body
    return who, client


def again(web, who: str) -> WebClient:
    """The same trainee signed in on another browser."""
    client, status, body = sign_in(web.web_url, who, PASSWORD)
    assert status == 200, body
    return client


def start(client: WebClient, who: str, scenario: str, name: str = "Nur Aini", **extra):
    status, _, body = client.request("POST", "/api/visit/start", {
        "name": name, "employee_id": who, "scenario": scenario, **extra})
    assert status == 200, body
    return body


def test_a_repeated_start_from_the_page_answers_with_the_visit_it_started(web):
    who, start_id = employee(), uuid.uuid4().hex
    client = WebClient(web.web_url)
    first = start(client, who, "upset_customer", start_id=start_id)
    again = start(client, who, "upset_customer", start_id=start_id)  # double click, retry
    assert again["messages"] == first["messages"]
    senders = web.store_senders(f"web.{who}.")
    assert len(senders) == 1  # one conversation ...
    events = web.tracker_events(senders[0])
    starts = [e for e in events if e["event"] == "user" and e["text"].startswith("/start")]
    assert len(starts) == 1  # ... and one start handled
    scene = first["messages"][0]
    assert scene["kind"] == "scene" and scene["case"]["mood"] == "angry"
    assert scene["case"]["title"] and scene["case"]["objectives"]  # practice: the checklist
    # a deliberate new start (another start id) is a new visit
    start(client, who, "upset_customer", start_id=uuid.uuid4().hex)
    assert len(web.store_senders(f"web.{who}.")) == 2


def test_an_empty_reply_is_not_sent_and_not_scored(web):
    who = employee()
    client = WebClient(web.web_url)
    start(client, who, "renewal_complete")
    for empty in ("", "   ", "\n\t", "\u200b"):
        status, _, body = client.say(empty)
        assert status == 400 and "kosong" in body["error"]
    status, _, body = client.say("Selamat pagi, Bapak, ada yang bisa saya bantu?")
    assert status == 200
    feedback = next(m["data"] for m in body["messages"] if m["kind"] == "feedback")
    assert feedback["turn"] == 1  # the empty sends counted nothing
    assert any(o["id"] == "greeted" and o["met"] for o in feedback["objectives"])


def test_exam_mode_keeps_the_mood_and_hides_objectives_and_scores(web):
    who, client = member(web)
    body = start(client, who, "upset_customer", exam=True)
    card = body["messages"][0]["case"]
    assert card["mood"] == "angry" and "objectives" not in card
    status, _, body = client.say("Ya sudah, tunggu saja, bukan urusan saya.")
    kinds = [m["kind"] for m in body["messages"]]
    assert "feedback" not in kinds
    moods = [m["case"]["mood"] for m in body["messages"] if m["kind"] == "citizen"]
    assert moods and moods[-1] in ("angry", "annoyed")


def test_the_documents_on_the_counter_come_structured(web):
    client = WebClient(web.web_url)
    start(client, employee(), "renewal_incomplete")
    shown = []
    for text in ("Selamat pagi, Bu, ada yang bisa saya bantu?",
                 "Boleh saya lihat dokumen persyaratannya, Bu?",
                 "Baik, saya periksa dulu dokumennya ya, Bu."):
        status, _, body = client.say(text)
        assert status == 200
        shown += [m["case"]["documents"] for m in body["messages"]
                  if m["kind"] == "narrator" and "documents" in m.get("case", {})]
    assert len(shown) == 1
    states = {d["name"]: d["state"] for d in shown[0]}
    assert states["Surat Keterangan Domisili Usaha"] == "tidak ada"
    assert states["NPWP"] == "ada"


def test_a_lost_cookie_resumes_after_signing_in_or_closes_as_abandoned(web):
    who, first = member(web, "Yohana Simanjuntak")
    start(first, who, "renewal_complete")
    assert first.say("Selamat pagi, Bapak, ada yang bisa saya bantu?")[0] == 200
    start(again(web, who), who, "confused_customer")

    lost = WebClient(web.web_url)  # another browser: no cookie, not signed in
    assert lost.request("GET", "/api/visit/current")[2] == {"visit": None}
    status, _, body = lost.request("POST", "/api/visits/unfinished",
                                   {"employee_id": who, "name": "Yohana Simanjuntak"})
    assert status == 401  # an employee ID and a name are no credential
    lost = again(web, who)
    status, _, body = lost.request("POST", "/api/visits/unfinished", {})
    assert [v["scenario"] for v in body["visits"]] == ["confused_customer", "renewal_complete"]
    older = body["visits"][1]["sender_id"]
    status, _, body = lost.request("POST", "/api/visit/resume", {"sender": older})
    assert status == 200
    kinds = [m["kind"] for m in body["visit"]["messages"]]
    assert kinds[:3] == ["scene", "clerk", "feedback"]
    status, _, body = lost.say("Boleh saya lihat dokumennya, Pak?")  # goes on in that visit
    feedback = next(m["data"] for m in body["messages"] if m["kind"] == "feedback")
    assert feedback["turn"] == 2

    newer = again(web, who)
    status, _, body = newer.request("POST", "/api/visit/abandon", {
        "sender": next(s for s in web.store_senders(f"web.{who}.") if s != older)})
    assert status == 200
    debrief = next(m["data"] for m in body["messages"] if m["kind"] == "debrief")
    assert debrief["ended_by"] == "abandoned" and debrief["passed"] is False
    status, _, body = newer.request("POST", "/api/visits/unfinished", {})
    assert [v["sender_id"] for v in body["visits"]] == [older]
    status, _, body = newer.request("POST", "/api/visit/resume",
                                    {"sender": "web.other.0123456789abcdef"})
    assert status == 404


def test_history_lists_only_the_trainees_own_visits(web):
    who, client = member(web)
    other, stranger = member(web, "Orang Lain")
    start(client, who, "renewal_complete")
    client.say("Selamat pagi, Bapak, ada yang bisa saya bantu?")
    client.request("POST", "/api/visit/finish", {})
    start(client, who, "gratuity_offer", exam=True)
    client.say("Selamat pagi, Bapak, ada yang bisa saya bantu?")
    start(stranger, other, "renewal_complete")
    stranger.say("Selamat pagi, Bu.")

    status, _, body = client.request("GET", "/api/history")
    assert status == 200
    rows = body["visits"]
    assert len(rows) == 2 and {r["scenario_title"] for r in rows} == {
        "Perpanjangan izin usaha, dokumen lengkap", 'Pelanggan menawarkan "uang rokok"'}
    exam_row = next(r for r in rows if r["exam_mode"])
    assert exam_row["finished"] is False  # exam: every score hidden until its end
    assert exam_row["visit_score"] is None and exam_row["reply_mean"] is None
    assert exam_row["politeness"] is None
    done = next(r for r in rows if r["finished"])
    assert done["passed"] is False and done["visit_score"] is not None
    status, _, body = client.request("GET", "/api/visit/" + done["sender_id"])
    assert status == 200 and body["sessions"][0]["debrief"]
    stranger_sender = web.store_senders(f"web.{other}.")[0]
    assert client.request("GET", "/api/visit/" + stranger_sender)[0] == 403
    assert WebClient(web.web_url).request("GET", "/api/history")[0] == 401


def test_history_opens_on_another_device_only_by_signing_in(web):
    who, rina = member(web, "Rina Kusuma")
    start(rina, who, "renewal_complete")
    rina.say("Selamat pagi, Bapak, ada yang bisa saya bantu?")
    rinas = rina.request("GET", "/api/history")[2]["visits"][0]["sender_id"]
    impostor = WebClient(web.web_url)  # the same ID and name, not signed in
    assert impostor.start("Rina Kusuma", who, "renewal_complete")[0] == 403
    assert impostor.request("GET", "/api/history")[0] == 401
    assert impostor.request("GET", "/api/visit/" + rinas)[0] == 403
    assert impostor.request("POST", "/api/history/open",
                            {"employee_id": who, "name": "Rina Kusuma"})[0] in (404, 405)
    _, _, body = again(web, who).request("GET", "/api/history")
    assert [r["turns"] for r in body["visits"]] == [1]


def test_a_reply_after_the_debrief_is_kept_but_is_not_a_turn(web):
    client = WebClient(web.web_url)
    start(client, employee(), "renewal_complete")
    client.say("Selamat pagi, Bapak, ada yang bisa saya bantu?")
    assert client.request("POST", "/api/visit/finish", {})[0] == 200
    status, _, body = client.say("Halo, Pak?")  # e.g. from a tab still open
    assert status == 200
    notice = [m for m in body["messages"] if m["kind"] == "narrator"]  # nobody answers
    assert notice and notice[-1]["case"]["visit_over"] is True  # the page fetches the summary
    _, _, last = client.request("GET", "/api/visit/last")
    visit = last["visit"]
    assert len(visit["turns"]) == 1 and visit["debrief"]["turns"] == 1
    late = [line for line in visit["transcript"] if line.get("after_end")]
    assert [line["text"] for line in late] == ["Halo, Pak?"]  # kept, nothing is lost
