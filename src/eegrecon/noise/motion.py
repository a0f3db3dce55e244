"""Motion artifacts."""

from __future__ import annotations

import numpy as np

from eegrecon.data.simulate import colored_noise
from eegrecon.noise.base import Noise, time_axis


class SimulatedMotion(Noise):
    """Simulated motion artifact: head or cable movement shifts the electrode–skin half-cell potential and
    moves leads in the field, giving large slow swings (0.5–5 Hz, often a damped oscillation from head
    nodding or walking) with occasional sharp transients; 50–500 µV, most power below ~10 Hz.

    Parameters
    ----------
    amplitude_uv : float
        Typical amplitude, µV.
    """

    name, family = "motion_sim", "motion"

    def __init__(self, amplitude_uv: float = 100.0):
        self.amplitude_uv = amplitude_uv

    def generate(self, n, n_times, sfreq, rng):
        t = time_axis(n_times, sfreq)[None, :]
        dur = n_times / sfreq
        f = rng.uniform(0.5, 4.0, (n, 1))
        onset = rng.uniform(0, 0.7 * dur, (n, 1))
        env = np.where(t >= onset, np.exp(-(t - onset) / rng.uniform(0.3, 1.5, (n, 1))), 0.0)
        swing = env * np.sin(2 * np.pi * f * (t - onset))
        jitter = colored_noise(n, n_times, 2.0, rng, sfreq, f_min=0.5) * 0.3
        spike_at = rng.uniform(0, dur, (n, 1))
        spikes = (rng.random((n, 1)) < 0.5) * np.exp(-0.5 * ((t - spike_at) / 0.015) ** 2) * 1.5
        x = swing + jitter + spikes * rng.choice([-1.0, 1.0], (n, 1))
        x = x - x.mean(axis=1, keepdims=True)
        return self.amplitude_uv * x / (np.abs(x).max(axis=1, keepdims=True) + 1e-12)
