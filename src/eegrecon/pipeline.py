"""The main job: build the data, evaluate every method, write tables and figures under one run directory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from eegrecon._version import __version__
from eegrecon.baselines import BASELINES
from eegrecon.data.corpus import Corpus, DataConfig, build_corpus
from eegrecon.data.pairs import PairSet
from eegrecon.errors import EegreconError
from eegrecon.evaluation import EvalConfig, run_methods, summarise
from eegrecon.method import Method
from eegrecon.noise import get_noise
from eegrecon.noise.sampling import fixed_pairs, noise_seed
from eegrecon.plots import plot_examples, plot_metric_vs_snr
from eegrecon.report import to_markdown

QUICK_EVAL = EvalConfig(n_test_windows=100, n_train_pairs=3000)


def write_json(path: Path, obj) -> Path:
    """Write ``obj`` as indented JSON (non-JSON values as strings), creating the folder.

    Parameters
    ----------
    path : Path
        The file.
    obj : object
        JSON-serialisable data.

    Returns
    -------
    Path
        ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, default=str))
    return path


def plot_data_examples(corpus: Corpus, path: Path, noises: list[str], snr: float = -3.0, seed: int = 0) -> Path:
    """Example clean / artifact / noisy windows (µV) and their PSDs, one row per noise type.

    Parameters
    ----------
    corpus : Corpus
        Test windows and artifact pools.
    path : Path
        PNG to write.
    noises : list of str
        Noise types, one row each.
    snr : float
        SNR of the examples, dB.
    seed : int
        Random seed.

    Returns
    -------
    Path
        ``path``.
    """
    rows = []
    for noise in noises:
        gen = get_noise(noise, corpus.pools("test"))
        pairs = fixed_pairs(corpus.clean["test"], gen, np.array([snr]), 1, noise_seed(seed, noise, "plot"), noise)
        traces = pairs.traces_uv(0, noisy_name="noisy")
        rows.append((f"{noise} ({gen.origin}) at {snr:g} dB", snr, traces))
    return plot_examples(rows, corpus.sfreq, path)


class ExampleCollector:
    """Keeps each method's output on one test pair per noise (at ``snr`` dB) for the reconstruction figure.

    Parameters
    ----------
    snr : float
        SNR of the example pair, dB.
    """

    def __init__(self, snr: float = -3.0):
        self.snr = snr
        self.rows: dict[str, dict[str, np.ndarray]] = {}

    def __call__(self, noise: str, name: str, method: Method, test: PairSet) -> None:
        if noise not in self.rows:
            at_snr = np.flatnonzero(np.isclose(test.snr_db, self.snr))
            i = int(at_snr[0]) if len(at_snr) else 0
            traces = test.traces_uv(i)
            self.rows[noise] = {"_index": i, "clean": traces["clean"], "noisy": traces["noisy"]}
        if name == "noisy_input":
            return
        i = self.rows[noise]["_index"]
        oracle = {"clean": test.clean[i:i + 1].astype(np.float64),
                  "artifact": test.artifact[i:i + 1].astype(np.float64)} if method.requires_oracle else {}
        out = method.denoise(test.noisy[i:i + 1].astype(np.float64), test.sfreq, **oracle)[0]
        self.rows[noise][name] = out * test.scale[i]

    def plot(self, sfreq: float, path: Path) -> Path:
        """Draw every kept example (clean, noisy and each method's output, in time and frequency).

        Parameters
        ----------
        sfreq : float
            Sampling rate, Hz.
        path : Path
            PNG to write.

        Returns
        -------
        Path
            ``path``.
        """
        rows = [(f"{noise} at {self.snr:g} dB (test window {r['_index']})", self.snr,
                 {k: v for k, v in r.items() if k != "_index"}) for noise, r in self.rows.items()]
        return plot_examples(rows, sfreq, path)


#: heading of the clean-input table wherever it is rendered
CLEAN_INPUT_TITLE = ("Clean input (artifact-free test windows; nothing to remove): CC of the output with its input "
                     "(1 = untouched) and band-power change, dB (0 = untouched; mean over the noise-specific fits)")


