"""Ocular artifacts (EOG): blinks and saccades."""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from eegrecon.noise.base import Noise, time_axis


class SimulatedEOG(Noise):
    """Simulated EOG. The eye is a dipole (cornea positive): a blink moves the lid over the cornea and
    gives a monophasic 200–400 ms bump of 50–200 µV at frontal sites; a saccade rotates the dipole and gives
    a step (held during fixation, decaying with the amplifier's high-pass), largest horizontally. Power
    mostly below 10 Hz.

    Parameters
    ----------
    blink_rate : float
        Blinks per second.
    saccade_rate : float
        Saccades per second.
    blink_uv : (float, float)
        Range of blink amplitudes, µV.
    saccade_uv : (float, float)
        Range of saccade step amplitudes, µV.
    """

    name, family = "eog_sim", "eog"

    def __init__(self, blink_rate: float = 0.5, saccade_rate: float = 0.7, blink_uv: tuple = (50.0, 200.0),
                 saccade_uv: tuple = (20.0, 80.0)):
        self.blink_rate, self.saccade_rate = blink_rate, saccade_rate
        self.blink_uv, self.saccade_uv = blink_uv, saccade_uv

    def generate(self, n, n_times, sfreq, rng):
        t = time_axis(n_times, sfreq)[None, :]
        dur = n_times / sfreq
        out = np.zeros((n, n_times))
        n_blinks = rng.poisson(self.blink_rate * dur, n)
        n_sacc = rng.poisson(self.saccade_rate * dur, n)
        n_blinks[(n_blinks + n_sacc) == 0] = 1  # every window carries at least one ocular event
        for k in range(int(n_blinks.max(initial=0))):
            on = (n_blinks > k)[:, None]
            centre = rng.uniform(-0.1, dur + 0.1, (n, 1))
            width = rng.uniform(0.2, 0.4, (n, 1))
            amp = rng.uniform(*self.blink_uv, (n, 1))
            # asymmetric bump: faster closing than opening
            sigma = np.where(t < centre, width / 5.0, width / 3.5)
            out += on * amp * np.exp(-0.5 * ((t - centre) / sigma) ** 2)
        for k in range(int(n_sacc.max(initial=0))):
            on = (n_sacc > k)[:, None]
            onset = rng.uniform(0, dur, (n, 1))
            amp = rng.uniform(*self.saccade_uv, (n, 1)) * rng.choice([-1.0, 1.0], (n, 1))
            rise = expit((t - onset) / 0.008)  # ~30–50 ms saccade (logistic step, overflow-free)
            decay = np.exp(-np.maximum(t - onset, 0) / rng.uniform(0.5, 2.0, (n, 1)))
            out += on * amp * rise * decay
        return out - out.mean(axis=1, keepdims=True)
