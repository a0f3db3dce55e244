"""Helpers the benchmark scripts share: the real recordings and the ground-truth material as every script reads
them, the peers run side by side (MNE ICA + ICLabel, ASR, EOG regression) and the scores. Scripts import from here,
never from each other."""

from __future__ import annotations

import dataclasses
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import signal

from eegrecon.data.multichannel import (
    REF_CHANNELS,
    Courses,
    Recording,
    load_courses,
    read_eegmat_recordings,
    recording_splits,
)
from eegrecon.data.topography import TopographyBank
from eegrecon.io.readers import read_raw
from eegrecon.metrics import BANDS as METRIC_BANDS
from eegrecon.metrics import psd
from eegrecon.paths import resolve_data_dir
from eegrecon.signal.filters import notch
from eegrecon.signal.montage import OLD_NAMES, standard_positions

OUT = Path(__file__).resolve().parent / "results"

FRONTAL = ("Fp1", "Fp2", "F3", "F4", "F7", "F8", "Fz")


BANDS = {"delta": (1, 4), "theta": (4, 8), "alpha": (8, 13), "beta": (13, 30), "gamma": (30, 80)}


SFREQ = 256.0


#: the reference electrodes of eegmat's amplifier (linked ears), as 10-05 names
EARS = ("A1", "A2")


OSET_NAMES = ["Fz", "FC3", "FC1", "FCz", "FC2", "FC4", "C5", "C3", "C1", "Cz", "C2", "C4", "C6", "CP3", "CP1", "CPz",
              "CP2", "CP4", "P1", "Pz", "P2", "POz"]


# the package's one band table (eegrecon.metrics.BANDS), labelled with its edges
REAL_DATA_BANDS = {f"{name} {lo:g}-{hi:g}": (lo, hi) for name, (lo, hi) in METRIC_BANDS.items()}


def labelled_paths(items: list[str], flag: str) -> dict[str, str]:
    """``LABEL=PATH`` command-line items → {label: path}; exits with a message on an item without ``=``."""
    out = {}
    for item in items:
        label, sep, path = item.partition("=")
        if not sep:
            raise SystemExit(f"{flag} {item!r}: expected LABEL=CHECKPOINT")
        out[label] = path
    return out


def make_raw(data_uv: np.ndarray, names: list[str], refs_uv: np.ndarray | None = None, sfreq: float = SFREQ):
    """A Raw (volts) with the standard montage; VEOG/HEOG/ECG channels when refs are given."""
    import mne

    info = mne.create_info(names, sfreq, "eeg")
    data = data_uv * 1e-6
    if refs_uv is not None:
        info = mne.create_info(names + [n for n, _ in REF_CHANNELS], sfreq,
                               ["eeg"] * len(names) + [k for _, k in REF_CHANNELS])
        data = np.r_[data, refs_uv * 1e-6]
    raw = mne.io.RawArray(data, info, verbose="error")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        raw.set_montage("standard_1005", on_missing="ignore", verbose="error")
    return raw


def eeg_out(raw, names: list[str]) -> np.ndarray:
    """The EEG channels of a Raw in µV, in the reference they are in."""
    return raw.get_data(picks=names) * 1e6


def average_reference(x: np.ndarray) -> np.ndarray:
    """(n_chans, n_times) re-referenced to the channels' mean."""
    return x - x.mean(axis=0)


def fit_ica(raw, picks, fit_params: dict | None = None):
    """ICA (picard, 15 components) fitted in the recording's own reference on a 1-Hz high-passed copy (ICLabel's
    band up to 100 Hz or just under Nyquist) and applied in that reference. Returns (ica, the recording, the
    filtered copy)."""
    import mne

    work = raw.copy().pick(picks)
    fit_on = work.copy().filter(1.0, min(100.0, raw.info["sfreq"] / 2 - 5), verbose="error")
    n_components = min(15, len(work.ch_names) - 1)  # an average-referenced input has one rank less
    ica = mne.preprocessing.ICA(n_components=n_components, method="picard", max_iter="auto", random_state=0,
                                fit_params=fit_params, verbose="error")
    ica.fit(fit_on, picks="eeg", verbose="error")
    return ica, work, fit_on


