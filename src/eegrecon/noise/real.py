"""Artifacts drawn from real recordings (windows prepared by the data layer)."""

from __future__ import annotations

import numpy as np

from eegrecon.data.windowset import WindowSet
from eegrecon.noise.base import Noise


class RealNoise(Noise):
    """Real artifact windows of one family (e.g. recorded EOG), drawn uniformly with replacement; when
    fewer samples are requested than a window holds, a random crop is taken.

    Parameters
    ----------
    family : str
        Artifact family (also the registry name).
    windows : WindowSet
        The recorded windows of one split.
    """

    origin = "real"

    def __init__(self, family: str, windows: WindowSet):
        if len(windows) == 0:
            raise ValueError(f"no real {family} windows to draw from")
        self.family, self.name, self.windows = family, family, windows

    def generate(self, n, n_times, sfreq, rng):
        if abs(sfreq - self.windows.sfreq) > 1e-6:
            raise ValueError(f"real {self.family} windows are at {self.windows.sfreq} Hz, {sfreq} Hz requested; "
                             "rebuild the data at that rate")
        if n_times > self.windows.n_times:
            raise ValueError(f"real {self.family} windows hold {self.windows.n_times} samples, {n_times} requested")
        rows = rng.integers(0, len(self.windows), n)
        start = rng.integers(0, self.windows.n_times - n_times + 1, n)
        idx = start[:, None] + np.arange(n_times)[None, :]
        return np.take_along_axis(self.windows.x[rows].astype(np.float64), idx, axis=1)

    def describe(self) -> str:
        """Which real sources the windows come from and how many there are.

        Returns
        -------
        str
            The description.
        """
        srcs = ", ".join(f"{k} ({v})" for k, v in self.windows.counts_by_source().items())
        return f"real {self.family} windows from {srcs}"
