"""The sweep: every method × noise type × SNR level, per-window metrics through the one evaluation path."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from eegrecon.data.corpus import Corpus
from eegrecon.evaluation import EvalConfig, run_methods
from eegrecon.method import Method
from eegrecon.noise import get_noise, noise_names
from eegrecon.noise.base import Distortion
from eegrecon.options import SnrDefinition


def sweepable_noises() -> list[str]:
    """Every additive contamination of the library (distortions such as clipping have no SNR to set)."""
    return [n for n in noise_names() if not isinstance(get_noise(n), Distortion)]


class SweepConfig(BaseModel):
    """Which noises, SNR levels, SNR definition and how many windows per cell.

    Parameters
    ----------
    noises : list of str
        Additive contaminations swept.
    snrs : list of float
        SNR levels, dB.
    snr_definition : {"rms", "power"}
        SNR definition.
    n_windows : int
        Clean test windows per noise; each is used at every SNR level.
    n_train_pairs : int
        Pairs per noise to fit the classical baselines.
    n_boot : int
        Bootstrap resamples for the CIs.
    seed : int
        Seed of every draw.
    """

    noises: list[str] = Field(default_factory=sweepable_noises)
    snrs: list[float] = Field(default_factory=lambda: np.arange(-10.0, 10.1, 2.0).tolist())
    snr_definition: SnrDefinition = "rms"
    n_windows: int = Field(100, description="clean test windows per noise; each is used at every SNR level")
    n_train_pairs: int = Field(2000, description="pairs per noise to fit the classical baselines")
    n_boot: int = 1000
    seed: int = 0

    def eval_config(self) -> EvalConfig:
        """The same grid as an :class:`~eegrecon.evaluation.EvalConfig` (so a cell equals a direct evaluation).

        Returns
        -------
        EvalConfig
            The evaluation settings.
        """
        return EvalConfig(noises=self.noises, snrs=self.snrs, snr_definition=self.snr_definition,
                          n_test_windows=self.n_windows, n_train_pairs=self.n_train_pairs, seed=self.seed)


def run_sweep(corpus: Corpus, methods: dict[str, Callable[[], Method]], cfg: SweepConfig,
              progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Per-window metrics for every (method, noise, SNR) cell: exactly :func:`eegrecon.evaluation.run_methods`
    with the sweep's grid, so a cell equals a direct evaluation of the same method on the same mixtures.

    Parameters
    ----------
    corpus : Corpus
        Data.
    methods : dict of str to callable
        Name → method factory.
    cfg : SweepConfig
        The grid.
    progress : callable or None
        Told what runs.

    Returns
    -------
    pandas.DataFrame
        Per-window metrics.
    """
    table, _, _ = run_methods(corpus, methods, cfg.eval_config(), progress)
    return table
