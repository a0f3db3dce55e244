"""Mixtures of contaminations with per-component weights."""

from __future__ import annotations

import numpy as np

from eegrecon.data.pairs import rms
from eegrecon.noise.base import Noise


class Mixture(Noise):
    """Weighted sum of several contaminations, each first scaled to unit RMS per window, so a weight is
    the component's share of the mixture's amplitude before the whole is scaled to the target SNR.

    Parameters
    ----------
    components : list of (Noise, float or (float, float))
        Contaminations and their weights; a (low, high) weight is drawn log-uniformly per window.
    name : str
        Registry name.
    snr_on : int, optional
        Index of the component the SNR is set on (its RMS alone, the others ride on top at their weights);
        None: the SNR is set on the whole mixture.
    """

    family = "mixture"

    def __init__(self, components: list[tuple[Noise, float]], name: str = "mixture", snr_on: int | None = None):
        if not components:
            raise ValueError("a mixture needs at least one component")
        if snr_on is not None and not 0 <= snr_on < len(components):
            raise ValueError(f"snr_on={snr_on} is not a component index (the mixture has {len(components)})")
        self.components, self.name, self.snr_on = components, name, snr_on
        origins = {"real" if c.origin == "real" else "simulated" for c, _ in components}
        self.origin = "+".join(sorted(origins, reverse=True))

    def generate_parts(self, n: int, n_times: int, sfreq: float, rng: np.random.Generator) -> list[np.ndarray]:
        """Each weighted, unit-RMS component; their sum is :meth:`generate`.

        Parameters
        ----------
        n : int
            Windows.
        n_times : int
            Samples each.
        sfreq : float
            Sampling rate, Hz.
        rng : numpy.random.Generator
            Random source.

        Returns
        -------
        list of ndarray, shape (n, n_times)
            One array per component, in order.
        """
        parts = []
        for noise, weight in self.components:
            x = noise.generate(n, n_times, sfreq, rng)
            if isinstance(weight, tuple):
                weight = np.exp(rng.uniform(np.log(weight[0]), np.log(weight[1]), (n, 1)))
            parts.append(weight * x / np.maximum(rms(x), 1e-12)[:, None])
        return parts

    def generate(self, n, n_times, sfreq, rng):
        return np.sum(self.generate_parts(n, n_times, sfreq, rng), axis=0)

    def generate_with_reference(self, n, n_times, sfreq, rng):
        parts = self.generate_parts(n, n_times, sfreq, rng)
        total = np.sum(parts, axis=0)
        return total, (total if self.snr_on is None else parts[self.snr_on])

    def describe(self) -> str:
        """The components and their weights, in one line.

        Returns
        -------
        str
            The description.
        """
        weights = [f"{w[0]:g}–{w[1]:g}" if isinstance(w, tuple) else f"{w:g}" for _, w in self.components]
        text = "mixture of " + ", ".join(f"{c.name}×{w}" for (c, _), w in zip(self.components, weights))
        if self.snr_on is not None:
            text += f" (SNR set on the {self.components[self.snr_on][0].name} part)"
        return text
