"""Benchmark: train every registered model under one budget rule, evaluate models and baselines side by side.

    python benchmarks/models.py [--budget-s 300] [--data-dir D] [--out benchmarks/results]

Same data, same splits, same test mixtures for everyone (EEGdenoiseNet protocol: RMS-ratio SNR, training SNR
uniform in −7..2 dB, test at the 10 integer levels, each window divided by the std of its noisy window).
Budget rule: every network trains the same generalist task (EOG, EMG, motion, mixed) with the same optimiser
and schedule for at most ``--max-steps`` steps or ``--budget-s`` seconds of training, whichever comes first,
and is evaluated from its best validation checkpoint. Inference speed: windows/s on 512 windows of 512
samples, models timed one after another in this process with the same thread count.
Writes models.md, models_summary.csv, models_per_snr.csv and models_speed.csv under ``--out``.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import pandas as pd
import torch

from eegrecon._version import __version__
from eegrecon.baselines import BASELINES
from eegrecon.data.corpus import build_corpus
from eegrecon.evaluation import EvalConfig, run_methods, summarise
from eegrecon.models import FLAGSHIP, MODELS, PEERS, build_model, n_parameters
from eegrecon.models.neural import NeuralMethod, native_bf16
from eegrecon.models.pretrained import DEFAULT_MODEL, get_bundle
from eegrecon.noise import EVALUATION_NOISES
from eegrecon.paths import resolve_data_dir
from eegrecon.pipeline import CLEAN_INPUT_TITLE, clean_input_summary
from eegrecon.report import to_markdown
from eegrecon.training import load_config, train

REFERENCE = "complex_cnn"
NOISES = list(EVALUATION_NOISES)


def windows_per_second(model: torch.nn.Module, n_times: int = 512, batch: int = 512, seconds: float = 3.0,
                       bf16: bool = False) -> float:
    """Inference throughput (eager PyTorch, inference mode; bfloat16 autocast when ``bf16``) on ``batch`` windows."""
    model.eval()
    x = torch.randn(batch, 1, n_times)
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        model(x)
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            model(x)
            n += batch
    return n / (time.perf_counter() - t0)


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory in the process instead of returning it to the OS.

    By default glibc serves each large tensor with a fresh ``mmap`` and gives it back on free, so every forward
    pass page-faults its activations in again; models with large activations (Complex CNN: 64 channels at the full
    rate) spend most of their time there. Measuring both ways shows how much of a speed ratio is allocator cost.
    Linux/glibc only; returns False (nothing changed) elsewhere.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name or not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(name)
    if not hasattr(libc, "mallopt"):
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3  # glibc <malloc.h>
    return bool(libc.mallopt(m_mmap_threshold, 1 << 30)) and bool(libc.mallopt(m_trim_threshold, 2**31 - 1))


def best_speeds(nets: dict[str, torch.nn.Module], rounds: int, bf16: bool = False) -> dict[str, float]:
    """Best windows/s of each model over ``rounds`` rounds, the models alternated within a round."""
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, net in nets.items():
            best[name] = max(best.get(name, 0.0), windows_per_second(net, bf16=bf16))
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    ap.add_argument("--runs", type=Path, default=Path("runs/benchmark_models"))
    ap.add_argument("--budget-s", type=float, default=300.0, help="training seconds per model")
    ap.add_argument("--max-steps", type=int, default=12000)
    ap.add_argument("--models", nargs="*", default=list(MODELS))
    ap.add_argument("--n-test", type=int, default=300, help="clean test windows per noise (each at all 10 SNRs)")
    ap.add_argument("--threads", type=int, default=1, help="threads for training and evaluation")
    ap.add_argument("--speed-threads", type=int, default=2, help="threads for the inference-speed measurement")
    ap.add_argument("--speed-only", action="store_true", help="only measure inference speed → models_speed_only.md")
    ap.add_argument("--speed-rounds", type=int, default=3,
                    help="--speed-only: rounds over all models, best of each (one 3-s run varies by ±30 %%)")
    args = ap.parse_args()
    t_all = time.perf_counter()
    # speed first, every model side by side in this process, before anything else loads the CPU
    torch.set_num_threads(args.speed_threads)
    speeds, nets = {}, {}
    for name in args.models:
        torch.manual_seed(0)
        nets[name] = build_model(name, 1, 512, 256.0)
        if not args.speed_only:  # --speed-only measures below, in alternated rounds
            speeds[name] = windows_per_second(nets[name])
            print(f"{name}: {speeds[name]:.0f} windows/s ({args.speed_threads} threads)", flush=True)
    torch.set_num_threads(args.threads)
    if args.speed_only:
        torch.set_num_threads(args.speed_threads)
        bf16 = native_bf16()
        shipped = get_bundle(DEFAULT_MODEL).get_model()
        nets[f"{DEFAULT_MODEL} (shipped bundle, gated)"] = shipped
        speeds = best_speeds(nets, args.speed_rounds)
        fast = best_speeds(nets, args.speed_rounds, bf16=True) if bf16 else {}
        kept = keep_freed_memory()  # last: it cannot be undone in this process
        held = best_speeds(nets, args.speed_rounds) if kept else {}

        def ratio(table: dict[str, float], n: str) -> float:
            return table[n] / table[REFERENCE] if n in table and table.get(REFERENCE) else float("nan")

        sizes = {n: n_parameters(net) for n, net in nets.items()}
        rows = pd.DataFrame([{"method": n, "parameters": sizes[n], "windows_per_s": v,
                              f"÷ {REFERENCE}": ratio(speeds, n),
                              "bf16 windows_per_s": fast.get(n, float("nan")),
                              f"bf16 ÷ {REFERENCE} bf16": ratio(fast, n),
                              "memory kept: windows_per_s": held.get(n, float("nan")),
                              f"memory kept ÷ {REFERENCE}": ratio(held, n)} for n, v in speeds.items()])
        args.out.mkdir(parents=True, exist_ok=True)
        text = (f"# Inference speed only (`python benchmarks/models.py --speed-only`)\n\ntorch {torch.__version__}, "
                f"{args.speed_threads} threads, eager PyTorch, batches of 512 windows × 512 samples, models alternated "
                f"in one process, best of {args.speed_rounds} rounds of 3 s each; float32, then bfloat16 autocast "
                f"(what the Denoiser uses where the CPU has native bf16: {'yes' if bf16 else 'no'} here) for every "
                "model, then float32 again with glibc's malloc told to keep freed memory (`memory kept`: "
                f"{'measured' if kept else 'not available on this platform'}; by default every large tensor is a fresh "
                "mmap that is page-faulted in on each forward pass, which is most of Complex CNN's float32 time). "
                "The shipped bundle is the gated flagship (a 1×1 gate head more).\n\n" + to_markdown(rows, ".2f"))
        (args.out / "models_speed_only.md").write_text(text)
        print(text)
        return

    data_dir = resolve_data_dir(args.data_dir)
    corpus = build_corpus(data_dir)
    methods, rows = {}, []
    for name in args.models:
        cfg = load_config(None, [f"model={name}", f"max_steps={args.max_steps}", f"time_budget_s={args.budget_s}",
                                 f"threads={args.threads}"] + (["model_kwargs={}"]))
        print(f"[{time.perf_counter() - t_all:6.0f} s] training {name} ...", flush=True)
        res = train(cfg, args.runs / name, corpus=corpus)
        method = NeuralMethod.from_checkpoint(res["checkpoint"], name)
        methods[name] = lambda m=method: m
        speed = speeds[name]
        rows.append({"method": name, "kind": "flagship" if name == FLAGSHIP else
                     ("published peer" if name in PEERS else "architecture"), "parameters": res["n_parameters"],
                     "train_s": res["train_seconds"], "steps": res["steps"], "best_step": res["best_step"],
                     "windows_per_s": speed, "train_windows_per_s": res["steps"] * cfg.batch_size /
                     max(res["train_seconds"], 1e-9)})
        print(f"    {res['steps']} steps in {res['train_seconds']:.0f} s, {speed:.0f} windows/s", flush=True)
    methods.update(BASELINES)
    cfg = EvalConfig(noises=NOISES, n_test_windows=args.n_test)
    print(f"[{time.perf_counter() - t_all:6.0f} s] evaluating {len(methods)} methods ...", flush=True)
    table, timing, kept = run_methods(corpus, methods, cfg)
    summary = summarise(table)
    clean = clean_input_summary(kept)
    per_snr = summarise(table, by=("noise", "method", "snr"))
    info = pd.DataFrame(rows)

    args.out.mkdir(parents=True, exist_ok=True)
    summary.to_csv(args.out / "models_summary.csv", index=False)
    per_snr.to_csv(args.out / "models_per_snr.csv", index=False)
    info.to_csv(args.out / "models_speed.csv", index=False)
    clean.to_csv(args.out / "models_clean_input.csv", index=False)
    (args.out / "models.md").write_text(render(summary, info, corpus, args, time.perf_counter() - t_all, clean))
    print((args.out / "models.md").read_text())


def render(summary: pd.DataFrame, info: pd.DataFrame, corpus, args, seconds: float, clean: pd.DataFrame) -> str:
    cols = ["rrmse_t", "rrmse_s", "cc", "delta_snr"]
    lines = [
        "# Model benchmark (generated by `python benchmarks/models.py`; do not edit by hand)",
        "",
        f"eegrecon {__version__}, torch {torch.__version__}, {platform.machine()}; training and evaluation on "
        f"{args.threads} thread(s), inference speed (`windows_per_s`, batches of 512 two-second windows, eager "
        f"PyTorch) on {args.speed_threads} threads; "
        f"whole run {seconds / 60:.1f} min.",
        f"Data: clean EEG {corpus.manifest.get('clean_origin')}; test split subject-disjoint; "
        f"{args.n_test} clean test windows per artifact type, each at the 10 SNR levels −7..2 dB (RMS ratio), "
        "windows ÷ std of the noisy window.",
        f"Budget rule (same for every network): generalist training on EOG, EMG, motion and EOG+EMG mixtures, "
        f"AdamW, cosine schedule, batch 64, at most {args.max_steps} steps or {args.budget_s:.0f} s of training, "
        "best validation checkpoint. The published peers were trained for hours on a GPU in the paper; under this "
        "CPU budget the large ones (Novel CNN, Complex CNN) see far fewer steps, which the `steps` column shows.",
        "`mixture` = the whole noise library at once (no model was trained on it: an unseen-noise test).",
        "",
    ]
    ref = summary[summary["method"] == REFERENCE].set_index("noise")
    for noise in summary["noise"].unique():
        sub = summary[summary["noise"] == noise][["method", *cols]].copy()
        if noise in ref.index:
            for c in ("rrmse_t", "cc"):
                sub[f"{c} ÷ {REFERENCE}"] = sub[c] / ref.loc[noise, c]
        lines += [f"## {noise} (mean over the 10 SNR levels)", "", to_markdown(sub.sort_values("cc", ascending=False)),
                  ""]
    eff = info.copy()
    r = eff[eff["method"] == REFERENCE]
    if len(r):
        for c in ("parameters", "train_s", "windows_per_s"):
            eff[f"{c} ÷ {REFERENCE}"] = eff[c] / float(r[c].iloc[0])
    lines += ["## Size, training and inference speed", "", to_markdown(eff, ".2f"), ""]
    lines += ["## " + CLEAN_INPUT_TITLE, "", to_markdown(clean.sort_values("cc_input", ascending=False)), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
