"""The published peers trained until their validation loss stops improving, against the shipped model.

    python benchmarks/peers_converged.py [--models complex_cnn rnn fcnn simple_cnn novel_cnn] [--budget-s 1800]
                                         [--cap-steps 60000] [--runs runs/peers_converged] [--threads 2]

``benchmarks/models.py`` trains every network under one short budget (≤ 300 s), which leaves the large peers far
from converged. Here each peer trains on the same generalist task with a plateau schedule instead (constant rate
after warm-up, × ``plateau_factor`` whenever ``patience`` validations in a row do not improve, stop after the
last drop's plateau; ``TrainConfig.lr_schedule="plateau"``), up to ``--cap-steps`` steps. Runs resume
(``RUNS/<model>``): each invocation gives every unfinished peer ``--budget-s`` more seconds of training, so a
peer too slow for one sitting converges over several; a converged run is not trained again. The table says for
each peer how it stopped (``patience`` = converged; ``time_budget`` = not yet), its steps and best step, next to
its figures under the short budget rule (benchmarks/results/models_summary.csv).

Evaluated like every benchmark (default corpus's test split, EEGdenoiseNet protocol, 300 windows × 10 SNRs per
noise) with the shipped eegrecon bundle and the Wiener baselines side by side. Writes
benchmarks/results/peers_converged.md, peers_converged.csv (CC, RRMSE_t per noise), peers_converged_clean.csv
(clean-input preservation) and peers_converged_states.json (how far each peer trained). A peer whose run is not
under --runs (trained in an earlier sitting; run state gone) keeps its rows from those files: the evaluation of the
others does not depend on it.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd
import torch

from eegrecon.baselines import BASELINES
from eegrecon.data.corpus import build_corpus
from eegrecon.evaluation import EvalConfig, run_methods, summarise
from eegrecon.models import PEERS
from eegrecon.models.pretrained import DEFAULT_MODEL, load_method
from eegrecon.paths import resolve_data_dir
from eegrecon.pipeline import CLEAN_INPUT_TITLE, clean_input_summary
from eegrecon.report import to_markdown
from eegrecon.training import TrainConfig, load_config, train

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results"
SHIPPED = f"{DEFAULT_MODEL} (shipped bundle)"
ORDER = ["complex_cnn", "rnn", "fcnn", "simple_cnn", "novel_cnn"]  # the reference peer first, the slowest last


def saved_state(run: Path) -> dict | None:
    """A run's saved training state (step, best step, seconds, rate drops, how it stopped); None before training."""
    last = run / "checkpoints" / "last.json"
    return json.loads(last.read_text())["train_state"] if last.is_file() else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", nargs="+", default=ORDER, choices=sorted(PEERS))
    ap.add_argument("--budget-s", type=float, default=1800.0, help="more training seconds per unfinished peer")
    ap.add_argument("--cap-steps", type=int, default=60000)
    ap.add_argument("--patience", type=int, default=6, help="validations (every 250 steps) without improvement")
    ap.add_argument("--runs", type=Path, default=Path("runs/peers_converged"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--n-test", type=int, default=300)
    ap.add_argument("--eval-only", action="store_true", help="evaluate the runs as they are, train nothing")
    ap.add_argument("--train-only", action="store_true", help="train, write nothing under --out")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    data_dir = resolve_data_dir(None)
    if data_dir is None:
        raise SystemExit("needs ../shared/data (or $EEGRECON_DATA): the peers train on the real corpus")
    torch.set_num_threads(args.threads)
    corpus = build_corpus(data_dir)
    t0 = time.perf_counter()
    for name in args.models:
        run, state = args.runs / name, saved_state(args.runs / name) or {}
        if args.eval_only or state.get("stopped_by") == "patience":
            continue
        budget = state.get("train_seconds", 0.0) + args.budget_s
        cfg = load_config(None, [f"model={name}", "model_kwargs={}", "lr_schedule=plateau",
                                 f"patience={args.patience}", f"max_steps={args.cap_steps}",
                                 f"time_budget_s={budget}", f"threads={args.threads}"])
        print(f"[{time.perf_counter() - t0:6.0f} s] {name}: training until {budget:.0f} s in total", flush=True)
        res = train(cfg, run, corpus=corpus, resume=True,
                    on_log=lambda r, n=name: print(f"    {n} step {r['step']} lr {r['lr']:.2g} val_mse "
                                                   f"{r['val_mse']:.4f}", flush=True) if "val_mse" in r else None)
        print(f"    {name}: {res['steps']} steps, best {res['best_step']}, stopped by {res['stopped_by']}", flush=True)

    if args.train_only:
        return
    runs = {n: args.runs / n for n in args.models if (args.runs / n / "checkpoints" / "best.json").is_file()}
    states = {n: saved_state(p) for n, p in runs.items()}
    methods = {SHIPPED: lambda: load_method(DEFAULT_MODEL, SHIPPED)}
    for n, p in runs.items():
        label = f"{n} (converged run)" if states[n]["stopped_by"] == "patience" else f"{n} (not converged yet)"
        methods[label] = lambda p=p, label=label: load_method(p, label)
    methods.update({k: BASELINES[k] for k in ("wiener", "oracle_wiener")})
    print(f"[{time.perf_counter() - t0:6.0f} s] evaluating {len(methods)} methods", flush=True)
    table, _, kept = run_methods(corpus, methods, EvalConfig(n_test_windows=args.n_test))
    # the peers whose runs are not here (trained in an earlier sitting, run state gone) keep their earlier results
    summary = with_earlier(summarise(table), args.out / "peers_converged.csv")
    clean = with_earlier(clean_input_summary(kept), args.out / "peers_converged_clean.csv")
    states_file = args.out / "peers_converged_states.json"
    earlier = json.loads(states_file.read_text()) if states_file.is_file() else {}
    states = {n: s for n in ORDER if (s := states.get(n, earlier.get(n))) is not None}
    args.out.mkdir(parents=True, exist_ok=True)
    summary.to_csv(args.out / "peers_converged.csv", index=False)
    clean.to_csv(args.out / "peers_converged_clean.csv", index=False)
    states_file.write_text(json.dumps(states, indent=1) + "\n")
    (args.out / "peers_converged.md").write_text(render(summary, clean, states, args))
    print((args.out / "peers_converged.md").read_text())


def method_key(label: str) -> str:
    """The method a result row belongs to: 'complex_cnn (converged run)' → 'complex_cnn'."""
    return label.split(" (")[0]


def with_earlier(new: pd.DataFrame, path: Path) -> pd.DataFrame:
    """This run's rows, plus an earlier results file's rows of the methods this run did not evaluate; in the
    order shipped model, peers (:data:`ORDER`), baselines."""
    if path.is_file():
        old = pd.read_csv(path)
        done = set(new["method"].map(method_key))
        new = pd.concat([new, old[~old["method"].map(method_key).isin(done)]], ignore_index=True)
    rank = {k: i for i, k in enumerate([method_key(SHIPPED), *ORDER])}
    order = new["method"].map(lambda m: rank.get(method_key(m), len(rank)))
    return new.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def render(summary: pd.DataFrame, clean: pd.DataFrame, states: dict[str, dict], args) -> str:
    budget = pd.read_csv(OUT / "models_summary.csv").set_index(["method", "noise"])
    budget_steps = pd.read_csv(OUT / "models_speed.csv").set_index("method")["steps"]
    plateau = TrainConfig()
    lines = [
        "# Published peers trained to convergence (generated by `python benchmarks/peers_converged.py`)", "",
        f"torch {torch.__version__}, {args.threads} threads. Every peer: the generalist task of "
        "`benchmarks/models.py` (EOG, EMG, motion, EOG+EMG; MSE; AdamW, batch 64, lr 3e-3) with a plateau "
        f"schedule: constant rate after warm-up, × {plateau.plateau_factor} after {args.patience} validations "
        f"({plateau.val_every} steps apart) without improvement, at most {plateau.plateau_drops} drops, stop after "
        f"the last drop's plateau; cap {args.cap_steps} steps. "
        "`stopped by patience` = converged; `time_budget` = still improving when its seconds ran out (the run "
        "resumes on the next invocation); `interrupted` = stopped from outside, resumes the same way from its last "
        "validation. Best validation checkpoint. Test split of the default corpus, "
        f"{args.n_test} windows × 10 SNRs (−7..2 dB) per noise; CC and RRMSE_t are means over the levels. "
        "The `budget rule` columns are the same peer from benchmarks/results/models.md (≤ 300 s of training).", "",
        "## How far each peer trained", "",
        "| peer | stopped by | steps | best step | rate drops | training s | budget rule: steps |",
        "|---|---|---|---|---|---|---|"]
    for n, s in states.items():
        capped = int(budget_steps[n]) if n in budget_steps.index else "–"
        stopped = s["stopped_by"] or "interrupted"
        lines.append(f"| {n} | {stopped} | {s['step']} | {s['best_step']} | {s.get('lr_drops', 0)} | "
                     f"{s['train_seconds']:.0f} | {capped} |")
    lines += ["", "## CC and RRMSE_t per noise", ""]
    noises = list(summary["noise"].unique())
    lines += ["| method | " + " | ".join(f"{noise} cc | {noise} rrmse_t" for noise in noises) + " |",
              "|---|" + "---|---|" * len(noises)]
    ours = summary.set_index(["method", "noise"])
    for method in summary["method"].unique():
        lines.append(f"| {method} | " + " | ".join(f"{ours.loc[(method, noise), 'cc']:.3f} | "
                                                  f"{ours.loc[(method, noise), 'rrmse_t']:.3f}" for noise in noises)
                     + " |")
    for n in states:  # the same peers under the short budget rule, for contrast
        cells = [f"{budget.loc[(n, noise), 'cc']:.3f} | {budget.loc[(n, noise), 'rrmse_t']:.3f}"
                 if (n, noise) in budget.index else "nan | nan" for noise in noises]
        lines.append(f"| {n} (budget rule) | " + " | ".join(cells) + " |")
    lines += ["", "## " + CLEAN_INPUT_TITLE, "", to_markdown(clean.sort_values("cc_input", ascending=False)), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
