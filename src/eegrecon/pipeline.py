"""The main job: build the data, evaluate every method, write tables and figures under one run directory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from eegrecon import __version__
from eegrecon.baselines import BASELINES
from eegrecon.data.corpus import Corpus, DataConfig, build_corpus
from eegrecon.data.pairs import PairSet
from eegrecon.data.sampling import fixed_pairs
from eegrecon.evaluation import EvalConfig, noise_seed, run_methods, summarise
from eegrecon.method import Method
from eegrecon.noise import get_noise
from eegrecon.plots import plot_examples, plot_metric_vs_snr
from eegrecon.report import to_markdown

QUICK_EVAL = EvalConfig(n_test_windows=100, n_train_pairs=3000)


def write_json(path: Path, obj) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, default=str))
    return path


def plot_data_examples(corpus: Corpus, path: Path, noises: list[str], snr: float = -3.0, seed: int = 0) -> Path:
    """Example clean / artifact / noisy windows (µV) and their PSDs, one row per noise type."""
    rows = []
    for noise in noises:
        gen = get_noise(noise, corpus.pools("test"))
        pairs = fixed_pairs(corpus.clean["test"], gen, np.array([snr]), 1, noise_seed(seed, noise, "plot"), noise)
        traces = pairs.traces_uv(0, noisy_name="noisy")
        rows.append((f"{noise} ({gen.origin}) at {snr:g} dB", snr, traces))
    return plot_examples(rows, corpus.sfreq, path)


class ExampleCollector:
    """Keeps each method's output on one test pair per noise (at ``snr`` dB) for the reconstruction figure."""

    def __init__(self, snr: float = -3.0):
        self.snr = snr
        self.rows: dict[str, dict[str, np.ndarray]] = {}

    def __call__(self, noise: str, name: str, method: Method, test: PairSet) -> None:
        i = int(np.flatnonzero(np.isclose(test.snr_db, self.snr))[0]) if np.isclose(test.snr_db, self.snr).any() else 0
        if noise not in self.rows:
            self.rows[noise] = {"_index": i, **test.traces_uv(i)}
            del self.rows[noise]["artifact"]
        if method.name == "noisy_input" or name == "noisy_input":
            return
        oracle = {"clean": test.clean[i:i + 1].astype(np.float64),
                  "artifact": test.artifact[i:i + 1].astype(np.float64)} if method.requires_oracle else {}
        out = method.denoise(test.noisy[i:i + 1].astype(np.float64), test.sfreq, **oracle)[0]
        self.rows[noise][name] = out * test.scale[i]

    def plot(self, sfreq: float, path: Path) -> Path:
        rows = [(f"{noise} at {self.snr:g} dB (test window {r['_index']})", self.snr,
                 {k: v for k, v in r.items() if k != "_index"}) for noise, r in self.rows.items()]
        return plot_examples(rows, sfreq, path)


def evaluate_methods(corpus: Corpus, methods: dict[str, Callable[[], Method]], cfg: EvalConfig, out: Path,
                     progress: Callable[[str], None] | None = None, title: str = "Methods") -> pd.DataFrame:
    """Fit and evaluate ``methods``; write per-window metrics, the summary, metric-vs-SNR figures and
    example reconstructions (time and frequency) under ``out``."""
    examples = ExampleCollector()
    table, timing = run_methods(corpus, methods, cfg, progress, on_fitted=examples)
    summary = summarise(table)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "metrics.csv", index=False)
    summary.to_csv(out / "summary.csv", index=False)
    timing.to_csv(out / "timing.csv", index=False)
    (out / "summary.md").write_text(
        f"{title}, mean over SNR {cfg.snrs[0]:g}..{cfg.snrs[-1]:g} dB ({cfg.snr_definition} SNR), "
        f"{cfg.n_test_windows} test windows per noise\n\n" + to_markdown(summary))
    for metric in ("rrmse_t", "cc"):
        plot_metric_vs_snr(table, metric, out / "figures" / f"{metric}_vs_snr.png")
    examples.plot(corpus.sfreq, out / "figures" / "examples.png")
    return summary


def evaluate_baselines(corpus: Corpus, cfg: EvalConfig, out: Path,
                       progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Every classical baseline through :func:`evaluate_methods`."""
    return evaluate_methods(corpus, BASELINES, cfg, out, progress, "Baselines")


def run_main(out: Path, data_dir: Path | None, quick: bool = True,
             progress: Callable[[str], None] | None = None) -> dict:
    """Everything the README's first command does. Returns a dict of what was written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data_cfg, eval_cfg = DataConfig(), (QUICK_EVAL if quick else EvalConfig())
    (out / "config.yaml").write_text(yaml.safe_dump(
        {"version": __version__, "data": data_cfg.model_dump(mode="json"), "eval": eval_cfg.model_dump(mode="json")},
        sort_keys=False))
    corpus = build_corpus(data_dir, data_cfg, progress)
    write_json(out / "split.json", corpus.manifest)
    summary_table = corpus.summary_table()
    (out / "data_summary.md").write_text(to_markdown(summary_table))
    plot_data_examples(corpus, out / "figures" / "data_examples.png", eval_cfg.noises)
    baseline_summary = evaluate_baselines(corpus, eval_cfg, out / "baselines", progress)
    return {"out": out, "corpus": corpus, "data_summary": summary_table, "baselines": baseline_summary}
