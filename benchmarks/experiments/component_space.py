"""Is a component-space cleaner fast enough and good enough? A prototype against the Denoiser's default.

The multichannel Denoiser runs its network on every channel of every window, so its cost grows with the channel
count; the #10 speed target (10× faster than ICA + ICLabel on 64 channels) needs a cost that does not. The
prototype here has none of the network's per-channel work:

1. the ``k`` principal components of the input's low-frequency band (below ``--band-hz``, where eye artifacts have
   their power) over the whole recording: topographies ``A`` (n_chans, k), orthonormal;
2. their courses ``s = Aᵀ x`` cleaned by the single-channel model (the Denoiser's course cleaner: the shipped
   single-channel bundle, test-time ensembled);
3. ``y = x − A (s − clean(s))``; with ``--gate``, the removal only where it is an event along its course
   (:func:`eegrecon.clean.spatial.artifact_sources.event_weight`), as the Denoiser's source step does.

A second design keeps the network's spatial judgment at a cost that does not grow with the recording's length:
the multichannel network runs only on the ``--stretches`` 4-s stretches with the most low-frequency power; the two
dominant topographies of what it removes there, and the beamformer fitted on what it keeps, give source courses
over the whole recording, which the single-channel model cleans; the removal is kept where it is an event along its
course. Nothing is changed when the network removes (almost) nothing in those stretches. It has no per-window
detection of muscle or pops.

Scored like ``benchmarks/multichannel.py`` on its longest ``--recordings`` test recordings (EOG at −9..+3 dB,
EOG + EMG and EMG at −6 and 0 dB, clean input; this script's own draws, the same for every method; frontal and
other channels), and timed on one minute of 64-channel data (eegmmidb S001R01) next to the Denoiser's default and
ICA + ICLabel, alternated, median of 3. Writes benchmarks/results/component_space.md and .csv. Needs ../shared/data
and the [bench] extra.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/common.py
import common as mc  # beside this script: the benchmarks' shared helpers and draws
import numpy as np
import pandas as pd

from eegrecon import Denoiser
from eegrecon.clean.spatial.artifact_sources import beamformer, event_weight
from eegrecon.clean.spatial.refit import artifact_topographies
from eegrecon.data.multichannel import contaminate
from eegrecon.paths import resolve_data_dir
from eegrecon.signal.filters import bandpass


def component_cleaner(k: int, band_hz: float, gate: bool):
    """The first design as ``(x µV (n_chans, n_times), sfreq, names) → y``, average reference."""
    den = Denoiser("eegrecon_mc", line_freq=None).fit()  # its course cleaner: the single-channel bundle, ensembled

    def clean(x: np.ndarray, sfreq: float, names: list[str]) -> np.ndarray:
        x = x - x.mean(axis=0)
        _, vectors = np.linalg.eigh(np.cov(bandpass(x, sfreq, None, band_hz)))
        a = vectors[:, ::-1][:, :k]
        courses = a.T @ x
        removed = courses - den.models_.course_cleaner(sfreq, den.overlap, den.batch_size)(courses)
        if gate:
            removed = removed * event_weight(removed, courses, sfreq)
        return x - a @ removed
    return clean


#: stretches (s) the sampled network sees; the network removing less than this share of their power: no artifact
STRETCH_S = 4.0
NOTHING_REMOVED = 1e-3


def sampled_network_cleaner(n_stretches: int):
    """The second design as ``(x µV (n_chans, n_times), sfreq, names) → y``, average reference."""
    network = Denoiser("eegrecon_mc", line_freq=None, artifact_sources=0).fit()
    den = Denoiser("eegrecon_mc", line_freq=None).fit()

    def clean(x: np.ndarray, sfreq: float, names: list[str]) -> np.ndarray:
        x = x - x.mean(axis=0)
        n = int(round(STRETCH_S * sfreq))
        block = max(1, int(round(sfreq / 4)))  # means over 1/4 s: a cheap low-pass for choosing the stretches
        m = x.shape[1] // block
        low = (x[:, :m * block].reshape(len(x), m, block).mean(axis=-1) ** 2).sum(axis=0)
        per_stretch = np.add.reduceat(low, np.arange(0, m, max(1, n // block)))
        starts = np.sort(np.argsort(per_stretch)[::-1][:n_stretches]) * n
        seen = np.concatenate([x[:, s:s + n] for s in starts], axis=1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            removed = seen - mc.eeg_out(network.transform(mc.make_raw(seen, names, sfreq=sfreq)), names)
        if np.sum(removed ** 2) < NOTHING_REMOVED * np.sum(seen ** 2):
            return x
        a = artifact_topographies(removed, 2)
        courses = beamformer(seen - removed, a) @ x
        artifact = courses - den.models_.course_cleaner(sfreq, den.overlap, den.batch_size)(courses)
        return x - a @ (artifact * event_weight(artifact, a.T @ x, sfreq))
    return clean


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--recordings", type=int, default=3)
    ap.add_argument("--k", type=int, nargs="*", default=[2, 3], help="components tried")
    ap.add_argument("--band-hz", type=float, default=6.0)
    ap.add_argument("--gate", action="store_true")
    ap.add_argument("--stretches", type=int, nargs="*", default=[2, 4],
                    help="4-s stretches the sampled network sees (second design)")
    ap.add_argument("--out", type=Path, default=mc.OUT / "component_space.md")
    args = ap.parse_args()
    recs, courses, names, bank = mc.ground_truth_set(args.recordings)
    methods = {f"component space, k = {k}": component_cleaner(k, args.band_hz, args.gate) for k in args.k}
    methods.update({f"network on {m} × {STRETCH_S:g} s, source step everywhere": sampled_network_cleaner(m)
                    for m in args.stretches})
    default = mc.run_denoiser("eegrecon_mc")
    rng = np.random.default_rng(0)
    n = int(180 * mc.SFREQ)
    rows = []
    cases = [("clean", None)] + [("eog", lv) for lv in (-9.0, -6.0, -3.0, 0.0, 3.0)] \
        + [(kind, lv) for kind in ("eog+emg", "emg") for lv in (-6.0, 0.0)]
    for r_i, rec in enumerate(recs):
        clean = np.asarray(rec.data[:, :n], dtype=np.float64)
        for kind, level in cases:
            fams = {} if kind == "clean" else {part: 1.0 for part in kind.split("+")}
            mix = contaminate(clean, bank, courses, "test", 0.0 if level is None else level, rng, families=fams)
            truth = mix.noisy if kind == "clean" else mix.clean  # clean input: scored against the input
            outs = {"noisy input": mix.noisy}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                outs["eegrecon multichannel (default)"] = default(mc.make_raw(mix.noisy, names), names)
            outs.update({label: fn(mix.noisy, mc.SFREQ, names) for label, fn in methods.items()})
            for label, out in outs.items():
                rows.append({"recording": r_i, "kind": kind, "snr_db": level, "method": label,
                             **mc.scores(out, truth, names)})
            print(f"recording {r_i} {kind} {level}: done", flush=True)
    table = pd.DataFrame(rows)
    speed = time_64(resolve_data_dir(None), methods)
    write(table, speed, args, [min(rec.data.shape[1], n) / mc.SFREQ for rec in recs])


def time_64(data_dir: Path, methods: dict) -> dict[str, float]:
    """Seconds per minute of eegmmidb S001R01 (64 ch, 160 Hz): median of 3 alternated calls of each."""
    raw = mc.speed_recording(data_dir)
    minutes, sfreq, names = raw.times[-1] / 60, raw.info["sfreq"], raw.ch_names
    den = Denoiser("eegrecon_mc", line_freq=None).fit()
    calls = {"eegrecon multichannel (default)": lambda: den.transform(raw),
             **{label: (lambda fn=fn: fn(raw.get_data() * 1e6, sfreq, names)) for label, fn in methods.items()},
             "ICA + ICLabel": lambda: mc.run_ica_iclabel(raw.copy(), names)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for call in calls.values():  # warm-up: imports and first allocations are not part of the comparison
            call()
    return mc.median_alternated(calls, minutes)


def write(table: pd.DataFrame, speed: dict[str, float], args, durations: list[float]) -> None:
    order = list(dict.fromkeys(table["method"]))
    lines = ["# A component-space cleaner vs the Denoiser's default",
             "(`python benchmarks/experiments/component_space.py`)", "",
             f"Command: `python benchmarks/experiments/component_space.py {shlex.join(sys.argv[1:])}`", "",
             f"Component space: the k principal components of the input below {args.band_hz:g} Hz, their courses "
             "cleaned by the single-channel model (test-time ensembled), back-projected"
             f"{'; gated by events' * args.gate}. Network on m × {STRETCH_S:g} s: the multichannel network on the m "
             "stretches with the most low-frequency power gives two topographies; their beamformed courses over "
             "the whole recording are cleaned by the same single-channel model, kept where they are events. "
             f"{args.recordings} eegmat test recordings ({mc.recording_lengths(durations)}; the same draws for "
             "every method), "
             "19 channels, average reference; frontal = Fp1, Fp2, F3, F4, F7, F8, Fz.", ""]
    for kind in [k for k in dict.fromkeys(table["kind"]) if k != "clean"]:
        part = table[table["kind"] == kind]
        for metric in ("cc_frontal", "cc_rest", "rrmse_frontal"):
            pv = part.pivot_table(index="method", columns="snr_db", values=metric).reindex(order)
            pv.columns = [f"{c:g} dB" for c in pv.columns]
            lines += [f"## {kind}: {metric} (mean over recordings)", "", mc.fmt_table(pv.reset_index()), ""]
    clean = table[table["kind"] == "clean"].groupby("method")[["cc_all", *[f"{b}_db" for b in mc.BANDS]]].mean()
    lines += ["## Clean input: CC with the input and band-power change, dB", "",
              mc.fmt_table(clean.reindex(order).rename(columns={"cc_all": "cc_with_input"}).reset_index()), ""]
    ica = speed["ICA + ICLabel"]
    lines += ["## Speed: eegmmidb S001R01, 64 channels, 1 min at 160 Hz (median of 3 alternated calls)", "",
              "| method | s per minute | ICA + ICLabel ÷ method |", "|---|---|---|"]
    lines += [f"| {k} | {v:.3f} | {ica / v:.1f}× |" for k, v in speed.items()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    table.to_csv(args.out.with_suffix(".csv"), index=False)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
