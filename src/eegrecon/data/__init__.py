"""Data layer: sources, preprocessing, pairs, splits and the cached corpus.

Names are resolved on first use (PEP 562) so that importing one module of the layer (e.g.
``eegrecon.data.preprocess`` for the Denoiser) does not import the readers and MNE.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Corpus": "eegrecon.data.corpus",
    "DataConfig": "eegrecon.data.corpus",
    "build_corpus": "eegrecon.data.corpus",
    "PairSet": "eegrecon.data.pairs",
    "make_pairs": "eegrecon.data.pairs",
    "mix": "eegrecon.data.pairs",
    "snr_db": "eegrecon.data.pairs",
    "WindowSet": "eegrecon.data.windowset",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'eegrecon.data' has no attribute {name!r}")
