"""The learned half of the scorer: a model of the experts' ratings beside the tables.

Where tables cannot list the wordings (condescension, evasive refusals, soft solicitation,
regional registers), a model trained on many rated replies of several independent authors
generalises better; measured on whole held-out families (``bench/bench_learned.py``,
``docs/reading.md``). Per dimension, a ridge regression over the character n-grams of the
reply (its one normalised text), the citizen line's words with the scenario, and the tables'
own three scores predicts the expert rating (1-5); the rating is put on the scorer's scale by
the rubric's medians (``docs/rubric.md``) and blended with the table score. Critical incidents
and the other caps of ``verdict.py`` still bound the result.

Trained only on the TUNING parts of the rated sets (``tests/scoring``: the dev set's tuning
part, every author's dev families, the red-team dev parts) so the held-out parts stay unseen.
The fitted model is cached in ``models/scorer-<hash of the sets and code>.joblib``
(``python -m actions.scoring fit``; ``make train`` runs it); a missing cache is fitted on first
use. Without scikit-learn or the sets, the tables alone score.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
RATED = ROOT / "tests" / "scoring"
MODELS = ROOT / "models"
DIMENSIONS = ("politeness", "clarity", "responsiveness")
# rating -> score on the scorer's scale (medians per rating, docs/rubric.md)
SCALE = {"politeness": (22, 38, 59, 72, 82), "clarity": (31, 45, 60, 68, 81),
         "responsiveness": (19, 53, 62, 79, 92)}
WEIGHT = 0.5  # share of the model in the blended score
_lock = threading.Lock()
_model: Any = None
_loaded = False


def dev_set_held_out(item: Dict[str, Any]) -> bool:
    """The ~30 % of the dev set kept out of tuning and learning (stable: the id's hash)."""
    return int(hashlib.md5(item["id"].encode("utf-8")).hexdigest(), 16) % 10 < 3


def tuning_items() -> List[Dict[str, Any]]:
    """Rated replies the model may learn from (never a held-out part)."""
    items: List[Dict[str, Any]] = []
    for path in sorted(RATED.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            if path.name == "dev_set.jsonl":
                if not dev_set_held_out(d):
                    items.append(d)
            elif d.get("split") == "dev":
                items.append(d)
    return items


def _fingerprint() -> str:
    h = hashlib.sha256()
    scoring = Path(__file__).resolve().parent  # the tables' scores are features: their code too
    sources = sorted(RATED.glob("*.jsonl")) + sorted(scoring.rglob("*.py")) + sorted(
        (scoring / "data").glob("*.yml")) + [ROOT / "actions" / "data" / "office.yml"] + sorted(
        (ROOT / "data" / "nlu").glob("*.yml"))  # the clerk's examples: known words
    for path in sources:
        h.update(path.read_bytes())
    try:
        import sklearn

        h.update(sklearn.__version__.encode())
    except ImportError:  # pragma: no cover - sklearn ships with Rasa
        pass
    return h.hexdigest()[:12]


def to_scale(dimension: str, rating: float) -> float:
    """A (fractional) 1-5 rating on the scorer's 0-100 scale."""
    points = SCALE[dimension]
    r = min(5.0, max(1.0, float(rating)))
    low = int(r) - 1
    if low >= 4:
        return float(points[4])
    return points[low] + (points[low + 1] - points[low]) * (r - 1 - low)


class RatingModel:
    """Per-dimension ridge regressions over n-grams and the tables' scores."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import Ridge

        self.reply_vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                         sublinear_tf=True)
        self.turn_vec = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2)
        self.models = {dim: Ridge(alpha=1.0) for dim in DIMENSIONS}
        self.known_words: frozenset = frozenset()  # words of good service (novelty.py)
        self.known_burdens: frozenset = frozenset()  # words of its burdens (burdens.py)

    def _features(self, rows: Sequence[Dict[str, Any]], fit: bool) -> Any:
        import numpy as np
        from scipy.sparse import csr_matrix, hstack

        replies = [r["norm"] for r in rows]
        turns = [f"{r['turn']} __{r['scenario']} __move_{r.get('move')}" for r in rows]
        tables = csr_matrix(np.array([[r["scores"][k] / 100 for k in (*DIMENSIONS, "overall")]
                                      for r in rows]) * 3)
        if fit:
            return hstack([self.reply_vec.fit_transform(replies),
                           self.turn_vec.fit_transform(turns), tables]).tocsr()
        return hstack([self.reply_vec.transform(replies), self.turn_vec.transform(turns),
                       tables]).tocsr()

    def fit(self, rows: Sequence[Dict[str, Any]], ratings: Sequence[Dict[str, int]]) -> None:
        x = self._features(rows, fit=True)
        for dim, model in self.models.items():
            model.fit(x, [r[dim] for r in ratings])

    def predict(self, row: Dict[str, Any]) -> Dict[str, float]:
        """The three ratings of one reply: the same linear models, computed directly (a
        tenth of the cost of sklearn's transform + predict for a single row)."""
        import numpy as np

        fast = self.__dict__.get("_fast") or self._compile()
        out = list(fast["intercepts"])
        for part, text in (("reply", row["norm"]),
                           ("turn", f"{row['turn']} __{row['scenario']} __move_{row.get('move')}")):
            spec = fast[part]
            counts: Dict[int, int] = {}
            vocab = spec["vocab"]
            for gram in spec["analyzer"](text):
                idx = vocab.get(gram)
                if idx is not None:
                    counts[idx] = counts.get(idx, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            values = (1.0 + np.log(tf) if spec["sublinear"] else tf) * spec["idf"][idx]
            values /= float(np.sqrt(values @ values)) or 1.0
            contribution = spec["coef"][:, idx] @ values
            for d in range(len(out)):
                out[d] += float(contribution[d])
        tables = [row["scores"][k] / 100 * 3 for k in (*DIMENSIONS, "overall")]
        for d, weights in enumerate(fast["tables"]):
            out[d] += sum(w * t for w, t in zip(weights, tables, strict=True))
        return dict(zip(DIMENSIONS, out, strict=True))

    def _compile(self) -> Dict[str, Any]:
        import numpy as np

        n_reply = len(self.reply_vec.vocabulary_)
        n_turn = len(self.turn_vec.vocabulary_)
        coefs = [self.models[dim].coef_ for dim in DIMENSIONS]
        fast = {
            "intercepts": [float(self.models[dim].intercept_) for dim in DIMENSIONS],
            "reply": {"analyzer": self.reply_vec.build_analyzer(),
                      "vocab": self.reply_vec.vocabulary_, "idf": self.reply_vec.idf_,
                      "sublinear": True, "coef": np.vstack([c[:n_reply] for c in coefs])},
            "turn": {"analyzer": self.turn_vec.build_analyzer(),
                     "vocab": self.turn_vec.vocabulary_, "idf": self.turn_vec.idf_,
                     "sublinear": False,
                     "coef": np.vstack([c[n_reply:n_reply + n_turn] for c in coefs])},
            "tables": [list(c[n_reply + n_turn:]) for c in coefs],
        }
        self.__dict__["_fast"] = fast
        return fast

    def __getstate__(self) -> Dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_fast"}


def _known_words(items: Sequence[Dict[str, Any]]) -> Tuple[frozenset, frozenset]:
    """The words of good service (``novelty.py``) and of its burdens (``burdens.py``),
    learned from the same tuning items."""
    from .burdens import known_burden_words
    from .lexicon import get_lexicon
    from .novelty import known_words
    from .text import Analysed, resources

    res = resources(get_lexicon().norms)

    def analyse(text: str) -> Analysed:
        return Analysed(text, res)

    return known_words(items, analyse), known_burden_words(items, analyse)


def cached() -> Optional[Path]:
    """The cache file of the model for the current rated sets, if it exists."""
    path = MODELS / f"scorer-{_fingerprint()}.joblib"
    return path if path.exists() else None


def fit(table_scores: Callable[[Dict[str, Any]], Dict[str, Any]]) -> Optional[Path]:
    """Fit the model on the tuning items (``table_scores``: the tables' scores of an item)
    and save it; returns the cache path."""
    import joblib

    items = tuning_items()
    rows = [table_scores(d) for d in items]
    model = RatingModel()
    model.fit(rows, items)
    model.known_words, model.known_burdens = _known_words(items)
    path = MODELS / f"scorer-{_fingerprint()}.joblib"
    try:
        MODELS.mkdir(exist_ok=True)
        joblib.dump(model, path)
        for old in MODELS.glob("scorer-*.joblib"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # read-only image: keep it in memory
        logger.warning("scorer model not saved (%s)", exc)
    global _model, _loaded
    _model, _loaded = model, True
    return path


def model(table_scores: Callable[[Dict[str, Any]], Dict[str, Any]]) -> Optional[RatingModel]:
    """The fitted model (loaded from the cache, or fitted now), or None if unavailable."""
    global _model, _loaded
    if _loaded:
        return _model
    with _lock:
        if _loaded:
            return _model
        try:
            import joblib

            path = MODELS / f"scorer-{_fingerprint()}.joblib"
            if path.exists():
                _model = joblib.load(path)
                _loaded = True
            else:
                _loaded = True  # while fitting, the tables score alone (no recursion)
                fit(table_scores)
        except Exception as exc:  # noqa: BLE001 - the tables alone still score
            logger.warning("scorer model unavailable (%s); tables only", exc)
            _model, _loaded = None, True
    return _model