def clean_input_summary(kept: pd.DataFrame) -> pd.DataFrame:
    """One row per method: the clean-input preservation averaged over the noise types it was fitted for.

    Parameters
    ----------
    kept : pandas.DataFrame
        ``Evaluation.clean_input``.

    Returns
    -------
    pandas.DataFrame
        ``method``, ``cc_input``, ``rrmse_input``, ``<band>_db``.
    """
    if kept.empty:
        return kept
    cols = [c for c in kept.columns if c not in ("method", "noise")]
    return kept.groupby("method", sort=False)[cols].mean().reset_index()


def evaluate_methods(corpus: Corpus, methods: dict[str, Callable[[], Method]], cfg: EvalConfig, out: Path,
                     progress: Callable[[str], None] | None = None, title: str = "Methods") -> pd.DataFrame:
    """Fit and evaluate ``methods``; write per-window metrics, the summary, metric-vs-SNR figures and example
    reconstructions (time and frequency) under ``out``.

    Parameters
    ----------
    corpus : Corpus
        Data.
    methods : dict of str to callable
        Name → method factory.
    cfg : EvalConfig
        Noises, SNRs, counts.
    out : Path
        Output folder.
    progress : callable or None
        Told what runs.
    title : str
        Heading of the summary.

    Returns
    -------
    summary : pandas.DataFrame
        Mean over the SNR grid per noise and method.
    clean_input : pandas.DataFrame
        Clean-input preservation per method (:func:`clean_input_summary`).
    """
    examples = ExampleCollector()
    table, timing, kept = run_methods(corpus, methods, cfg, progress, on_fitted=examples)
    summary = summarise(table)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "metrics.csv", index=False)
    summary.to_csv(out / "summary.csv", index=False)
    timing.to_csv(out / "timing.csv", index=False)
    kept.to_csv(out / "clean_input.csv", index=False)
    (out / "summary.md").write_text(
        f"{title}, mean over SNR {cfg.snrs[0]:g}..{cfg.snrs[-1]:g} dB ({cfg.snr_definition} SNR), "
        f"{cfg.n_test_windows} test windows per noise\n\n" + to_markdown(summary)
        + "\n\n" + CLEAN_INPUT_TITLE + "\n\n" + to_markdown(clean_input_summary(kept)))
    for metric in ("rrmse_t", "cc"):
        plot_metric_vs_snr(table, metric, out / "figures" / f"{metric}_vs_snr.png")
    examples.plot(corpus.sfreq, out / "figures" / "examples.png")
    return summary, clean_input_summary(kept)


def example_recording(data_dir: Path | None, out: Path, seed: int = 0) -> Path:
    """A contaminated recording to clean: eegmmidb S001 R01 (eyes open, blinks) when the real data is present,
    else a simulated 8-channel, 250-Hz, 20-s recording with blinks and muscle bursts written to ``out``.

    Parameters
    ----------
    data_dir : Path or None
        Real data folder.
    out : Path
        Where a simulated recording is written.
    seed : int
        Random seed of the simulation.

    Returns
    -------
    Path
        The recording file.
    """
    if data_dir is not None:
        real = Path(data_dir) / "eegmmidb_S001" / "S001R01.edf"
        if real.is_file():
            return real
    import mne

    from eegrecon.data.simulate import simulate_clean_eeg
    from eegrecon.noise import get_noise

    rng = np.random.default_rng(seed)
    sfreq, n_ch, n = 250.0, 8, 5000
    eeg = simulate_clean_eeg(n_ch, n, sfreq, seed).astype(np.float64)
    blinks = get_noise("eog").generate(1, n, sfreq, rng)[0]
    emg = get_noise("emg").generate(n_ch, n, sfreq, rng) * (np.arange(n) > n // 2)
    front = np.linspace(1.0, 0.1, n_ch)[:, None]  # blinks are strongest over the frontal channels
    data = eeg + 3 * eeg.std() * front * blinks / blinks.std() + 1.5 * eeg.std() * emg / emg.std()
    names = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "O1", "O2"]
    raw = mne.io.RawArray(data * 1e-6, mne.create_info(names, sfreq, "eeg"), verbose="error")
    path = out / "example_input" / "simulated_contaminated_raw.fif"
    path.parent.mkdir(parents=True, exist_ok=True)
    raw.save(path, overwrite=True, verbose="error")
    return path


