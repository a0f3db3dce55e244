"""Multichannel cleaning side by side with the tools users already have, on held-out subjects.

    python benchmarks/multichannel.py [--recordings 6] [--seconds 180] [--levels -9 -6 -3 0 3] [--quick]
                                   [--methods eegrecon ...] [--extra-mc LABEL=CHECKPOINT ...]
                                   [--overlap 0.5] [--refit K] [--speed-only] [--no-speed]

Test data: eegmat test subjects' ICA-cleaned 19-channel recordings (never seen in training) + real EOG (and EMG)
time courses of the test split of every EOG/EMG source, projected onto the scalp through forward-modelled
topographies (eegrecon.data.multichannel); SNR at the most contaminated channel (RMS ratio). Reference channels
(VEOG, HEOG, ECG) are added to the recording for the methods that use them.

Methods: noisy input; eegrecon single-channel (eegrecon_net); eegrecon multichannel (eegrecon_mc) without and
with reference channels (the Denoiser's default, with its regression on them where the network agrees; and the
network alone, "network only", which every --extra-mc row also is); MNE ICA (picard, 15 components) + ICLabel
(components not labelled brain/other removed); ICA + find_bads_eog (with EOG channels); ASR (meegkit; cutoffs 5
and 20); MNE EOGRegression (with EOG channels); oracle regression (least squares on the true projected artifact,
a bound).

Scores, in average reference against the clean truth: CC and RRMSE_t per channel (frontal = Fp1, Fp2, F3, F4, F7,
F8, Fz; rest = the other 12), band-power change per band (Welch, 2-s Hann segments, power summed over channels);
the same methods on the clean recordings (CC with the input, band-power change), also with the >30-Hz background
real recordings have and eegmat lacks ('clean+bg'; 'emg+bg' = muscle on top of it); seconds per minute of 64-channel
data (eegmmidb S001R01, 64 ch, 160 Hz) for eegrecon_mc and ICA + ICLabel: median of 3 calls each, alternated
(``--speed-only``: only this, for --mc-model, --mc-model with artifact_sources=0 and every --extra-mc).

Needs the [bench] extra (mne-icalabel, meegkit, python-picard) and ../shared/data. Writes
benchmarks/results/multichannel.md and multichannel.csv.
"""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from common import (  # beside this script
    BANDS,
    FRONTAL,
    SFREQ,
    fmt_table,
    ground_truth_set,
    labelled_paths,
    make_raw,
    median_alternated,
    recording_lengths,
    run_asr,
    run_denoiser,
    run_eog_regression,
    run_ica_eog,
    run_ica_iclabel,
    scores,
    speed_recording,
    to_linked_ears,
    with_ears,
)

from eegrecon.data.background import add_background
from eegrecon.data.multichannel import (
    REF_BRAIN_GAIN,
    contaminate,
    snr_per_channel,
)
from eegrecon.paths import resolve_data_dir

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results"
#: the model with reference channels but without the Denoiser's regression on them (the network alone)
NETWORK_ONLY = "eegrecon multichannel + refs, network only"
#: the Denoiser without its source-space step (eegrecon.clean.spatial.artifact_sources): the network's own removal
NO_SOURCES = "eegrecon multichannel, network's removal (artifact_sources=0)"
#: background level of the '+bg' cases: 30–80 Hz power over 13–30 Hz power (eegmmidb S001R01 has ~0.5)
BENCH_BACKGROUND = (0.5, 0.5)
#: score-column prefix and wording of each reference the results are scored in
REFERENCES = (("", "the recording's own reference"), ("avg_", "average reference"))
INPUT_REFERENCE = {
    "linked-ears": "in the reference eegmat was recorded in (linked ears); the eye and muscle artifacts are "
                   "referred to the same ears (forward model over the 19 channels and A1/A2), so they keep the part "
                   "common to all channels that average reference hides.",
    "average": "average-referenced before anything is added (--input-reference average), so the recording's own "
               "reference is average reference."}


