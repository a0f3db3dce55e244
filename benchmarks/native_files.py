"""Files as the amplifier wrote them, through the door users use: ``eegrecon denoise FILE --out DIR``.

    python benchmarks/native_files.py [ROOT ...] [--limit-mb 60]

The corpus is the small public sample files MNE tests its readers on: mne-testing-data (``mne.datasets.testing``,
found at MNE's configured path or ``~/mne_data/MNE-testing-data``) and the test data in mne-python's source tree
(``mne/io/*/tests/data``), or the folders given (``EEGRECON_NATIVE_FILES``, ``os.pathsep``-separated, also works).
Every file (or ``.mff`` folder) that ``mne.io.read_raw`` reads as a continuous recording is run through the CLI in
a subprocess, as a user would, and measured from the files, not from eegrecon's report:

- channels: read, EEG by type, changed by the cleaning (any sample differs), returned as read (the CLI line);
- the largest power rise of any channel in any band (``eegrecon.clean.power_change``: 1–4 … 30–45 Hz, above 45 Hz,
  ±1 Hz around 50/60 Hz), input against output as read back by MNE, over the stretches the file holds (cut at
  boundaries and acquisition skips), raw and counting only bands that gained ≥ 0.1 % of the channel's power;
- clipped samples: written samples at the file's range limit (EDF/BDF physical range, BrainVision's 16-bit range;
  none for a channel whose input already goes beyond its header's range) where the input was not;
- wall time of the command.

Writes benchmarks/results/native_files.md (dated).
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from eegrecon.clean.power_change import PowerChange
from eegrecon.clean.power_guard import GAIN_FLOOR_DB

OUT = Path(__file__).parent / "results" / "native_files.md"
#: what mne.io.read_raw opens (BrainVision by its header, EGI by its folder); others here are companions
SUFFIXES = {".edf", ".bdf", ".gdf", ".vhdr", ".cnt", ".nedf", ".set", ".fif", ".lay", ".raw", ".data", ".cdt",
            ".mff", ".nxe", ".eeg"}


def default_roots() -> list[Path]:
    env = os.environ.get("EEGRECON_NATIVE_FILES")
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    import mne

    testing = mne.get_config("MNE_DATASETS_TESTING_PATH") or str(Path.home() / "mne_data")
    return [Path(testing) / "MNE-testing-data", Path.home() / "mne_data" / "mne-python-io-data"]


def candidates(roots: list[Path], limit_mb: float) -> list[Path]:
    """Recording files and folders under ``roots``: BrainVision ``.eeg`` only as Nihon Kohden's (no ``.vhdr``)."""
    found = []
    for root in roots:
        for p in sorted(root.rglob("*")):
            if p.suffix.lower() not in SUFFIXES or any(q.suffix.lower() == ".mff" for q in p.parents):
                continue
            if p.is_dir() != (p.suffix.lower() == ".mff"):
                continue
            if p.suffix.lower() == ".eeg" and (p.with_suffix(".vhdr").exists() or p.with_suffix(".set").exists()
                                               or not p.with_suffix(".PNT").exists()):
                continue
            size = sum(f.stat().st_size for f in p.rglob("*")) if p.is_dir() else p.stat().st_size
            if size <= limit_mb * 1e6:
                found.append(p)
    return found


def read(path: Path):
    """The recording as MNE reads it (through eegrecon's reader choice: ``.cnt`` is ANT's or Neuroscan's)."""
    from eegrecon.io.readers import read_raw

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_raw(path).load_data()


def file_limits(path: Path, names: list[str]) -> np.ndarray | None:
    """(n_chans, 2) lowest and highest value the file can hold per channel, volts; None for float formats."""
    from eegrecon.io.brainvision_layout import read_brainvision_layout
    from eegrecon.io.edf_layout import read_edf_layout

    suffix = path.suffix.lower()
    try:
        if suffix in (".edf", ".bdf"):
            lay = read_edf_layout(path)
            index = {n: i for i, n in enumerate(lay.labels)}
            return np.array([lay.range_volts(index[n]) if n in index and lay.range_volts(index[n]) else
                             (-np.inf, np.inf) for n in names], dtype=float)
        if suffix == ".vhdr":
            lay = read_brainvision_layout(path)
            if lay is None:
                return None
            index = {n: i for i, n in enumerate(lay.names)}
            return np.array([lay.range_volts(index[n]) if n in index else (-np.inf, np.inf) for n in names],
                            dtype=float)
    except Exception:  # a layout eegrecon does not rewrite: the output is FIF (floats), nothing can clip
        return None
    return None


