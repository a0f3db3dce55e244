"""Power-line interference."""

from __future__ import annotations

import numpy as np

from eegrecon.noise.base import Noise, time_axis


class LineNoise(Noise):
    """Mains interference at ``mains`` Hz (50 or 60) and harmonics below Nyquist, capacitively or
    inductively coupled from power cables; narrow lines, typically 1–50 µV. The amplitude and phase drift
    slowly (``drift`` = relative amplitude modulation depth; phase wanders by up to ±0.5 rad per window).
    Harmonic k has amplitude ``harmonic_decay``^(k-1) of the fundamental.

    Parameters
    ----------
    mains : float or None
        Fundamental, Hz; None: 50 or 60 Hz, drawn per window.
    amplitude_uv : float
        Amplitude of the fundamental, µV.
    harmonic_decay : float
        Amplitude ratio between consecutive harmonics.
    drift : float
        Relative depth of the slow amplitude modulation.
    """

    name, family = "line", "line"

    def __init__(self, mains: float | None = 50.0, amplitude_uv: float = 10.0, harmonic_decay: float = 0.3,
                 drift: float = 0.2):
        self.mains, self.amplitude_uv, self.harmonic_decay, self.drift = mains, amplitude_uv, harmonic_decay, drift
        if mains is None:
            self.name = "line_any"

    def generate(self, n, n_times, sfreq, rng):
        t = time_axis(n_times, sfreq)[None, :]
        out = np.zeros((n, n_times))
        dur = n_times / sfreq
        fundamental = (np.full((n, 1), float(self.mains)) if self.mains is not None
                       else np.where(rng.random((n, 1)) < 0.5, 50.0, 60.0))
        for k in range(np.arange(fundamental.min(), sfreq / 2, fundamental.min()).size):
            f = (k + 1) * fundamental
            amp = self.amplitude_uv * self.harmonic_decay ** k * (f < sfreq / 2)
            slow = rng.uniform(0.05, 0.5, (n, 1))  # modulation rate, Hz
            env = 1.0 + self.drift * np.sin(2 * np.pi * slow * t + rng.uniform(0, 2 * np.pi, (n, 1)))
            phase = rng.uniform(0, 2 * np.pi, (n, 1)) + rng.uniform(-0.5, 0.5, (n, 1)) * t / dur
            out += amp * env * np.sin(2 * np.pi * f * t + phase)
        return out


class LineNoise60(LineNoise):
    """Mains interference at 60 Hz (the Americas, parts of Asia) and harmonics; see :class:`LineNoise`.

    Parameters
    ----------
    **kwargs
        Any :class:`LineNoise` argument but ``mains``.
    """

    name = "line60"

    def __init__(self, **kwargs):
        super().__init__(mains=60.0, **kwargs)
