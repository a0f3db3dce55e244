"""The shipped recipe trained with several seeds: how much of a difference between models is seed noise?

    python benchmarks/seeds.py [--seeds 0 1 2] [--runs runs/seeds] [--config configs/pretrained_eegrecon_net.yaml]

Trains configs/pretrained_eegrecon_net.yaml once per seed (``RUNS/seed<k>``; a run that already has its best
checkpoint is reused, so an interrupted run resumes by seed). Evaluates each on the test split of the default
corpus (every artifact source, as benchmarks/pretrained.py; EEGdenoiseNet protocol, every evaluation noise, 300
windows × 10 SNRs, and the artifact-free versions of the same windows). Reports the mean over seeds with a 95 %
confidence interval (Student t over seeds; the windows are the same for every seed, so the interval is the spread
due to training randomness alone). Writes benchmarks/results/seeds.md and seeds.csv.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy import stats

from eegrecon.data.corpus import DataConfig, build_corpus
from eegrecon.evaluation import EvalConfig, run_methods, summarise
from eegrecon.models.pretrained import load_method
from eegrecon.paths import resolve_data_dir
from eegrecon.training import load_config, train

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results"
COLUMNS = ("cc", "rrmse_t")
CLEAN_COLUMNS = ("cc_input", "delta_db", "theta_db", "alpha_db", "beta_db", "gamma_db")


def interval(values: np.ndarray) -> tuple[float, float]:
    """Mean and the half-width of its 95 % Student-t confidence interval."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return float(values.mean()), float("nan")
    half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    return float(values.mean()), float(half)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--runs", type=Path, default=Path("runs/seeds"))
    ap.add_argument("--config", type=Path, default=ROOT / "configs" / "pretrained_eegrecon_net.yaml")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    data_dir = resolve_data_dir(None)
    if data_dir is None:
        raise SystemExit("needs ../shared/data (or $EEGRECON_DATA)")
    base = load_config(args.config)
    corpus = build_corpus(data_dir, base.data)
    checkpoints = {}
    for seed in args.seeds:
        run = args.runs / f"seed{seed}"
        best = run / "checkpoints" / "best"
        if not best.with_suffix(".json").is_file():
            cfg = base.model_copy(update={"seed": seed, "threads": args.threads})
            train(cfg, run, corpus=corpus, on_log=lambda rec, s=seed: print(s, rec, flush=True) if "val_mse" in rec
                  else None)
        checkpoints[f"seed {seed}"] = best
    methods = {name: (lambda p=path: load_method(p)) for name, path in checkpoints.items()}
    # evaluated like every benchmark: the default corpus's test split holds every artifact source, including those
    # the shipped recipe may not train on for licence reasons
    ev = run_methods(build_corpus(data_dir, DataConfig()), methods, EvalConfig(), progress=print)
    per_seed = summarise(ev.table)
    clean = ev.clean_input.groupby("method")[list(CLEAN_COLUMNS)].mean().reset_index()
    args.out.mkdir(parents=True, exist_ok=True)
    per_seed.to_csv(args.out / "seeds.csv", index=False)
    lines = ["# The shipped recipe over seeds (`python benchmarks/seeds.py`)", "",
             f"{args.config.name}, seeds {', '.join(map(str, args.seeds))}; test split of the default corpus (every "
             "artifact source), 300 windows × 10 SNRs "
             "(−7..2 dB) per noise. Mean over seeds ± half-width of the 95 % Student-t interval.", "",
             "| noise | " + " | ".join(COLUMNS) + " | per seed (cc) |", "|---|" + "---|" * (len(COLUMNS) + 1)]
    for noise, part in per_seed.groupby("noise", sort=False):
        cells = ["{:.3f} ± {:.3f}".format(*interval(part[c])) for c in COLUMNS]
        lines.append(f"| {noise} | " + " | ".join(cells) + " | " + ", ".join(f"{v:.3f}" for v in part["cc"]) + " |")
    lines += ["", "Artifact-free windows (CC with the input, band-power change):", "",
              "| " + " | ".join(CLEAN_COLUMNS) + " |", "|" + "---|" * len(CLEAN_COLUMNS)]
    lines.append("| " + " | ".join("{:.3f} ± {:.3f}".format(*interval(clean[c])) for c in CLEAN_COLUMNS) + " |")
    (args.out / "seeds.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
