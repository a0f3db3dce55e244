"""Which model cleans a recording: the multichannel one when the recording shows enough of the scalp.

Rule (``Denoiser(model="auto")``, the default, and ``eegrecon denoise``): the multichannel model
(:data:`~eegrecon.models.pretrained.MULTICHANNEL_MODEL`) when at least :data:`MIN_POSITIONED_CHANNELS` EEG
channels to clean have a known position — from the recording's montage, or else from standard 10-20/10-05 names
matched to MNE's template or to a BioSemi/EGI cap (:mod:`~eegrecon.clean.channel_roles`) — and they are at
least half of the channels to clean; the single-channel model otherwise (arrays, few channels, unknown names).
EOG and ECG channels of the recording (by type, or by a name such as ``"EOG left"``, ``"ECG"`` or
``"POL EKG"``) are given to the multichannel model as references, never cleaned.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from eegrecon.clean.channel_roles import ChannelRoles, channel_roles
from eegrecon.errors import EegreconError
from eegrecon.method import Method, TestTimeEnsemble
from eegrecon.signal.montage import positions_from_montage

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


def reference_channels(info, skip: list[int], roles: ChannelRoles | None = None) -> tuple[list[int], list[str]]:
    """EOG and ECG channels of a recording (not bad, not among ``skip``).

    Parameters
    ----------
    info : mne.Info
        The recording's info.
    skip : list of int
        Channel indices that are not references (the EEG being cleaned).
    roles : ChannelRoles or None
        What the names say (:func:`~eegrecon.clean.channel_roles.channel_roles`; read here when None).

    Returns
    -------
    (list of int, list of str)
        Indices and kinds (``"eog"``/``"ecg"``).
    """
    picks, kinds = [], []
    types = info.get_channel_types()
    roles = roles if roles is not None else channel_roles(info["ch_names"], types)
    for i, (name, kind) in enumerate(zip(info["ch_names"], types)):
        if i in skip or name in info["bads"] or kind not in ("eog", "ecg", "eeg", "misc", "bio"):
            continue
        ref = roles.kinds[i] if kind == "eeg" else _reference_kind(name, kind)
        ref = ref if ref in ("eog", "ecg") else None
        if ref is not None:
            picks.append(i)
            kinds.append(ref)
    return picks, kinds


def joint_input(info, picks: np.ndarray, roles: ChannelRoles | None = None) -> JointInput:
    """What the multichannel model gets for these channels: their positions and the recording's references.

    Positions come from the recording's montage where it has one, else from the sites the names stand for.

    Parameters
    ----------
    info : mne.Info
        The recording's info.
    picks : ndarray of int
        The EEG channels to clean.
    roles : ChannelRoles or None
        What the names say (read here when None).

    Returns
    -------
    JointInput
        Positions (NaN where unknown), references and where the positions came from.
    """
    roles = roles if roles is not None else channel_roles(info["ch_names"], info.get_channel_types())
    pos, origin = positions_from_montage(info, picks), "montage"
    if pos is None:
        pos = roles.positions[np.asarray(picks, dtype=int)].reshape(-1, 3)
        origin = f"names, {roles.layout} cap" if roles.layout else "names"
    ref_picks, ref_kinds = reference_channels(info, list(picks), roles)
    return JointInput(pos, ref_picks, ref_kinds, origin)


def choose_model(info, picks: np.ndarray, roles: ChannelRoles | None = None) -> tuple[bool, str, JointInput | None]:
    """Whether the multichannel model should clean these channels, and why.

    Parameters
    ----------
    info : mne.Info
        The recording's info.
    picks : ndarray of int
        The EEG channels to clean.
    roles : ChannelRoles or None
        What the names say (read here when None).

    Returns
    -------
    (bool, str, JointInput or None)
        Use the multichannel model; the reason in words; its extra inputs (None when not used).
    """
    if len(picks) == 0:
        return False, "no EEG channel to clean", None
    joint = joint_input(info, picks, roles)
    known = int(np.isfinite(joint.pos).all(axis=1).sum())
    where = f"{known} of {len(picks)} EEG channels have a known position (from the {joint.origin})"
    if known < MIN_POSITIONED_CHANNELS or known < 0.5 * len(picks):
        return False, f"{where}; the multichannel model needs ≥ {MIN_POSITIONED_CHANNELS} and at least half", None
    refs = f", references {', '.join(info['ch_names'][i] for i in joint.ref_picks)}" if joint.ref_picks else ""
    return True, where + refs, joint


def resolve_method(model: str | Path | Method | Any) -> Method:
    """Turn what a user passes as a model into a :class:`~eegrecon.method.Method`.

    Parameters
    ----------
    model : str, Path, Method or torch.nn.Module
        A shipped model name (``eegrecon models list``), a checkpoint or run directory, a Method, or a network
        that carries ``sfreq`` and ``n_times``.

    Returns
    -------
    Method
        Ready to denoise windows at its ``sfreq``.
    """
    if isinstance(model, Method):
        return model
    from eegrecon.models.pretrained import load_method  # imports torch: only when a network is loaded

    return load_method(model)


def is_multichannel(method: Any) -> bool:
    """Whether ``method`` cleans a recording's channels together (takes positions and references).

    Parameters
    ----------
    method : Method
        A model.

    Returns
    -------
    bool
    """
    return bool(getattr(method, "multichannel", False))


def kind_indices(kinds: list[str]) -> np.ndarray:
    """Reference kinds (``"eog"``, ``"ecg"``) → the multichannel model's kind indices.

    Parameters
    ----------
    kinds : list of str
        One kind per reference channel.

    Returns
    -------
    ndarray of int64
    """
    from eegrecon.models.multichannel_net import REF_KINDS

    return np.array([REF_KINDS.index(k) for k in kinds], dtype=np.int64)


@dataclass
class Choice:
    """The model that cleans one recording, with what it needs and why.

    Parameters
    ----------
    method : Method
        The model that runs.
    joint : JointInput or None
        Positions and references for a multichannel model; None: every row on its own.
    reason : str
        Why, in words (``report_["model"]["reason"]``).
    references : list of str
        Names of the reference channels it reads (never changes).
    """

    method: Method
    joint: JointInput | None
    reason: str
    references: list[str] = field(default_factory=list)

    @property
    def ref_picks(self) -> list[int]:
        """Indices of the reference channels in the recording."""
        return list(self.joint.ref_picks) if self.joint else []


class ModelSet:
    """The models a Denoiser may use, loaded when first needed, and the rule that picks one per recording.

    Parameters
    ----------
    model : "auto", str, Path, Method or torch.nn.Module
        The Denoiser's ``model``.
    precision : str
        Arithmetic of the networks (:func:`~eegrecon.models.neural.resolve_precision`).
    ensemble : bool
        Average a single-channel model over sign flip and time reversal.
    """

    def __init__(self, model: str | Path | Any, precision: str = "auto", ensemble: bool = False):
        from eegrecon.models.pretrained import DEFAULT_MODEL

        self.model, self.precision = model, precision
        self.auto = isinstance(model, str) and model == "auto"
        method = self.load(DEFAULT_MODEL if self.auto else model)
        self.main = TestTimeEnsemble(method) if ensemble and not is_multichannel(method) else method
        self.course_method: Method | None = None  # single-channel, for artifact-source courses: loaded when needed
        self._multichannel: Method | None = None

    def load(self, ref) -> Method:
        """``ref`` as a Method; a network runs as a copy at this set's precision (the caller's is untouched).

        Parameters
        ----------
        ref : str, Path, Method or torch.nn.Module
            See :func:`resolve_method`.

        Returns
        -------
        Method
        """
        method = resolve_method(ref)
        if hasattr(method, "precision"):
            from eegrecon.models.neural import resolve_precision

            method = copy.copy(method)
            method.precision = resolve_precision(self.precision)
        if method.sfreq is None or method.n_times is None:
            raise EegreconError(f"{method!r} does not say which rate and window it works at (its sfreq and "
                                "n_times are None); give the Denoiser a network or set both on the method")
        return method

    def multichannel(self) -> Method:
        """The shipped multichannel model (loaded once)."""
        if self._multichannel is None:
            from eegrecon.models.pretrained import MULTICHANNEL_MODEL

            self._multichannel = self.load(MULTICHANNEL_MODEL)
        return self._multichannel

    def course_cleaner(self, sfreq: float, overlap: float, batch_size: int) -> Callable[[np.ndarray], np.ndarray]:
        """Source courses (k, n_times) at ``sfreq`` → cleaned by the single-channel model, averaged over sign flip
        and time reversal (:mod:`eegrecon.clean.spatial.artifact_sources`).

        Parameters
        ----------
        sfreq : float
            The courses' rate, Hz.
        overlap : float
            Overlap of the model's windows.
        batch_size : int
            Windows per forward pass.

        Returns
        -------
        callable
        """
        from eegrecon.clean.windows import denoise_signals
        from eegrecon.models.pretrained import DEFAULT_MODEL

        if self.course_method is None:
            single = self.load(DEFAULT_MODEL) if is_multichannel(self.main) else self.main
            self.course_method = single if isinstance(single, TestTimeEnsemble) else TestTimeEnsemble(single)
        method = self.course_method
        fn = lambda w: method.denoise(w, float(method.sfreq))  # noqa: E731
        return lambda s: denoise_signals(s, sfreq, fn, float(method.sfreq), int(method.n_times), overlap, batch_size)

    def for_recording(self, info, picks: np.ndarray, roles: ChannelRoles | None = None) -> Choice:
        """The model for a recording's channels ``picks`` (:func:`choose_model` under ``"auto"``).

        Parameters
        ----------
        info : mne.Info
            The recording's info.
        picks : ndarray of int
            The EEG channels to clean.
        roles : ChannelRoles or None
            What the names say (read here when None).

        Returns
        -------
        Choice
        """
        if self.auto:
            use, reason, joint = choose_model(info, picks, roles)
            method = self.multichannel() if use else self.main
        elif is_multichannel(self.main):
            joint, reason, method = joint_input(info, picks, roles), "asked for", self.main
        else:
            joint, reason, method = None, "asked for", self.main
        refs = list(joint.ref_picks) if joint else []
        return Choice(method, joint, reason, [info["ch_names"][i] for i in refs])

    def for_array(self, n_rows: int) -> Choice:
        """The model for an array of ``n_rows`` rows: they carry no names or positions, so each row alone, unless a
        multichannel model was asked for.

        Parameters
        ----------
        n_rows : int
            Channels.

        Returns
        -------
        Choice
        """
        if is_multichannel(self.main):
            return Choice(self.main, JointInput(np.full((n_rows, 3), np.nan)),
                          "asked for; an array has no channel positions, so every position is unknown")
        reason = ("an array carries no channel names or positions: each channel is cleaned on its own"
                  if self.auto else "asked for")
        return Choice(self.main, None, reason)