def run_ica_iclabel(raw, names, confident: float | None = None):
    """ICA + ICLabel. ``confident=None``: mne-icalabel's documented rule (remove every component not labelled
    brain or other); a number: remove only eye/muscle/heart components labelled with that probability."""
    from mne_icalabel import label_components

    ica, work, fit_on = fit_ica(raw, names, dict(ortho=False, extended=True))  # the ICA ICLabel was trained on
    found = label_components(fit_on, ica, method="iclabel")
    labels, proba = found["labels"], found["y_pred_proba"]
    if confident is None:
        ica.exclude = [i for i, lab in enumerate(labels) if lab not in ("brain", "other")]
    else:
        ica.exclude = [i for i, (lab, p) in enumerate(zip(labels, proba))
                       if lab in ("eye blink", "muscle artifact", "heart beat") and p >= confident]
    return eeg_out(ica.apply(work, verbose="error"), names)


def run_ica_eog(raw, names):
    ica, work, fit_on = fit_ica(raw, raw.ch_names)
    bads, _ = ica.find_bads_eog(fit_on, ch_name=["VEOG", "HEOG"], verbose="error")
    ica.exclude = list(bads)
    return eeg_out(ica.apply(work, verbose="error"), names)


def run_asr(cutoff: float):
    def run(raw, names):
        from meegkit.asr import ASR

        x = eeg_out(raw, names)
        asr = ASR(sfreq=raw.info["sfreq"], cutoff=cutoff)
        asr.fit(x)
        return asr.transform(x)
    return run


def run_eog_regression(raw, names):
    import mne

    raw = raw.copy().set_eeg_reference([], verbose="error")  # fit and apply in the reference the recording is in
    model = mne.preprocessing.EOGRegression(picks="eeg", picks_artifact="eog").fit(raw)
    return eeg_out(model.apply(raw), names)


def band_powers(x: np.ndarray) -> dict[str, float]:
    from scipy.signal import welch

    f, p = welch(x, fs=SFREQ, nperseg=int(2 * SFREQ), axis=-1)
    return {b: float(p[:, (f >= lo) & (f < hi)].sum()) for b, (lo, hi) in BANDS.items()}


def scores(out: np.ndarray, truth: np.ndarray, names: list[str]) -> dict[str, float]:
    """CC and RRMSE_t per channel group, band-power change against the truth (dB), in the recording's reference
    and, with the prefix ``avg_``, in average reference."""
    own = reference_scores(out, truth, names)
    avg = reference_scores(average_reference(out), average_reference(truth), names)
    return {**own, **{f"avg_{k}": v for k, v in avg.items()}}


def reference_scores(out: np.ndarray, truth: np.ndarray, names: list[str]) -> dict[str, float]:
    """CC and RRMSE_t per channel group, band-power change against the truth (dB), in the reference given."""
    cc = np.array([np.corrcoef(a, b)[0, 1] for a, b in zip(out, truth)])
    rr = np.sqrt(np.mean((out - truth) ** 2, axis=1)) / np.sqrt(np.mean(truth ** 2, axis=1))
    front = np.array([n in FRONTAL for n in names])
    row = {"cc_frontal": cc[front].mean(), "cc_rest": cc[~front].mean(), "cc_all": cc.mean(),
           "rrmse_frontal": rr[front].mean(), "rrmse_rest": rr[~front].mean()}
    po, pt = band_powers(out), band_powers(truth)
    row.update({f"{b}_db": 10 * np.log10(po[b] / pt[b]) for b in BANDS})
    return row


def speed_recording(data_dir: Path):
    """eegmmidb S001R01 (64 channels, 160 Hz, 1 min) with 10-05 names and positions: what the speed rows time."""
    import mne

    raw = mne.io.read_raw_edf(data_dir / "eegmmidb_S001" / "S001R01.edf", preload=True, verbose="error")
    mne.datasets.eegbci.standardize(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        raw.set_montage("standard_1005", verbose="error")
    return raw


def median_alternated(calls: dict[str, Callable[[], object]], minutes: float, repeats: int = 3) -> dict[str, float]:
    """Seconds per minute of data of each call: the median of ``repeats`` rounds, the calls alternated within each
    (one call on 2 cores varies by about ±30 %, and alternating spreads the machine's drifts over every method)."""
    times: dict[str, list[float]] = {label: [] for label in calls}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeats):
            for label, call in calls.items():
                t = time.perf_counter()
                call()
                times[label].append((time.perf_counter() - t) / minutes)
    return {label: float(np.median(v)) for label, v in times.items()}


