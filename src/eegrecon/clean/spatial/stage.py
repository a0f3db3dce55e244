"""The spatial stage: what the multichannel road does over the channels of a stretch once the network has run.

In order, on one chunk with its context (EEG rows first, then the EOG/ECG references):

1. broken channels (:mod:`~eegrecon.clean.spatial.broken_channels`) are replaced by their neighbours'
   interpolation before the network and every step below, and come back as read at the end;
2. regression on the reference channels where the network agrees (:mod:`~.reference_regression`), then the
   network again on the regressed signal;
3. artifact sources redone in source space (:mod:`~.artifact_sources`) with the topographies fitted over the whole
   recording (:mod:`~.recording_fit`, set in :attr:`SpatialStage.sources` by the engine's pre-pass), optionally
   the refit (:mod:`~.refit`);
4. the artifact's common mode (:mod:`~.common_mode`): everything above removes in average reference;
5. the mains bins left to the notch (:func:`~eegrecon.signal.filters.stop_mains_bins`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from eegrecon.clean.spatial.artifact_sources import SourceModel, clean_in_source_space
from eegrecon.clean.spatial.broken_channels import find_bad_channels, interpolation
from eegrecon.clean.spatial.common_mode import restore_common_mode
from eegrecon.clean.spatial.reference_regression import reference_regression
from eegrecon.clean.spatial.refit import artifact_refit
from eegrecon.signal.filters import stop_mains_bins

Network = Callable[[np.ndarray], np.ndarray]  # all rows of the stretch (n_rows, n) → the network's output on [lo, hi)


@dataclass
class SpatialStage:
    """The spatial steps of one recording's cleaning, with their settings and the report they log to.

    Parameters
    ----------
    reference_regression : bool
        Regress the EEG on the EOG/ECG channels where the network agrees.
    artifact_sources : int
        Topographies redone in source space (0: off).
    refit_components : int
        Courses of the recording-level refit (0: off).
    course_cleaner : callable
        ``sfreq → (courses → cleaned courses)``: the single-channel model for the artifact sources.
    report : dict
        The Denoiser's ``report_`` (``broken_channels`` and ``reference_regression`` are logged into it).
    names : list of str
        Names of the EEG rows, for the report.
    sources : SourceModel or None
        The recording-level topographies and filters of the source step (None: fitted per stretch).
    fit_per_stretch : bool
        Without :attr:`sources`, fit the source step over each stretch (offline) or skip it (a live stream before
        it has seen enough to fit them).
    """

    reference_regression: bool
    artifact_sources: int
    refit_components: int
    course_cleaner: Callable[[float], Callable[[np.ndarray], np.ndarray]]
    report: dict[str, Any]
    names: list[str] = field(default_factory=list)
    sources: SourceModel | None = None
    fit_per_stretch: bool = True

    def broken_rows(self, x: np.ndarray, sfreq: float, n_eeg: int) -> list[int]:
        """EEG rows of a stretch that look broken, logged by name in ``report["broken_channels"]``.

        Parameters
        ----------
        x : ndarray, shape (n_rows, n)
            The stretch (EEG rows first).
        sfreq : float
            Its rate, Hz.
        n_eeg : int
            EEG rows.

        Returns
        -------
        list of int
        """
        found = find_bad_channels(x[:n_eeg], sfreq)
        if found:
            log = self.report.setdefault("broken_channels", {})
            for row, why in found.items():
                log.setdefault(self.names[row] if self.names else f"row {row}", why)
        return sorted(found)

    @staticmethod
    def interpolate(x: np.ndarray, rows: list[int], pos: np.ndarray, n_eeg: int) -> np.ndarray:
        """A copy of ``x`` whose ``rows`` are their neighbours' interpolation (positions ``pos`` of the EEG rows).

        Parameters
        ----------
        x : ndarray, shape (n_rows, n)
            The stretch.
        rows : list of int
            Rows to replace.
        pos : ndarray, shape (n_eeg, 3)
            EEG positions, metres.
        n_eeg : int
            EEG rows.

        Returns
        -------
        ndarray, shape (n_rows, n)
        """
        x = x.copy()
        x[rows] = interpolation(pos, rows) @ x[:n_eeg]
        return x

    def regress(self, x: np.ndarray, y: np.ndarray, sfreq: float, lo: int, hi: int, n_eeg: int, kinds: list[str],
                network: Network) -> tuple[np.ndarray, np.ndarray]:
        """Step 2: the input regressed on the references where the network agrees, and the network's output for it
        (both as given when there are no references or the option is off).

        Parameters
        ----------
        x : ndarray, shape (n_rows, n)
            The stretch with its context (EEG rows, then references), as the network saw it.
        y : ndarray, shape (n_rows, hi - lo)
            The network's output on ``[lo, hi)``.
        sfreq : float
            Rate, Hz.
        lo, hi : int
            Where the network ran.
        n_eeg : int
            EEG rows.
        kinds : list of str
            Kind of each reference row (``"eog"``, ``"ecg"``).
        network : callable
            Runs the network on all rows of a stretch like ``x`` and returns its output on ``[lo, hi)``.

        Returns
        -------
        (ndarray, ndarray)
        """
        if self.reference_regression and x.shape[0] > n_eeg:
            return self._regress_references(x, y, sfreq, lo, hi, n_eeg, kinds, network)
        return x, y

    def finish(self, recorded: np.ndarray, x: np.ndarray, y: np.ndarray, sfreq: float, lo: int, hi: int,
               n_eeg: int) -> np.ndarray:
        """Steps 3–5 on the output ``y`` of :meth:`regress` for ``x``.

        Parameters
        ----------
        recorded : ndarray, shape (n_rows, n)
            The stretch before the regression.
        x, y, sfreq, lo, hi, n_eeg
            As for :meth:`regress` (``x`` regressed).

        Returns
        -------
        ndarray, shape (n_rows, hi - lo)
        """
        if self.artifact_sources and (self.sources is not None or self.fit_per_stretch):
            y[:n_eeg] = clean_in_source_space(x[:n_eeg, lo:hi], y[:n_eeg], self.artifact_sources,
                                              self.course_cleaner(sfreq), sfreq, x[n_eeg:, lo:hi], self.sources)
        if self.refit_components:
            y[:n_eeg] -= artifact_refit(x[:n_eeg, lo:hi], y[:n_eeg], self.refit_components)
        # every step above removes in average reference: add the part common to all channels
        y[:n_eeg] = restore_common_mode(recorded[:n_eeg, lo:hi], y[:n_eeg], sfreq)
        # the spatial road never touches the mains bins: the notch (where hum was found) is their only cleaner
        removed = recorded[:n_eeg, lo:hi] - y[:n_eeg]
        y[:n_eeg] = np.where(removed != 0, recorded[:n_eeg, lo:hi] - stop_mains_bins(removed, sfreq), y[:n_eeg])
        return y

    def _regress_references(self, x: np.ndarray, y: np.ndarray, sfreq: float, lo: int, hi: int, n_eeg: int,
                            kinds: list[str], network: Network) -> tuple[np.ndarray, np.ndarray]:
        """Regression on the references where the network agrees, then the network again on the result; logs each
        kind's weight. Returns the (possibly regressed) input and the output."""
        fit = reference_regression(x[:n_eeg, lo:hi], y[:n_eeg], x[n_eeg:, lo:hi], kinds, sfreq)
        log = self.report.get("reference_regression")
        if isinstance(log, dict):
            for kind, weight in fit.weights.items():
                entry = log.setdefault(kind, {"chunks": 0, "chunks_used": 0, "mean_weight": 0.0,
                                              "mean_agreement": 0.0})
                n = entry["chunks"]
                entry["mean_weight"] = (entry["mean_weight"] * n + weight) / (n + 1)
                agreement = fit.agreement[kind] if np.isfinite(fit.agreement[kind]) else 0.0  # too short: unused
                entry["mean_agreement"] = (entry["mean_agreement"] * n + agreement) / (n + 1)
                entry["chunks"] += 1
                entry["chunks_used"] += int(weight > 0)
        if not fit.used:
            return x, y
        x = x.copy()
        x[:n_eeg, lo:hi] -= fit.correction
        return x, network(x)
