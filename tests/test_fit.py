"""Corrections refit the scorer (issue 21 part 5): ``python -m review fit`` fits the scorer's
calibration layer on the rated sets and the trainers' corrections, adopts it only when held-out
agreement rises, and ``score_reply`` applies it under the reading's caps.

No servers: an SQLite tracker store and review DB in tmp_path, the calibration folder in
tmp_path (``PTSP_CALIBRATION_DIR``). The trainers' corrections are dev-set replies "rated" by
the current scorer (with a little deterministic jitter) except where a test says otherwise.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Callable

import pytest
import sqlalchemy as sa

import actions.scoring as scoring
from actions.scoring import RUBRIC_VERSION, calibration, score_reply
from actions.scoring.scorer import uncalibrated
from actions.visits import build_visits
from review import fit
from review.__main__ import main
from review.notes import save_note
from review.rescore import rescore
from review.store import TrackerStore
from tests.stack import ROOT

DIMS = ("politeness", "clarity", "responsiveness")
CONTEXT = ("customer_turn", "scenario", "move", "honorific", "hour")
# an integrity breach: a gift accepted for a favour (incidents.py caps it)
BRIBE = ("Baik Pak, uang terima kasihnya saya terima ya, nanti berkas Bapak saya dahulukan.",
         "Bisa dipercepat, Pak? Ini ada sedikit untuk Bapak.", "renewal_complete")
FORMAL = ("Baik, Bapak. Prosesnya dua hari kerja, nanti kami kabari lewat SMS.",
          "Berapa lama prosesnya, Pak?", "renewal_complete")
INFORMAL = ("Iya pak, prosesnya 2 hari aja kok, ntar dikabarin lewat sms ya.",
            "Berapa lama prosesnya, Pak?", "renewal_complete")


@pytest.fixture(autouse=True)
def folder(tmp_path, monkeypatch) -> Path:
    """Every test's own calibration folder (never models/calibration)."""
    path = tmp_path / "calibration"
    monkeypatch.setenv(calibration.ENV_DIR, str(path))
    return path


@pytest.fixture(scope="module")
def rated() -> list[fit.Example]:
    return fit.rated_examples()


