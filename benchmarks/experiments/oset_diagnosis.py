"""Why does the multichannel model miss OSET's eye artifacts? Swap one ingredient at a time and score.

    python benchmarks/experiments/oset_diagnosis.py [--mc-model eegrecon_mc] [--extra-mc LABEL=CHECKPOINT ...]
                                                    [--out DIR]

OSET's EEGdata.mat (22 central EEG + 3 EOG channels, 250 Hz, ../shared/data/oset_sample_eeg) is the real recording
with EOG channels where eegrecon removes least (benchmarks/results/real_data_eog_channels.md). Here its EEG
(0.5-Hz high-pass, average reference) is split by least squares on the three EOG channels into an eye part and
the rest, and the rest is used as a stand-in clean truth. Then an eye artifact scaled to the real one's size at
Fz (SNR at Fz ≈ −5.7 dB) is added back, built from:

- the real eye part itself (the recording as it is);
- a simulated vertical eye topography (eegrecon.data.topography, three draws) with the real eye course;
- the real topography with three EOG courses of the test split (eegrecon.data.multichannel.load_courses);
- the same three courses through an AC-coupled amplifier's high-pass (time constants 1 s and 0.3 s; a causal
  first-order filter, eegrecon.data.multichannel.amplifier_highpass).

Scored on the six frontal-most channels (Fz, FC3, FC1, FCz, FC2, FC4): mean CC with the stand-in truth and the
share of the added artifact's energy removed (1 − ‖y − truth‖² / ‖artifact‖²), the EEG alone to the model (no
references), and for the real eye part also with the EOG channels (network only). Writes oset_diagnosis.md.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from eegrecon import Denoiser
from eegrecon.data.multichannel import amplifier_highpass, load_courses
from eegrecon.data.topography import TopographyBank
from eegrecon.paths import resolve_data_dir
from eegrecon.report import to_markdown

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/common.py

OUT = Path(__file__).resolve().parents[1] / "results"
FRONT = ["Fz", "FC3", "FC1", "FCz", "FC2", "FC4"]


def oset_parts(root: Path):
    """The OSET recording as (EEG Raw with montage, EEG µV, EOG µV, the eye part of the EEG µV)."""
    import mne
    from common import recordings_with_eog

    raw = next(r for k, r in recordings_with_eog(root).items() if k.startswith("OSET"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw.set_montage("standard_1005", match_case=False, on_missing="ignore", verbose="error")
    raw.load_data().filter(0.5, None, picks="all", verbose="error")
    eeg = raw.copy().pick("eeg")
    x = eeg.get_data() * 1e6
    x = x - x.mean(axis=0)
    eog = raw.get_data(picks="eog") * 1e6
    coef = np.linalg.lstsq(eog.T, x.T, rcond=None)[0]
    eye = coef.T @ eog
    eye = eye - eye.mean(axis=0)
    mne.set_log_level("error")
    return eeg, x, eog, eye


def make_raw(eeg, data: np.ndarray, eog: np.ndarray | None = None):
    """A Raw with ``eeg``'s channels and montage holding ``data`` (µV), plus the EOG channels when given."""
    import mne

    raw = mne.io.RawArray(data * 1e-6, mne.create_info(eeg.ch_names, eeg.info["sfreq"], "eeg"), verbose="error")
    raw.set_montage(eeg.get_montage())
    if eog is not None:
        info = mne.create_info([f"EOG{i + 1}" for i in range(len(eog))], eeg.info["sfreq"], "eog")
        raw.add_channels([mne.io.RawArray(eog * 1e-6, info, verbose="error")], force_update_info=True)
    return raw


def cases(eeg, eye: np.ndarray, eog: np.ndarray, root: Path) -> list[tuple[str, np.ndarray, np.ndarray | None]]:
    """(label, artifact µV, EOG channels or None) for every swap; each artifact scaled to the real one at Fz."""
    sfreq, names = eeg.info["sfreq"], eeg.ch_names
    fz = names.index("Fz")

    def at_real_size(a: np.ndarray) -> np.ndarray:
        return a * eye[fz].std() / max(a[fz].std(), 1e-12)

    u, s, vt = np.linalg.svd(eye, full_matrices=False)
    course = s[0] * vt[0] * np.sign(u[fz, 0])
    topography = eye @ np.linalg.pinv(course[None])  # (n_chans, 1): the real pattern of the dominant course
    out = [("real eye part (the recording)", eye, None), ("real eye part, EOG channels given", eye, eog)]
    pos = np.array([ch["loc"][:3] for ch in eeg.info["chs"]])
    bank = TopographyBank.build(pos, seed=1)
    rng = np.random.default_rng(0)
    for k in range(3):
        vertical, _ = bank.eye(rng)
        out.append((f"simulated topography {k + 1}, real course", at_real_size(np.outer(vertical, course)), None))
    courses = load_courses(root, sfreq=sfreq)
    for tau in (None, 1.0, 0.3):
        rng = np.random.default_rng(5)
        for k in range(3):
            c = courses.crop("eog", "test", eye.shape[1], rng)[:1]
            label = f"real topography, test-split EOG course {k + 1}"
            if tau is not None:
                c = amplifier_highpass(c, sfreq, tau)
                label += f", AC-coupled τ = {tau:g} s"
            out.append((label, at_real_size(topography @ c), None))
    return out


def main() -> None:
    from common import eeg_out, labelled_paths

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mc-model", default="eegrecon_mc")
    ap.add_argument("--extra-mc", action="append", default=[], metavar="LABEL=CHECKPOINT")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    root = resolve_data_dir(None)
    if root is None:
        raise SystemExit("needs ../shared/data (or $EEGRECON_DATA)")
    models = {args.mc_model: args.mc_model, **labelled_paths(args.extra_mc, "--extra-mc")}
    eeg, x, eog, eye = oset_parts(root)
    truth = x - eye
    front = [eeg.ch_names.index(c) for c in FRONT]
    dens = {label: Denoiser(ref, line_freq=None, reference_regression=False).fit() for label, ref in models.items()}
    rows = []
    for label, artifact, refs in cases(eeg, eye, eog, root):
        noisy = truth + artifact
        row = {"case": label, "input CC": float(np.mean([np.corrcoef(noisy[i], truth[i])[0, 1] for i in front]))}
        for name, den in dens.items():
            y = eeg_out(den.transform(make_raw(eeg, noisy, refs)), eeg.ch_names)
            row[f"{name}: CC"] = float(np.mean([np.corrcoef(y[i], truth[i])[0, 1] for i in front]))
            row[f"{name}: removed"] = float(1 - np.sum((y - truth)[front] ** 2) / np.sum(artifact[front] ** 2))
        rows.append(row)
        print(label, "done", flush=True)
    table = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    fz = eeg.ch_names.index("Fz")
    snr = 20 * np.log10(truth[fz].std() / eye[fz].std())
    text = "\n".join([
        "# OSET diagnosis: which ingredient of the recording does the multichannel model miss? "
        "(`python benchmarks/experiments/oset_diagnosis.py`)", "",
        f"Stand-in truth: OSET EEG minus its least-squares fit on the 3 EOG channels; every artifact scaled to the "
        f"real eye part's size at Fz (SNR at Fz {snr:.1f} dB). Frontal = {', '.join(FRONT)}; `removed` = share of "
        "the added artifact's energy removed. Network only (no regression on the EOG channels).", "",
        to_markdown(table, ".3f"), ""])
    (args.out / "oset_diagnosis.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
