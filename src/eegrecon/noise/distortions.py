"""Distortions of the signal itself: amplitude clipping (saturation) and dropout (flat stretches)."""

from __future__ import annotations

import numpy as np

from eegrecon.noise.base import Distortion
from eegrecon.options import check_option


class Clipping(Distortion):
    """Amplifier saturation: samples beyond ± ``level`` × the window's max |x| are clipped to that bound
    (an ADC at full scale, a DC offset pushing the input out of range). Adds harmonics at sharp corners.

    Parameters
    ----------
    level : float
        Clipping bound as a fraction of each window's max |x|, in (0, 1].
    """

    name = "clipping"

    def __init__(self, level: float = 0.5):
        if not 0 < level <= 1:
            raise ValueError("clipping level must be in (0, 1]")
        self.level = level

    def apply(self, x, rng):
        bound = self.level * np.abs(x).max(axis=-1, keepdims=True)
        return np.clip(x, -bound, bound)


class Dropout(Distortion):
    """Signal dropout: a lost connection or wireless packet loss holds the signal at zero (``mode="zero"``)
    or at the last value (``mode="hold"``) for a stretch of ``fraction`` of the window.

    Parameters
    ----------
    fraction : float
        Share of each window that is lost, in (0, 1).
    mode : {"zero", "hold"}
        What the signal does while lost.
    """

    name = "dropout"

    def __init__(self, fraction: float = 0.2, mode: str = "zero"):
        if not 0 < fraction < 1:
            raise ValueError("dropout fraction must be in (0, 1)")
        check_option("dropout mode", mode, ("zero", "hold"))
        self.fraction, self.mode = fraction, mode

    def apply(self, x, rng):
        out = np.array(x, dtype=np.float64, copy=True)
        n, t = out.shape
        length = max(1, int(round(self.fraction * t)))
        starts = rng.integers(0, t - length + 1, n)
        for i, s in enumerate(starts):
            out[i, s:s + length] = 0.0 if self.mode == "zero" else (out[i, s - 1] if s > 0 else 0.0)
        return out
