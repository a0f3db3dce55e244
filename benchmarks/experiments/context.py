"""Longer context: does a single-channel model trained on 4-s or 8-s windows beat the 2-s one?

    python benchmarks/experiments/context.py --model "2 s=CHECKPOINT" --model "4 s=CHECKPOINT" [--windows 2 4 8]

Each model is scored on test pairs cut at each window length (the same test subjects and artifact sources; the
EEGdenoiseNet protocol otherwise: RMS-ratio SNR −7..2 dB per window, each window divided by its noisy std; 300
clean windows per noise at every level). The networks are length-agnostic, so a 2-s model runs on a 4-s window
as it is (and a 4-s model on a 2-s one); the oracle Wiener filter is the reference at each length. Also reports
each model on the artifact-free test windows (CC with the input, band-power change). Writes
benchmarks/results/context.md.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

import pandas as pd
import torch

from eegrecon.baselines import BASELINES
from eegrecon.data.corpus import DataConfig, build_corpus
from eegrecon.data.windowing import WindowConfig
from eegrecon.evaluation import EvalConfig, run_methods, summarise
from eegrecon.models.neural import NeuralMethod
from eegrecon.paths import resolve_data_dir
from eegrecon.report import to_markdown

OUT = Path(__file__).resolve().parents[1] / "results" / "context.md"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", action="append", required=True, metavar="LABEL=CHECKPOINT",
                    help="a single-channel checkpoint (repeatable)")
    ap.add_argument("--windows", type=float, nargs="+", default=[2.0, 4.0], help="test window lengths, s")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    data_dir = resolve_data_dir(None)
    if data_dir is None:
        raise SystemExit("needs ../shared/data (or $EEGRECON_DATA)")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/common.py
    from common import labelled_paths

    models = {label: NeuralMethod.from_checkpoint(path, label)
              for label, path in labelled_paths(args.model, "--model").items()}
    summaries, kept = [], []
    for seconds in args.windows:
        corpus = build_corpus(data_dir, DataConfig(window=WindowConfig(window_s=seconds)))
        methods = {label: (lambda m=m: m) for label, m in models.items()}
        methods["oracle_wiener"] = BASELINES["oracle_wiener"]
        ev = run_methods(corpus, methods, EvalConfig(),
                         progress=lambda s, w=seconds: print(f"{w:g} s: {s}", flush=True))
        summary = summarise(ev.table)
        summary.insert(0, "test window", f"{seconds:g} s")
        summaries.append(summary)
        clean = ev.clean_input.groupby("method", sort=False).mean(numeric_only=True).reset_index()
        clean.insert(0, "test window", f"{seconds:g} s")
        kept.append(clean)
    table = pd.concat(summaries, ignore_index=True)
    wide = table.pivot_table(index=["noise", "method"], columns="test window", values=["cc", "rrmse_t"],
                             sort=False)
    wide.columns = [f"{metric} ({window})" for metric, window in wide.columns]
    text = ["# Longer context: single-channel models on test windows of several lengths "
            "(`python benchmarks/experiments/context.py`)",
            "", f"Command: `python benchmarks/experiments/context.py {shlex.join(sys.argv[1:])}`", "",
            "Test subjects, EEGdenoiseNet protocol per window (RMS-ratio SNR −7..2 dB, 300 clean windows per noise "
            "at every level, mean over levels). The networks run on each window length as it is.", "",
            to_markdown(wide.reset_index(), ".3f"), "",
            "## Artifact-free test windows: CC with the input and band-power change, dB", "",
            to_markdown(pd.concat(kept, ignore_index=True), ".3f"), ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(text))
    print("\n".join(text))


if __name__ == "__main__":
    main()
