"""The one normaliser in Rasa's NLU pipeline: a whitespace tokenizer over the normalised text.

The tokens are the normalised words followed by the typed words the normaliser changed.

NLU and the reading see the same text: every message is normalised by the scorer's normaliser
(``text.py``: lower case, chat abbreviations, repeated letters, Javanese/Sundanese/Minang
counter words mapped to standard Indonesian, ``id_lexeme_norm`` of spacy-lookups-data) before it
is split into tokens, in training and at inference. ``config.yml`` names this component instead
of ``WhitespaceTokenizer``; everything else of the pipeline is Rasa's own.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from .lexicon import get_lexicon
from .text import Analysed, clean, resources


def normalise(text: str) -> str:
    """The normalised form of a clerk message, as the reading sees it."""
    lex = get_lexicon()
    cleaned = clean(text, int(lex.weights.get("max_chars", 2000))).text
    return Analysed(cleaned, resources(lex.norms)).norm if cleaned else ""


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class NormalisingTokenizer(WhitespaceTokenizer):
    """Rasa's whitespace tokenizer applied to the normalised text of the message."""

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        text = message.get(attribute)
        if attribute != TEXT or not isinstance(text, str) or not text.strip():
            return super().tokenize(message, attribute)
        norm = normalise(text) or text
        # the normalised words, then the typed words the normaliser changed ("sampun" beside
        # "sudah"): the classifier sees the standard word and keeps the register as a cue
        typed = [w for w in text.lower().split() if w.strip(".,!?;:") not in norm.split()]
        return super().tokenize(Message(data={attribute: " ".join([norm, *typed])}), attribute)
