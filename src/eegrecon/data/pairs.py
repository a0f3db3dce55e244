"""Mixing clean EEG with artifacts at an exact SNR, and the per-window normalisation.

Two SNR definitions, selectable everywhere:
- ``"rms"`` (default, EEGdenoiseNet): SNR = 10·log10(RMS(x) / RMS(λ·n)) — an amplitude ratio in "dB";
- ``"power"``: SNR = 10·log10(P(x) / P(λ·n)) = 20·log10 of the RMS ratio.
Both are computed on zero-mean-free raw arrays (RMS includes the mean; artifacts are filtered to ~zero mean).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from eegrecon.metrics import rms
from eegrecon.options import SNR_DEFINITIONS, SnrDefinition, check_option

EEGDENOISENET_TEST_SNRS = np.arange(-7, 3, dtype=float)  # the 10 integer levels −7..2 dB
EEGDENOISENET_TRAIN_RANGE = (-7.0, 2.0)


def _db_factor(definition: SnrDefinition) -> float:
    check_option("SNR definition", definition, SNR_DEFINITIONS)
    return 10.0 if definition == "rms" else 20.0


def snr_db(clean: np.ndarray, noise: np.ndarray, definition: SnrDefinition = "rms") -> np.ndarray:
    """SNR of ``clean`` against ``noise`` per window, in dB of the chosen definition.

    Parameters
    ----------
    clean : ndarray, shape (..., n_times)
        Clean signal.
    noise : ndarray, shape (..., n_times)
        Artifact, as scaled.
    definition : {"rms", "power"}
        ``"rms"``: 10·log10 of the RMS ratio (EEGdenoiseNet); ``"power"``: 20·log10 of it.

    Returns
    -------
    ndarray, shape (...)
        SNR, dB.
    """
    return _db_factor(definition) * np.log10(rms(clean) / rms(noise))


def scale_for_snr(clean: np.ndarray, noise: np.ndarray, snr: np.ndarray | float,
                  definition: SnrDefinition = "rms") -> np.ndarray:
    """λ per window such that ``snr_db(clean, λ·noise) == snr``.

    Parameters
    ----------
    clean : ndarray, shape (..., n_times)
        Clean signal.
    noise : ndarray, shape (..., n_times)
        Artifact, any scale.
    snr : float or ndarray, shape (...)
        Target SNR, dB.
    definition : {"rms", "power"}
        SNR definition.

    Returns
    -------
    ndarray, shape (...)
        The scale factors λ.
    """
    return rms(clean) / (rms(noise) * 10.0 ** (np.asarray(snr, dtype=np.float64) / _db_factor(definition)))


def mix(clean: np.ndarray, noise: np.ndarray, snr: np.ndarray | float,
        definition: SnrDefinition = "rms", reference: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """noisy = clean + λ·noise at the target SNR (of ``reference``, the part of ``noise`` it is set on, if given).

    Parameters
    ----------
    clean : ndarray, shape (..., n_times)
        Clean signal.
    noise : ndarray, shape (..., n_times)
        Artifact, any scale.
    snr : float or ndarray, shape (...)
        Target SNR, dB.
    definition : {"rms", "power"}
        SNR definition.
    reference : ndarray, shape (..., n_times), optional
        The part of ``noise`` whose RMS the SNR is set on (λ·reference is at the SNR); default all of it.

    Returns
    -------
    noisy : ndarray
        clean + λ·noise, float64, same shape as ``clean``.
    scaled : ndarray
        λ·noise.
    """
    lam = scale_for_snr(clean, noise if reference is None else reference, snr, definition)
    scaled = np.asarray(noise, dtype=np.float64) * lam[..., None]
    return np.asarray(clean, dtype=np.float64) + scaled, scaled


@dataclass
class PairSet:
    """Normalised (noisy, clean) pairs, each window divided by the std of its noisy window.

    Parameters
    ----------
    noisy, clean, artifact : ndarray, shape (n, n_times)
        float32, divided by ``scale``; ``noisy == clean + artifact``.
    scale : ndarray, shape (n,)
        σ of the raw noisy window (µV): multiply to return to µV.
    snr_db : ndarray, shape (n,)
        The requested SNR in the ``definition`` used.
    noise : ndarray of str, shape (n,)
        Noise type of each pair.
    sfreq : float
        Sampling rate, Hz.
    definition : {"rms", "power"}
        SNR definition.
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
        """Undo the normalisation.

        Parameters
        ----------
        x : ndarray, shape (n, n_times)
            Normalised windows aligned with the pairs.

        Returns
        -------
        ndarray, shape (n, n_times)
            The same windows in µV.
        """
        return x * self.scale[:, None]

    def traces_uv(self, i: int, noisy_name: str = "noisy") -> dict[str, np.ndarray]:
        """Pair ``i`` back in µV (for figures).

        Parameters
        ----------
        i : int
            Pair index.
        noisy_name : str
            Key under which the noisy trace is returned.

        Returns
        -------
        dict of str to ndarray
            {"clean", "artifact", ``noisy_name``} → (n_times,).
        """
        s = self.scale[i]
        return {"clean": self.clean[i] * s, "artifact": self.artifact[i] * s, noisy_name: self.noisy[i] * s}

    def subset(self, index: np.ndarray) -> PairSet:
        """The pairs at ``index``.

        Parameters
        ----------
        index : ndarray of int or bool
            Which pairs.

        Returns
        -------
        PairSet
            A new set (arrays indexed, not shared).
        """
        return PairSet(self.noisy[index], self.clean[index], self.artifact[index], self.scale[index],
                       self.snr_db[index], self.noise[index], self.sfreq, self.definition)

    @staticmethod
    def concat(sets: list[PairSet]) -> PairSet:
        """Concatenate pair sets of the same rate and SNR definition.

        Parameters
        ----------
        sets : list of PairSet
            The sets, in order.

        Returns
        -------
        PairSet
            One set.
        """
        f = lambda name: np.concatenate([getattr(s, name) for s in sets])  # noqa: E731
        return PairSet(f("noisy"), f("clean"), f("artifact"), f("scale"), f("snr_db"), f("noise"),
                       sets[0].sfreq, sets[0].definition)


