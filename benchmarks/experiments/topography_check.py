"""Do the simulated eye topographies look like real ones? A cross-check on recordings with EOG channels.

    python benchmarks/experiments/topography_check.py

Real propagation: in two recordings of ../shared/data that have EEG and EOG channels (EEGLAB's sample: 30 EEG + 2
EOG, 128 Hz; OSET's EEGdata: 22 central EEG + 3 EOG, 250 Hz), EEG (average reference) and EOG are low-passed at
4 Hz (where eye activity dominates) and each EEG channel is regressed on the EOG channels; the pattern is the
EEG's projection on the EOG subspace's first principal direction (the share of each channel's signal that
follows the eyes). Simulated: eegrecon.data.topography's vertical and horizontal eye topographies on the same
channel positions (10-05 names), 200 random draws. Score: R² of the real pattern fitted by one draw's
(vertical, horizontal) pair (median and best over draws), against the same fit with two muscle topographies as a
null. eegmmidb S001 R01 and R03 (64 EEG channels, no EOG) are added the other way round: the real pattern is the first
principal direction of the 0.3–4 Hz EEG inside the detected blink sections (real_data.blink_mask), where blinks are
most of the signal. Writes benchmarks/results/topography_check.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/common.py
from common import (
    OSET_NAMES,  # beside this script
    prepared_eegmmidb,
)
from scipy import signal

from eegrecon.data.topography import TopographyBank
from eegrecon.io.readers import read_mat, read_raw
from eegrecon.paths import resolve_data_dir
from eegrecon.signal.montage import positions_from_names

OUT = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "topography_check.md"


def real_pattern(eeg: np.ndarray, eog: np.ndarray, sfreq: float) -> np.ndarray:
    """Each EEG channel's loading on the dominant eye signal (regression on the EOG channels below 4 Hz)."""
    sos = signal.butter(4, [0.3, 4.0], "bandpass", fs=sfreq, output="sos")
    e = signal.sosfiltfilt(sos, eeg - eeg.mean(axis=0), axis=-1)
    o = signal.sosfiltfilt(sos, eog, axis=-1)
    coef, *_ = np.linalg.lstsq(o.T, e.T, rcond=None)  # (n_eog, n_eeg)
    fitted = coef.T @ o  # the EEG explained by the EOG channels
    u, _, _ = np.linalg.svd(fitted, full_matrices=False)
    p = u[:, 0]
    return p - p.mean()


def blink_pattern(eeg: np.ndarray, mask: np.ndarray, sfreq: float) -> tuple[np.ndarray, float]:
    """The dominant pattern of the 0.3–4 Hz EEG in the blink samples ``mask``, and its share of their variance."""
    sos = signal.butter(4, [0.3, 4.0], "bandpass", fs=sfreq, output="sos")
    e = signal.sosfiltfilt(sos, eeg - eeg.mean(axis=0), axis=-1)[:, mask]
    u, sv, _ = np.linalg.svd(e, full_matrices=False)
    p = u[:, 0]
    return p - p.mean(), float(sv[0] ** 2 / np.sum(sv ** 2))


def fit_r2(p: np.ndarray, basis: np.ndarray) -> float:
    coef, *_ = np.linalg.lstsq(basis.T, p, rcond=None)
    return float(1 - np.sum((p - basis.T @ coef) ** 2) / np.sum(p ** 2))


def check(name: str, names: list[str], eeg: np.ndarray, eog: np.ndarray | None, sfreq: float,
          blinks: np.ndarray | None = None) -> str:
    """One table row: the real pattern (from the EOG channels, or from the blink samples ``blinks`` without them)
    against simulated eye pairs and the muscle null."""
    pos = positions_from_names(names)
    keep = np.isfinite(pos).all(axis=1)
    p = real_pattern(eeg[keep], eog, sfreq) if eog is not None else blink_pattern(eeg[keep], blinks, sfreq)[0]
    bank = TopographyBank.build(pos[keep], seed=0)
    rng = np.random.default_rng(0)
    eye = [fit_r2(p, np.stack(bank.eye(rng))) for _ in range(200)]
    null = [fit_r2(p, np.stack([bank.muscle(rng), bank.muscle(rng)])) for _ in range(200)]
    kept = [n for n, k in zip(names, keep) if k]
    top = ", ".join(kept[i] for i in np.argsort(-np.abs(p))[:4])
    n_eog = eog.shape[0] if eog is not None else "–"
    return (f"| {name} | {keep.sum()} | {n_eog} | {top} | {np.median(eye):.2f} | {np.max(eye):.2f} | "
            f"{np.median(null):.2f} |")


def main() -> None:
    root = resolve_data_dir(None)
    if root is None:
        raise SystemExit("needs ../shared/data (or $EEGRECON_DATA)")
    rows = []
    raw = read_raw(root / "eeglab_sample_eog" / "eeglab_data.set")
    eeg_names = [c for c in raw.ch_names if not c.startswith("EOG")]
    rows.append(check("EEGLAB sample (30 EEG + EOG1/EOG2)", eeg_names, raw.get_data(picks=eeg_names) * 1e6,
                      raw.get_data(picks=["EOG1", "EOG2"]) * 1e6, raw.info["sfreq"]))
    d = read_mat(root / "oset_sample_eeg" / "EEGdata.mat", "data")
    rows.append(check("OSET EEGdata (22 central EEG + 3 EOG)", OSET_NAMES, d[:, :22].T, d[:, 22:25].T, 250.0))
    for run in ("R01", "R03"):
        rec = prepared_eegmmidb(root, run)
        share = blink_pattern(rec["x"], rec["mask"], rec["sfreq"])[1]
        rows.append(check(f"eegmmidb S001 {run} (64 EEG, blink sections; pattern = {100 * share:.0f} % of their "
                          "0.3–4 Hz variance)", rec["raw"].ch_names, rec["x"], None, rec["sfreq"], rec["mask"]))
    lines = ["# Simulated vs real eye topographies (`python benchmarks/experiments/topography_check.py`)", "",
             "R² of the real eye pattern (EEG regressed on the EOG channels below 4 Hz, first principal direction, "
             "average reference; without EOG channels: the first principal direction of the 0.3–4 Hz EEG in the "
             "detected blink sections) fitted by one simulated (vertical, horizontal) eye pair, over 200 random draws; "
             "null: the same fit with two random muscle topographies.", "",
             "| recording | EEG channels | EOG channels | largest loadings | R² median | R² best | null R² median |",
             "|---|---|---|---|---|---|---|", *rows, ""]
    OUT.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
