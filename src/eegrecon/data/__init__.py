"""Data layer: sources, preprocessing, pairs, splits and the cached corpus.

Names are resolved on first use (PEP 562) so that importing one module of the layer (e.g.
``eegrecon.data.preprocess`` for the Denoiser) does not import the readers and MNE.
"""

from __future__ import annotations

from eegrecon.lazy import lazy_exports

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


__getattr__ = lazy_exports("eegrecon.data", _EXPORTS)