def make_pairs(clean: np.ndarray, artifact: np.ndarray, snr: np.ndarray, noise: str | np.ndarray,
               sfreq: float, definition: SnrDefinition = "rms", reference: np.ndarray | None = None) -> PairSet:
    """Mix row-aligned clean and artifact windows at the given SNRs and normalise.

    Parameters
    ----------
    clean : ndarray, shape (n, n_times)
        Clean windows, µV.
    artifact : ndarray, shape (n, n_times)
        Artifact windows, any scale.
    snr : ndarray, shape (n,)
        SNR per pair, dB.
    noise : str or ndarray of str
        Noise label(s).
    sfreq : float
        Sampling rate, Hz.
    definition : {"rms", "power"}
        SNR definition.
    reference : ndarray, shape (n, n_times), optional
        The part of ``artifact`` the SNR is set on (:meth:`Noise.generate_with_reference`); default all of it.

    Returns
    -------
    PairSet
        Normalised pairs.
    """
    _, scaled = mix(clean, artifact, snr, definition, reference)
    return normalised_pairs(clean, scaled, snr, noise, sfreq, definition)


def normalised_pairs(clean: np.ndarray, scaled: np.ndarray, snr: np.ndarray, noise: str | np.ndarray,
                     sfreq: float, definition: SnrDefinition = "rms") -> PairSet:
    """Pairs from clean windows and artifacts already at their level, each divided by its noisy window's std.

    Parameters
    ----------
    clean : ndarray, shape (n, n_times)
        Clean windows, µV.
    scaled : ndarray, shape (n, n_times)
        The artifact as added (λ·artifact), µV.
    snr : ndarray, shape (n,)
        The SNR each pair is labelled with, dB.
    noise : str or ndarray of str
        Noise label(s).
    sfreq : float
        Sampling rate, Hz.
    definition : {"rms", "power"}
        SNR definition of the label.

    Returns
    -------
    PairSet
        Normalised pairs.
    """
    clean = np.asarray(clean, dtype=np.float64)
    noisy = clean + scaled
    sigma = noisy.std(axis=-1)
    sigma = np.where(sigma > 0, sigma, 1.0)
    inv = 1.0 / sigma[:, None]
    n = len(noisy)
    labels = np.broadcast_to(np.asarray(noise, dtype=str), (n,)).copy()
    return PairSet((noisy * inv).astype(np.float32), (clean * inv).astype(np.float32),
                   (scaled * inv).astype(np.float32), sigma, np.asarray(snr, dtype=float), labels, sfreq,
                   definition)
