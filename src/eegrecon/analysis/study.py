"""The whole noise-robustness study behind ``eegrecon analyze``: one function, one output folder."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, Field

from eegrecon._version import __version__
from eegrecon.analysis.bootstrap import bootstrap_ci, cells_with_ci
from eegrecon.analysis.generalisation import clean_input_damage, cross_matrix
from eegrecon.analysis.hardest import hardest_scenarios, spectral_profile
from eegrecon.analysis.plots import curves, heatmap, matrix
from eegrecon.analysis.report import HtmlReport
from eegrecon.analysis.sweep import SweepConfig, run_sweep, sweepable_noises
from eegrecon.analysis.variants import Fixed, PreFiltered, train_variant
from eegrecon.baselines import BASELINES
from eegrecon.data.corpus import Corpus, build_corpus
from eegrecon.data.pairs import EEGDENOISENET_TEST_SNRS
from eegrecon.errors import EegreconError
from eegrecon.evaluation import EvalConfig, run_methods
from eegrecon.method import TestTimeEnsemble
from eegrecon.noise import EVALUATION_NOISES, TRAINING_NOISES


class AnalysisConfig(BaseModel):
    """Settings of one study (saved as config.yaml beside the report).

    Parameters
    ----------
    sweep : SweepConfig
        The noise × SNR grid.
    sweep_methods : list of str
        Methods swept (``"model"`` = the shipped model, or the plain one if none).
    train_steps : int
        Steps for each specialist, generalist and mitigation variant.
    specialists : list of str
        Noise types that get a specialist model.
    test_noises : list of str
        Noises for the generalisation matrix and the mitigations.
    test_snrs : list of float
        SNR levels of those tests, dB.
    n_test_windows : int
        Clean windows per noise in those tests.
    threads : int or None
        Torch threads for training.
    """

    sweep: SweepConfig = Field(default_factory=SweepConfig)
    sweep_methods: list[str] = Field(default_factory=lambda: ["model", "wiener", "bandpass", "oracle_wiener"],
                                     description="'model' = the shipped model (or the plain one if none)")
    train_steps: int = Field(1500, description="steps for each specialist, generalist and mitigation variant")
    specialists: list[str] = Field(default_factory=lambda: ["eog", "emg", "motion"])
    test_noises: list[str] = Field(default_factory=lambda: [*EVALUATION_NOISES, "ecg", "baseline_wander", "line", "pop",
                                                            "white"],
                                   description="noises for the generalisation matrix and the mitigations")
    test_snrs: list[float] = Field(default_factory=lambda: EEGDENOISENET_TEST_SNRS.tolist())
    n_test_windows: int = 100
    threads: int | None = None

    @classmethod
    def quick(cls) -> AnalysisConfig:
        """The small study the main job runs (≈ 1 min): a coarse grid and 40-step variants.

        Returns
        -------
        AnalysisConfig
            The settings.
        """
        return cls(sweep=SweepConfig(noises=[*EVALUATION_NOISES, "line", "white"],
                                     snrs=[-10.0, -5.0, 0.0, 5.0, 10.0], n_windows=30, n_train_pairs=500,
                                     n_boot=300),
                   sweep_methods=["model", "wiener", "oracle_wiener"], train_steps=40, specialists=["eog", "emg"],
                   test_noises=["eog", "emg", "mixed", "line"], test_snrs=[-7.0, -2.0, 2.0], n_test_windows=30)


def paired_effect(table: pd.DataFrame, reference: str, metric: str = "cc", n_boot: int = 1000,
                  seed: int = 0) -> pd.DataFrame:
    """Per method and noise: mean ``metric`` difference to ``reference`` on the same windows, with a paired
    bootstrap 95 % CI (positive = better for CC).

    Parameters
    ----------
    table : pandas.DataFrame
        Per-window metrics of every method on the same pairs.
    reference : str
        The method compared against.
    metric : str
        Metric compared.
    n_boot : int
        Bootstrap resamples.
    seed : int
        Bootstrap seed.

    Returns
    -------
    pandas.DataFrame
        One row per method and noise.
    """
    ref = table[table["method"] == reference].set_index(["noise", "snr", "window"])[metric]
    rng = np.random.default_rng(seed)
    rows = []
    for (method, noise), g in table[table["method"] != reference].groupby(["method", "noise"], sort=False):
        diff = g.set_index(["noise", "snr", "window"])[metric] - ref
        diff = diff.dropna().to_numpy()
        lo, hi = bootstrap_ci(diff, n_boot, rng=rng)
        rows.append({"method": method, "noise": noise, f"{metric}_change": float(diff.mean()),
                     "ci_lo": lo, "ci_hi": hi, "helps": bool(lo > 0), "hurts": bool(hi < 0)})
    return pd.DataFrame(rows)


def run_analysis(out: Path, data_dir: Path | None, cfg: AnalysisConfig | None = None,
                 progress: Callable[[str], None] | None = None, corpus: Corpus | None = None) -> dict:
    """Run the study and write report.html, CSV/JSON of every number, figures and config.yaml under ``out``.

    Parameters
    ----------
    out : Path
        Output folder.
    data_dir : Path or None
        Real data folder (None: simulated).
    cfg : AnalysisConfig or None
        Settings (the full study when None).
    progress : callable or None
        Told what runs.
    corpus : Corpus or None
        An already built corpus of ``data_dir`` (the main job passes its own instead of rebuilding it).

    Returns
    -------
    dict
        Paths and the main tables.
    """
    cfg = cfg or AnalysisConfig()
    say = progress or (lambda msg: None)
    t0 = time.perf_counter()
    out = Path(out)
    figs, models_dir = out / "figures", out / "models"
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.yaml").write_text(yaml.safe_dump({"version": __version__, **cfg.model_dump(mode="json")},
                                                    sort_keys=False))
    if corpus is None:
        say("loading data")
        corpus = build_corpus(data_dir)
    (out / "provenance.json").write_text(json.dumps(corpus.manifest, indent=2, default=str))

    # --- variants: specialists, generalists and mitigations, all the flagship with one budget
    steps = cfg.train_steps
    plain_noises = f"noises={list(TRAINING_NOISES)}"
    recipes = {
        "plain (EOG/EMG/motion/mixed, MSE)": [plain_noises],
        **{f"specialist: {n}": [f"noises=[{n}]"] for n in cfg.specialists},
        "(a) trained on the whole mixture": [f"noises={[*TRAINING_NOISES, 'mixture']}"],
        "(b) SNR curriculum": [plain_noises, "snr_curriculum=0.5"],
        "(c) direct mapping (no artifact subtraction)": [plain_noises, "model_kwargs={predict_artifact: false}"],
        "(e) L1 loss": [plain_noises, "loss=l1"],
        "(e) time+frequency loss": [plain_noises, "loss=time_freq"],
        "(g) 10 % clean windows in training": [plain_noises, "clean_fraction=0.1"],
    }
    trained = {}
    for name, overrides in recipes.items():
        say(f"training {name} ({steps} steps)")
        slug = "".join(c if c.isalnum() else "_" for c in name)[:40]
        trained[name] = train_variant(corpus, slug, overrides, steps, models_dir, cfg.threads)
        trained[name].name = name
    plain = trained["plain (EOG/EMG/motion/mixed, MSE)"]
    # only what is out of band for certain: the clean EEG was band-limited to 1-80 Hz with a 50-Hz notch at the
    # recording level; a 1-Hz high-pass on 2-s windows would itself remove real delta activity
    trained["(d) low-pass 80 Hz + notch before the model"] = PreFiltered(plain, None, 80.0, 50.0,
                                                                          name="(d) low-pass 80 Hz + notch first")
    trained["(f) test-time ensemble"] = TestTimeEnsemble(plain, name="(f) test-time ensemble")

    # --- 1. sweep
    try:
        from eegrecon.models.pretrained import DEFAULT_MODEL, load_pretrained

        model, model_name = load_pretrained(), f"{DEFAULT_MODEL} (shipped)"
    except EegreconError:
        model, model_name = plain, plain.name
    sweep_methods = {}
    for m in cfg.sweep_methods:
        if m == "model":
            sweep_methods[model_name] = lambda: Fixed(model, model_name)
        elif m in BASELINES:
            sweep_methods[m] = BASELINES[m]
        else:
            raise EegreconError(f"unknown sweep method {m!r}: 'model' or one of {', '.join(BASELINES)}")
    say("sweep")
    sweep = run_sweep(corpus, sweep_methods, cfg.sweep, say)
    metrics = ["rrmse_t", "rrmse_s", "cc", "delta_snr"]
    cells = cells_with_ci(sweep, ["method", "noise", "snr"], metrics, cfg.sweep.n_boot, seed=cfg.sweep.seed)
    say("spectral profiles")
    profiles = pd.DataFrame([spectral_profile(corpus, n) for n in cfg.sweep.noises])
    hardest = hardest_scenarios(cells, profiles, "cc", k=10)

    # --- 2. generalisation + clean input + 3. mitigations (same test mixtures for every variant)
    say("generalisation and mitigations")
    eval_cfg = EvalConfig(noises=cfg.test_noises, snrs=cfg.test_snrs, n_test_windows=cfg.n_test_windows,
                          seed=cfg.sweep.seed)
    variant_table, _, _ = run_methods(corpus, {k: (lambda m=m, k=k: Fixed(m, k)) for k, m in trained.items()}, eval_cfg)
    trained_on = {"plain (EOG/EMG/motion/mixed, MSE)": list(TRAINING_NOISES),
                  **{f"specialist: {n}": [n] for n in cfg.specialists},
                  "(a) trained on the whole mixture": [*TRAINING_NOISES, "mixture"]}
    cross = cross_matrix(variant_table, trained_on, "cc")
    damage = clean_input_damage(corpus, {k: (lambda m=m: m) for k, m in trained.items()}
                                | {"bandpass 1-45 Hz + notch": lambda: BASELINES["bandpass"](tune=False)},
                                n=cfg.n_test_windows * 3)
    effects = paired_effect(variant_table[variant_table["method"].isin(
        [k for k in trained if not k.startswith("specialist")])], "plain (EOG/EMG/motion/mixed, MSE)", "cc",
        cfg.sweep.n_boot)
    variant_summary = variant_table.groupby(["method", "noise"], sort=False)[metrics].mean().reset_index()

    # --- write numbers
    sweep.to_csv(out / "sweep_windows.csv", index=False)
    files = {"sweep_cells.csv": cells, "spectral_profiles.csv": profiles, "hardest.csv": hardest,
             "generalisation_cc.csv": cross, "clean_input.csv": damage, "mitigations.csv": effects,
             "variants_summary.csv": variant_summary}
    for fname, df in files.items():
        df.to_csv(out / fname, index=False)
    (out / "results.json").write_text(json.dumps({k: v.to_dict(orient="records") for k, v in files.items()},
                                                 default=float))

    # --- figures
    say("figures and report")
    fig_paths = {f"heatmap_{i}": (heatmap(cells, m, "cc", figs / f"heatmap_cc_{i}.png"), f"CC per noise type and "
                                  f"SNR: {m}") for i, m in enumerate(sweep_methods)}
    fig_paths["curves_cc"] = (curves(cells, "cc", figs / "cc_vs_snr.png"), "CC vs SNR with bootstrap 95 % CI")
    fig_paths["curves_rrmse"] = (curves(cells, "rrmse_t", figs / "rrmse_t_vs_snr.png"),
                                 "RRMSE_t vs SNR with bootstrap 95 % CI")
    fig_paths["generalisation"] = (matrix(cross.drop(columns="trained_on"), figs / "generalisation.png",
                                          "CC: trained on (rows) × tested on (columns)"), "generalisation matrix")

    rep = HtmlReport("eegrecon noise-robustness analysis")
    rep.paragraph(f"eegrecon {__version__}; clean EEG: {corpus.manifest.get('clean_origin')}; real artifact "
                  f"families: {', '.join(corpus.manifest.get('artifact_families_real', [])) or 'none (simulated)'}; "
                  f"{time.perf_counter() - t0:.0f} s. Every number below is also in the CSV named under its table.")
    rep.heading("1. Sweep: noise type × SNR")
    rep.paragraph(f"{cfg.sweep.n_windows} clean test windows per noise (subject-disjoint), each mixed with one "
                  f"artifact draw at every SNR level ({cfg.sweep.snr_definition} definition); 95 % percentile "
                  f"bootstrap CIs over windows ({cfg.sweep.n_boot} resamples).")
    for key, (path, caption) in fig_paths.items():
        if key.startswith(("heatmap", "curves")):
            rep.figure(path, key, caption)
    rep.table(cells, "sweep_cells", "every cell: mean and CI per metric", "sweep_cells.csv")
    rep.heading("Hardest scenarios")
    rep.table(hardest, "hardest", "lowest CC of the best method per (noise, SNR), with the measured spectral reason",
              "hardest.csv")
    rep.table(profiles, "spectral_profiles", "spectral overlap of each artifact with the clean EEG",
              "spectral_profiles.csv")
    rep.heading("2. Generalisation")
    rep.figure(fig_paths["generalisation"][0], "generalisation", fig_paths["generalisation"][1])
    rep.table(cross, "generalisation_cc", "mean CC, trained on (rows) × tested on (columns); unseen noise types "
              "are the columns a model was not trained on", "generalisation_cc.csv")
    rep.table(damage, "clean_input", "clean input (SNR = +∞): the output against its clean input "
              "(cc_input 1, rrmse_input 0 and every <band>_db 0 = untouched; <band>_db = band-power change, dB)",
              "clean_input.csv")
    rep.heading("3. Mitigations")
    rep.paragraph(f"Each variant is the flagship trained for {steps} steps like the plain model, with one change; "
                  "effect = mean CC difference to the plain model on the same test windows, paired bootstrap 95 % "
                  "CI. 'helps' means the whole CI is above 0.")
    rep.table(effects, "mitigations", "effect of each mitigation on CC per noise type", "mitigations.csv")
    rep.table(variant_summary, "variants_summary", "every variant, every metric (mean over windows and SNRs)",
              "variants_summary.csv")
    rep.heading("Configuration and data provenance")
    rep.preformatted((out / "config.yaml").read_text())
    rep.preformatted(json.dumps({k: {kk: vv for kk, vv in v.items() if kk in ("family", "licence", "windows")}
                                 for k, v in corpus.manifest.get("sources", {}).items()}, indent=1))
    report = rep.write(out / "report.html")
    return {"report": report, "cells": cells, "hardest": hardest, "generalisation": cross, "clean_input": damage,
            "mitigations": effects, "seconds": time.perf_counter() - t0}


__all__ = ["AnalysisConfig", "paired_effect", "run_analysis", "sweepable_noises"]