@pytest.fixture(scope="module")
def replies() -> list[dict[str, Any]]:
    """40 dev-set replies in an informal register (the family) and 40 others, with the
    uncalibrated scorer's scores."""
    family, others = [], []
    for line in (ROOT / "tests" / "scoring" / "dev_set.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        out = uncalibrated(item["reply"], **{k: item.get(k) for k in CONTEXT})
        informal = bool(set(out["reading"]["register"]) & calibration.INFORMAL)
        if out["__calibrable"]:
            (family if informal else others).append(
                {**item, "informal": informal, "raw": {d: out[d] for d in DIMS}})
    return family[:40] + others[:40]


def _jitter(text: str, dim: str, spread: int = 5) -> int:
    return int(hashlib.md5(f"{dim}|{text}".encode()).hexdigest(), 16) % (2 * spread + 1) - spread


def corrections(tmp_path: Path, replies: list[dict[str, Any]],
                trainer: Callable[[dict[str, Any], str], float]) -> tuple[TrackerStore, str]:
    """One stored visit per reply, and a trainer's scores (``trainer(item, dim)``) on it."""
    store = TrackerStore(f"sqlite:///{tmp_path / 'trackers.db'}")
    store.events.metadata.create_all(store.engine)
    review_url = f"sqlite:///{tmp_path / 'review.db'}"
    rows = []
    for n, item in enumerate(replies):
        ts = 1_700_000_000.0 + 100 * n
        record = {"turn": 1, "reply": item["reply"], "move": item["move"],
                  "scenario": item["scenario"], "customer_turn": item.get("customer_turn"),
                  "scored": True, "scores": {**item["raw"], "version": RUBRIC_VERSION}}
        events = [
            {"event": "slot", "name": "scenario", "value": item["scenario"], "timestamp": ts},
            {"event": "slot", "name": "citizen_honorific", "value": item.get("honorific"),
             "timestamp": ts},
            {"event": "user", "text": item["reply"], "timestamp": ts + 1, "metadata": {},
             "parse_data": {"intent": {"name": item["move"], "confidence": 0.9}}},
            {"event": "slot", "name": "turn_record", "value": record, "timestamp": ts + 1.1},
        ]
        rows += [{"sender_id": f"fit-{n:03d}", "type_name": e["event"],
                  "timestamp": e["timestamp"], "data": json.dumps(e)} for e in events]
    with store.engine.begin() as conn:
        conn.execute(sa.insert(store.events), rows)
    for visit in build_visits(store.conversations()):
        item = replies[int(visit.sender_id.split("-")[1])]
        scores = {d: max(0, min(100, round(trainer(item, d)))) for d in DIMS}
        save_note((visit.sender_id, visit.index, 1), "Bu Wati", None, scores, review_url)
    return store, review_url


def scores_of(case: tuple[str, str, str]) -> dict[str, Any]:
    return score_reply(case[0], case[1], case[2])


def write_calibration(folder: Path, number: int, coefficients: dict[str, dict[str, float]],
                      base: str = RUBRIC_VERSION) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    name = f"calibration-{number}-00000000.json"
    (folder / name).write_text(json.dumps({"format": 1, "number": number, "base": base,
                                           "coefficients": coefficients}), "utf-8")
    (folder / "current.json").write_text(json.dumps({"file": name, "number": number}), "utf-8")


def test_consistent_corrections_are_adopted_and_change_the_scores(
        tmp_path, folder, rated, replies, monkeypatch, capsys):
    """Trainers rate every informal reply 25 points less polite than the scorer: the layer
    learns it, agreement on the held-out corrections rises, the layer is adopted."""
    def trainer(item: dict[str, Any], dim: str) -> float:
        lower = 25 if item["informal"] and dim == "politeness" else 0
        return item["raw"][dim] - lower + _jitter(item["reply"], dim)

    store, review_url = corrections(tmp_path, replies, trainer)
    informal, formal = scores_of(INFORMAL), scores_of(FORMAL)
    assert informal["version"] == RUBRIC_VERSION == scoring.SCORER_VERSION

    monkeypatch.setattr(fit, "rated_examples", lambda: rated)
    assert main(["--db-url", store.url, "--review-db-url", review_url, "fit", "--dry-run",
                 "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["adopt"] and dry["written"] is None and not folder.exists()

    result = fit.fit(store, review_url, rated=rated)
    print(fit.report(result))
    assert result.adopt, fit.report(result)
    assert result.trained["corrections"] + result.held["corrections"] == len(replies)
    assert result.held["corrections"] >= 10 and result.trained["rated"] > 1000
    before = result.before["corrections"]["dimensions"]["politeness"]
    after = result.after["corrections"]["dimensions"]["politeness"]
    # the offset moves every informal reply alike: the order barely changes (ties in the
    # held-out corrections can move rho by a thousandth either way), the error falls
    assert after["mae"] < before["mae"] - 4 and after["rho"] >= before["rho"] - 0.01
    assert result.after["mean"]["rho"] >= result.before["mean"]["rho"]
    # the coefficient is shared with the rated rows it is fitted beside (more with every hunt,
    # 5000 in session 18, 5664 in session 21, where it reached -1.9): clearly negative; what the
    # trainers see, the informal reply scored at least 5 points lower, is checked below
    assert result.coefficients["politeness"]["informal"] < -1

    pointer = json.loads((folder / "current.json").read_text("utf-8"))
    written = folder / pointer["file"]
    assert str(written) == result.written and pointer["number"] == 1
    data = json.loads(written.read_text("utf-8"))
    assert data["features"] == list(calibration.FEATURES) and data["base"] == RUBRIC_VERSION
    assert data["training"]["corrections"] == result.trained["corrections"]
    assert data["before"] == result.before and data["after"] == result.after

    calibrated = scores_of(INFORMAL)
    assert calibrated["politeness"] < informal["politeness"] - 5
    assert abs(scores_of(FORMAL)["politeness"] - formal["politeness"]) < \
        informal["politeness"] - calibrated["politeness"]
    assert calibrated["version"] == f"{RUBRIC_VERSION}+cal1" == scoring.SCORER_VERSION
    assert any(e["signal"] == "learned" and e["text"] == "kalibrasi"
               for e in calibrated["evidence"])

    # the stored turns were scored by the uncalibrated scorer: rescore --all re-scores them
    report = rescore(store, everything=True)
    assert report.rescored == len(replies)
    turn = build_visits(store.conversations())[0].turns[0]
    assert turn.rescored["scorer_version"] == f"{RUBRIC_VERSION}+cal1"
    assert rescore(store, everything=True).rescored == 0


@pytest.mark.parametrize("kind", ["contradicted", "noise"])
def test_corrections_the_held_out_part_contradicts_are_refused(
        tmp_path, folder, rated, replies, kind, monkeypatch, capsys):
    """Informal replies rated 25 lower where trained on but 10 higher where held out, or
    trainers scoring at random around the scorer: nothing is adopted, the pointer stays."""
    def trainer(item: dict[str, Any], dim: str) -> float:
        if kind == "noise":
            return item["raw"][dim] + _jitter(item["reply"], dim, spread=20)
        if item["informal"] and dim == "politeness":
            return item["raw"][dim] + (10 if fit.held_out(item["reply"]) else -25)
        return item["raw"][dim] + _jitter(item["reply"], dim)

    store, review_url = corrections(tmp_path, replies, trainer)
    write_calibration(folder, 1, {})  # an adopted layer that changes nothing
    pointer = (folder / "current.json").read_bytes()
    before = scores_of(INFORMAL)
    assert before["version"] == f"{RUBRIC_VERSION}+cal1"

    monkeypatch.setattr(fit, "rated_examples", lambda: rated)
    assert main(["--db-url", store.url, "--review-db-url", review_url, "fit"]) == 0
    out = capsys.readouterr().out
    assert "Tidak diadopsi" in out and f"Penilai tetap {RUBRIC_VERSION}+cal1" in out, out
    assert (folder / "current.json").read_bytes() == pointer
    assert sorted(p.name for p in folder.iterdir()) == ["calibration-1-00000000.json",
                                                        "current.json"]
    assert scores_of(INFORMAL) == before


def test_no_corrections_no_fit(tmp_path, folder, rated):
    store, review_url = corrections(tmp_path, [], lambda item, dim: 0)
    result = fit.fit(store, review_url, rated=rated)
    assert not result.adopt and "belum ada" in fit.report(result) and not folder.exists()


def test_caps_bound_the_calibrated_scores(folder):
    """A layer lifting every dimension by 40 points: the integrity breach stays capped."""
    plain_bribe, plain_formal = uncalibrated(*BRIBE), uncalibrated(*FORMAL)
    caps = plain_bribe["__caps"]
    assert caps["politeness"] <= 30 and caps["responsiveness"] <= 30
    write_calibration(folder, 3, {d: {"intercept": 40.0} for d in DIMS})
    bribe, formal = scores_of(BRIBE), scores_of(FORMAL)
    assert bribe["version"] == f"{RUBRIC_VERSION}+cal3"
    for dim in DIMS:
        assert bribe[dim] <= caps.get(dim, 100), (dim, bribe[dim], caps)
        assert bribe[dim] == min(caps.get(dim, 100), plain_bribe[dim] + 40)
        assert formal[dim] == min(plain_formal["__caps"].get(dim, 100), plain_formal[dim] + 40)
    assert bribe["overall"] <= plain_bribe["overall"] + 40 and bribe["overall"] < 50
    assert {i["kind"] for i in bribe["reading"]["incidents"]} >= {"integrity"}

    # a new pointer is picked up without a restart; a feature's weight applies only with it
    write_calibration(folder, 4, {"politeness": {"intercept": -10.0, "incident": -50.0}})
    assert scores_of(BRIBE)["politeness"] == max(0, plain_bribe["politeness"] - 60)
    assert scores_of(FORMAL)["politeness"] == plain_formal["politeness"] - 10
    assert scores_of(FORMAL)["clarity"] == plain_formal["clarity"]


def test_without_a_calibration_file_the_scorer_is_unchanged(folder, caplog):
    cases = [BRIBE, FORMAL, INFORMAL, ("mana berkasnya", None, "renewal_complete"),
             ("", None, None), ("asdfgh qwerty zxcvb", "Berapa lama?", "renewal_complete")]

    def plain(case: tuple) -> dict[str, Any]:
        out = uncalibrated(*case)
        return {k: v for k, v in out.items() if not k.startswith("__")}

    expected = [plain(case) for case in cases]
    assert [scores_of(case) for case in cases] == expected
    assert scoring.SCORER_VERSION == RUBRIC_VERSION == expected[0]["version"]

    folder.mkdir()
    (folder / "current.json").write_text("{not json", "utf-8")  # broken: ignored, logged
    assert [scores_of(case) for case in cases] == expected
    assert "not applied" in caplog.text
    write_calibration(folder, 2, {d: {"intercept": 30.0} for d in DIMS}, base="ptsp-rubric-0.9")
    assert [scores_of(case) for case in cases] == expected  # fitted on another rubric
    assert scoring.SCORER_VERSION == RUBRIC_VERSION


HELD = ("Selamat pagi, Ibu. Berkas Ibu lengkap, ini tanda terimanya. Prosesnya 2 hari kerja, "
        "gratis. Oh ya, kalau Ibu perlu pengacara, saya kenal satu yang bagus.",
        "Selamat pagi, saya mau perpanjang izin usaha. Ini berkas saya lengkap.",
        "renewal_complete")


def test_words_a_trainer_rated_good_are_no_longer_held(folder):
    """A reply with words no good service used is held below 70 (novelty.py); an adopted
    layer that learned them from a trainer's good rating lets it score again."""
    before = scores_of(HELD)
    held = [e for e in before["evidence"] if e["signal"] == "unrecognised_words"]
    if not held:
        pytest.skip("the rated sets already teach these words")
    assert before["overall"] <= 69
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "calibration-1-00000000.json").write_text(json.dumps({
        "format": 1, "number": 1, "base": RUBRIC_VERSION, "coefficients": {},
        "known_words": ["pengacara", "kenal", "bagus"]}), "utf-8")
    (folder / "current.json").write_text(json.dumps(
        {"file": "calibration-1-00000000.json", "number": 1}), "utf-8")
    after = scores_of(HELD)
    assert not [e for e in after["evidence"] if e["signal"] == "unrecognised_words"]
    assert after["overall"] > before["overall"]


def test_only_good_trained_corrections_teach_words():
    def example(key: str, held: bool, words: set) -> fit.Example:
        return fit.Example("corrections", key, held, {d: 60 for d in (*DIMS, "overall")},
                           {}, {}, {d: 80.0 for d in DIMS}, True, frozenset(words))

    layer = fit.fit_layer([example("a", False, {"pengacara"}), example("b", True, {"wartawan"}),
                           example("c", False, set())])
    assert layer.known_words == {"pengacara"}
    assert fit._rated_good({"politeness": 80, "clarity": 75, "responsiveness": 70})
    assert not fit._rated_good({"politeness": 40, "clarity": 55, "responsiveness": 30})
    assert "pengacara" in fit._words("Kalau perlu pengacara, saya kenal satu.")
