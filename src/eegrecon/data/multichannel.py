"""Recording-level data: clean multichannel EEG with positions, real artifact time courses, and their mixture.

noisy = clean + Σ topography ⊗ time course, everything average-referenced, at 256 Hz:

- clean: PhysioNet eegmat's 19 ICA-cleaned channels (or any MNE-readable file with a montage), split by subject
  exactly as the single-channel corpus splits them (:func:`recording_splits`), so both models share test subjects;
- time courses: the real artifact recordings of ../shared/data, preprocessed like the single-channel corpus and
  split by the same groups (:func:`load_courses`); EOG keeps its vertical and horizontal channels together where
  a source has both, so a saccade's two components stay synchronous;
- topographies: :class:`~eegrecon.data.topography.TopographyBank` (forward-modelled eyes and muscles, far-field
  heart); pops and drifts on single channels; a little residual mains on all channels.

Recording-level SNR (documented in docs/multichannel.md): ``10·log10(RMS(clean_c) / RMS(artifact_c))`` at the
*most contaminated* channel ``c`` (largest artifact-to-clean RMS ratio); :func:`snr_per_channel` gives every
channel's, whose mean is reported too. Reference channels (VEOG, HEOG, ECG) are the sources as a recording would
show them: the time course at the electrode's gain plus a little brain signal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from eegrecon.atomic import atomic_path
from eegrecon.data.cache import cache_key
from eegrecon.data.corpus import DataConfig
from eegrecon.data.preprocess import preprocess
from eegrecon.data.sources import SOURCES, Segment, Source
from eegrecon.data.splits import SPLITS, split_windowset
from eegrecon.data.topography import TopographyBank
from eegrecon.data.windowing import WindowConfig, finite_runs, load_source_windows
from eegrecon.errors import DataError
from eegrecon.paths import cache_dir
from eegrecon.signal.montage import positions_from_names

#: artifact families used in the multichannel mixture and the sources of their time courses
COURSE_FAMILIES = ("eog", "emg", "ecg")
#: probability that a training window contains each component (clean windows arise when none is drawn)
MIX_PROBABILITIES = {"eog": 0.55, "emg": 0.35, "ecg": 0.15, "pop": 0.1, "drift": 0.1, "line": 0.1}
#: time constants (s) of the hardware high-pass an AC-coupled amplifier applies (log-uniform draw): 0.1–1 s, cut-offs
#: 0.16–1.6 Hz, the short end of clinical settings (0.3 s is the classic one), where eye movements change shape most
AMPLIFIER_TIME_CONSTANTS = (0.1, 1.0)


@dataclass
class Recording:
    """One clean multichannel recording.

    Parameters
    ----------
    data : ndarray, shape (n_chans, n_times)
        float32 µV, average reference, at ``sfreq``.
    sfreq : float
        Hz.
    ch_names : list of str
        Channel names.
    pos : ndarray, shape (n_chans, 3)
        Positions, metres, MNE head coordinates.
    group : str
        Subject (the split unit).
    """

    data: np.ndarray
    sfreq: float
    ch_names: list[str]
    pos: np.ndarray
    group: str


def _cache_file(name: str, key: str) -> Path:
    return cache_dir() / f"{name}-{key}.npz"


def read_eegmat_recordings(data_dir: Path, sfreq: float = 256.0, reference: str = "average") -> list[Recording]:
    """eegmat's recordings as 19-channel arrays: the corpus's clean-EEG filters, resampled.

    Parameters
    ----------
    data_dir : Path
        The data directory (holds ``physionet_eegmat/``).
    sfreq : float
        Target rate, Hz.
    reference : {"average", "recorded"}
        Average reference, or the reference they were recorded in (linked ears; each channel's median removed).

    Returns
    -------
    list of Recording
        One per EDF file (two per subject: rest and task), cached on disk.
    """
    src = SOURCES["eegmat"]
    files = src.files(data_dir)
    if reference not in ("average", "recorded"):
        raise ValueError(f"reference must be 'average' or 'recorded', got {reference!r}")
    settings = {"what": "eegmat_multichannel", "sfreq": sfreq, "filters": src.filters.model_dump()}
    if reference != "average":  # the average-reference key stays as it was, so existing caches stay valid
        settings["reference"] = reference
    key = cache_key(files, settings)
    path = _cache_file("eegmat_mc", key)
    if path.is_file():
        with np.load(path, allow_pickle=False) as z:
            names = [str(n) for n in z["names"]]
            pos = positions_from_names(names)
            return [Recording(z[f"x{i}"], sfreq, names, pos, str(g)) for i, g in enumerate(z["groups"])]
    segments = src.reader(data_dir)
    by_file: dict[str, list[Segment]] = {}
    for seg in segments:
        by_file.setdefault(seg.label.split(":")[0], []).append(seg)
    recs = []
    for segs in by_file.values():
        names = [s.label.split(":")[1].replace("EEG ", "") for s in segs]
        x = np.stack([s.data for s in segs])
        y = preprocess(x - np.median(x, axis=1, keepdims=True), segs[0].sfreq, sfreq, src.filters)
        y = (y - y.mean(axis=0, keepdims=True) if reference == "average" else y).astype(np.float32)
        recs.append(Recording(y, sfreq, names, positions_from_names(names), segs[0].group))
    if any(r.ch_names != recs[0].ch_names for r in recs):
        raise DataError(f"{src.path(data_dir)}: recordings do not share one channel list")
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, names=np.array(recs[0].ch_names), groups=np.array([r.group for r in recs]),
                 **{f"x{i}": r.data for i, r in enumerate(recs)})
    return recs


def source_split(src: Source, data_dir: Path, window: WindowConfig | None = None) -> dict:
    """The split manifest the single-channel corpus uses for ``src`` (same seed, fractions and windows).

    Parameters
    ----------
    src : Source
        The source.
    data_dir : Path
        The data directory.
    window : WindowConfig or None
        Window settings (the corpus defaults when None).

    Returns
    -------
    dict
        ``{"mode": "groups" | "time-blocks", "groups": {split: [group, ...]}}``.
    """
    corpus = DataConfig()
    ws, _ = load_source_windows(src, data_dir, window or corpus.window)
    _, manifest = split_windowset(ws, corpus.fractions, corpus.split_seed)
    return manifest


def recording_splits(recordings: list[Recording], data_dir: Path) -> dict[str, list[Recording]]:
    """eegmat recordings by split, subject-disjoint and identical to the single-channel corpus's split.

    Parameters
    ----------
    recordings : list of Recording
        From :func:`read_eegmat_recordings`.
    data_dir : Path
        The data directory.

    Returns
    -------
    dict of str to list of Recording
        ``{"train": [...], "val": [...], "test": [...]}``.
    """
    groups = source_split(SOURCES["eegmat"], data_dir)["groups"]
    where = {g: s for s, gs in groups.items() for g in gs}
    return {s: [r for r in recordings if where.get(r.group) == s] for s in SPLITS}


def _pair_eog(segments: list[Segment]) -> list[tuple[str, np.ndarray, float]]:
    """(group, (2, n) vertical/horizontal course, sfreq): adjacent veog/heog segments of one group and length
    are paired; a lone channel fills the other row with zeros (``heog`` → horizontal, anything else vertical)."""
    out, i = [], 0
    while i < len(segments):
        a = segments[i]
        b = segments[i + 1] if i + 1 < len(segments) else None
        if (b is not None and {a.label, b.label} == {"veog", "heog"} and a.group == b.group
                and len(a.data) == len(b.data)):
            v, h = (a, b) if a.label == "veog" else (b, a)
            out.append((a.group, np.stack([v.data, h.data]), a.sfreq))
            i += 2
            continue
        row = np.zeros((2, len(a.data)))
        row[1 if a.label == "heog" else 0] = a.data
        out.append((a.group, row, a.sfreq))
        i += 1
    return out


def _source_courses(src: Source, data_dir: Path, sfreq: float) -> dict[str, list[np.ndarray]]:
    """One source's preprocessed continuous courses by split (cached)."""
    key = cache_key(src.files(data_dir), {"what": "courses", "source": src.name, "sfreq": sfreq,
                                          "filters": src.filters.model_dump()})
    path = _cache_file(f"courses_{src.name}", key)
    if path.is_file():
        with np.load(path, allow_pickle=False) as z:
            out: dict[str, list[np.ndarray]] = {s: [] for s in SPLITS}
            for k in z.files:
                out[k.split("_")[0]].append(z[k])
            return out
    manifest = source_split(src, data_dir)
    segments = src.reader(data_dir)
    items = _pair_eog(segments) if src.family == "eog" else [(s.group, s.data[None], s.sfreq) for s in segments]
    out = {s: [] for s in SPLITS}
    fractions = np.cumsum([0.0, *DataConfig().fractions])
    where = {g: s for s, gs in manifest["groups"].items() for g in gs}
    for group, data, rate in items:
        for piece in finite_runs(data):
            if piece.shape[1] / rate < 4.0:
                continue
            y = preprocess(piece - np.median(piece, axis=1, keepdims=True), rate, sfreq, src.filters)
            if manifest["mode"] == "groups":
                if group in where:
                    out[where[group]].append(y.astype(np.float32))
                continue
            edges = np.round(fractions * y.shape[1]).astype(int)  # time blocks, as the corpus splits them
            for k, s in enumerate(SPLITS):
                out[s].append(y[:, edges[k]:edges[k + 1]].astype(np.float32))
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **{f"{s}_{i}": c for s in SPLITS for i, c in enumerate(out[s])})
    return out