def oracle(noisy: np.ndarray, artifact: np.ndarray) -> np.ndarray:
    """Per-channel least-squares regression of the noisy signal on the true projected artifact."""
    num = (noisy * artifact).sum(axis=1)
    den = np.maximum((artifact ** 2).sum(axis=1), 1e-30)
    return noisy - (num / den)[:, None] * artifact


def keep_channels(mix, keep: list[int], average: bool):
    """The contaminated recording on a subset of its channels; ``average``: in that subset's average reference."""
    def sub(x):
        x = x[keep]
        return x - x.mean(axis=0) if average else x
    return dataclasses.replace(mix, noisy=sub(mix.noisy), clean=sub(mix.clean), artifact=sub(mix.artifact))


def speed_64(data_dir: Path, models: dict[str, str], overlap: float = 0.5, refit: int = 0,
             repeats: int = 3, long_minutes: float = 0.0) -> dict:
    """Seconds per minute of 64-channel data: each multichannel model (label → bundle or checkpoint) vs ICA
    (picard, 15) + ICLabel on eegmmidb S001R01, the median of ``repeats`` calls of each, alternated; with
    ``long_minutes``, also one call of each on S001R01 tiled to that length."""
    from eegrecon import Denoiser

    raw = speed_recording(data_dir)
    minutes = raw.times[-1] / 60
    names = raw.ch_names
    dens = {label: Denoiser(ref, line_freq=None, overlap=overlap, refit_components=refit).fit()
            for label, ref in models.items()}
    first_label, first = next(iter(models.items()))  # and the first model without its source-space step
    dens[f"{first_label}, artifact_sources=0"] = Denoiser(first, line_freq=None, overlap=overlap,
                                                          refit_components=refit, artifact_sources=0).fit()
    for den in dens.values():
        den.transform(raw.copy().crop(0, 5))  # warm-up (lazy imports, first allocation)
    with warnings.catch_warnings():  # warm-up: ICLabel's and picard's imports are not part of the comparison
        warnings.simplefilter("ignore")
        run_ica_iclabel(raw.copy().crop(0, 20), names)
    calls = {label: (lambda den=den: den.transform(raw)) for label, den in dens.items()}
    calls["ICA + ICLabel"] = lambda: run_ica_iclabel(raw.copy(), names)
    times = median_alternated(calls, minutes, repeats)
    out = {"minutes": minutes, "repeats": repeats, "s_per_min": times}
    if long_minutes:
        import mne

        n = int(long_minutes * 60 * raw.info["sfreq"])
        tiled = mne.io.RawArray(np.tile(raw.get_data(), (1, -(-n // raw.n_times)))[:, :n], raw.info, verbose="error")
        long_calls = {label: (lambda den=den: den.transform(tiled)) for label, den in dens.items()}
        long_calls["ICA + ICLabel"] = lambda: run_ica_iclabel(tiled.copy(), names)
        out["long"] = {"minutes": long_minutes, "s_per_min": median_alternated(long_calls, long_minutes, 1)}
    return out


def speed_lines(speed: dict, overlap: float) -> list[str]:
    """The speed section of a report."""
    ica = speed["s_per_min"]["ICA + ICLabel"]
    lines = [f"## Speed on 64 channels (eegmmidb S001R01, {speed['minutes']:.2f} min at 160 Hz, overlap {overlap:g}, "
             f"median of {speed['repeats']} calls of each, alternated in this process)", "",
             "| method | s per minute of data | ICA + ICLabel ÷ method |", "|---|---|---|"]
    lines += [f"| {k} | {v:.3f} | {ica / v:.1f}× |" for k, v in speed["s_per_min"].items()]
    if "long" in speed:
        long = speed["long"]["s_per_min"]
        lines += ["", f"### The same recording tiled to {speed['long']['minutes']:g} min (one call of each)", "",
                  "| method | s per minute of data | ICA + ICLabel ÷ method |", "|---|---|---|"]
        lines += [f"| {k} | {v:.3f} | {long['ICA + ICLabel'] / v:.1f}× |" for k, v in long.items()]
    return lines + [""]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--recordings", type=int, default=6)
    ap.add_argument("--seconds", type=float, default=180.0)
    ap.add_argument("--levels", type=float, nargs="*", default=[-9.0, -6.0, -3.0, 0.0, 3.0])
    ap.add_argument("--kinds", nargs="*", default=["eog", "eog+emg", "emg+bg"],
                    help="artifact families joined by '+'; 'bg' adds the high-frequency background of real "
                         "recordings (eegrecon.data.background, 30–80 Hz power = 0.5 × beta) to the clean truth")
    ap.add_argument("--mc-model", default="eegrecon_mc", help="multichannel model (bundle or checkpoint)")
    ap.add_argument("--extra-mc", action="append", default=[], metavar="LABEL=CHECKPOINT",
                    help="another multichannel checkpoint (e.g. the all-sources research model or the previous "
                         "bundle), rows with and without references; repeatable")
    ap.add_argument("--quick", action="store_true", help="2 recordings of 60 s, two levels (a smoke run)")
    ap.add_argument("--methods", nargs="*", default=None,
                    help="run only the methods whose name contains one of these (noisy input and the oracle always)")
    ap.add_argument("--overlap", type=float, default=0.5, help="the Denoiser's window overlap for eegrecon")
    ap.add_argument("--refit", type=int, default=0,
                    help="the Denoiser's refit_components for the multichannel rows (0: off)")
    ap.add_argument("--speed-only", action="store_true",
                    help="only time --mc-model and every --extra-mc on 64 channels → OUT/multichannel_speed.md")
    ap.add_argument("--long-minutes", type=float, default=60.0,
                    help="--speed-only: also time every method once on S001R01 tiled to this many minutes (0: no)")
    ap.add_argument("--no-speed", action="store_true",
                    help="leave out the 64-channel speed section (time it with --speed-only on an idle machine)")
    ap.add_argument("--drop-channels", nargs="*", default=[],
                    help="leave these channels out of the recording every method sees (e.g. Fp1 Fp2 F7 F8 F3 F4: a "
                         "cap without frontal electrodes); the artifact is still drawn and its SNR still defined on "
                         "all 19, so the kept channels see less of it")
    ap.add_argument("--ac-coupling", type=float, default=0.0, metavar="P",
                    help="share of eye artifacts recorded through an AC-coupled amplifier's high-pass (time constant "
                         "0.1–1 s; eegrecon.data.multichannel.amplifier_highpass); 0: the usual draws")
    ap.add_argument("--brain-free-refs", action="store_true",
                    help="reference channels without the brain activity the simulation puts in them (REF_BRAIN_GAIN "
                         "× the first channel's truth): a bound no recording allows, for what that activity costs "
                         "the methods that use the references")
    ap.add_argument("--reuse-peers", type=Path, default=None, metavar="CSV",
                    help="take every method not named eegrecon from an earlier multichannel.csv of the same draws "
                         "(checked against its noisy-input rows) instead of running it again: our rows in minutes")
    ap.add_argument("--input-reference", choices=("linked-ears", "average"), default="linked-ears",
                    help="the reference the methods get the recordings in: the one eegmat was recorded in (linked "
                         "ears; default) or average reference. Scores are in both references either way")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    if args.quick:
        args.recordings, args.seconds, args.levels = 2, 60.0, [-6.0, 0.0]
    data_dir = resolve_data_dir(None)
    if data_dir is None:
        raise SystemExit("needs ../shared/data (or $EEGRECON_DATA)")
    extra = labelled_paths(args.extra_mc, "--extra-mc")
    if args.speed_only:
        speed = speed_64(data_dir, {args.mc_model: args.mc_model, **extra}, args.overlap, args.refit,
                         long_minutes=args.long_minutes)
        text = ["# Multichannel speed (`python benchmarks/multichannel.py --speed-only`)", "",
                f"Command: `python benchmarks/multichannel.py {shlex.join(sys.argv[1:])}`", "",
                *speed_lines(speed, args.overlap)]
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "multichannel_speed.md").write_text("\n".join(text))
        print("\n".join(text))
        return
    recs, courses, names, bank = ground_truth_set(args.recordings, args.input_reference)
    ears = args.input_reference == "linked-ears"
    unknown = sorted(set(args.drop_channels) - set(names))
    if unknown:
        raise SystemExit(f"--drop-channels: {', '.join(unknown)} not among the recordings' channels {names}")
    keep = [i for i, name in enumerate(names) if name not in args.drop_channels]
    all_names, names = names, [names[i] for i in keep]
    methods = {
        "eegrecon single-channel": (run_denoiser("eegrecon_net", args.overlap), False),
        "eegrecon multichannel": (run_denoiser(args.mc_model, args.overlap, args.refit), False),
        "eegrecon multichannel + refs": (run_denoiser(args.mc_model, args.overlap, args.refit), True),
        NETWORK_ONLY: (run_denoiser(args.mc_model, args.overlap, args.refit, reference_regression=False), True),
        NO_SOURCES: (run_denoiser(args.mc_model, args.overlap, args.refit, sources=0), False),
        NO_SOURCES + " + refs": (run_denoiser(args.mc_model, args.overlap, args.refit, sources=0), True),
        "ICA + ICLabel": (run_ica_iclabel, False),
        "ICA + ICLabel (eye/muscle/heart p ≥ 0.8)": (lambda raw, names: run_ica_iclabel(raw, names, 0.8), False),
        "ICA + find_bads_eog (EOG ch.)": (run_ica_eog, True),
        "ASR cutoff 5": (run_asr(5.0), False),
        "ASR cutoff 20": (run_asr(20.0), False),
        "EOGRegression (EOG ch.)": (run_eog_regression, True),
    }
    args.extra_labels = list(extra)
    for label, path in extra.items():
        methods[f"eegrecon multichannel ({label})"] = (run_denoiser(path, args.overlap, args.refit), False)
        methods[f"eegrecon multichannel ({label}) + refs"] = (run_denoiser(path, args.overlap, args.refit, False), True)
    if args.methods:
        methods = {k: v for k, v in methods.items() if any(m in k for m in args.methods)}
    reused = None
    if args.reuse_peers is not None:
        reused = pd.read_csv(args.reuse_peers)
        methods = {k: v for k, v in methods.items() if k.startswith("eegrecon")}
    rows, timing = [], {}
    rng = np.random.default_rng(0)
    n = int(args.seconds * SFREQ)
    for r_i, rec in enumerate(recs):
        clean = np.asarray(rec.data[:, :n], dtype=np.float64)
        clean = with_ears(clean) if ears else clean
        # its own random stream, so the artifact draws of the other cases do not depend on it
        with_bg = add_background(clean, bank, SFREQ, np.random.default_rng([7, r_i]), BENCH_BACKGROUND)
        cases = [("clean", None), ("clean+bg", None)] + [(k, lv) for k in args.kinds for lv in args.levels]
        for kind, level in cases:
            parts = kind.split("+")
            truth = with_bg if "bg" in parts else clean
            fams = {k: 1.0 for k in parts if k not in ("bg", "clean")}
            mix = contaminate(truth, bank, courses, "test", 0.0 if level is None else level, rng, families=fams,
                              ac_coupling=args.ac_coupling)
            if ears:
                mix = to_linked_ears(mix)
            if len(keep) < len(all_names):
                mix = keep_channels(mix, keep, average=not ears)
            snrs = snr_per_channel(mix.clean, mix.artifact) if fams else np.full(len(names), np.inf)
            base = {"recording": r_i, "kind": kind, "snr_db": level if level is not None else np.nan,
                    "mean_channel_snr_db": float(np.mean(snrs[np.isfinite(snrs)])) if np.isfinite(snrs).any()
                    else np.nan}
            refs = mix.refs - REF_BRAIN_GAIN * truth[:1] if args.brain_free_refs else mix.refs  # truth: bank rows
            raw, raw_refs = make_raw(mix.noisy, names), make_raw(mix.noisy, names, refs)
            rows.append({**base, "method": "noisy input", **scores(mix.noisy, mix.clean, names)})
            if reused is not None:
                rows += reused_peer_rows(reused, rows[-1])
            if fams:
                rows.append({**base, "method": "oracle regression", **scores(oracle(mix.noisy, mix.artifact),
                                                                             mix.clean, names)})
            for name, (fn, with_refs) in methods.items():
                t = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        out = fn(raw_refs if with_refs else raw, names)
                    except Exception as exc:  # a peer failing on one case is a result, not a crash
                        print(f"{name} failed on recording {r_i} {kind} {level}: {exc}")
                        continue
                timing.setdefault(name, []).append(time.perf_counter() - t)
                rows.append({**base, "method": name, **scores(out, mix.clean, names)})
            print(f"recording {r_i} {kind} {level}: done", flush=True)
    table = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "multichannel.csv", index=False)
    speed = None if args.no_speed else speed_64(data_dir, {args.mc_model: args.mc_model}, args.overlap, args.refit)
    durations = [min(rec.data.shape[1], n) / SFREQ for rec in recs]
    write_report(table, timing, speed, args, durations, args.out / "multichannel.md")


def reused_peer_rows(reused: pd.DataFrame, noisy_row: dict) -> list[dict]:
    """The earlier run's rows of the methods not named eegrecon for this case; exits if its draw was different."""
    same = reused[(reused["recording"] == noisy_row["recording"]) & (reused["kind"] == noisy_row["kind"])
                  & ((reused["snr_db"] == noisy_row["snr_db"])
                     | (reused["snr_db"].isna() & bool(np.isnan(noisy_row["snr_db"]))))]
    noisy = same[same["method"] == "noisy input"]
    if len(noisy) != 1 or not np.allclose(noisy[["cc_frontal", "rrmse_frontal", "delta_db"]].to_numpy(dtype=float),
                                          [[noisy_row["cc_frontal"], noisy_row["rrmse_frontal"],
                                            noisy_row["delta_db"]]], atol=1e-9, equal_nan=True):
        raise SystemExit(f"--reuse-peers: recording {noisy_row['recording']} {noisy_row['kind']} "
                         f"{noisy_row['snr_db']} is not the same draw as in the earlier run; run every method")
    peers = same[~same["method"].str.startswith("eegrecon") & ~same["method"].isin(["noisy input",
                                                                                    "oracle regression"])]
    return peers.to_dict("records")


def write_report(table: pd.DataFrame, timing: dict, speed: dict | None, args, durations: list[float],
                 path: Path) -> None:
    order = ["noisy input", "eegrecon single-channel", "eegrecon multichannel", "eegrecon multichannel + refs",
             NETWORK_ONLY, NO_SOURCES, NO_SOURCES + " + refs",
             *[f"eegrecon multichannel ({lab}){refs}" for lab in args.extra_labels for refs in ("", " + refs")],
             "ICA + ICLabel", "ICA + ICLabel (eye/muscle/heart p ≥ 0.8)", "ICA + find_bads_eog (EOG ch.)",
             "ASR cutoff 5", "ASR cutoff 20",
             "EOGRegression (EOG ch.)", "oracle regression"]
    lines = ["# Multichannel cleaning vs ICA + ICLabel, ASR and EOG regression (`python benchmarks/multichannel.py`)",
             "", f"Command: `python benchmarks/multichannel.py {shlex.join(sys.argv[1:])}`", "",
             f"{len(durations)} eegmat test recordings ({recording_lengths(durations)}: each up to "
             f"{args.seconds:g} s), 19 channels at 256 Hz, " + INPUT_REFERENCE[args.input_reference] + " Every "
             "method gets the recording in that reference and returns it in that reference; each table says which "
             "reference it is scored in: the recording's own (what a user receives) or average reference. SNR at "
             "the most contaminated channel (RMS ratio); the mean channel SNR is in multichannel.csv. Frontal = Fp1, "
             "Fp2, F3, F4, F7, F8, Fz.", ""]
    if args.ac_coupling:
        lines[-1:-1] = [f"Eye artifacts recorded through an AC-coupled amplifier in {100 * args.ac_coupling:g} % of "
                        "draws (causal first-order high-pass, time constant 0.1–1 s, reference channels too).", ""]
    if args.brain_free_refs:
        lines[-1:-1] = ["Reference channels without their brain activity (--brain-free-refs: the simulation's "
                        f"{REF_BRAIN_GAIN:g} × Fp1's truth taken out): a bound, not something a recording allows.", ""]
    if args.drop_channels:
        lines[-1:-1] = [f"Channels left out of every method's input: {', '.join(args.drop_channels)} "
                        f"(frontal = {', '.join(n for n in FRONTAL if n not in args.drop_channels)}). The "
                        "artifact's SNR is still defined on all 19 channels (at the most contaminated one, usually "
                        "not recorded here)."]
    for kind in [k for k in table["kind"].unique() if not k.startswith("clean")]:
        part = table[table["kind"] == kind]
        for metric in ("cc_frontal", "cc_rest", "rrmse_frontal", "rrmse_rest"):
            for prefix, where in REFERENCES:
                pv = part.pivot_table(index="method", columns="snr_db", values=prefix + metric).reindex(
                    [m for m in order if m in part["method"].unique()])
                pv.columns = [f"{c:g} dB" for c in pv.columns]
                lines += [f"## {kind}: {metric}, {where} (mean over recordings)", "", fmt_table(pv.reset_index()), ""]
        for prefix, where in REFERENCES:
            bands = part.groupby("method")[[f"{prefix}{b}_db" for b in BANDS]].mean().reindex(
                [m for m in order if m in part["method"].unique()])
            lines += [f"## {kind}: band-power change against the truth, dB, {where} (mean over levels and "
                      "recordings)", "", fmt_table(bands.reset_index()), ""]
    for kind, title in (("clean", "Clean input (no artifact)"),
                        ("clean+bg", "Clean input with the high-frequency background of real recordings")):
        clean = table[table["kind"] == kind]
        for prefix, where in REFERENCES if len(clean) else ():
            cl = clean.groupby("method")[[f"{prefix}cc_all", *[f"{prefix}{b}_db" for b in BANDS]]].mean().reindex(
                [m for m in order if m in clean["method"].unique()])
            lines += [f"## {title}: CC with the input and band-power change, dB, {where}", "",
                      fmt_table(cl.rename(columns={f"{prefix}cc_all": "cc_with_input"}).reset_index()), ""]
    if args.reuse_peers is not None:
        lines += [f"Rows of the methods not named eegrecon are from {args.reuse_peers.name} of an earlier run on the "
                  "same draws (--reuse-peers; each case's noisy-input scores checked equal), not rerun here.", ""]
    lines += ["## Time per recording (this run, 19 ch)", "", "| method | mean s |", "|---|---|"]
    lines += [f"| {k} | {np.mean(v):.2f} |" for k, v in timing.items()]
    if speed is None:
        lines += ["", "Speed on 64 channels: not measured in this run (--no-speed); see multichannel_speed/.", ""]
    else:
        lines += ["", *speed_lines(speed, args.overlap)]
    path.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
