"""Recording adapters: an ndarray, a Raw (in memory or on disk) or Epochs, each turned into what the chunk engine
reads — rows to clean, their names, rate, the reference channels a multichannel model reads, bad spans and
boundaries — and the cleaned rows put back into the caller's type.

- **ndarray**: time on the last axis (or ``time_axis``); a 2-D array that looks transposed is cleaned as such,
  with a warning; rows are cleaned each on their own, or together by a multichannel model asked for by name;
- **Raw**: EEG channels (``picks``), never bads nor channels whose name says EOG/ECG/EMG/reference; ``bad_*``
  annotations returned as read; boundary annotations split the signal; read chunk by chunk, so a Raw that is not
  preloaded (a file on disk) stays so;
- **Epochs**: each epoch a recording of its own.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from eegrecon.clean.channel_roles import ChannelRoles, channel_roles
from eegrecon.clean.chunks import span_mask
from eegrecon.clean.engine import ChunkEngine, Settings
from eegrecon.clean.inputs import as_float_array, check_array, check_sfreq, looks_transposed
from eegrecon.clean.model_choice import Choice, ModelSet, kind_indices
from eegrecon.clean.recording import Recording
from eegrecon.errors import DataError, EegreconError
from eegrecon.signal.validate import channel_names

#: annotations that mark a discontinuity (MNE writes them where recordings were concatenated or skipped):
#: model windows never straddle one; each side is cleaned as its own signal
BOUNDARY_DESCRIPTIONS = ("bad boundary", "edge boundary", "bad_acq_skip")


@dataclass
class Context:
    """One call's models, options and report; the engine that ran last.

    Parameters
    ----------
    models : ModelSet
        The Denoiser's models.
    settings : Settings
        The engine's options.
    picks : str or list of str
        Channel types or names to clean.
    units : str or None
        Declared unit of arrays.
    report : dict
        Filled as the work goes.
    engine : ChunkEngine or None
        The engine that ran last.
    roles : ChannelRoles or None
        What the recording's channels are by name (:func:`~eegrecon.clean.channel_roles.channel_roles`).
    """

    models: ModelSet
    settings: Settings
    picks: str | list = "eeg"
    units: str | None = "uV"
    report: dict[str, Any] = field(default_factory=dict)
    engine: ChunkEngine | None = None
    roles: ChannelRoles | None = None

    def engine_for(self, choice: Choice) -> ChunkEngine:
        """An engine running ``choice``, said so in the report.

        Parameters
        ----------
        choice : Choice
            The model and what it needs.

        Returns
        -------
        ChunkEngine
        """
        s, multichannel = self.settings, choice.joint is not None
        self.report["model"] = {"name": getattr(choice.method, "name", type(choice.method).__name__),
                                "multichannel": multichannel, "reason": choice.reason}
        self.report["references"] = choice.references
        self.report["artifact_refit"] = s.refit_components if multichannel else 0
        self.report["artifact_sources"] = s.artifact_sources if multichannel else 0
        self.report["reference_regression"] = {} if s.reference_regression and choice.references else None
        self.engine = ChunkEngine(s, choice, self.models, self.report)
        return self.engine


def channel_picks(ctx: Context, info) -> np.ndarray:
    """Indices of the channels to clean: by type (``"eeg"``) or by name; bad channels never. A channel typed EEG
    whose name says it is not scalp EEG (EOG, ECG, EMG, an ear reference, a polygraphic or trigger input: common in
    EDF files, which carry no types; :mod:`~eegrecon.clean.channel_roles`) is not cleaned unless named in
    ``picks``; such channels are listed in ``report["not_eeg_by_name"]``, what each name was read as in
    ``report["channel_roles"]``.

    Parameters
    ----------
    ctx : Context
        The call.
    info : mne.Info
        The recording's info.

    Returns
    -------
    ndarray of int
    """
    picks = [ctx.picks] if isinstance(ctx.picks, str) else list(ctx.picks)
    types = info.get_channel_types()
    missing = [p for p in picks if p not in info["ch_names"] and p not in set(types)]
    if missing:
        raise EegreconError(f"picks {missing} are neither channel names nor channel types of this recording "
                            f"(types present: {', '.join(sorted(set(types)))})")
    ctx.roles = roles = channel_roles(info["ch_names"], types)
    by_name = [n for n, kind, role in zip(info["ch_names"], types, roles.kinds)
               if kind == "eeg" and n not in picks and role != "eeg"]
    ctx.report["not_eeg_by_name"] = by_name
    ctx.report["channel_roles"] = {"summary": roles.summary(), "reference": roles.reference, "layout": roles.layout,
                                   "read_as": {n: f"{roles.kinds[i]}: {why}" for i, n in enumerate(info["ch_names"])
                                               if (why := roles.why.get(n))}}
    return np.asarray([i for i, (name, kind) in enumerate(zip(info["ch_names"], types))
                       if (name in picks or kind in picks) and name not in info["bads"] and name not in by_name],
                      dtype=int)


def live_engine(ctx: Context, info=None, n_rows: int = 1) -> tuple[ChunkEngine, np.ndarray]:
    """An engine for a live stream and the stream's rows it cleans or reads (EEG first, then references).

    Parameters
    ----------
    ctx : Context
        The call.
    info : mne.Info or None
        The stream's channels (names, types, positions, bads): the model is chosen as offline. None: ``n_rows``
        anonymous channels, each cleaned on its own.
    n_rows : int
        Channels of an anonymous stream.

    Returns
    -------
    (ChunkEngine, ndarray of int)
    """
    if info is None:
        rows = np.arange(n_rows)
        engine = ctx.engine_for(ctx.models.for_array(n_rows))
        ctx.report.update(channels=[str(i) for i in rows], untouched=[])
    else:
        picks = channel_picks(ctx, info)
        if not len(picks):
            raise DataError("the stream has no EEG channel to clean (all bad or not EEG): "
                            f"{', '.join(info['ch_names'][:8])}")
        choice = ctx.models.for_recording(info, picks, ctx.roles)
        engine = ctx.engine_for(choice)
        rows = np.r_[picks, choice.ref_picks].astype(int)
        names = [info["ch_names"][i] for i in picks]
        ctx.report.update(channels=names, untouched=[c for c in info["ch_names"] if c not in names])
    names = [str(i) for i in rows] if info is None else [info["ch_names"][i] for i in rows]
    engine.start_live(names)
    return engine, rows


def bad_spans(inst) -> list[tuple[int, int]]:
    """Sample spans [start, stop) (from the Raw's first sample) covered by ``bad_*`` annotations.

    Parameters
    ----------
    inst : mne.io.Raw
        The recording.

    Returns
    -------
    list of (int, int)
    """
    sfreq, first = inst.info["sfreq"], inst.first_time
    return [(int(round((ann["onset"] - first) * sfreq)), int(round((ann["onset"] - first + ann["duration"]) * sfreq)))
            for ann in inst.annotations if str(ann["description"]).lower().startswith("bad")]


def boundary_samples(raw) -> list[int]:
    """Sample indices (from the Raw's first sample) of annotations that mark a discontinuity.

    Parameters
    ----------
    raw : mne.io.Raw
        The recording.

    Returns
    -------
    list of int
    """
    sfreq, first = raw.info["sfreq"], raw.first_time
    return [int(round((ann["onset"] - first) * sfreq)) for ann in raw.annotations
            if str(ann["description"]).lower() in BOUNDARY_DESCRIPTIONS]


def clean_array(ctx: Context, X: np.ndarray, sfreq: float, time_axis: int | None) -> np.ndarray:
    """Clean a (n_times,), (n_chans, n_times) or (n_epochs, n_chans, n_times) array; same shape, dtype and units.

    Parameters
    ----------
    ctx : Context
        The call.
    X : ndarray
        Real-valued input.
    sfreq : float
        Its rate, Hz.
    time_axis : int or None
        Which axis is time (None: the last, unless a 2-D array looks transposed).

    Returns
    -------
    ndarray
    """
    if X.ndim not in (1, 2, 3):
        raise DataError(f"array: expected (n_times,), (n_chans, n_times) or (n_epochs, n_chans, n_times), got "
                        f"shape {X.shape}")
    if time_axis is not None:
        if not -X.ndim <= time_axis < X.ndim:
            raise DataError(f"array: time_axis={time_axis} does not exist in an array of shape {X.shape}")
        moved = np.moveaxis(X, time_axis, -1)
    elif looks_transposed(X.shape, sfreq):
        warnings.warn(f"array: shape {X.shape} looks like (n_times, n_chans) ({X.shape[0]} samples of "
                      f"{X.shape[1]} channels): cleaned as such; pass time_axis=0 to say so, or time_axis=-1 if "
                      "the rows really are channels or windows", UserWarning, stacklevel=4)
        ctx.report["time_axis_guessed"] = 0
        time_axis, moved = 0, X.T
    else:
        time_axis, moved = -1, X
    engine = ctx.engine_for(ctx.models.for_array(moved.shape[-2] if moved.ndim >= 2 else 1))

    def clean(rows: np.ndarray) -> np.ndarray:
        check_array(rows, sfreq, "array")
        return engine.clean_array(rows, sfreq, "array", ctx.units)

    if engine.joint is not None:  # a multichannel model: each (n_chans, n_times) recording at once
        recs = moved.reshape(-1, *moved.shape[-2:]) if moved.ndim >= 2 else moved[None, None]
        out = np.stack([clean(r) for r in recs]).reshape(moved.shape)
    else:  # every row is one signal: (n_times,), (n_chans, n_times) or (n_epochs, n_chans, n_times)
        out = clean(moved.reshape(int(np.prod(moved.shape[:-1])), moved.shape[-1])).reshape(moved.shape)
    out = np.moveaxis(out, -1, time_axis)
    return out.astype(X.dtype if X.dtype.kind == "f" else np.float64)


def iter_raw(ctx: Context, raw, boundaries: Sequence[int] = (), exclude: dict[str, str] | None = None,
             limits: dict[str, tuple[float, float]] | None = None) -> Iterator[tuple[int, int, np.ndarray]]:
    """Clean a Raw chunk by chunk, reading only what each chunk needs (see
    :meth:`~eegrecon.clean.denoiser.Denoiser.iter_raw`).

    Parameters
    ----------
    ctx : Context
        The call.
    raw : mne.io.Raw
        The recording (preloaded or not); never modified.
    boundaries : sequence of int
        Extra sample indices where the recording is discontinuous.
    exclude : dict of str to str or None
        Channels not to clean, with the reason.
    limits : dict of str to (float, float) or None
        The range, volts, each channel can be written in; a cleaned sample beyond it is returned as read.

    Yields
    ------
    (int, int, ndarray)
        ``start``, ``stop`` and every channel's data over ``[start, stop)``, volts.
    """
    where = str(raw.filenames[0]) if getattr(raw, "filenames", None) and raw.filenames[0] else "Raw"
    exclude = dict(exclude or {})
    picks = np.asarray([i for i in channel_picks(ctx, raw.info) if raw.ch_names[i] not in exclude], dtype=int)
    names = [raw.ch_names[i] for i in picks]
    ctx.report.update(channels=names, untouched=[c for c in raw.ch_names if c not in names], excluded=exclude)
    choice = ctx.models.for_recording(raw.info, picks, ctx.roles)
    engine = ctx.engine_for(choice)
    refs = [i for i in choice.ref_picks if raw.ch_names[i] not in exclude]
    n = raw.n_times
    if n < 2:
        raise DataError(f"{where}: the recording has {n} sample(s); nothing to denoise")
    if not len(picks):
        warnings.warn(f"{where}: no EEG channels to clean (bad or non-EEG only); returned unchanged",
                      UserWarning, stacklevel=3)
        for start in range(0, n, int(120 * raw.info["sfreq"])):
            stop = min(n, start + int(120 * raw.info["sfreq"]))
            yield start, stop, raw.get_data(start=start, stop=stop)
        return
    spans = [(max(a, 0), min(b, n)) for a, b in bad_spans(raw) if b > 0 and a < n]
    ctx.report["bad_annotation_s"] = float(span_mask(spans, 0, n).sum() / raw.info["sfreq"]) if spans else 0.0
    cuts = sorted({0, n, *(int(b) for b in boundaries if 0 < b < n), *boundary_samples(raw)})
    runs = list(zip(cuts[:-1], cuts[1:]))
    others = np.setdiff1d(np.arange(len(raw.ch_names)), picks)
    rows = np.r_[picks, refs].astype(int)  # references (multichannel model) are read, used, never changed

    def read(a: int, b: int) -> np.ndarray:
        return raw.get_data(picks=rows, start=a, stop=b)

    row_names = [raw.ch_names[i] for i in rows]
    bounds = None
    if limits:
        bounds = np.array([limits.get(c, (-np.inf, np.inf)) for c in row_names], dtype=float).reshape(-1, 2)
    rec = Recording(read, len(rows), n, raw.info["sfreq"], where, row_names, runs, spans, "V", bounds)
    for start, stop, block in engine.iter_clean(rec):
        full = np.empty((len(raw.ch_names), stop - start))
        full[picks] = block[:len(picks)]
        if len(others):
            full[others] = raw.get_data(picks=others, start=start, stop=stop)
        yield start, stop, full


def clean_raw(ctx: Context, raw):
    """A cleaned, preloaded copy of ``raw``.

    Parameters
    ----------
    ctx : Context
        The call.
    raw : mne.io.Raw
        The recording; never modified.

    Returns
    -------
    mne.io.Raw
    """
    out = raw.copy().load_data()
    for start, stop, block in iter_raw(ctx, raw):
        out._data[:, start:stop] = block
    return out


def clean_epochs(ctx: Context, epochs):
    """A cleaned copy of ``epochs``, each epoch a recording of its own.

    Parameters
    ----------
    ctx : Context
        The call.
    epochs : mne.Epochs
        The epochs; never modified.

    Returns
    -------
    mne.Epochs
    """
    picks = channel_picks(ctx, epochs.info)
    names = [epochs.ch_names[i] for i in picks]
    ctx.report.update(channels=names, untouched=[c for c in epochs.ch_names if c not in names])
    if not len(picks):
        warnings.warn("Epochs: no EEG channels to clean (bad or non-EEG only); returned unchanged",
                      UserWarning, stacklevel=3)
    out = epochs.copy().load_data()
    if not len(picks):
        return out
    choice = ctx.models.for_recording(epochs.info, picks, ctx.roles)
    engine = ctx.engine_for(choice)
    sfreq = epochs.info["sfreq"]
    if engine.joint is not None:  # each epoch's channels (and references) together
        rows = np.r_[picks, choice.ref_picks].astype(int)
        data = out.get_data(picks=rows)
        row_names = [epochs.ch_names[i] for i in rows]
        for e in range(len(data)):
            check_array(data[e], sfreq, "Epochs", row_names)
            out._data[e, picks] = engine.clean_array(data[e], sfreq, "Epochs", "V", row_names)[:len(picks)]
        return out
    data = out.get_data(picks=picks)  # (n_epochs, n_picks, n_times): every epoch of every channel is a row
    rows = data.reshape(-1, data.shape[-1])
    check_array(rows, sfreq, "Epochs")
    out._data[:, picks] = engine.clean_array(rows, sfreq, "Epochs", "V").reshape(data.shape)
    return out


def artifact_map(ctx: Context, X, sfreq: float | None = None) -> tuple[list[str], np.ndarray]:
    """The model's gate per channel and sample, at the input's rate (see
    :meth:`~eegrecon.clean.denoiser.Denoiser.artifact_map`).

    Parameters
    ----------
    ctx : Context
        The call.
    X : mne.io.Raw or ndarray, shape (n_chans, n_times)
        The recording.
    sfreq : float or None
        Rate of an ndarray, Hz.

    Returns
    -------
    (list of str, ndarray of shape (n_chans, n_times))
    """
    import mne

    from eegrecon.clean.windows import overlap_add_map
    from eegrecon.signal.filters import resample

    if isinstance(X, mne.io.BaseRaw):
        picks = channel_picks(ctx, X.info)
        choice = ctx.models.for_recording(X.info, picks, ctx.roles)
        rows = np.r_[picks, choice.ref_picks].astype(int)
        data, sf = X.get_data(picks=rows), float(X.info["sfreq"])
        names = [X.ch_names[i] for i in picks]
    elif isinstance(X, np.ndarray) and X.ndim == 2:
        if sfreq is None:
            raise EegreconError("artifact_map(ndarray) needs the sampling rate: artifact_map(X, sfreq=...)")
        sf, data = check_sfreq(sfreq, "array"), as_float_array(X, "array")
        choice = ctx.models.for_array(data.shape[0])
        names = channel_names(data.shape[0])
    else:
        raise EegreconError("artifact_map takes an mne Raw or a 2-D array (n_chans, n_times)")
    engine = ctx.engine_for(choice)
    method, joint_input = choice.method, choice.joint
    if not hasattr(method, "artifact_map"):
        raise EegreconError(f"{method!r} gives no artifact map (only eegrecon networks do)")
    at_model = data if abs(sf - engine.sfreq) < 1e-9 else resample(data, sf, engine.sfreq)
    joint = None
    if joint_input is not None:
        joint = len(joint_input.pos)
        kinds = kind_indices(joint_input.ref_kinds)
        fn = lambda w: method.artifact_map(w, joint_input.pos, joint, kinds)  # noqa: E731
    else:
        fn = method.artifact_map
    gate = overlap_add_map(at_model, fn, engine.n_window, ctx.settings.overlap, joint)
    t_in, t_model = np.arange(data.shape[1]) / sf, np.arange(gate.shape[1]) / engine.sfreq
    return names, np.stack([np.interp(t_in, t_model, row) for row in gate])
