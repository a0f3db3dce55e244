"""Long recordings file → file: seconds and peak memory of `eegrecon denoise` for 1 h, 2 h and 24 h of 64 channels.

    python benchmarks/long_files.py [--hours 1 2 24] [--keep DIR]

The recordings are built by tiling a real one record by record (eegmmidb S001R01 from ../shared/data or
$EEGRECON_DATA: 64 channels, 160 Hz, EDF; a synthetic 64-channel EDF when there is none), so building them
needs no memory either; the 1-h and 2-h ones are also written as FIF (float32). Each file is cleaned by the
CLI's code path (``clean_file``, default settings) in a fresh process that reports its own wall time and peak
resident memory. Writes benchmarks/results/long_files.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def tile_edf(src: Path, dest: Path, hours: float) -> None:
    """Repeat ``src``'s data records until ``hours`` are reached (header patched; constant memory)."""
    from eegrecon.io.edf_layout import read_edf_layout

    lay = read_edf_layout(src)
    data = src.read_bytes()
    header, body = bytearray(data[:lay.header_bytes]), data[lay.header_bytes:lay.header_bytes
                                                            + lay.n_records * lay.record_bytes]
    n_rec = int(round(hours * 3600 / lay.record_s))
    header[236:244] = str(n_rec).ljust(8).encode()
    with open(dest, "wb") as fh:
        fh.write(header)
        done = 0
        while done < n_rec:
            take = min(lay.n_records, n_rec - done)
            fh.write(body[: take * lay.record_bytes])
            done += take


def synthetic_edf(dest: Path) -> Path:
    """One minute of 64-channel synthetic EEG at 160 Hz (when the real recording is absent)."""
    import edfio

    rng = np.random.default_rng(0)
    t = np.arange(9600) / 160.0
    x = 20 * rng.standard_normal((64, 9600)) + 15 * np.sin(2 * np.pi * 10 * t)
    edfio.Edf([edfio.EdfSignal(row, 160.0, label=f"E{i}", physical_dimension="uV",
                               physical_range=(-1000.0, 1000.0)) for i, row in enumerate(x)],
              data_record_duration=1.0).write(dest)
    return dest


def peak_rss_mb() -> float:
    """This process's peak resident memory, MB: VmHWM (ru_maxrss would report the parent's peak when it is
    larger, because Linux keeps ru_maxrss across fork + exec)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(path: str, out: str) -> None:
    """Clean one file in this process and print seconds and peak memory as JSON."""
    from eegrecon.clean.files import clean_file

    t0 = time.perf_counter()
    res = clean_file(path, out, overwrite=True)
    seconds = time.perf_counter() - t0
    peak_mb = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "channels": len(res.report["channels"]),
                      "precision": res.report.get("precision")}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hours", type=float, nargs="+", default=[1.0, 2.0, 24.0])
    ap.add_argument("--keep", type=Path, default=None, help="build the recordings here (default: a temp dir)")
    ap.add_argument("--one", nargs=2, metavar=("FILE", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one(*args.one)
        return
    import mne

    from eegrecon.models.neural import native_bf16
    from eegrecon.paths import resolve_data_dir

    work = args.keep or Path(tempfile.mkdtemp(prefix="eegrecon_long_"))
    work.mkdir(parents=True, exist_ok=True)
    data_dir = resolve_data_dir(None)
    real = data_dir / "eegmmidb_S001" / "S001R01.edf" if data_dir else None
    src = real if real is not None and real.is_file() else synthetic_edf(work / "synthetic.edf")
    rows = []
    for hours in args.hours:
        files = [work / f"long_{hours:g}h.edf"]
        tile_edf(src, files[0], hours)
        if hours <= 2:
            raw = mne.io.read_raw_edf(files[0], preload=True, verbose="error")
            files.append(work / f"long_{hours:g}h_raw.fif")
            raw.save(files[-1], overwrite=True, verbose="error")
            del raw
        for path in files:
            res = subprocess.run([sys.executable, __file__, "--one", str(path), str(work / "out")],
                                 capture_output=True, text=True, check=True)
            m = json.loads(res.stdout.strip().splitlines()[-1])
            size_mb = path.stat().st_size / 1e6
            rows.append(f"| {hours:g} h | {path.suffix.upper()[1:]} | {size_mb:,.0f} MB | {m['channels']} | "
                        f"{m['seconds']:.1f} s | {m['seconds'] / hours:.1f} s | {m['peak_mb']:,.0f} MB |")
            print(rows[-1], flush=True)
            path.unlink()
    text = "\n".join([
        "# Long recordings, file → file (generated by `python benchmarks/long_files.py`)", "",
        f"Source: {'eegmmidb S001R01 (64 ch, 160 Hz) tiled record by record' if src == real else 'synthetic 64-ch'};"
        f" `clean_file` defaults (chunk_s=120, precision auto: bf16 native here = {native_bf16()}); one fresh "
        "process per file; 2 cores.", "",
        "| length | format | file | EEG channels cleaned | wall time | per hour | peak memory (RSS) |",
        "|---|---|---|---|---|---|---|", *rows, ""])
    (ROOT / "benchmarks" / "results" / "long_files.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
