"""Regression on reference channels (EOG, ECG), gated by the multichannel model's own artifact estimate.

With EOG channels, linear regression (Gratton & Coles; MNE's ``EOGRegression``) removes the eye artifact almost
exactly, because the artifact in each EEG channel is a fixed multiple of the eye signal those channels record.
The network with reference channels gets less of it (it judges each 2-s window alone). But regression is blind:
an EOG electrode also records brain activity (and without eye activity nothing else), and regressing on it then
removes brain activity from every channel. The network decides whether the regression applies:

1. per reference kind (all EOG channels together, all ECG channels together), fit over the stretch the
   regression of the model's artifact ``A = x − y`` on the references, ``C``, and the regression of the input
   on them, ``B`` (least squares, references demeaned; both in average reference, where the network works: a
   part common to all channels is left, as the network leaves it);
2. the *agreement* ``⟨C, B⟩ / ⟨B, B⟩`` is near 1 when the network removed what the references explain (a real
   eye artifact: it removes most of it) and near 0 when it did not (the references hold brain activity, or an
   artifact absent from the EEG). It is ramped to a weight ``τ`` in [0, 1] (:data:`AGREEMENT_RAMP`);
3. the kinds with ``τ > 0`` are fitted together, ``B`` on their references, and ``B (τ ⊙ r)`` is the correction,
   subtracted only where the network acted on that channel: where its gate was closed the input is untouched.

Every fit and the correction use the references low-passed to the band their artifact lives in
(:data:`ARTIFACT_BAND_HZ`: eye movements and blinks below 15 Hz, the heart's QRS below 30 Hz), and the EEG in the
same band: an EOG or ECG electrode's own mains hum and broadband noise never reach the EEG.

The Denoiser then runs the network again on the regressed signal for whatever the references do not explain
(muscle, pops, what is left of the eye artifact).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.signal import butter, sosfiltfilt

from eegrecon.clean.spatial.refit import least_squares

#: upper edge (Hz) of the band each kind of reference is used in: where its artifact lives, below mains
ARTIFACT_BAND_HZ = {"eog": 15.0, "ecg": 30.0}

#: agreement below the first value: the references are not used (τ = 0); above the second: fully used (τ = 1)
AGREEMENT_RAMP = (0.3, 0.6)
#: fewer samples than this per reference of a kind and that kind is not used (a fit on a few seconds, e.g. one short
#: epoch, would follow chance correlations with brain activity)
MIN_SAMPLES_PER_REFERENCE = 1280


@dataclass
class ReferenceRegression:
    """A correction and how it was decided.

    Parameters
    ----------
    correction : ndarray, shape (n_eeg, n_times)
        To subtract from the EEG (its unit); 0 where the network did not act and for unused references.
    weights : dict of str to float
        ``τ`` per reference kind (``"eog"``, ``"ecg"``): 0 = not used, 1 = fully used.
    agreement : dict of str to float
        The agreement ``⟨C, B⟩ / ⟨B, B⟩`` per kind.
    """

    correction: np.ndarray
    weights: dict[str, float] = field(default_factory=dict)
    agreement: dict[str, float] = field(default_factory=dict)

    @property
    def used(self) -> bool:
        """Whether any kind of reference was used (τ > 0)."""
        return any(w > 0 for w in self.weights.values())


def _average_reference_fit(y: np.ndarray, r: np.ndarray) -> np.ndarray:
    """``B`` (n_rows, n_refs) minimising ‖y − B r‖² in average reference: the part common to all channels is
    dropped, as the network (which works in average reference) leaves it too."""
    b = least_squares(y, r)
    return b - b.mean(axis=0)


def artifact_band(x: np.ndarray, sfreq: float, edge_hz: float) -> np.ndarray:
    """A stretch low-passed to the band an artifact lives in (zero phase, 8th-order Butterworth: −70 dB at 50 Hz for
    the EOG's 15 Hz).

    Parameters
    ----------
    x : ndarray, shape (n_rows, n_times)
        Signals.
    sfreq : float
        Their rate, Hz.
    edge_hz : float
        The band's upper edge, Hz.

    Returns
    -------
    ndarray, shape (n_rows, n_times)
        Filtered; ``x`` itself when the edge is at or above 0.9 × Nyquist or the stretch is too short to filter.
    """
    if edge_hz >= 0.45 * sfreq or x.shape[-1] <= 30:
        return x
    return sosfiltfilt(butter(4, edge_hz, "lowpass", fs=sfreq, output="sos"), x, axis=-1)


def reference_regression(x: np.ndarray, y: np.ndarray, refs: np.ndarray, kinds: list[str],
                         sfreq: float | None = None) -> ReferenceRegression:
    """The correction regression on the reference channels makes, where the model agrees it applies.

    Parameters
    ----------
    x : ndarray, shape (n_eeg, n_times)
        Input EEG (any unit).
    y : ndarray, shape (n_eeg, n_times)
        The multichannel model's output for it (with the references), same unit.
    refs : ndarray, shape (n_refs, n_times)
        The reference channels (any unit: the fit absorbs it).
    kinds : list of str
        Each reference's kind (``"eog"``, ``"ecg"``).
    sfreq : float or None
        Rate, Hz: the references and the EEG are used in their artifact's band (:data:`ARTIFACT_BAND_HZ`). None:
        the whole band (a test's or a caller's choice; the Denoiser always passes it).

    Returns
    -------
    ReferenceRegression
        The correction (zeros when no kind agrees) and each kind's agreement and τ (agreement NaN and τ 0 for a
        kind whose stretch is shorter than :data:`MIN_SAMPLES_PER_REFERENCE` per reference).
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    refs = np.asarray(refs, dtype=np.float64)
    refs = refs - refs.mean(axis=1, keepdims=True)
    out = ReferenceRegression(np.zeros_like(x))
    artifact = x - y
    acted = artifact != 0
    if len(refs) == 0 or not acted.any():
        return out
    kinds = list(kinds)
    if sfreq is not None:  # every fit in the band where the artifact lives: the references' mains and noise stay out
        edge = max(ARTIFACT_BAND_HZ.get(k, max(ARTIFACT_BAND_HZ.values())) for k in kinds)
        refs = np.stack([artifact_band(r[None], sfreq, ARTIFACT_BAND_HZ.get(k, edge))[0] for r, k in zip(refs, kinds)])
        x, artifact = artifact_band(x, sfreq, edge), artifact_band(artifact, sfreq, edge)
    tau = np.zeros(len(refs))
    fits = {}
    for kind in dict.fromkeys(kinds):
        rows = [i for i, k in enumerate(kinds) if k == kind]
        if x.shape[1] < MIN_SAMPLES_PER_REFERENCE * len(rows):
            out.agreement[kind], out.weights[kind] = float("nan"), 0.0
            continue
        b = fits[kind] = _average_reference_fit(x, refs[rows])
        c = _average_reference_fit(artifact, refs[rows])
        agreement = float(np.sum(c * b) / max(float(np.sum(b * b)), 1e-300))
        lo, hi = AGREEMENT_RAMP
        out.agreement[kind] = agreement
        out.weights[kind] = float(np.clip((agreement - lo) / (hi - lo), 0.0, 1.0))
        tau[rows] = out.weights[kind]
    if not out.used:
        return out
    chosen = tau > 0
    used = [kind for kind, weight in out.weights.items() if weight > 0]
    # several kinds are fitted together (an ECG lead can also see the eyes); one kind's fit is already there
    b = fits[used[0]] if len(used) == 1 else _average_reference_fit(x, refs[chosen])
    out.correction = np.where(acted, b @ (tau[chosen, None] * refs[chosen]), 0.0)
    return out
