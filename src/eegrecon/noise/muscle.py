"""Muscle artifacts (EMG)."""

from __future__ import annotations

import numpy as np
from scipy import signal

from eegrecon.data.simulate import burst_envelope
from eegrecon.noise.base import Noise
from eegrecon.signal.filters import resample


class SimulatedEMG(Noise):
    """Simulated scalp EMG from frontalis, temporalis and masseter: summed motor-unit action potentials,
    broadband ~20–200 Hz with a peak near 50–80 Hz, in bursts of contraction (jaw clench, frown);
    10–100 µV. Generated at ``gen_rate`` Hz (≥ 2×200 Hz) and resampled with an anti-aliasing filter to the
    target rate, so a 256 Hz output keeps the 20–128 Hz part, as a real amplifier would.

    Parameters
    ----------
    amplitude_uv : float
        Typical RMS amplitude during a burst, µV.
    band : (float, float)
        Pass band of the motor-unit activity, Hz.
    gen_rate : float
        Rate the EMG is generated at before resampling, Hz.
    """

    name, family = "emg_sim", "emg"

    def __init__(self, amplitude_uv: float = 30.0, band: tuple = (20.0, 200.0), gen_rate: float = 1024.0):
        self.amplitude_uv, self.band, self.gen_rate = amplitude_uv, band, gen_rate

    def generate(self, n, n_times, sfreq, rng):
        fs = max(self.gen_rate, 2.5 * self.band[1], sfreq)
        m = int(np.ceil(n_times * fs / sfreq)) + 64
        sos = signal.butter(4, [self.band[0], min(self.band[1], 0.45 * fs)], btype="band", fs=fs, output="sos")
        white = rng.standard_normal((n, m + 256))
        emg = signal.sosfilt(sos, white, axis=1)[:, 256:]
        env = 0.3 + burst_envelope(n, m, fs, rng, mean_dur=0.4)
        x = resample(emg * env, fs, sfreq)[:, :n_times]
        x = x / (x.std(axis=1, keepdims=True) + 1e-12)
        return x * self.amplitude_uv