def recorded_stretches(raw) -> list[tuple[int, int]]:
    """The stretches the recording holds: cut at boundaries and around acquisition skips (EGI pauses, EDF+D gaps),
    where the file holds no signal and any analysis would cut too."""
    sfreq, n = raw.info["sfreq"], raw.n_times
    cuts, holes = {0, n}, []
    for ann in raw.annotations:
        text = str(ann["description"]).lower()
        if text in ("boundary", "edge boundary") or text.startswith("bad_acq_skip"):
            a = int(round((ann["onset"] - raw.first_time) * sfreq))
            b = a + int(round(ann["duration"] * sfreq))
            cuts |= {min(max(a, 0), n), min(max(b, 0), n)}
            if b > a:
                holes.append((a, b))
    edges = sorted(cuts)
    return [(a, b) for a, b in zip(edges[:-1], edges[1:])
            if b - a >= 2 and not any(h0 <= a and b <= h1 for h0, h1 in holes)]


def one_file(path: Path, work: Path) -> dict:
    row = {"file": str(path), "name": path.name}
    try:
        raw = read(path)
    except Exception as exc:  # not a continuous recording MNE reads (epochs, a missing companion file)
        row["skip"] = f"mne.io.read_raw: {type(exc).__name__}: {' '.join(str(exc).split())[:90]}"
        return row
    out_dir = Path(tempfile.mkdtemp(prefix=f"{path.name}.", dir=work))  # names repeat across folders
    start = time.perf_counter()
    run = subprocess.run(["eegrecon", "denoise", str(path), "--out", str(out_dir)], capture_output=True, text=True)
    row["seconds"] = time.perf_counter() - start
    text = run.stdout + run.stderr
    row["cli"] = " ".join(text.split())
    row["exit"] = run.returncode
    written = [p for p in out_dir.iterdir() if p.suffix.lower() in SUFFIXES - {".eeg"}] if out_dir.is_dir() else []
    row.update(n_chans=len(raw.ch_names), sfreq=raw.info["sfreq"], seconds_long=raw.n_times / raw.info["sfreq"],
               typed_eeg=len(raw.copy().pick("eeg", exclude=[]).ch_names) if "eeg" in raw else 0)
    m = re.search(r"channels read as (\d+) EEG \((\d+) with a scalp position", row["cli"])
    row["eeg_read"], row["eeg_positioned"] = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    m = re.search(r"model (\S+) \(([^)]*)\)", row["cli"])
    row["model"] = f"{m.group(1)} ({m.group(2)})" if m else ""
    m = re.search(r"returned as read where .*? on (\d+) channel\(s\)", row["cli"])
    row["returned"] = int(m.group(1)) if m else 0
    if run.returncode or not written:
        row["error"] = row["cli"][-200:]
        return row
    back = read(written[0])
    common = [c for c in raw.ch_names if c in back.ch_names]
    if not common:
        row["error"] = f"the written file {written[0].name} shares no channel name with the input"
        return row
    x = raw.get_data(picks=common)
    y = back.get_data(picks=common)
    # beyond float32 rounding of the channel's largest value (FIF and BrainVision outputs may be float32)
    changed = np.flatnonzero(np.any(np.abs(y - x) > 1e-12 + 1e-6 * np.abs(x).max(axis=1, keepdims=True), axis=1))
    row["changed"] = len(changed)
    if len(changed):
        change = PowerChange(raw.info["sfreq"], [common[i] for i in changed])
        for a, b in recorded_stretches(raw):
            change.update(x[changed, a:b], y[changed, a:b])
        row["rise_raw"] = change.largest_rise()
        row["rise"] = change.largest_rise(GAIN_FLOOR_DB)
    limits = file_limits(path, common)
    if limits is not None:
        # a channel holding samples beyond its header's range has no rail there (only its sample width's)
        beyond = (x.min(axis=1) < limits[:, 0]) | (x.max(axis=1) > limits[:, 1])
        limits[beyond] = (-np.inf, np.inf)
        # a step of the file's resolution from its rail counts as at it (the rails are read back through scaling)
        step = np.abs(x[:, 1:] - x[:, :-1])
        tol = np.array([np.min(s[s > 0]) if np.any(s > 0) else 0.0 for s in step])[:, None] * 0.5
        at_rail = lambda z: (z <= limits[:, :1] + tol) | (z >= limits[:, 1:] - tol)  # noqa: E731
        row["clipped"] = int((at_rail(y) & ~at_rail(x)).sum())
    return row


