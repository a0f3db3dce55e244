"""Coloured (1/f^β) noise."""

from __future__ import annotations

from eegrecon.data.simulate import colored_noise
from eegrecon.noise.base import Noise


class ColoredNoise(Noise):
    """Coloured noise with power ∝ 1/f^β: pink (β=1, electrode/skin interface, flicker) or brown
    (β=2, random-walk drift). Spectrum from ``f_min`` Hz up; amplitude ``std_uv`` µV RMS.

    Parameters
    ----------
    exponent : float
        β.
    std_uv : float
        RMS amplitude, µV.
    f_min : float
        Below this frequency the spectrum is flat, Hz.
    name : str
        Registry name (``"pink"``, ``"brown"``).
    """

    family = "colored"

    def __init__(self, exponent: float = 1.0, std_uv: float = 5.0, f_min: float = 0.25, name: str = "pink"):
        self.exponent, self.std_uv, self.f_min, self.name = exponent, std_uv, f_min, name

    def generate(self, n, n_times, sfreq, rng):
        return colored_noise(n, n_times, self.exponent, rng, sfreq, self.f_min) * self.std_uv