@dataclass
class Courses:
    """Real artifact time courses by family and split.

    Parameters
    ----------
    items : dict of str to dict of str to list of ndarray
        ``items[family][split]``: arrays (2, n) for EOG (vertical, horizontal), (1, n) otherwise, at ``sfreq``.
    sfreq : float
        Hz.
    sources : dict of str to list of str
        The sources each family's courses come from.
    """

    items: dict[str, dict[str, list[np.ndarray]]]
    sfreq: float
    sources: dict[str, list[str]] = field(default_factory=dict)

    def crop(self, family: str, split: str, n_times: int, rng: np.random.Generator) -> np.ndarray:
        """A random stretch of ``n_times`` samples of a random course (longer courses drawn more often).

        Parameters
        ----------
        family, split : str
            Which courses.
        n_times : int
            Samples.
        rng : numpy.random.Generator
            Random source.

        Returns
        -------
        ndarray, shape (rows, n_times)
            float64.
        """
        pool = [c for c in self.items[family][split] if c.shape[1] >= n_times]
        if not pool:
            raise DataError(f"no {family} course of {n_times} samples in the {split} split")
        lengths = np.array([c.shape[1] - n_times + 1 for c in pool], dtype=float)
        c = pool[rng.choice(len(pool), p=lengths / lengths.sum())]
        start = rng.integers(0, c.shape[1] - n_times + 1)
        return np.asarray(c[:, start:start + n_times], dtype=np.float64)


