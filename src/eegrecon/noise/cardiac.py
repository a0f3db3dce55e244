"""Cardiac artifacts (ECG)."""

from __future__ import annotations

import numpy as np

from eegrecon.noise.base import Noise, time_axis

# (offset s from R, width s, relative amplitude) of the P, Q, R, S and T waves
_WAVES = ((-0.2, 0.025, 0.12), (-0.03, 0.01, -0.15), (0.0, 0.012, 1.0), (0.03, 0.01, -0.25), (0.25, 0.06, 0.3))


class SimulatedECG(Noise):
    """Simulated cardiac artifact: the heart's field reaches the scalp (mostly near the ears and neck,
    worse with linked-mastoid references) as a train of QRS complexes at 50–100 bpm with heart-rate
    variability; sharp 10–40 Hz QRS plus slower P/T waves; 5–20 µV on the scalp.

    Parameters
    ----------
    amplitude_uv : float
        Peak QRS amplitude, µV.
    bpm : (float, float)
        Range of heart rates drawn per window, beats per minute.
    """

    name, family = "ecg_sim", "ecg"

    def __init__(self, amplitude_uv: float = 15.0, bpm: tuple = (50.0, 100.0)):
        self.amplitude_uv, self.bpm = amplitude_uv, bpm

    def generate(self, n, n_times, sfreq, rng):
        t = time_axis(n_times, sfreq)[None, :]
        dur = n_times / sfreq
        period = 60.0 / rng.uniform(*self.bpm, (n, 1))
        max_beats = int(np.ceil(dur / (60.0 / self.bpm[1]))) + 2
        beat = rng.uniform(-period, 0, (n, 1))  # first R peak just before the window
        out = np.zeros((n, n_times))
        for _ in range(max_beats):
            for off, width, amp in _WAVES:
                out += amp * np.exp(-0.5 * ((t - beat - off) / width) ** 2)
            beat = beat + period * rng.normal(1.0, 0.04, (n, 1))
        return self.amplitude_uv * (out - out.mean(axis=1, keepdims=True))
