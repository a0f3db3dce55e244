"""Mixing clean EEG with artifacts at an exact SNR, and the per-window normalisation.

Two SNR definitions, selectable everywhere:
- ``"rms"`` (default, EEGdenoiseNet): SNR = 10·log10(RMS(x) / RMS(λ·n)) — an amplitude ratio in "dB";
- ``"power"``: SNR = 10·log10(P(x) / P(λ·n)) = 20·log10 of the RMS ratio.
Both are computed on zero-mean-free raw arrays (RMS includes the mean; artifacts are filtered to ~zero mean).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

SnrDefinition = Literal["rms", "power"]
SNR_DEFINITIONS: tuple[str, ...] = ("rms", "power")
EEGDENOISENET_TEST_SNRS = np.arange(-7, 3, dtype=float)  # the 10 integer levels −7..2 dB
EEGDENOISENET_TRAIN_RANGE = (-7.0, 2.0)


def rms(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.sqrt(np.mean(np.square(x, dtype=np.float64), axis=axis))


def _db_factor(definition: SnrDefinition) -> float:
    if definition not in SNR_DEFINITIONS:
        raise ValueError(f"SNR definition must be one of {SNR_DEFINITIONS}, got {definition!r}")
    return 10.0 if definition == "rms" else 20.0


def snr_db(clean: np.ndarray, noise: np.ndarray, definition: SnrDefinition = "rms") -> np.ndarray:
    """SNR of ``clean`` against ``noise`` per window (last axis), in dB of the chosen definition."""
    return _db_factor(definition) * np.log10(rms(clean) / rms(noise))


def scale_for_snr(clean: np.ndarray, noise: np.ndarray, snr: np.ndarray | float,
                  definition: SnrDefinition = "rms") -> np.ndarray:
    """λ per window such that ``snr_db(clean, λ·noise) == snr``. Shapes (..., T) → (...)."""
    return rms(clean) / (rms(noise) * 10.0 ** (np.asarray(snr, dtype=np.float64) / _db_factor(definition)))


def mix(clean: np.ndarray, noise: np.ndarray, snr: np.ndarray | float,
        definition: SnrDefinition = "rms") -> tuple[np.ndarray, np.ndarray]:
    """noisy = clean + λ·noise at ``snr`` dB. Returns (noisy, λ·noise), float64, same shape as ``clean``."""
    lam = scale_for_snr(clean, noise, snr, definition)
    scaled = np.asarray(noise, dtype=np.float64) * lam[..., None]
    return np.asarray(clean, dtype=np.float64) + scaled, scaled


@dataclass
class PairSet:
    """Normalised (noisy, clean) pairs, each window divided by the std of its noisy window.

    Attributes (n = number of pairs, T = samples):
        noisy, clean, artifact: (n, T) float32, divided by ``scale``; ``noisy == clean + artifact``.
        scale: (n,) float64, σ of the raw noisy window (µV): multiply to return to µV.
        snr_db: (n,) float, the requested SNR in the ``definition`` used.
        noise: (n,) str, noise type of each pair.
    """

    noisy: np.ndarray
    clean: np.ndarray
    artifact: np.ndarray
    scale: np.ndarray
    snr_db: np.ndarray
    noise: np.ndarray
    sfreq: float
    definition: str = "rms"

    def __len__(self) -> int:
        return len(self.noisy)

    def denormalise(self, x: np.ndarray) -> np.ndarray:
        """Undo the normalisation: normalised windows (n, T) → µV."""
        return x * self.scale[:, None]

    def traces_uv(self, i: int, noisy_name: str = "noisy") -> dict[str, np.ndarray]:
        """Pair ``i`` back in µV: {"clean", "artifact", ``noisy_name``} → (T,) arrays (for figures)."""
        s = self.scale[i]
        return {"clean": self.clean[i] * s, "artifact": self.artifact[i] * s, noisy_name: self.noisy[i] * s}

    def subset(self, index: np.ndarray) -> PairSet:
        return PairSet(self.noisy[index], self.clean[index], self.artifact[index], self.scale[index],
                       self.snr_db[index], self.noise[index], self.sfreq, self.definition)

    @staticmethod
    def concat(sets: list[PairSet]) -> PairSet:
        f = lambda name: np.concatenate([getattr(s, name) for s in sets])  # noqa: E731
        return PairSet(f("noisy"), f("clean"), f("artifact"), f("scale"), f("snr_db"), f("noise"),
                       sets[0].sfreq, sets[0].definition)


def make_pairs(clean: np.ndarray, artifact: np.ndarray, snr: np.ndarray, noise: str | np.ndarray,
               sfreq: float, definition: SnrDefinition = "rms") -> PairSet:
    """Mix row-aligned ``clean`` and ``artifact`` windows (n, T) at ``snr`` (n,) dB and normalise."""
    noisy, scaled = mix(clean, artifact, snr, definition)
    sigma = noisy.std(axis=-1)
    sigma = np.where(sigma > 0, sigma, 1.0)
    inv = 1.0 / sigma[:, None]
    n = len(noisy)
    labels = np.broadcast_to(np.asarray(noise, dtype=str), (n,)).copy()
    return PairSet((noisy * inv).astype(np.float32), (clean * inv).astype(np.float32),
                   (scaled * inv).astype(np.float32), sigma, np.asarray(snr, dtype=float), labels, sfreq,
                   definition)
