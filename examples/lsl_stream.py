"""Clean a live 64-channel LSL stream with the multichannel model (needs the extra: pip install "eegrecon[lsl]").

    python examples/lsl_stream.py [recording] [--seconds 60] [--plot lsl_before_after.png]

Plays a recording as a live LSL stream with MNE-LSL's PlayerLSL (default: eegmmidb S001R01 from ../shared/data or
$EEGRECON_DATA: 64 channels at 160 Hz, standard 10-05 names), connects to it with StreamLSL, and feeds each new
chunk to a ``StreamingDenoiser`` built from the stream's own ``info``: channel names, types and positions give
it the multichannel model, as offline (it says which model and why). Every few seconds it prints how much came in
and went out; at the end it plots 20 s of four channels before and after. Replace the player by your amplifier's
LSL stream for real use.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
import warnings
from pathlib import Path

import numpy as np


def player_file(path: str | None) -> Path:
    """The recording to play, as a FIF with standard channel names and positions (PlayerLSL reads it)."""
    import mne

    from eegrecon.io.readers import read_raw
    from eegrecon.paths import resolve_data_dir

    if path is None:
        root = resolve_data_dir(None)
        if root is None:
            raise SystemExit("name a recording to play (no ../shared/data or $EEGRECON_DATA here)")
        path = root / "eegmmidb_S001" / "S001R01.edf"
    raw = read_raw(path).load_data()
    if Path(path).name.startswith("S0"):
        mne.datasets.eegbci.standardize(raw)  # eegmmidb's "Fc5." → "FC5"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw.set_montage("standard_1005", on_missing="ignore", match_case=False)
    out = Path(tempfile.mkdtemp()) / "stream_raw.fif"
    raw.save(out, verbose="error")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("recording", nargs="?", help="an EEG recording to replay as a stream (EDF, FIF, BrainVision…)")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--plot", default="lsl_before_after.png", help="PNG of 20 s before/after at the end")
    args = ap.parse_args()
    from mne_lsl.player import PlayerLSL
    from mne_lsl.stream import StreamLSL

    from eegrecon import StreamingDenoiser
    from eegrecon.plots import plot_before_after

    source_id = uuid.uuid4().hex
    with PlayerLSL(player_file(args.recording), chunk_size=16, source_id=source_id) as player:
        stream = StreamLSL(bufsize=5.0, source_id=source_id).connect(acquisition_delay=0.02)
        stream.pick("eeg")
        sd = StreamingDenoiser(info=stream.info)
        sfreq, ch_names = sd.sfreq, list(stream.ch_names)
        print(f"{player.name}: {sd.n_chans} channels at {sfreq:g} Hz; {sd.report_['model']['name']} "
              f"({sd.report_['model']['reason']}); latency ≤ {sd.latency_s:.2f} s")
        ins, outs, computing = [], [], 0.0
        t_end, t_print = time.monotonic() + args.seconds, time.monotonic()
        while time.monotonic() < t_end:
            if stream.n_new_samples:
                data, _ = stream.get_data(winsize=stream.n_new_samples / sfreq)
                t = time.perf_counter()
                outs.append(sd.push(data))  # volts in, volts out
                computing += time.perf_counter() - t
                ins.append(data)
            if time.monotonic() - t_print > 5:
                n_in, n_out = sum(d.shape[1] for d in ins), sum(d.shape[1] for d in outs)
                print(f"in {n_in / sfreq:6.1f} s, cleaned out {n_out / sfreq:6.1f} s, "
                      f"compute {computing:.1f} s")
                t_print = time.monotonic()
            time.sleep(0.01)
        stream.disconnect()
    if sum(d.shape[1] for d in ins) >= 2:
        outs.append(sd.flush())
    x, y = np.concatenate(ins, axis=1), np.concatenate(outs, axis=1)
    print(f"done: {x.shape[1]} samples in, {y.shape[1]} out; "
          f"{x.shape[1] / sfreq / max(computing, 1e-9):.0f}× faster than real time")
    names = [c for c in ("Fp1", "Fz", "Cz", "Oz") if c in sd.report_["channels"]] or sd.report_["channels"][:4]
    rows = [ch_names.index(c) for c in names]
    span = min(x.shape[1], int(20 * sfreq))
    start = max(0, x.shape[1] - span - int(3 * sfreq))  # 20 s before the last 3 (the end is flushed, not streamed)
    plot_before_after(x[rows, start:start + span] * 1e6, y[rows, start:start + span] * 1e6, sfreq, names,
                      Path(args.plot), "LSL stream: as received (grey) and cleaned live (blue)", span / sfreq)
    print(f"wrote {args.plot}")


if __name__ == "__main__":
    main()
