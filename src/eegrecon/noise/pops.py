"""Electrode pops."""

from __future__ import annotations

import numpy as np

from eegrecon.noise.base import Noise


class ElectrodePop(Noise):
    """Electrode pop: a sudden change of electrode–skin impedance (drying gel, a tug on the lead) gives a
    step of 50–500 µV that recovers exponentially (time constant 0.1–1 s); broadband at the edge, mostly
    below 5 Hz. Each window has max(1, Poisson(``rate``)) pops.

    Parameters
    ----------
    amplitude_uv : float
        Typical step amplitude, µV.
    rate : float
        Mean pops per window.
    """

    name, family = "pop", "electrode_pop"

    def __init__(self, amplitude_uv: float = 150.0, rate: float = 1.0):
        self.amplitude_uv, self.rate = amplitude_uv, rate

    def generate(self, n, n_times, sfreq, rng):
        counts = np.maximum(1, rng.poisson(self.rate, n))
        idx = np.arange(n_times)[None, :]
        out = np.zeros((n, n_times))
        for k in range(int(counts.max())):
            active = (counts > k)[:, None]
            onset = rng.integers(0, n_times - 1, (n, 1))
            tau = rng.uniform(0.1, 1.0, (n, 1)) * sfreq
            amp = rng.uniform(0.3, 1.0, (n, 1)) * self.amplitude_uv * rng.choice([-1.0, 1.0], (n, 1))
            dt = idx - onset
            out += active * np.where(dt >= 0, amp * np.exp(-np.maximum(dt, 0) / tau), 0.0)
        return out
