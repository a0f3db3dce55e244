"""Clean a live LSL stream with StreamingDenoiser (needs the optional extra: pip install "eegrecon[lsl]").

    python examples/lsl_stream.py [recording] [--seconds 30]

Plays a recording (default: MNE's sample EEG if downloaded, else a file you name; any MNE-readable file) as a
live LSL stream with MNE-LSL's PlayerLSL, connects to it with StreamLSL, and feeds each new chunk of EEG to a
StreamingDenoiser at the stream's own rate. Prints, every few seconds, how many samples came in and out and
the latency the denoiser guarantees. Replace the player by your amplifier's LSL stream for real use.
"""

from __future__ import annotations

import argparse
import time
import uuid

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("recording", help="an EEG recording to replay as a stream (EDF, FIF, BrainVision, ...)")
    ap.add_argument("--seconds", type=float, default=30.0)
    args = ap.parse_args()
    from mne_lsl.player import PlayerLSL
    from mne_lsl.stream import StreamLSL

    from eegrecon import StreamingDenoiser

    source_id = uuid.uuid4().hex
    with PlayerLSL(args.recording, chunk_size=32, source_id=source_id) as player:
        stream = StreamLSL(bufsize=5.0, source_id=source_id).connect(acquisition_delay=0.05)
        stream.pick("eeg")
        sfreq, n_chans = stream.info["sfreq"], len(stream.ch_names)
        sd = StreamingDenoiser(n_chans=n_chans, sfreq=sfreq)
        print(f"{player.name}: {n_chans} EEG channels at {sfreq:g} Hz; latency ≤ {sd.latency_s:.2f} s")
        n_in = n_out = 0
        t_end, t_print = time.monotonic() + args.seconds, time.monotonic()
        while time.monotonic() < t_end:
            if stream.n_new_samples:
                data, _ = stream.get_data(winsize=stream.n_new_samples / sfreq)
                cleaned = sd.push(data)  # volts in, volts out: scale-invariant
                n_in, n_out = n_in + data.shape[1], n_out + cleaned.shape[1]
            if time.monotonic() - t_print > 5:
                print(f"in {n_in / sfreq:6.1f} s, cleaned out {n_out / sfreq:6.1f} s")
                t_print = time.monotonic()
            time.sleep(0.02)
        rest = sd.flush() if n_in >= 2 else np.zeros((n_chans, 0))
        print(f"done: {n_in} samples in, {n_out + rest.shape[1]} out")
        stream.disconnect()


if __name__ == "__main__":
    main()
