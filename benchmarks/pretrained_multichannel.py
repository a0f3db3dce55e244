"""Train the shipped multichannel model and write its package bundle.

    python benchmarks/pretrained_multichannel.py [--out runs/multichannel] [--minutes 20 | --steps N] [--all-sources]
                                                  [--skip-train] [--sources 4] [--snr-floor -12]
                                                  [--model-kwargs JSON] [--no-bundle] [--ema-decay D]
                                                  [--background-ratio LO HI]
    python benchmarks/pretrained_multichannel.py --validate CKPT [CKPT ...] [--val-windows 1024]

Clean EEG: eegmat's training subjects (19 channels, plus spherical-spline-interpolated 10-05 electrodes in half
the batches), most windows with the >30-Hz background eegmat's low-pass removed (eegrecon.data.background);
artifacts: real EOG, EMG and ECG courses projected through forward-modelled topographies, plus
pops, drifts and residual mains (eegrecon.data.multichannel). Without ``--all-sources`` only sources whose licence
lets a trained model ship are used (the bundle); with it every available source (a research model, not shipped).
Writes src/eegrecon/pretrained/eegrecon_mc.{safetensors,json} (bundle runs only) and
benchmarks/results/pretrained_multichannel.md. ``--validate`` scores checkpoints (stems or .safetensors) on one larger
validation set that does not depend on their seeds (eegrecon.training.multichannel.validation_batches) and writes
benchmarks/results/multichannel_validation.md: the rule for choosing among training runs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from eegrecon.data.multichannel import load_courses, read_eegmat_recordings, recording_splits
from eegrecon.data.sources import SOURCES
from eegrecon.models.checkpoint import load_weights, read_meta, save_weights
from eegrecon.models.multichannel_net import EEGReconMC
from eegrecon.paths import resolve_data_dir
from eegrecon.training.multichannel import (
    MultichannelTrainConfig,
    forward_batch,
    train_multichannel,
    validation_batches,
)

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "src" / "eegrecon" / "pretrained" / "eegrecon_mc"
RESULTS = ROOT / "benchmarks" / "results" / "pretrained_multichannel.md"
VALIDATION = ROOT / "benchmarks" / "results" / "multichannel_validation.md"
# --validate keeps the background range its table was first drawn with, so rows from before and after the default
# changed to 0.1-2 stay comparable
VALIDATION_BACKGROUND = (0.05, 1.0)


def _batch_mse(outputs: list[torch.Tensor], batches: list[dict]) -> np.ndarray:
    return np.array([torch.mean((o - b["clean"]) ** 2).item() for o, b in zip(outputs, batches)])


def validate(stems: list[Path], val: list, courses, n_windows: int, ensemble: bool = False,
             out: Path = VALIDATION) -> None:
    """Validation MSE of each checkpoint on the same windows, with and without references, and its spread.

    With ``ensemble`` a last row scores the mean of all checkpoints' outputs (a seed ensemble's cost is one network
    per member)."""
    cfg = MultichannelTrainConfig(background_ratio=VALIDATION_BACKGROUND)
    batches = validation_batches(val, courses, cfg, n_windows)
    lines = ["# Multichannel checkpoints on one validation set (`python benchmarks/pretrained_multichannel.py "
             f"--validate ... --val-windows {n_windows}{' --ensemble' if ensemble else ''}`)", "",
             f"{len(batches) * cfg.batch} windows of the validation subjects (all 19 channels, SNR "
             f"{cfg.snr_range[0]:g}..{cfg.snr_range[1]:g} dB at the most contaminated channel, references in half), "
             "drawn independently of the runs' seeds, with the >30-Hz background at {:g}–{:g} × beta; MSE on "
             "normalised windows. ± is the standard error over batches; the difference to the first checkpoint is "
             "paired by batch.".format(*VALIDATION_BACKGROUND), "",
             "| checkpoint | training | step | val MSE | − first (paired) | no refs | with refs |",
             "|---|---|---|---|---|---|---|"]
    first, summed = None, None
    refs = np.array(["refs" in b for b in batches])
    rows = []
    for stem in stems:
        stem = stem.with_suffix("") if stem.suffix == ".safetensors" else stem
        meta = read_meta(stem)
        model = EEGReconMC(**meta.get("model_kwargs", {}))
        load_weights(stem, model)
        model.eval()
        with torch.no_grad():
            outputs = [forward_batch(model, b) for b in batches]
        summed = outputs if summed is None else [a + o for a, o in zip(summed, outputs)]
        tc = meta.get("train_config", {})
        what = ", ".join(f"{k} {tc[k]}" for k in ("seed", "ema_decay", "ac_coupling_probability") if tc.get(k))
        if tc.get("background_ratio") and tuple(tc["background_ratio"]) != cfg.background_ratio:
            what = ", ".join(filter(None, [what, "background_ratio {:g}–{:g}".format(*tc["background_ratio"])]))
        rows.append((str(stem), what or "seed 0", meta.get("step"), outputs))
    if ensemble:
        rows.append((f"mean of the {len(stems)} outputs", "ensemble", "–", [o / len(stems) for o in summed]))
    for name, what, step, outputs in rows:
        per = _batch_mse(outputs, batches)
        first = per if first is None else first
        diff = per - first
        lines.append(f"| {name} | {what} | {step} | {per.mean():.4f} ± {per.std(ddof=1) / np.sqrt(len(per)):.4f} | "
                     f"{diff.mean():+.4f} ± {diff.std(ddof=1) / np.sqrt(len(per)):.4f} | {per[~refs].mean():.4f} | "
                     f"{per[refs].mean():.4f} |")
        print(lines[-1])
    out.write_text("\n".join(lines) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("runs/multichannel"))
    ap.add_argument("--minutes", type=float, default=20.0)
    ap.add_argument("--steps", type=int, default=None,
                    help="a step budget instead of --minutes: the same run on any machine")
    ap.add_argument("--all-sources", action="store_true", help="research model on every source (not shipped)")
    ap.add_argument("--skip-train", action="store_true", help="reuse OUT's checkpoint")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sources", type=int, default=4, help="rank of the in-window fitted projection (0: none)")
    ap.add_argument("--model-kwargs", type=json.loads, default={},
                    help='more EEGReconMC arguments as JSON, e.g. \'{"width": 8, "dim": 32}\'')
    ap.add_argument("--no-bundle", action="store_true", help="an experiment: write OUT/training.md, not the bundle")
    defaults = MultichannelTrainConfig()
    ap.add_argument("--snr-floor", type=float, default=defaults.snr_range[0],
                    help="lowest training SNR at the most contaminated channel, dB")
    ap.add_argument("--regional-probability", type=float, default=defaults.regional_probability,
                    help="share of batches on a contiguous region of channels (e.g. no frontal electrodes)")
    ap.add_argument("--ac-coupling-probability", type=float, default=defaults.ac_coupling_probability,
                    help="share of eye artifacts passed through an AC-coupled amplifier's high-pass")
    ap.add_argument("--seed", type=int, default=defaults.seed, help="seed of weights and sampling")
    ap.add_argument("--background-ratio", type=float, nargs=2, default=defaults.background_ratio,
                    metavar=("LO", "HI"), help="range of the >30-Hz background's power over the window's beta power")
    ap.add_argument("--line-probability", type=float, default=defaults.line_probability,
                    help="share of contaminated windows with residual 50/60-Hz mains")
    ap.add_argument("--ema-decay", type=float, default=defaults.ema_decay,
                    help="exponential moving average of the weights, validated and saved (0: off)")
    ap.add_argument("--validate", type=Path, nargs="+", help="score these checkpoints on one validation set")
    ap.add_argument("--val-windows", type=int, default=1024)
    ap.add_argument("--ensemble", action="store_true", help="with --validate: also score the mean of the outputs")
    ap.add_argument("--validation-out", type=Path, default=VALIDATION, help="with --validate: the table's file")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    data_dir = resolve_data_dir(None)
    if data_dir is None:
        raise SystemExit("the multichannel model is trained on the real data: ../shared/data or $EEGRECON_DATA")
    recordings = read_eegmat_recordings(data_dir)
    splits = recording_splits(recordings, data_dir)
    courses = load_courses(data_dir, redistributable_only=not args.all_sources)
    if args.validate:
        validate(args.validate, splits["val"], courses, args.val_windows, args.ensemble, args.validation_out)
        return
    cfg = MultichannelTrainConfig(minutes=args.minutes, steps=args.steps,
                                  model_kwargs={"sources": args.sources, **args.model_kwargs},
                                  snr_range=(args.snr_floor, defaults.snr_range[1]),
                                  regional_probability=args.regional_probability,
                                  ac_coupling_probability=args.ac_coupling_probability, seed=args.seed,
                                  ema_decay=args.ema_decay, background_ratio=tuple(args.background_ratio),
                                  line_probability=args.line_probability)
    used = ["eegmat"] + [s for names in courses.sources.values() for s in names]
    meta = {"data_sources": [{"name": s, "family": SOURCES[s].family, "licence": SOURCES[s].licence,
                              "redistributable": SOURCES[s].redistributable} for s in used],
            "train_subjects": sorted({r.group for r in splits["train"]}),
            "snr_protocol": {"definition": "rms, at the most contaminated channel",
                             "train_range_db": list(cfg.snr_range)},
            "window_s": 2.0,
            "artifact_types": [kind for kind, p in cfg.mix_probabilities.items() if p]}
    stem = args.out / "best"
    if not args.skip_train:
        args.out.mkdir(parents=True, exist_ok=True)
        res = train_multichannel(splits, courses, stem, cfg, meta, progress=print)
        (args.out / "training.json").write_text(json.dumps(res, indent=2))
    res = json.loads((args.out / "training.json").read_text())
    lines = ["# The multichannel model's training (`python benchmarks/pretrained_multichannel.py"
             + (f" --steps {cfg.steps}" if cfg.steps else f" --minutes {args.minutes:g}")
             + f" --sources {args.sources} --snr-floor {args.snr_floor:g}"
             + (f" --model-kwargs '{json.dumps(args.model_kwargs)}'" if args.model_kwargs else "")
             + (f" --regional-probability {cfg.regional_probability:g}" if cfg.regional_probability else "")
             + (f" --ac-coupling-probability {cfg.ac_coupling_probability:g}" if cfg.ac_coupling_probability else "")
             + (f" --seed {cfg.seed}" if cfg.seed != defaults.seed else "")
             + (f" --ema-decay {cfg.ema_decay:g}" if cfg.ema_decay else "")
             + (f" --line-probability {cfg.line_probability:g}"
                if cfg.line_probability != defaults.line_probability else "")
             + (" --background-ratio {:g} {:g}".format(*cfg.background_ratio)
                if tuple(cfg.background_ratio) != tuple(defaults.background_ratio) else "")
             + (" --all-sources" if args.all_sources else "") + "`)", "",
             f"- sources: {', '.join(used)}",
             f"- clean windows: eegmat, {100 * cfg.background_probability:g} % of them with the >30-Hz background "
             f"of real recordings (eegrecon.data.background; 30–80 Hz power {cfg.background_ratio[0]:g}–"
             f"{cfg.background_ratio[1]:g} × the window's 13–30 Hz power)",
             f"- channel subsets: ≥ {cfg.min_channels} channels, scattered, or in "
             f"{100 * cfg.regional_probability:g} % of batches a contiguous region (half of those without the "
             "frontal channels)",
             f"- train subjects: {len(meta['train_subjects'])} (eegmat), budget "
             f"{f'{cfg.steps} steps' if cfg.steps else f'{cfg.minutes:g} min'} on {args.threads} threads: "
             f"{res['steps']} steps of {cfg.batch} windows in {res['seconds']:g} s, best step {res['best_step']} "
             f"(validation MSE {res['best_val_mse']:.4f} on normalised windows)", "",
             "| step | seconds | validation MSE |", "|---|---|---|"]
    lines += [f"| {c['step']} | {c['seconds']} | {c['val_mse']:.4f} |" for c in res["curve"]]
    if not (args.all_sources or args.no_bundle):
        BUNDLE.parent.mkdir(parents=True, exist_ok=True)
        meta_out = read_meta(stem)
        meta_out.pop("weights_sha256", None)
        meta_out.pop("package_version", None)
        model = EEGReconMC(**meta_out.get("model_kwargs", {}))
        load_weights(stem, model)
        save_weights(BUNDLE, model, meta_out)
        lines += ["", f"Bundle written: {BUNDLE.relative_to(ROOT)}.{{safetensors,json}}"]
        RESULTS.write_text("\n".join(lines) + "\n")
    else:
        (args.out / "training.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
