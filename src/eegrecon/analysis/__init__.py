"""Noise-robustness analysis: SNR sweeps with confidence intervals, hardest scenarios, generalisation across
noise types, mitigations, and a self-contained HTML report (``eegrecon analyze``)."""

from eegrecon.analysis.bootstrap import bootstrap_ci, cells_with_ci
from eegrecon.analysis.sweep import SweepConfig, run_sweep

__all__ = ["SweepConfig", "bootstrap_ci", "cells_with_ci", "run_sweep"]
