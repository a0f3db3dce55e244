"""Real recordings without ground truth: does the shipped model remove artifacts and leave clean EEG alone?

    python benchmarks/real_data.py [--model eegrecon_net] [--out benchmarks/results]

1. Glasgow "EEG during everyday tasks" (Fp1, 1 kHz), labelled recordings of the subjects that the shipped
   model's split kept out of training (its test split, per task family): power reduction inside the labelled
   artifact sections, and preservation (output vs input) inside the labelled artifact-free sections.
2. eegmmidb S001 (64 channels, 160 Hz; never used for training): R01 eyes open — power reduction in 0.5–4 Hz
   on Fp1/Fp2/Fpz during detected blinks and change outside them; R02 eyes closed — occipital alpha power and
   alpha peak frequency before/after.
3. eegmmidb S001 R01–R04 side by side (``--multichannel``): the automatic model choice (multichannel on these
   64 positioned channels), the single-channel model and MNE ICA (picard, 15) + ICLabel, in average reference:
   blink-section delta change at Fp1/Fpz/Fp2 and every band's change outside blinks, on all channels and on the
   posterior ones (P*, PO*, O*, Iz). Writes real_data_multichannel.md/.csv.
Input preprocessing (what a user would do first): 0.5-Hz high-pass and 50/60-Hz notch. Writes real_data.md,
real_data.csv and figures under --out/real_data/.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
from common import REAL_DATA_BANDS as BANDS
from common import (  # beside this script
    band_changes,
    band_power,
    band_rows,
    blink_and_harm,
    blink_mask,
    blink_peak_residual,
    db,
    db_rows,
    highpass,
    in_both_references,
    methods_figure,
    prepared_eegmmidb,
    recordings_with_eog,
    run_asr,
    run_eog_regression,
    run_ica_iclabel,
)

from eegrecon import Denoiser
from eegrecon.io.readers import read_raw, read_table
from eegrecon.metrics import psd
from eegrecon.models.pretrained import DEFAULT_MODEL, pretrained_path
from eegrecon.paths import resolve_data_dir
from eegrecon.plots import plot_before_after
from eegrecon.report import to_markdown

GLASGOW_FAMILY = {"blink": "glasgow_blink", "jaw": "glasgow_emg", "eyescrunching": "glasgow_emg",
                  "raisingeyebrows": "glasgow_emg"}


def sections(folder: Path, name: str, offset: float) -> list[tuple[float, float]]:
    path = folder / name
    if not path.is_file() or not path.read_text().strip():
        return []
    arr = np.atleast_2d(np.loadtxt(path))
    return [(a + offset, b + offset) for a, b in arr[:, :2]]


def glasgow(root: Path, test_subjects: dict[str, list[str]], den: Denoiser, figdir: Path) -> pd.DataFrame:
    rows, drew = [], False
    base = root / "glasgow_eeg_everyday_tasks"
    for task, source in GLASGOW_FAMILY.items():
        for subj in test_subjects.get(source, []):
            folder = base / subj.split(":")[1] / task
            if not all((folder / f).is_file() for f in ("emgeeg.dat.gz", "zero_time_data.dat", "zero_time_video.dat")):
                continue  # labels cannot be aligned to the data without both sync marks
            offset = float(np.loadtxt(folder / "zero_time_data.dat")) - float(
                np.loadtxt(folder / "zero_time_video.dat"))
            table = read_table(folder / "emgeeg.dat.gz", header=False, sep=None).to_numpy(dtype=np.float64)
            fp1 = table[:, 1] * (1.0 if np.abs(table[:, 1]).mean() > 100 else 1e6 / 500.0)
            x = highpass(fp1[None, :], 1000.0, 50.0)
            y = den.transform(x, sfreq=1000.0)
            for kind, name in (("artifact", "artefact.dat"), ("clean", "dataok.dat")):
                for a, b in sections(folder, name, offset):
                    i, j = int(a * 1000), min(int(b * 1000), x.shape[1])
                    if j - i < 500:
                        continue
                    xi, yi = x[:, i:j], y[:, i:j]
                    row = {"recording": f"{subj.split(':')[1]}/{task}", "section": kind, "start_s": a,
                           "seconds": (j - i) / 1000, "power_change_db": db(band_power(yi, 1000, 0.5, 100),
                                                                            band_power(xi, 1000, 0.5, 100)),
                           "cc_out_vs_in": float(np.corrcoef(xi[0], yi[0])[0, 1]),
                           "rrmse_out_vs_in": float(np.sqrt(np.mean((yi - xi) ** 2) / np.mean(xi ** 2)))}
                    row.update({f"{band} dB": db(band_power(yi, 1000, lo, hi), band_power(xi, 1000, lo, hi))
                                for band, (lo, hi) in BANDS.items()})
                    rows.append(row)
            if not drew and task == "blink":
                plot_before_after(x[:, :20000], y[:, :20000], 1000.0, ["Fp1"],
                                  figdir / "glasgow_blink_before_after.png", f"Glasgow {subj} blink task",
                                  seconds=20)
                drew = True
    return pd.DataFrame(rows)


def eegmmidb(root: Path, den: Denoiser, figdir: Path) -> list[dict]:
    folder = root / "eegmmidb_S001"
    rows = []
    r01 = read_raw(folder / "S001R01.edf")
    r01.notch_filter(60.0, verbose="error")
    r01.filter(0.5, None, verbose="error")
    out = den.transform(r01)
    sf = r01.info["sfreq"]
    front = [c for c in r01.ch_names if c.rstrip(".").lower() in ("fp1", "fp2", "fpz")]
    x, y = r01.get_data(picks=front) * 1e6, out.get_data(picks=front) * 1e6
    mask = blink_mask(x, sf)
    what = f"{int(mask.sum() / sf)} s around blinks, {', '.join(front)}"
    rows.append({"recording": "S001R01 eyes open", "what": what,
                 "delta 0.5-4 dB": db(band_power(y[:, mask], sf, 0.5, 4), band_power(x[:, mask], sf, 0.5, 4)),
                 "alpha 8-13 dB": db(band_power(y[:, mask], sf, 8, 13), band_power(x[:, mask], sf, 8, 13))})
    rows.append({"recording": "S001R01 eyes open", "what": "outside blinks, all channels",
                 "delta 0.5-4 dB": db(band_power(out.get_data()[:, ~mask], sf, 0.5, 4),
                                      band_power(r01.get_data()[:, ~mask], sf, 0.5, 4)),
                 "alpha 8-13 dB": db(band_power(out.get_data()[:, ~mask], sf, 8, 13),
                                     band_power(r01.get_data()[:, ~mask], sf, 8, 13))})
    plot_before_after(x, y, sf, front, figdir / "eegmmidb_R01_frontal.png", "eegmmidb S001R01 (eyes open)", 20)

    r02 = read_raw(folder / "S001R02.edf")
    r02.notch_filter(60.0, verbose="error")
    r02.filter(0.5, None, verbose="error")
    out2 = den.transform(r02)
    occ = [c for c in r02.ch_names if c.rstrip(".").lower() in ("o1", "o2", "oz")]
    x2, y2 = r02.get_data(picks=occ) * 1e6, out2.get_data(picks=occ) * 1e6
    f, px = psd(x2, sf)
    _, py = psd(y2, sf)
    sel = (f >= 7) & (f <= 14)
    rows.append({"recording": "S001R02 eyes closed", "what": f"occipital {', '.join(occ)}",
                 "alpha 8-13 dB": db(band_power(y2, sf, 8, 13), band_power(x2, sf, 8, 13)),
                 "delta 0.5-4 dB": db(band_power(y2, sf, 0.5, 4), band_power(x2, sf, 0.5, 4)),
                 "alpha peak in Hz": float(f[sel][np.argmax(px.mean(0)[sel])]),
                 "alpha peak out Hz": float(f[sel][np.argmax(py.mean(0)[sel])]),
                 "cc_out_vs_in": float(np.mean([np.corrcoef(a, b)[0, 1] for a, b in zip(x2, y2)]))})
    plot_before_after(x2, y2, sf, occ, figdir / "eegmmidb_R02_occipital.png", "eegmmidb S001R02 (eyes closed)", 20)
    return rows


def eegmmidb_side_by_side(root: Path, runs: tuple[str, ...] = ("R01", "R02", "R03", "R04"),
                          model: str = "auto", figdir: Path | None = None) -> pd.DataFrame:
    """Blink removal and harm outside blinks on 64 real channels: eegrecon (auto, single-channel) vs ICA + ICLabel."""
    import time
    import warnings

    methods = {"eegrecon auto": Denoiser(model, line_freq=None).fit(),
               "eegrecon auto, artifact_sources=0": Denoiser(model, line_freq=None, artifact_sources=0).fit(),
               "eegrecon auto, refit_components=1": Denoiser(model, line_freq=None, refit_components=1).fit(),
               "eegrecon single-channel": Denoiser(DEFAULT_MODEL, line_freq=None).fit()}
    peers = {"ICA + ICLabel": run_ica_iclabel, "ASR (cutoff 20)": run_asr(20.0)}
    rows = []
    for run in runs:
        rec = prepared_eegmmidb(root, run, reference="recorded")
        raw = rec["raw"]
        outputs = {}
        for name in (*methods, *peers):
            t = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if name in peers:
                    y = peers[name](raw, raw.ch_names)
                    chosen = "-"
                else:
                    y = methods[name].transform(raw).get_data() * 1e6
                    chosen = methods[name].report_["model"]["name"]
            seconds = time.perf_counter() - t
            outputs[name] = y
            row = {"run": run, "method": name, "model": chosen, "seconds": round(seconds, 2),
                   "s per min of data": round(seconds / (raw.n_times / raw.info["sfreq"] / 60), 2)}
            row.update(in_both_references(y, rec, lambda out, r: {**blink_peak_residual(out, r),
                                                                   **blink_and_harm(out, r)}))
            rows.append(row)
            print(run, name, "done", flush=True)
        start = max(0.0, rec["peaks"][0] / rec["sfreq"] - 5.0) if len(rec["peaks"]) else 0.0
        methods_figure(rec["x"], outputs, rec["names"], ["Fp1", "Fz", "Cz", "Oz"], rec["sfreq"], start,
                       (figdir or Path(__file__).parent / "results" / "real_data") / f"eegmmidb_{run}_methods.png",
                       f"eegmmidb S001{run}, own reference: input (grey), each method (blue)")
    return pd.DataFrame(rows)


def mask_sensitivity(root: Path, model: str = "auto", runs: tuple[str, ...] = ("R01", "R02", "R03", "R04")
                     ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """How much of the "harm outside blinks" is eye activity the blink detector missed: the outside-blink band
    changes of eegrecon and ICA + ICLabel when ever more eye activity is masked (lower thresholds, wider margins, and
    horizontal movements from F7 − F8 as well as blinks from Fp1/Fpz/Fp2), means over the runs; and where the
    gamma change is: each channel's 30–80 Hz change outside ``--multichannel``'s blink mask, and the posterior
    channels' change per 10-Hz band (the same samples), means over the runs."""
    import warnings

    den = Denoiser(model, line_freq=None).fit()
    settings = [(detectors, n_sd, half) for detectors in ("blinks", "blinks + horizontal")
                for n_sd, half in ((4.0, 0.4), (3.0, 0.6), (2.0, 0.8), (1.5, 1.0))]
    rows, gamma, spectrum = [], [], []
    for run in runs:
        rec = prepared_eegmmidb(root, run)
        x, sf, names = rec["x"], rec["sfreq"], rec["raw"].ch_names
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = den.transform(rec["raw"]).get_data() * 1e6
            outputs = {"eegrecon auto": y - y.mean(axis=0), "ICA + ICLabel": run_ica_iclabel(rec["raw"], names)}
        horizontal = x[[names.index("F7")]] - x[[names.index("F8")]]
        keep, back = ~rec["mask"], rec["back"]
        f, p_in = psd(x[:, keep], sf)  # one PSD per signal; bands are sums over it, as in band_power
        for method, out in outputs.items():
            p_out = psd(out[:, keep], sf)[1]
            gamma.append({"method": method, "dB": db_rows(p_out, p_in, f, 30, 80)})
            spectrum += [{"run": run, "band Hz": f"{lo}-{lo + 10}", "method": method,
                          "posterior dB": db(band_rows(p_out[back], f, lo, lo + 10).mean(),
                                             band_rows(p_in[back], f, lo, lo + 10).mean())}
                         for lo in range(0, 80, 10)]
        for detectors, n_sd, half in settings:
            mask = blink_mask(x[rec["front"]], sf, n_sd, half)
            if detectors != "blinks":
                mask |= blink_mask(horizontal, sf, n_sd, half)
            for method, out in outputs.items():
                rows.append({"run": run, "eye detectors": detectors, "threshold sd": n_sd, "margin s": half,
                             "method": method, "masked share": mask.mean(),
                             **band_changes(out[:, ~mask], x[:, ~mask], sf, "outside, all:")})
        print(run, "done", flush=True)
    table = pd.DataFrame(rows)
    keys = ["eye detectors", "threshold sd", "margin s", "method"]
    per_channel = pd.DataFrame({"channel": names, **{f"{m}: gamma dB": np.mean([g["dB"] for g in gamma
                                                                                   if g["method"] == m], axis=0)
                                                     for m in outputs}})
    bands = pd.DataFrame(spectrum).pivot_table(index="band Hz", columns="method", values="posterior dB", sort=False)
    return (table.groupby(keys, sort=False).mean(numeric_only=True).reset_index(), per_channel,
            bands.reset_index().rename_axis(columns=None))


