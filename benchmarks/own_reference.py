"""Do no harm in the recording's own reference, on real recordings: blink-peak amplitudes per channel and the largest
power rise per recording.

    python benchmarks/own_reference.py [--with-ica]

1. eegmmidb S001R01 (64 channels, 0.5-Hz high-pass, in the reference it was recorded in): blink peaks = the mean of
   Fp1/Fpz/Fp2 in average reference, 0.5–4 Hz, above 6 robust sd; per channel the median absolute value at the
   peaks and the blink-locked mean at the peak (signed), µV, in the file's own reference and in average reference;
   raw, eegrecon's default and (``--with-ica``) MNE ICA + ICLabel fitted and applied in the same reference.
2. Every recording in ../shared/data with ≥ 8 EEG channels (eegmmidb S001 R01–R04, the EEGLAB sample with its EOG
   channels, OSET EEGdata): the largest rise of any channel's power in any band (eegrecon.clean.power_change: 1–4, 4–8,
   8–13, 13–30, 30–45 Hz, above 45 Hz and ±1 Hz around 50/60 Hz) caused by the default Denoiser, in the
   recording's reference, with the channel and band.

3. S001R01 with C3 broken and not marked bad (noise, drift, hum): how much every other channel's output changes.

Writes benchmarks/results/own_reference.md and own_reference_S001R01.png (20 s of five channels before/after).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
from common import blink_peaks, recordings_with_eog, run_ica_iclabel  # beside this script

from eegrecon import Denoiser
from eegrecon.clean.power_change import power_change
from eegrecon.io.readers import read_raw
from eegrecon.paths import resolve_data_dir
from eegrecon.plots import plot_before_after

OUT = Path(__file__).parent / "results" / "own_reference.md"
CHANNELS = ("Fp1", "Fp2", "AF3", "Cz", "T9", "T10", "Oz")


def eegmmidb_run(root: Path, run: str):
    import mne

    raw = read_raw(root / "eegmmidb_S001" / f"S001{run}.edf")
    mne.datasets.eegbci.standardize(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw.set_montage("standard_1005", verbose="error")
    return raw.load_data()


def peak_rows(label: str, y: np.ndarray, names: list[str], peaks: np.ndarray) -> list[str]:
    rows = []
    for ref, z in (("own", y), ("average", y - y.mean(axis=0))):
        median = [np.median(np.abs(z[names.index(c), peaks])) for c in CHANNELS]
        locked = [np.mean(z[names.index(c), peaks]) for c in CHANNELS]
        rows.append(f"| {label} | {ref} | " + " | ".join(f"{m:.0f} ({v:+.0f})" for m, v in zip(median, locked)) + " |")
    return rows


def recordings(root: Path) -> dict:

    out = {f"eegmmidb S001{run}": eegmmidb_run(root, run) for run in ("R01", "R02", "R03", "R04")}
    for name, raw in recordings_with_eog(root).items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw.set_montage("standard_1005", match_case=False, on_missing="ignore", verbose="error")
        out[name] = raw.load_data()
    return out


def broken_channel_rows(den: Denoiser, raw) -> list[str]:
    """Rows of the broken-channel table: C3 with 200 µV of white noise, a 2 mV slow drift, a 300 µV 60-Hz hum."""
    intact = den.transform(raw).get_data()
    names, n, sf = raw.ch_names, raw.n_times, raw.info["sfreq"]
    c3 = names.index("C3")
    others = [i for i in range(len(names)) if i != c3]
    t = np.arange(n) / sf
    rows = []
    for label, added in (("white noise, 200 µV", 200e-6 * np.random.default_rng(0).standard_normal(n)),
                         ("slow drift, 2 mV", 2e-3 * np.sin(2 * np.pi * t / 60)),
                         ("60-Hz hum, 300 µV", 300e-6 * np.sin(2 * np.pi * 60 * t))):
        broken = raw.copy()
        broken._data[c3] += added
        out = den.transform(broken).get_data()
        change = (np.sqrt(np.mean((out[others] - intact[others]) ** 2, axis=1))
                  / np.sqrt(np.mean(intact[others] ** 2, axis=1)))
        found = ", ".join(f"{c} ({why})" for c, why in (den.report_.get("broken_channels") or {}).items()) or "-"
        worst = int(np.argmax(change))
        rows.append(f"| {label} | {found} | {100 * np.median(change):.2f} % | {100 * change[worst]:.2f} % "
                    f"({names[others[worst]]}) |")
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--with-ica", action="store_true", help="MNE ICA + ICLabel on S001R01 too (needs [bench])")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    root = resolve_data_dir(None)
    if root is None:
        raise SystemExit("needs ../shared/data (or $EEGRECON_DATA)")
    den = Denoiser().fit()
    raw = eegmmidb_run(root, "R01").filter(0.5, None, verbose="error")
    names, sf = raw.ch_names, raw.info["sfreq"]
    x = raw.get_data() * 1e6
    peaks = blink_peaks((x - x.mean(axis=0))[[names.index(c) for c in ("Fp1", "Fpz", "Fp2")]], sf)
    y = den.transform(raw).get_data() * 1e6
    shown = [names.index(c) for c in ("Fp1", "AF3", "Cz", "T10", "Oz")]
    figure = args.out.with_name("own_reference_S001R01.png")
    plot_before_after(x[shown], y[shown], sf, [names[i] for i in shown], figure,
                      "eegmmidb S001R01 in its own reference: raw (grey) and Denoiser() default", 20.0)
    lines = ["# Do no harm in the recording's own reference (`python benchmarks/own_reference.py`)", "",
             f"Command: `python benchmarks/own_reference.py {' '.join(sys.argv[1:])}`", "",
             f"## eegmmidb S001R01: {len(peaks)} blink peaks; median |value| at the peaks (blink-locked mean), µV", "",
             "| method | reference | " + " | ".join(CHANNELS) + " |", "|---|---|" + "---|" * len(CHANNELS),
             *peak_rows("raw", x, names, peaks), *peak_rows("eegrecon default", y, names, peaks)]
    if args.with_ica:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lines += peak_rows("ICA + ICLabel (same reference)", run_ica_iclabel(raw, names), names, peaks)
    lines += ["", "## Largest power rise per recording (default Denoiser, recording's own reference)", "",
              "| recording | model | largest rise dB | channel | band | broken channels found |",
              "|---|---|---|---|---|---|"]
    for name, rec in recordings(root).items():
        eeg = [i for i, t in enumerate(rec.get_channel_types()) if t == "eeg"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = den.transform(rec)
        change = power_change(rec.get_data()[eeg], out.get_data()[eeg], rec.info["sfreq"],
                              [rec.ch_names[i] for i in eeg]).largest_rise()
        lines.append(f"| {name} | {den.report_['model']['name']} | {change['db']:.2f} | {change['channel']} | "
                     f"{change['band']} | {', '.join(den.report_.get('broken_channels') or {}) or '-'} |")
        print(lines[-1], flush=True)
    lines += ["", "## One broken channel (S001R01 as read, C3 corrupted and not marked bad)", "",
              "Each other channel's output against the intact file's output: RMS of the difference over RMS of the "
              "intact output.", "", "| C3 corrupted by | found as | median of the other 63 | largest (channel) |",
              "|---|---|---|---|"]
    lines += broken_channel_rows(den, eegmmidb_run(root, "R01"))
    lines += ["", "Median and blink-locked mean are both given: with about a dozen peaks the median of |value| holds "
              "the brain activity at those instants as much as the blink; the signed mean shows the blink."]
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
