"""Live multichannel cleaning: latency per rate, speed against real time, and the blink residual against offline.

    python benchmarks/streaming.py            # needs ../shared/data

1. ``StreamingDenoiser(info=...)`` for eegmmidb S001's 64-channel montage at 160, 250, 256, 500 and 1000 Hz:
   the model chosen, ``latency_s`` without a notch and with a 50/60-Hz notch;
2. speed: S001R01–R04 streamed in random chunks of 0.02–0.5 s at 160 Hz, and R01 resampled to 500 and 1000 Hz:
   compute seconds per second of signal, as a multiple of real time;
3. quality: S001 R01, R03, R04 (0.5-Hz high-pass, 60-Hz notch, own reference, as the real-data benchmark)
   streamed with the default ``fit_after_s`` (30 s): median |Fp1| and |Fp2| at the blink peaks after the sources
   are fitted, and at the peaks before (where the network's own removal stands), against the offline Denoiser and
   the network alone (``artifact_sources=0``, streamed and offline) on the same peaks.

Writes benchmarks/results/streaming.md.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
from common import prepared_eegmmidb  # beside this script

from eegrecon import Denoiser, StreamingDenoiser
from eegrecon.paths import resolve_data_dir

OUT = Path(__file__).parent / "results" / "streaming.md"


def stream(sd: StreamingDenoiser, x: np.ndarray, seed: int = 0) -> tuple[np.ndarray, float]:
    """``x`` pushed in random chunks of 0.02–0.5 s; the output and the compute seconds."""
    rng = np.random.default_rng(seed)
    outs, pos, spent = [], 0, 0.0
    lo, hi = int(0.02 * sd.sfreq), int(0.5 * sd.sfreq)
    while pos < x.shape[1]:
        k = min(int(rng.integers(lo, hi)), x.shape[1] - pos)
        t = time.perf_counter()
        outs.append(sd.push(x[:, pos:pos + k]))
        spent += time.perf_counter() - t
        pos += k
    t = time.perf_counter()
    outs.append(sd.flush())
    return np.concatenate(outs, axis=1), spent + time.perf_counter() - t


def latency_rows(info) -> list[str]:
    import mne

    rows = []
    for sfreq in (160.0, 250.0, 256.0, 500.0, 1000.0):
        moved = mne.create_info(info["ch_names"], sfreq, info.get_channel_types())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            moved.set_montage(info.get_montage())
        plain = StreamingDenoiser(info=moved)
        notched = [StreamingDenoiser(info=moved, line_freq=f).latency_s for f in (50.0, 60.0)]
        rows.append(f"| {sfreq:g} | {plain.report_['model']['name']} | {plain.latency_s:.2f} | "
                    f"{notched[0]:.2f} / {notched[1]:.2f} |")
    return rows


def speed_rows(root: Path) -> list[str]:
    rows = []
    cases = [(f"S001{run}", prepared_eegmmidb(root, run, "recorded")["raw"]) for run in ("R01", "R02", "R03", "R04")]
    base = cases[0][1]
    for sfreq in (500.0, 1000.0):
        cases.append((f"S001R01 at {sfreq:g} Hz", base.copy().resample(sfreq, verbose="error")))
    for name, raw in cases:
        sd = StreamingDenoiser(info=raw.info)
        _, spent = stream(sd, raw.get_data())
        seconds = raw.n_times / raw.info["sfreq"]
        rows.append(f"| {name} | {len(raw.ch_names)} | {raw.info['sfreq']:g} | {seconds:.0f} | {spent:.1f} | "
                    f"{seconds / spent:.0f}× |")
        print(rows[-1], flush=True)
    return rows


def quality_rows(root: Path) -> list[str]:
    rows = []
    for run in ("R01", "R03", "R04"):
        rec = prepared_eegmmidb(root, run, "recorded")
        raw, names, peaks, sf = rec["raw"], rec["names"], rec["peaks"], rec["sfreq"]
        x = raw.get_data()
        live = StreamingDenoiser(info=raw.info)
        streamed, _ = stream(live, x)
        streamed_network, _ = stream(StreamingDenoiser(info=raw.info, artifact_sources=0), x)
        fitted_from = live.fit_after_s
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            offline = Denoiser(line_freq=None).fit().transform(raw).get_data()
            network = Denoiser(line_freq=None, artifact_sources=0).fit().transform(raw).get_data()
        for label, sel in ((f"after {fitted_from:g} s", peaks[peaks >= fitted_from * sf]),
                           (f"before {fitted_from:g} s", peaks[peaks < fitted_from * sf])):
            if not len(sel):
                continue
            cells = []
            for out in (streamed, streamed_network, offline, network):
                cells.append(" / ".join(f"{np.median(np.abs(out[names.index(c), sel])) * 1e6:.0f}"
                                        for c in ("Fp1", "Fp2")))
            ratio = (np.median(np.abs(streamed[names.index("Fp1"), sel]))
                     / np.median(np.abs(offline[names.index("Fp1"), sel])))
            rows.append(f"| {run} | {label} | {len(sel)} | {' | '.join(cells)} | {ratio:.2f} |")
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    root = resolve_data_dir(None)
    if root is None:
        raise SystemExit("needs ../shared/data (or $EEGRECON_DATA)")
    info = prepared_eegmmidb(root, "R01", "recorded")["raw"].info
    lines = ["# Live multichannel cleaning (`python benchmarks/streaming.py`)", "",
             f"{time.strftime('%Y-%m-%d')}; {sys.platform}, 2 cores. `StreamingDenoiser(info=raw.info)` on eegmmidb "
             "S001 (64 channels, 10-05 positions): the same model choice and engine as the offline Denoiser.", "",
             "## Latency (s): a sample is returned by the push that brings this much signal after it", "",
             "| rate Hz | model | latency | with a 50 / 60-Hz notch |", "|---|---|---|---|", *latency_rows(info), "",
             "## Speed: random chunks of 0.02–0.5 s, compute time against the signal's duration", "",
             "| recording | channels | rate Hz | seconds | compute s | faster than real time |",
             "|---|---|---|---|---|---|",
             *speed_rows(root), "",
             "## Blink peaks: median |value| at Fp1 / Fp2 (µV), own reference", "",
             "The stream fits its artifact sources on everything it has shown once 30 s have passed (refreshed every "
             "10 s); before that the network's own removal stands. Offline: `Denoiser()` on the whole recording.", "",
             "| run | peaks | n | streamed | streamed, network alone | offline | offline, network alone | "
             "streamed ÷ offline at Fp1 |", "|---|---|---|---|---|---|---|---|", *quality_rows(root)]
    OUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
