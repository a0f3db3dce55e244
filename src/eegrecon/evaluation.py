"""One evaluation path for ``evaluate``, the benchmarks and the noise analysis.

``evaluate(method, pairs)`` → a per-window metrics table; ``run_methods`` adds, for every method, what it does
to the same windows without artifact (clean-input preservation: CC with the input and band-power change). The
callers differ only in which methods, noises and SNRs they pass and how they render the tables.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from eegrecon.data.corpus import Corpus
from eegrecon.data.pairs import EEGDENOISENET_TEST_SNRS, EEGDENOISENET_TRAIN_RANGE, PairSet
from eegrecon.method import Method
from eegrecon.metrics import METRIC_NAMES, all_metrics, preservation
from eegrecon.noise import EVALUATION_NOISES, get_noise
from eegrecon.noise.sampling import fixed_pairs, noise_seed, random_pairs
from eegrecon.options import SnrDefinition


class EvalConfig(BaseModel):
    """Which contaminations, SNR levels and how many pairs to evaluate on.

    Parameters
    ----------
    noises : list of str
        Noise types (``mixed`` = EOG+EMG; ``mixture`` = the whole noise library).
    snrs : list of float
        Test SNR levels, dB (EEGdenoiseNet: the 10 integers −7..2).
    train_snr_range : (float, float)
        SNR range of the pairs fitted baselines learn from, dB.
    snr_definition : {"rms", "power"}
        SNR definition.
    n_test_windows : int
        Clean test windows per noise (each at every SNR level).
    n_train_pairs : int
        Training pairs per noise for fitted baselines.
    seed : int
        Seed of every draw.
    """

    noises: list[str] = Field(default_factory=lambda: list(EVALUATION_NOISES),
                              description="mixed = EOG+EMG; mixture = the whole noise library")
    snrs: list[float] = Field(default_factory=lambda: EEGDENOISENET_TEST_SNRS.tolist())
    train_snr_range: tuple[float, float] = EEGDENOISENET_TRAIN_RANGE
    snr_definition: SnrDefinition = "rms"
    n_test_windows: int = Field(300, description="clean test windows per noise (each at every SNR level)")
    n_train_pairs: int = Field(6000, description="training pairs per noise for fitted baselines")
    seed: int = 0


def make_test_pairs(corpus: Corpus, noise: str, cfg: EvalConfig, split: str = "test") -> PairSet:
    """The fixed evaluation pairs of one noise type.

    Parameters
    ----------
    corpus : Corpus
        Clean windows and artifact pools.
    noise : str
        Noise type.
    cfg : EvalConfig
        SNR levels, window count, definition, seed.
    split : str
        Split to draw from.

    Returns
    -------
    PairSet
        ``len(cfg.snrs) × cfg.n_test_windows`` pairs ordered by SNR level.
    """
    gen = get_noise(noise, corpus.pools(split))
    return fixed_pairs(corpus.clean[split], gen, np.asarray(cfg.snrs), cfg.n_test_windows,
                       noise_seed(cfg.seed, noise, split), noise, cfg.snr_definition)


def make_train_pairs(corpus: Corpus, noise: str, cfg: EvalConfig, n: int | None = None) -> PairSet:
    """Random training pairs of one noise type (for fitted baselines).

    Parameters
    ----------
    corpus : Corpus
        Clean windows and artifact pools.
    noise : str
        Noise type.
    cfg : EvalConfig
        SNR range, count, definition, seed.
    n : int or None
        Pairs (default ``cfg.n_train_pairs``).

    Returns
    -------
    PairSet
        The pairs.
    """
    gen = get_noise(noise, corpus.pools("train"))
    rng = np.random.default_rng(noise_seed(cfg.seed, noise, "train"))
    return random_pairs(corpus.clean["train"], gen, n or cfg.n_train_pairs, cfg.train_snr_range, rng, noise,
                        cfg.snr_definition)


def evaluate(method: Method, pairs: PairSet, batch: int = 4096) -> pd.DataFrame:
    """Denoise every pair and compute every metric.

    Parameters
    ----------
    method : Method
        A fitted method.
    pairs : PairSet
        Test pairs.
    batch : int
        Pairs per call of ``method.denoise``.

    Returns
    -------
    pandas.DataFrame
        One row per pair: method, noise, snr, window and every metric.
    """
    outs = []
    for start in range(0, len(pairs), batch):
        part = pairs.subset(np.arange(start, min(start + batch, len(pairs))))
        oracle = {"clean": part.clean.astype(np.float64), "artifact": part.artifact.astype(np.float64)} \
            if method.requires_oracle else {}
        den = method.denoise(part.noisy.astype(np.float64), pairs.sfreq, **oracle)
        outs.append(all_metrics(den, part.clean, part.noisy, pairs.sfreq))
    metrics = {k: np.concatenate([o[k] for o in outs]) for k in outs[0]}
    table = pd.DataFrame({"method": method.name, "noise": pairs.noise, "snr": pairs.snr_db, **metrics})
    # the clean window of each pair: fixed_pairs repeats the same windows, in order, at every SNR level
    table.insert(3, "window", table.groupby(["noise", "snr"], sort=False).cumcount())
    return table


class Evaluation(NamedTuple):
    """What :func:`run_methods` measured.

    Parameters
    ----------
    table : pandas.DataFrame
        Per-window metrics on the test pairs.
    timing : pandas.DataFrame
        Fit and denoise seconds per method and noise.
    clean_input : pandas.DataFrame
        Per method and noise (the method as fitted for that noise): what it does to the artifact-free versions of
        the test windows (:func:`~eegrecon.metrics.preservation`: ``cc_input``, ``rrmse_input``, ``<band>_db``).
        Oracles, which are told the clean signal, are left out.
    """

    table: pd.DataFrame
    timing: pd.DataFrame
    clean_input: pd.DataFrame


def clean_test_windows(pairs: PairSet) -> np.ndarray:
    """The artifact-free windows of a test set, each divided by its own std (what a method gets when there is
    nothing to remove).

    Parameters
    ----------
    pairs : PairSet
        Test pairs (each clean window repeated at every SNR level).

    Returns
    -------
    ndarray, shape (n_windows, n_times)
        One row per distinct clean window, float64.
    """
    rows = pairs.clean[pairs.snr_db == pairs.snr_db[0]].astype(np.float64)
    return rows / np.maximum(rows.std(axis=1, keepdims=True), 1e-12)


def run_methods(corpus: Corpus, methods: dict[str, Callable[[], Method]], cfg: EvalConfig,
                progress: Callable[[str], None] | None = None,
                on_fitted: Callable[[str, str, Method, PairSet], None] | None = None) -> Evaluation:
    """Fit each method per noise type on training pairs and evaluate it on the fixed test pairs and on their
    artifact-free windows.

    Parameters
    ----------
    corpus : Corpus
        Data.
    methods : dict of str to callable
        Name → factory returning a new :class:`~eegrecon.method.Method`.
    cfg : EvalConfig
        Noises, SNRs, counts.
    progress : callable or None
        Told what runs.
    on_fitted : callable or None
        ``on_fitted(noise, name, method, test_pairs)`` after each evaluation (e.g. to draw examples).

    Returns
    -------
    Evaluation
        ``(table, timing, clean_input)``.
    """
    tables, timing, kept = [], [], []
    for noise in cfg.noises:
        train, test = make_train_pairs(corpus, noise, cfg), make_test_pairs(corpus, noise, cfg)
        clean = clean_test_windows(test)
        for name, factory in methods.items():
            if progress:
                progress(f"{name} on {noise}")
            method = factory()
            t0 = time.perf_counter()
            method.fit(train)
            t1 = time.perf_counter()
            table = evaluate(method, test)
            t2 = time.perf_counter()
            table["method"] = name
            tables.append(table)
            if not method.requires_oracle:
                kept.append({"method": name, "noise": noise,
                             **preservation(method.denoise(clean, test.sfreq), clean, test.sfreq)})
            if on_fitted:
                on_fitted(noise, name, method, test)
            timing.append({"method": name, "noise": noise, "fit_s": t1 - t0, "eval_s": t2 - t1,
                           "windows": len(test)})
    return Evaluation(pd.concat(tables, ignore_index=True), pd.DataFrame(timing), pd.DataFrame(kept))


def summarise(table: pd.DataFrame, by: Sequence[str] = ("noise", "method"),
              metrics: Sequence[str] = METRIC_NAMES) -> pd.DataFrame:
    """Mean of each metric over windows and SNR levels per group (EEGdenoiseNet reports the mean over the SNR
    grid; with equal windows per level this equals the mean of the per-level means).

    Parameters
    ----------
    table : pandas.DataFrame
        Per-window metrics.
    by : sequence of str
        Grouping columns.
    metrics : sequence of str
        Columns averaged.

    Returns
    -------
    pandas.DataFrame
        One row per group.
    """
    return table.groupby(list(by), sort=False)[list(metrics)].mean().reset_index()