def table(rows: list[dict]) -> list[str]:
    lines = ["| file | channels (typed EEG) | rate, Hz · length, s | EEG read (positioned) | model | changed | "
             "returned as read | largest rise, dB (≥ 0.1 % gain) | largest rise, dB (any) | clipped | time, s |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "skip" in r:
            continue
        if "error" in r:
            lines.append(f"| {r['name']} | {r['n_chans']} ({r['typed_eeg']}) | {r['sfreq']:g} · "
                         f"{r['seconds_long']:.1f} | — | error: {r['error'][:120]} | | | | | | {r['seconds']:.1f} |")
            continue
        rise, raw_rise = r.get("rise") or {}, r.get("rise_raw") or {}
        fmt = lambda d: f"{d['db']:+.2f} ({d['channel']}, {d['band']})" if d.get("channel") else "none"  # noqa: E731
        read_as = "—" if r["eeg_read"] is None else f"{r['eeg_read']} ({r['eeg_positioned']})"
        lines.append(f"| {r['name']} | {r['n_chans']} ({r['typed_eeg']}) | {r['sfreq']:g} · {r['seconds_long']:.1f}"
                     f" | {read_as} | {r['model']} | {r['changed']} | {r['returned']} | {fmt(rise)} | "
                     f"{fmt(raw_rise)} | {r.get('clipped', 'n/a (float output)')} | {r['seconds']:.1f} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("roots", nargs="*", type=Path)
    ap.add_argument("--limit-mb", type=float, default=60.0, help="skip files larger than this")
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args()
    roots = [r for r in (args.roots or default_roots()) if r.is_dir()]
    if not roots:
        sys.exit("no corpus found: fetch mne-testing-data (mne.datasets.testing.data_path()) or give a folder")
    files = candidates(roots, args.limit_mb)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            row = one_file(path, Path(tmp))
            rows.append(row)
            status = row.get("skip") or row.get("error") or (
                f"changed {row['changed']}, returned {row['returned']}, rise {row.get('rise')}, "
                f"raw {row.get('rise_raw')}, clipped {row.get('clipped')}, {row['seconds']:.1f} s")
            print(f"{path.name}: {status}", flush=True)
    ran = [r for r in rows if "skip" not in r]
    ok = [r for r in ran if "error" not in r]
    worst = max((r["rise"]["db"] for r in ok if r.get("rise")), default=0.0)
    clipped = sum(r.get("clipped") or 0 for r in ok)
    many = [r for r in ok if (r["eeg_positioned"] or 0) >= 8]
    cleaned = [r for r in many if r["changed"] and "multichannel" in r["model"]]
    above = [f"{r['name']} {r['rise']['db']:+.2f} dB" for r in ok if r.get("rise") and r["rise"]["db"] > 1.0]
    summary = (f"{len(ran)} recordings run ({len(rows) - len(ran)} files MNE does not read as continuous "
               f"recordings skipped), {len(ran) - len(ok)} failed; largest rise counting gains ≥ 0.1 % of a "
               f"channel's power {worst:+.2f} dB (above 1 dB: {', '.join(above) or 'none'}); {clipped} samples "
               f"clipped by the cleaning; {len(cleaned)} of the {len(many)} recordings with ≥ 8 EEG channels of "
               "known position cleaned by the multichannel model")
    print(summary)
    if args.no_write:
        return
    home = str(Path.home())
    skipped = [f"- {r['name']}: {r['skip'].replace(home, '~')}" for r in rows if "skip" in r]
    lines = [f"# Files as recorded, through `eegrecon denoise` ({datetime.date.today().isoformat()})", "",
             "`python benchmarks/native_files.py` — the sample files MNE tests its readers on (mne-testing-data "
             "and mne-python's `mne/io/*/tests/data`), each run as `eegrecon denoise FILE --out DIR` in a "
             "subprocess and measured from the input and the written file (see the script's docstring). "
             "'changed': channels with any sample different; 'returned as read': channels the 1-dB guard "
             "returned for at least one stretch (from the CLI line).", "", summary, "", *table(rows), "",
             "Skipped:", "", *skipped, ""]
    OUT.write_text("\n".join(lines))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