def ground_truth_set(n_recordings: int, reference: str = "average"
                     ) -> tuple[list[Recording], Courses, list[str], TopographyBank]:
    """The benchmark's ground-truth material: the ``n_recordings`` longest eegmat test recordings, the real artifact
    courses, the channel names (10-05 spelling) and the topography bank of their montage (seed 123).

    ``reference="linked-ears"``: the recordings in the reference they were recorded in (linked ears), and a bank
    over their channels plus the ears (:data:`EARS`, last), so that :func:`to_linked_ears` can refer artifacts to
    the ears as the amplifier did."""
    data_dir = resolve_data_dir(None)
    if data_dir is None:
        raise SystemExit("needs ../shared/data (or $EEGRECON_DATA)")
    ears = reference == "linked-ears"
    recs = recording_splits(read_eegmat_recordings(data_dir, reference="recorded" if ears else "average"),
                            data_dir)["test"]
    recs = sorted(recs, key=lambda r: -r.data.shape[1])[:n_recordings]
    names = [OLD_NAMES.get(n.upper(), n) for n in recs[0].ch_names]
    pos = np.r_[recs[0].pos, [standard_positions()[e] for e in EARS]] if ears else recs[0].pos
    return recs, load_courses(data_dir), names, TopographyBank.build(pos, seed=123)


def with_ears(clean: np.ndarray) -> np.ndarray:
    """A recording in linked-ears reference as the bank's channels (its own, then the ears at 0 V), average
    reference: :func:`to_linked_ears` gives the recording back exactly."""
    full = np.r_[clean, np.zeros((len(EARS), clean.shape[1]))]
    return full - full.mean(axis=0)


def to_linked_ears(mix):
    """A contamination over the bank's channels (ears last, average reference) in linked-ears reference, without
    the ear channels: what an amplifier referred to the linked ears records."""
    def refer(x):
        return x[:-len(EARS)] - x[-len(EARS):].mean(axis=0)
    return dataclasses.replace(mix, noisy=refer(mix.noisy), clean=refer(mix.clean), artifact=refer(mix.artifact))


def highpass(x: np.ndarray, sfreq: float, line: float) -> np.ndarray:
    sos = signal.butter(2, 0.5, "highpass", fs=sfreq, output="sos")
    return notch(signal.sosfiltfilt(sos, x, axis=-1), sfreq, line)


def band_power(x: np.ndarray, sfreq: float, lo: float, hi: float) -> float:
    f, p = psd(np.atleast_2d(x), sfreq)
    sel = (f >= lo) & (f < hi)
    return float(p[:, sel].sum(axis=-1).mean())