def eog_scores(out: np.ndarray, rec: dict) -> dict[str, float]:
    """Blink delta change (frontal, posterior), frontal |corr| with the EOG channels and every band's change outside
    blinks, for a recording with EOG channels (``x``, ``front``, ``back``, ``mask``, ``sfreq``, ``eog``)."""
    x, front, back, mask, sf, eog = (rec[k] for k in ("x", "front", "back", "mask", "sfreq", "eog"))
    row = {"blink delta, frontal dB": db(band_power(out[front][:, mask], sf, 0.5, 4),
                                         band_power(x[front][:, mask], sf, 0.5, 4)),
           "blink delta, posterior dB": db(band_power(out[back][:, mask], sf, 0.5, 4),
                                           band_power(x[back][:, mask], sf, 0.5, 4)),
           "frontal |corr| with EOG": float(np.mean([abs(np.corrcoef(out[i], e)[0, 1]) for i in front for e in eog]))}
    row.update(band_changes(out[:, ~mask], x[:, ~mask], sf, "outside, all:"))
    return row


def eog_channels_side_by_side(root: Path, model: str = "auto", figdir: Path | None = None) -> pd.DataFrame:
    """Real recordings with EOG channels: eegrecon with them (regression on the references on and off), without
    them, ICA + ICLabel and MNE's EOGRegression. Blinks are found on the EOG channels."""
    import time
    import warnings

    with_refs = Denoiser(model, line_freq=None).fit()
    network_only = Denoiser(model, line_freq=None, reference_regression=False).fit()
    methods = {  # each: (Raw with the EOG channels, Raw of the EEG alone, EEG names) → EEG in µV
        "eegrecon auto (with EOG channels)": lambda raw, eeg, names: with_refs.transform(raw).get_data(names) * 1e6,
        "eegrecon auto, network only (reference_regression=False)":
            lambda raw, eeg, names: network_only.transform(raw).get_data(names) * 1e6,
        "eegrecon auto, EOG channels dropped": lambda raw, eeg, names: with_refs.transform(eeg).get_data() * 1e6,
        "ICA + ICLabel": lambda raw, eeg, names: run_ica_iclabel(eeg, names),
        "ASR (cutoff 20)": lambda raw, eeg, names: run_asr(20.0)(eeg, names),
        "EOGRegression (MNE)": lambda raw, eeg, names: run_eog_regression(raw, names),
    }
    rows = []
    for k, (rec, raw) in enumerate(recordings_with_eog(root).items()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw.set_montage("standard_1005", match_case=False, on_missing="ignore", verbose="error")
        raw.load_data().filter(0.5, None, picks="all", verbose="error")
        eeg = raw.copy().pick("eeg")
        names, sf = eeg.ch_names, raw.info["sfreq"]
        x = eeg.get_data() * 1e6  # the recording's own reference
        front = [i for i, c in enumerate(names) if c.upper().startswith("F")]
        back = [i for i, c in enumerate(names) if c.upper().startswith(("P", "O"))]
        eog = raw.get_data(picks="eog") * 1e6
        mask = blink_mask(eog, sf)
        x_avg = x - x.mean(axis=0)
        fit = np.linalg.lstsq(eog.T, x_avg.T, rcond=None)[0]
        explained = 1 - np.sum((x_avg - fit.T @ eog) ** 2, axis=1) / np.sum(x_avg ** 2, axis=1)

        outputs = {}
        for name, run in methods.items():
            t = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                y = outputs[name] = run(raw, eeg, names)
            seconds = time.perf_counter() - t
            row = {"recording": rec, "method": name, "seconds": round(seconds, 2),
                   "s per min of data": round(seconds / (raw.n_times / sf / 60), 2),
                   "blink_s": round(mask.sum() / sf, 1),
                   "EOG-explained variance, max channel": float(explained.max())}
            row.update(in_both_references(y, {"x": x, "front": front, "back": back, "mask": mask, "sfreq": sf,
                                              "eog": eog}, eog_scores))
            log = (with_refs.report_.get("reference_regression") or {}).get("eog") if "with EOG" in name else None
            row["EOG agreement"] = log["mean_agreement"] if log else np.nan
            rows.append(row)
            print(rec, name, "done", flush=True)
        blinks = np.flatnonzero(mask)
        shown = [names[i] for i in (front[:2] + back[:1])] + [names[len(names) // 2]]
        folder = figdir or Path(__file__).parent / "results" / "real_data"
        methods_figure(x, outputs, names, list(dict.fromkeys(shown)), sf,
                       max(0.0, blinks[0] / sf - 5.0) if len(blinks) else 0.0,
                       folder / f"eog_recording_{k + 1}_methods.png",
                       f"{rec}, own reference: input (grey), each method (blue)")
    return pd.DataFrame(rows)


def write_table(table: pd.DataFrame, stem: Path, title: str, explanation: str) -> None:
    """``stem``.csv and ``stem``.md (title, explanation, the table); the markdown is printed too."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(stem.with_suffix(".csv"), index=False)
    text = "\n".join([f"# {title}", "", explanation, "", to_markdown(table, ".2f"), ""])
    stem.with_suffix(".md").write_text(text)
    print(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    ap.add_argument("--multichannel", action="store_true", help="only part 3 (eegmmidb side by side with ICA)")
    ap.add_argument("--with-eog", action="store_true",
                    help="only part 4: the recordings with EOG channels (EEGLAB sample, OSET), eegrecon with and "
                         "without its regression on them, ICA + ICLabel, EOGRegression")
    ap.add_argument("--mask-sensitivity", action="store_true",
                    help="only: eegmmidb outside-blink changes as ever more eye activity is masked")
    ap.add_argument("--mc-model", default="auto",
                    help="--multichannel/--with-eog: the model for the eegrecon rows (a multichannel checkpoint to "
                         "try one; default the Denoiser's automatic choice)")
    args = ap.parse_args()
    root = resolve_data_dir(None)
    if root is None:
        raise SystemExit("needs the real recordings (../shared/data or $EEGRECON_DATA)")
    if args.with_eog:
        write_table(eog_channels_side_by_side(root, args.mc_model, args.out / "real_data"),
                    args.out / "real_data_eog_channels",
                    "Real recordings with EOG channels: eegrecon vs ICA + ICLabel and EOG regression "
                    "(`python benchmarks/real_data.py --with-eog`)",
                    "Input: 0.5-Hz high-pass, in the recording's own reference (every method fitted and applied in "
                    "it); scored in that reference and, in the columns prefixed 'avg:', in average reference. Blinks: "
                    "EOG channels' 0.5–4 Hz above 4 "
                    "robust stds, ±0.4 s. Frontal = channels named F*, posterior = P*/O*. EOG-explained variance: "
                    "of the EEG channel it explains most (least squares on the EOG channels, average reference, "
                    "after the high-pass); EOG agreement: the Denoiser's (reference_regression). dB = output power "
                    "÷ input power (negative = removed); outside blinks every band should stay near 0 dB (do no "
                    "harm). No ground truth: more blink removal is better only if outside blinks stays near 0.")
        return
    if args.mask_sensitivity:
        masks, per_channel, bands = mask_sensitivity(root, args.mc_model)
        per_channel = per_channel.sort_values("eegrecon auto: gamma dB")
        quantiles = per_channel.drop(columns="channel").quantile([0.1, 0.5, 0.9]).T
        write_table(per_channel, args.out / "real_data_gamma_channels",
                    "eegmmidb S001 R01–R04: where each method's gamma change is (`python benchmarks/real_data.py "
                    "--mask-sensitivity`)",
                    "Each channel's 30–80 Hz power change outside the blink mask of `--multichannel`, mean over the "
                    "four runs, sorted by eegrecon's change. A local change at a few frontal or temporal channels "
                    "looks like muscle; a change spread over every channel does not. 10th / 50th / 90th percentile "
                    "over channels: " + "; ".join(f"{m}: {q[0.1]:.2f} / {q[0.5]:.2f} / {q[0.9]:.2f} dB"
                                                  for m, q in quantiles.iterrows()) + ".")
        write_table(bands, args.out / "real_data_gamma_spectrum",
                    "eegmmidb S001 R01–R04: at which frequencies each method changes the posterior channels "
                    "(`python benchmarks/real_data.py --mask-sensitivity`)",
                    "Power change per 10-Hz band, outside the blink mask of `--multichannel`, posterior channels "
                    "(P*, PO*, O*, Iz), mean over the four runs (the input was notched at 60 Hz).")
        write_table(masks, args.out / "real_data_mask_sensitivity",
                    "eegmmidb S001 R01–R04: is the change outside blinks eye activity the detector missed? "
                    "(`python benchmarks/real_data.py --mask-sensitivity`)",
                    "Prepared as `--multichannel`. Eye events: 0.5–4 Hz mean of Fp1/Fpz/Fp2 (blinks) and of F7 − F8 "
                    "(horizontal movements) above the threshold in robust stds, ± the margin; the first row is "
                    "`--multichannel`'s own mask. dB = output power ÷ input power over the unmasked samples, all "
                    "channels, mean over the four runs. If the changes shrink as more is masked, part of the "
                    "'harm outside blinks' was eye activity removed.")
        return
    if args.multichannel:
        write_table(eegmmidb_side_by_side(root, model=args.mc_model, figdir=args.out / "real_data"),
                    args.out / "real_data_multichannel",
                    "eegmmidb S001, 64 channels: eegrecon vs ICA + ICLabel (`python benchmarks/real_data.py "
                    "--multichannel`)",
                    "Input: 60-Hz notch, 0.5-Hz high-pass, in the reference the files were recorded in (every method "
                    "fitted and applied in it); scored in that reference and, in the columns prefixed 'avg:', in "
                    "average reference. Blinks: frontal mean (average reference) 0.5–4 Hz above 4 robust stds, ±0.4 s; "
                    "blink peaks above 6 robust stds. dB = output power ÷ input power (negative = removed); outside "
                    "blinks every band should stay near 0 dB (do no harm).")
        return
    meta = json.loads(pretrained_path(args.model).with_suffix(".json").read_text()) \
        if not Path(args.model).exists() else json.loads(Path(args.model).with_suffix(".json").read_text())
    # the model's own split: rebuild it from the training config stored in the bundle (deterministic)
    from eegrecon.data.corpus import DataConfig, build_corpus

    data_cfg = DataConfig.model_validate(meta.get("training_config", {}).get("data", {}))
    manifest = build_corpus(root, data_cfg).manifest
    test_subjects = {k: v["groups"]["test"] for k, v in manifest.get("sources", {}).items()
                     if k.startswith("glasgow") and "groups" in v}
    figdir = args.out / "real_data"
    den = Denoiser(args.model, units="uV").fit()
    g = glasgow(root, test_subjects, den, figdir)
    e = pd.DataFrame(eegmmidb(root, den, figdir))
    g.to_csv(args.out / "real_data_glasgow.csv", index=False)
    e.to_csv(args.out / "real_data_eegmmidb.csv", index=False)
    summary = g.groupby([g["recording"].str.split("/").str[1], "section"]).agg(
        sections=("seconds", "size"), seconds=("seconds", "sum"), power_change_db=("power_change_db", "median"),
        cc_out_vs_in=("cc_out_vs_in", "median"), **{b: (f"{b} dB", "median") for b in BANDS}).reset_index()
    summary = summary.rename(columns={"recording": "task"})
    text = ["# Real recordings without ground truth (generated by `python benchmarks/real_data.py`)", "",
            f"Model: {args.model} ({meta.get('model')}, trained on "
            f"{', '.join(s['name'] for s in meta.get('data_sources', []))}).",
            "Input: 0.5-Hz high-pass + line-noise notch, as a user would apply first. Changes in dB are output power "
            "÷ input power (negative = removed). See docs/real-data.md for how to read them.", "",
            "## Glasgow labelled sections (test-split subjects: "
            f"{', '.join(sorted({s for v in test_subjects.values() for s in v}))}), medians per task and section", "",
            to_markdown(summary, ".2f"), "",
            "## eegmmidb S001 (64 ch, 160 Hz)", "", to_markdown(e.fillna(""), ".2f"), "",
            "Figures: real_data/glasgow_blink_before_after.png, real_data/eegmmidb_R01_frontal.png, "
            "real_data/eegmmidb_R02_occipital.png", ""]
    (args.out / "real_data.md").write_text("\n".join(text))
    print("\n".join(text))


if __name__ == "__main__":
    main()
