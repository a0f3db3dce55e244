"""Which model cleans a recording: the multichannel one when the recording shows enough of the scalp.

Rule (``Denoiser(model="auto")``, the default, and ``eegrecon denoise``): the multichannel model
(:data:`~eegrecon.models.pretrained.MULTICHANNEL_MODEL`) when at least :data:`MIN_POSITIONED_CHANNELS` EEG
channels to clean have a known position — from the recording's montage, or else from standard 10-20/10-05 names
matched to MNE's template — and they are at least half of the channels to clean; the single-channel model
otherwise (arrays, few channels, unknown names). EOG and ECG channels of the recording (by type, or by a name
such as ``"EOG left"`` or ``"ECG"``) are given to the multichannel model as references, never cleaned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from eegrecon.data.montage import positions_from_info

#: EEG channels with a known position needed for the multichannel model
MIN_POSITIONED_CHANNELS = 8
_REF_TOKENS = {"eog": ("eog", "heog", "veog"), "ecg": ("ecg", "ekg")}


@dataclass
class JointInput:
    """What the multichannel model gets besides the EEG rows.

    Parameters
    ----------
    pos : ndarray, shape (n_eeg, 3)
        EEG positions, metres (NaN rows: unknown).
    ref_picks : list of int
        Channel indices of the references in the recording.
    ref_kinds : list of str
        ``"eog"`` or ``"ecg"`` per reference.
    origin : str
        Where the positions came from (``"montage"``, ``"names"`` or ``"none"``).
    """

    pos: np.ndarray
    ref_picks: list[int] = field(default_factory=list)
    ref_kinds: list[str] = field(default_factory=list)
    origin: str = "none"


def _reference_kind(name: str, ch_type: str) -> str | None:
    if ch_type in ("eog", "ecg"):
        return ch_type
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
    for kind, tokens in _REF_TOKENS.items():
        if any(w.startswith(tokens) for w in words):
            return kind
    return None


def reference_channels(info, skip: list[int]) -> tuple[list[int], list[str]]:
    """EOG and ECG channels of a recording (not bad, not among ``skip``).

    Parameters
    ----------
    info : mne.Info
        The recording's info.
    skip : list of int
        Channel indices that are not references (the EEG being cleaned).

    Returns
    -------
    (list of int, list of str)
        Indices and kinds (``"eog"``/``"ecg"``).
    """
    picks, kinds = [], []
    types = info.get_channel_types()
    for i, (name, kind) in enumerate(zip(info["ch_names"], types)):
        if i in skip or name in info["bads"] or kind not in ("eog", "ecg", "eeg", "misc", "bio"):
            continue
        ref = _reference_kind(name, kind)
        if ref is not None:
            picks.append(i)
            kinds.append(ref)
    return picks, kinds


def joint_input(info, picks: np.ndarray) -> JointInput:
    """What the multichannel model gets for these channels: their positions and the recording's references.

    Parameters
    ----------
    info : mne.Info
        The recording's info.
    picks : ndarray of int
        The EEG channels to clean.

    Returns
    -------
    JointInput
        Positions (NaN where unknown), references and where the positions came from.
    """
    pos, origin = positions_from_info(info, picks)
    ref_picks, ref_kinds = reference_channels(info, list(picks))
    return JointInput(pos, ref_picks, ref_kinds, origin)


def choose_model(info, picks: np.ndarray) -> tuple[bool, str, JointInput | None]:
    """Whether the multichannel model should clean these channels, and why.

    Parameters
    ----------
    info : mne.Info
        The recording's info.
    picks : ndarray of int
        The EEG channels to clean.

    Returns
    -------
    (bool, str, JointInput or None)
        Use the multichannel model; the reason in words; its extra inputs (None when not used).
    """
    if len(picks) == 0:
        return False, "no EEG channel to clean", None
    joint = joint_input(info, picks)
    known = int(np.isfinite(joint.pos).all(axis=1).sum())
    where = f"{known} of {len(picks)} EEG channels have a known position (from the {joint.origin})"
    if known < MIN_POSITIONED_CHANNELS or known < 0.5 * len(picks):
        return False, f"{where}; the multichannel model needs ≥ {MIN_POSITIONED_CHANNELS} and at least half", None
    refs = f", references {', '.join(info['ch_names'][i] for i in joint.ref_picks)}" if joint.ref_picks else ""
    return True, where + refs, joint