def run_main(out: Path, data_dir: Path | None, quick: bool = True,
             progress: Callable[[str], None] | None = None, train_steps: int | None = None) -> dict:
    """Everything the README's first command does.

    1. data: windows, subject-disjoint splits, summary and example figure;
    2. trains the default model briefly (``train_steps``; quick: 300) under ``out/model``;
    3. evaluates it, the shipped pretrained model and every baseline on the test split (``out/evaluation``);
    4. cleans an example contaminated recording with the shipped model, with its QC report (``out/denoised``);
    5. runs the quick noise-robustness study (``out/analysis/report.html``; the full one: ``eegrecon analyze``).

    Parameters
    ----------
    out : Path
        Run folder.
    data_dir : Path or None
        Real data folder (None: simulated data).
    quick : bool
        Small evaluation and quick analysis (the README's command) instead of full size.
    progress : callable or None
        Told what runs.
    train_steps : int or None
        Training steps for the default model.

    Returns
    -------
    dict
        What was written.
    """
    from eegrecon.analysis.study import AnalysisConfig, run_analysis
    from eegrecon.clean.files import clean_file
    from eegrecon.models.neural import NeuralMethod
    from eegrecon.models.pretrained import DEFAULT_MODEL, PRETRAINED, load_pretrained
    from eegrecon.training import load_config, train

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data_cfg, eval_cfg = DataConfig(), (QUICK_EVAL if quick else EvalConfig())
    steps = train_steps or (300 if quick else 3000)
    train_cfg = load_config(None, [f"max_steps={steps}", f"val_every={max(50, steps // 4)}", "val_windows=30"])
    (out / "config.yaml").write_text(yaml.safe_dump(
        {"version": __version__, "data": data_cfg.model_dump(mode="json"), "eval": eval_cfg.model_dump(mode="json"),
         "train": train_cfg.model_dump(mode="json")}, sort_keys=False))
    corpus = build_corpus(data_dir, data_cfg, progress)
    write_json(out / "split.json", corpus.manifest)
    summary_table = corpus.summary_table()
    (out / "data_summary.md").write_text(to_markdown(summary_table))
    plot_data_examples(corpus, out / "figures" / "data_examples.png", eval_cfg.noises)

    if progress:
        progress(f"training {train_cfg.model} for {steps} steps")
    trained = train(train_cfg, out / "model", corpus=corpus)
    methods = dict(BASELINES)
    now = NeuralMethod.from_checkpoint(trained["checkpoint"], f"{train_cfg.model} (trained now, {steps} steps)")
    methods[now.name] = lambda: now
    shipped = None
    try:
        shipped = load_pretrained()
        methods[f"{DEFAULT_MODEL} (shipped)"] = lambda: shipped
    except EegreconError as exc:  # a checkout without the bundle still runs, and says why
        (out / "shipped_model_missing.txt").write_text(str(exc))
    evaluation, clean_input = evaluate_methods(corpus, methods, eval_cfg, out / "evaluation", progress,
                                               "Baselines and models")
    cleaned = None
    if shipped is not None:
        if progress:
            progress("cleaning an example recording")
        source = example_recording(data_dir, out)
        cleaned = clean_file(source, out / "denoised", "auto", overwrite=True, report=True)
    if progress:
        progress("quick noise-robustness analysis")
    analysis = run_analysis(out / "analysis", data_dir, AnalysisConfig.quick() if quick else AnalysisConfig(),
                            progress, corpus)
    return {"out": out, "corpus": corpus, "data_summary": summary_table, "evaluation": evaluation,
            "clean_input": clean_input,
            "trained": trained, "cleaned": cleaned, "shipped": list(PRETRAINED) if shipped else [],
            "analysis": analysis["report"]}
