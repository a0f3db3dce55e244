"""White Gaussian noise."""

from __future__ import annotations

from eegrecon.noise.base import Noise


class WhiteGaussian(Noise):
    """White Gaussian noise: amplifier/thermal noise, flat spectrum 0–Nyquist, typically 1–5 µV RMS.

    Parameters
    ----------
    std_uv : float
        RMS amplitude, µV.
    """

    name, family = "white", "gaussian"

    def __init__(self, std_uv: float = 2.0):
        self.std_uv = std_uv

    def generate(self, n, n_times, sfreq, rng):
        return rng.standard_normal((n, n_times)) * self.std_uv
