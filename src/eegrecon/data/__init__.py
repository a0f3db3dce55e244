"""Data layer: sources, preprocessing, pairs, splits and the cached corpus."""

from eegrecon.data.corpus import Corpus, DataConfig, build_corpus
from eegrecon.data.pairs import PairSet, make_pairs, mix, snr_db
from eegrecon.data.windowset import WindowSet

__all__ = ["Corpus", "DataConfig", "PairSet", "WindowSet", "build_corpus", "make_pairs", "mix", "snr_db"]
