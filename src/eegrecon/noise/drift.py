"""Baseline wander / slow drift."""

from __future__ import annotations

import numpy as np

from eegrecon.data.simulate import colored_noise
from eegrecon.noise.base import Noise, time_axis


class BaselineDrift(Noise):
    """Baseline wander: sweat and electrode-gel changes, respiration (0.1–0.5 Hz) and slow electrode
    polarisation; power below ~1 Hz, tens to hundreds of µV. A respiration sinusoid plus a brown-noise
    random walk plus a linear trend.

    Parameters
    ----------
    amplitude_uv : float
        Typical amplitude, µV.
    """

    name, family = "drift", "baseline_wander"

    def __init__(self, amplitude_uv: float = 50.0):
        self.amplitude_uv = amplitude_uv

    def generate(self, n, n_times, sfreq, rng):
        t = time_axis(n_times, sfreq)[None, :]
        resp = np.sin(2 * np.pi * rng.uniform(0.1, 0.5, (n, 1)) * t + rng.uniform(0, 2 * np.pi, (n, 1)))
        walk = np.cumsum(rng.standard_normal((n, n_times)), axis=1)
        walk = (walk - walk.mean(1, keepdims=True)) / (walk.std(1, keepdims=True) + 1e-12)
        slow = colored_noise(n, n_times, 2.0, rng, sfreq, f_min=0.05)
        trend = rng.uniform(-1, 1, (n, 1)) * (t / t.max() - 0.5)
        return self.amplitude_uv * (0.5 * resp + 0.3 * walk + 0.3 * slow + trend)