def load_courses(data_dir: Path, sfreq: float = 256.0, redistributable_only: bool = False) -> Courses:
    """Every available real EOG, EMG and ECG source's continuous courses, split as in the corpus.

    Parameters
    ----------
    data_dir : Path
        The data directory.
    sfreq : float
        Rate, Hz.
    redistributable_only : bool
        Only sources whose licence lets a model trained on them ship in the package.

    Returns
    -------
    Courses
        The courses (a family without any available source is absent).
    """
    items: dict[str, dict[str, list[np.ndarray]]] = {}
    used: dict[str, list[str]] = {}
    for src in SOURCES.values():
        if src.family not in COURSE_FAMILIES or not src.available(data_dir):
            continue
        if redistributable_only and not src.redistributable:
            continue
        parts = _source_courses(src, data_dir, sfreq)
        fam = items.setdefault(src.family, {s: [] for s in SPLITS})
        for s in SPLITS:
            fam[s].extend(parts[s])
        used.setdefault(src.family, []).append(src.name)
    return Courses(items, sfreq, used)


def _rms(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.sqrt(np.mean(np.square(x), axis=axis))


def amplifier_highpass(course: np.ndarray, sfreq: float, time_constant: float) -> np.ndarray:
    """A course as an AC-coupled amplifier records it: a causal first-order high-pass.

    An eye movement is a step in the EOG; through such an amplifier it becomes a sharp onset that decays
    exponentially (with an overshoot when the eyes move back), unlike the symmetric response of the zero-phase
    filters the courses were prepared with. Real recordings made that way (OSET's EEGdata.mat) look like this.

    Parameters
    ----------
    course : ndarray, shape (rows, n_times)
        Time courses.
    sfreq : float
        Hz.
    time_constant : float
        RC time constant, s (cut-off ``1 / (2π·τ)`` Hz).

    Returns
    -------
    ndarray, shape (rows, n_times)
        Filtered from rest at the first sample (give it a lead-in and drop it).
    """
    from scipy.signal import butter, lfilter

    b, a = butter(1, 1.0 / (2 * np.pi * time_constant), "high", fs=sfreq)
    return lfilter(b, a, course, axis=-1)


def snr_per_channel(clean: np.ndarray, artifact: np.ndarray) -> np.ndarray:
    """Each channel's SNR, dB: ``20·log10(RMS(clean_c) / RMS(artifact_c))`` (an RMS ratio).

    Parameters
    ----------
    clean, artifact : ndarray, shape (..., n_chans, n_times)
        Clean signal and artifact.

    Returns
    -------
    ndarray, shape (..., n_chans)
        dB; +inf where the artifact is 0.
    """
    with np.errstate(divide="ignore"):
        return 20 * np.log10(_rms(clean) / _rms(artifact))


@dataclass
class Contamination:
    """One contaminated recording or window.

    Parameters
    ----------
    noisy, clean, artifact : ndarray, shape (n_chans, n_times)
        µV, average reference; ``noisy = clean + artifact``.
    refs : ndarray, shape (3, n_times)
        VEOG, HEOG and ECG reference channels, µV.
    components : list of str
        What was added.
    """

    noisy: np.ndarray
    clean: np.ndarray
    artifact: np.ndarray
    refs: np.ndarray
    components: list[str]


#: the reference channels a contamination carries, and the model's kind of each
REF_CHANNELS = (("VEOG", "eog"), ("HEOG", "eog"), ("ECG", "ecg"))
#: each reference channel also holds this multiple of the first EEG channel's clean signal (an EOG/ECG electrode
#: picks up some brain activity; regression on the references then removes brain activity too)
REF_BRAIN_GAIN = 0.2


def contaminate(clean: np.ndarray, bank: TopographyBank, courses: Courses, split: str, snr_db: float,
                rng: np.random.Generator, families: dict[str, float] | None = None,
                force: tuple[str, ...] = (), ac_coupling: float = 0.0) -> Contamination:
    """Add projected artifacts to a clean multichannel signal at a recording-level SNR.

    Parameters
    ----------
    clean : ndarray, shape (n_chans, n_times)
        µV, average reference (channels as in ``bank``).
    bank : TopographyBank
        The montage's topographies.
    courses : Courses
        Real time courses.
    split : str
        Which split's courses.
    snr_db : float
        SNR at the most contaminated channel, dB (RMS ratio).
    rng : numpy.random.Generator
        Random source.
    families : dict of str to float or None
        Probability of each component (:data:`MIX_PROBABILITIES` when None).
    force : tuple of str
        Components always included.
    ac_coupling : float
        Probability that the eye course (and its reference channels) passes through an AC-coupled amplifier's
        high-pass (:func:`amplifier_highpass`, time constant drawn from :data:`AMPLIFIER_TIME_CONSTANTS`); 0 draws
        no extra random number, so the draws stay as they were without the option.

    Returns
    -------
    Contamination
        With ``artifact`` 0 when no component was drawn.
    """
    c, n = clean.shape
    probs = MIX_PROBABILITIES if families is None else families
    chosen = [k for k, p in probs.items() if k in force or rng.random() < p]
    art = np.zeros((c, n))
    refs = np.zeros((3, n))
    for kind in chosen:
        if kind == "eog" and "eog" in courses.items:
            if ac_coupling and rng.random() < ac_coupling:
                tau = float(np.exp(rng.uniform(*np.log(AMPLIFIER_TIME_CONSTANTS))))
                lead = int(round(5 * tau * courses.sfreq))  # the filter settles from rest before the window
                course = amplifier_highpass(courses.crop("eog", split, n + lead, rng), courses.sfreq, tau)[:, lead:]
            else:
                course = courses.crop("eog", split, n, rng)
            vertical, horizontal = bank.eye(rng)
            v, h = course[0], course[1] * rng.uniform(0.3, 1.0)
            if not np.any(h) and rng.random() < 0.5:  # a lone vertical course: sometimes use it sideways
                v, h = h, v
            art += np.outer(vertical, v) + np.outer(horizontal, h)
            refs[0] += 1.5 * v
            refs[1] += 1.5 * h
        elif kind == "emg" and "emg" in courses.items:
            for _ in range(rng.integers(1, 4)):
                course = courses.crop("emg", split, n, rng)[0]
                art += rng.uniform(0.3, 1.0) * np.outer(bank.muscle(rng), course / max(_rms(course), 1e-12))
        elif kind == "ecg" and "ecg" in courses.items:
            course = courses.crop("ecg", split, n, rng)[0]
            art += np.outer(bank.heart(rng), course)
            refs[2] += course
        elif kind == "pop":
            ch = rng.integers(c)
            onset, tau = rng.integers(0, n), rng.uniform(0.1, 1.0) * courses.sfreq
            t = np.arange(n) - onset
            art[ch] += np.where(t >= 0, np.exp(-np.maximum(t, 0) / tau), 0.0) * rng.choice([-1.0, 1.0])
        elif kind == "drift":
            ch = rng.integers(c)
            t = np.arange(n) / courses.sfreq
            f = rng.uniform(0.05, 0.4)
            art[ch] += np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) + rng.uniform(-1, 1) * t / max(t[-1], 1)
        elif kind == "line":
            t = np.arange(n) / courses.sfreq
            f0 = 50.0 if rng.random() < 0.5 else 60.0
            gains = rng.normal(0, 1, c)
            art += 0.3 * np.outer(gains - gains.mean(), np.sin(2 * np.pi * f0 * t + rng.uniform(0, 2 * np.pi)))
    live = _rms(art) > 0
    if live.any():
        ratio = _rms(art[live]) / np.maximum(_rms(clean[live]), 1e-12)
        worst = np.flatnonzero(live)[np.argmax(ratio)]
        scale = _rms(clean[worst]) / (_rms(art[worst]) * 10 ** (snr_db / 20))
        art *= scale
        refs *= scale
    refs += REF_BRAIN_GAIN * clean[:1]
    return Contamination(clean + art, clean, art, refs, chosen)