def band_rows(p: np.ndarray, f: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Each PSD row summed over [lo, hi) Hz."""
    return p[:, (f >= lo) & (f < hi)].sum(axis=-1)


def db_rows(p_out: np.ndarray, p_in: np.ndarray, f: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Each row's band-power change (output over input PSD rows, summed over [lo, hi) Hz), dB."""
    out, inp = band_rows(p_out, f, lo, hi), band_rows(p_in, f, lo, hi)
    return 10 * np.log10(np.maximum(out, 1e-30) / np.maximum(inp, 1e-30))


def db(a: float, b: float) -> float:
    return float(10 * np.log10(max(a, 1e-30) / max(b, 1e-30)))


def blink_mask(fp: np.ndarray, sfreq: float, n_sd: float = 4.0, half_s: float = 0.4) -> np.ndarray:
    """Samples within ±``half_s`` of a blink peak: the channels' mean 0.5–4 Hz signal above ``n_sd`` robust stds.

    Parameters
    ----------
    fp : ndarray, shape (n_chans, n_times)
        The channels whose mean shows the eye events (Fp1/Fpz/Fp2 for blinks; F7 − F8 for horizontal movements).
    """
    low = eye_band(fp, sfreq)
    thr = n_sd * np.median(np.abs(low)) / 0.6745
    peaks, _ = signal.find_peaks(np.abs(low), height=thr, distance=int(0.5 * sfreq))
    mask = np.zeros(len(low), bool)
    for p in peaks:
        mask[max(0, p - int(half_s * sfreq)):p + int(half_s * sfreq)] = True
    return mask


def band_changes(out: np.ndarray, inp: np.ndarray, sf: float, prefix: str) -> dict[str, float]:
    return {f"{prefix} {name}": db(band_power(out, sf, lo, hi), band_power(inp, sf, lo, hi))
            for name, (lo, hi) in REAL_DATA_BANDS.items()}


def prepared_eegmmidb(root: Path, run: str, reference: str = "average") -> dict:
    """eegmmidb S001 ``run`` as the side-by-side comparisons take it: 10-05 positions, 60-Hz notch, 0.5-Hz high-pass,
    in average reference or (``reference="recorded"``) the reference it was recorded in; with its µV array, the Fp
    and posterior channel indices, the blink mask and the blink peaks (both found in average reference)."""
    import warnings

    import mne

    raw = read_raw(root / "eegmmidb_S001" / f"S001{run}.edf")
    mne.datasets.eegbci.standardize(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw.set_montage("standard_1005", verbose="error")
    raw.notch_filter(60.0, verbose="error")
    raw.filter(0.5, None, verbose="error")
    if reference == "average":
        raw.set_eeg_reference("average", verbose="error")
    names = raw.ch_names
    x = raw.get_data() * 1e6
    front = [names.index(c) for c in ("Fp1", "Fpz", "Fp2")]
    back = [i for i, c in enumerate(names) if c.startswith(("P", "O", "Iz")) and not c.startswith("Fp")]
    x_avg = x - x.mean(axis=0)
    return {"raw": raw, "x": x, "sfreq": raw.info["sfreq"], "front": front, "back": back, "names": names,
            "mask": blink_mask(x_avg[front], raw.info["sfreq"]), "peaks": blink_peaks(x_avg[front], raw.info["sfreq"])}


def blink_peaks(fp: np.ndarray, sfreq: float, n_sd: float = 6.0) -> np.ndarray:
    """Sample indices of blink peaks: the channels' mean 0.5–4 Hz signal above ``n_sd`` robust stds, ≥ 0.5 s apart.

    Parameters
    ----------
    fp : ndarray, shape (n_chans, n_times)
        The frontal channels (average reference).
    """
    low = eye_band(fp, sfreq)
    peaks, _ = signal.find_peaks(low, height=n_sd * np.median(np.abs(low)) / 0.6745, distance=int(0.5 * sfreq))
    return peaks


def eye_band(fp: np.ndarray, sfreq: float) -> np.ndarray:
    """The channels' mean, 0.5–4 Hz (zero-phase Butterworth): where blinks and eye movements stand out."""
    return signal.sosfiltfilt(signal.butter(2, [0.5, 4], "bandpass", fs=sfreq, output="sos"), fp.mean(axis=0))


def in_both_references(y: np.ndarray, rec: dict, score: Callable[[np.ndarray, dict], dict]) -> dict:
    """``score(output, recording)`` in the recording's own reference and, prefixed ``avg:``, in average reference.

    Parameters
    ----------
    y : ndarray, shape (n_chans, n_times)
        A method's output in the recording's own reference, µV.
    rec : dict
        The recording (its ``x`` in its own reference).
    score : callable
        ``(output, recording) → dict`` of scores.
    """
    own = score(y, rec)
    avg = score(y - y.mean(axis=0), {**rec, "x": rec["x"] - rec["x"].mean(axis=0)})
    return {**own, **{f"avg: {k}": v for k, v in avg.items()}}


def blink_peak_residual(y: np.ndarray, rec: dict) -> dict[str, float]:
    """Median absolute value (µV) at the blink peaks at Fp1 and Fp2.

    Parameters
    ----------
    y : ndarray, shape (n_chans, n_times)
        A method's output, µV.
    rec : dict
        The recording (``names``, ``peaks``).
    """
    names, peaks = rec["names"], rec["peaks"]
    return {f"{c} at blink peaks µV": float(np.median(np.abs(y[names.index(c), peaks]))) if len(peaks) else np.nan
            for c in ("Fp1", "Fp2") if c in names}


def blink_and_harm(y: np.ndarray, rec: dict) -> dict[str, float]:
    """Blink-section delta change at Fp and every band's change outside blinks (all, posterior channels), dB.

    Parameters
    ----------
    y : ndarray, shape (n_chans, n_times)
        A method's output, µV, average reference.
    rec : dict
        :func:`prepared_eegmmidb`'s recording.
    """
    x, sf, front, back, mask = rec["x"], rec["sfreq"], rec["front"], rec["back"], rec["mask"]
    row = {"blink_s": round(mask.sum() / sf, 1),
           "blink delta at Fp dB": db(band_power(y[front][:, mask], sf, 0.5, 4),
                                      band_power(x[front][:, mask], sf, 0.5, 4)) if mask.any() else np.nan}
    row.update(band_changes(y[:, ~mask], x[:, ~mask], sf, "outside, all:"))
    row.update(band_changes(y[back][:, ~mask], x[back][:, ~mask], sf, "outside, posterior:"))
    return row


def recordings_with_eog(root: Path) -> dict:
    """The real recordings of ../shared/data with EEG and EOG channels, as Raws with typed EOG/ECG channels."""
    import mne

    from eegrecon.io.readers import read_mat

    out = {}
    raw = read_raw(root / "eeglab_sample_eog" / "eeglab_data.set")
    raw.set_channel_types({"EOG1": "eog", "EOG2": "eog"}, verbose="error")
    out["EEGLAB sample (30 EEG + 2 EOG, 128 Hz)"] = raw
    d = read_mat(root / "oset_sample_eeg" / "EEGdata.mat", "data")
    names = OSET_NAMES + ["EOG1", "EOG2", "EOG3", "ECG"]
    info = mne.create_info(names, 250.0, ["eeg"] * 22 + ["eog"] * 3 + ["ecg"])
    out["OSET EEGdata (22 central EEG + 3 EOG + ECG, 250 Hz)"] = mne.io.RawArray(d.T * 1e-6, info, verbose="error")
    return out


def run_denoiser(model: str, overlap: float = 0.5, refit: int = 0, reference_regression: bool = True,
                 sources: int | None = None):
    """The Denoiser as a method; ``sources``: its artifact_sources (None: the Denoiser's default)."""
    from eegrecon import Denoiser

    kw = {} if sources is None else {"artifact_sources": sources}
    den = Denoiser(model, line_freq=None, overlap=overlap, refit_components=refit,
                   reference_regression=reference_regression, **kw).fit()

    def run(raw, names):
        return eeg_out(den.transform(raw), names)
    return run


def fmt_table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(map(str, cols)) + " |", "|" + "---|" * len(cols)]
    for _, r in df.iterrows():
        lines.append("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in r.values) + " |")
    return "\n".join(lines)


def recording_lengths(durations: list[float]) -> str:
    """'170 s and 5 × 62 s' for the lengths of the recordings used."""
    counts = pd.Series(durations).round(1).value_counts().sort_index(ascending=False)
    parts = [f"{s:g} s" if k == 1 else f"{k} × {s:g} s" for s, k in counts.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def methods_figure(x: np.ndarray, outputs: dict[str, np.ndarray], names: list[str], channels: list[str],
                   sfreq: float, start_s: float, path: Path, title: str, seconds: float = 20.0) -> Path:
    """The same ``seconds`` of ``channels`` before (grey) and after each method (one row of panels per method).

    Parameters
    ----------
    x : ndarray, shape (n_chans, n_times)
        The input, µV.
    outputs : dict of str to ndarray
        Method name → its output, µV, same shape.
    names : list of str
        Channel names of the rows.
    channels : list of str
        The channels shown.
    sfreq : float
        Rate, Hz.
    start_s : float
        Where the stretch starts, s.
    path : Path
        PNG to write.
    title : str
        Figure title.
    seconds : float
        Length of the stretch.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    a = int(start_s * sfreq)
    b = min(x.shape[1], a + int(seconds * sfreq))
    t = np.arange(a, b) / sfreq
    rows = [names.index(c) for c in channels if c in names]
    fig, axes = plt.subplots(len(outputs), len(rows), figsize=(4.2 * len(rows), 1.9 * len(outputs)), sharex=True,
                             sharey="col", squeeze=False)
    for i, (method, y) in enumerate(outputs.items()):
        for j, r in enumerate(rows):
            ax = axes[i, j]
            ax.plot(t, x[r, a:b], color="0.65", lw=0.7)
            ax.plot(t, y[r, a:b], color="C0", lw=0.7)
            if i == 0:
                ax.set_title(names[r], fontsize=9)
            if j == 0:
                ax.set_ylabel(method, fontsize=7, rotation=0, ha="right", va="center")
    for ax in axes[-1]:
        ax.set_xlabel("time (s)")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
