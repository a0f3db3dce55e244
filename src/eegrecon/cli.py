"""Command-line interface (thin: parsing and printing; every command is a library function first)."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from eegrecon.cli_bids import bids
from eegrecon.errors import EegreconError
from eegrecon.models.pretrained import DEFAULT_MODEL
from eegrecon.noise.registry import EVALUATION_NOISES, TRAINING_NOISES
from eegrecon.options import ABOVE_BAND_POLICIES, SNR_DEFINITIONS, check_option, line_freq_option

app = typer.Typer(help="eegrecon: reconstruct clean EEG from contaminated EEG.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
data_app = typer.Typer(help="Inspect the study data.", no_args_is_help=True)
noise_app = typer.Typer(help="The noise and artifact library.", no_args_is_help=True)
app.add_typer(data_app, name="data")
models_app = typer.Typer(help="Registered architectures and shipped pretrained models.", no_args_is_help=True)
app.add_typer(noise_app, name="noise")
app.add_typer(models_app, name="models")
app.command("bids")(bids)
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, soft_wrap=True)

DataDirOpt = typer.Option(None, "--data-dir", help="real data folder (default: $EEGRECON_DATA, then "
                          "../shared/data; simulated data when none is found)")


@contextmanager
def _spinner(title: str):
    """A rich progress line; yields a callback that updates its text."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=True, disable=not console.is_terminal) as prog:
        task = prog.add_task(title)
        yield lambda msg: prog.update(task, description=f"{title}: {msg}")


def _corpus(data_dir: Path | None):
    from eegrecon.data.corpus import build_corpus
    from eegrecon.paths import resolve_data_dir

    root = resolve_data_dir(data_dir)
    console.print(f"data: {root if root else 'none found -> simulated clean EEG and simulated artifacts'}")
    with _spinner("loading data") as step:
        return build_corpus(root, progress=step)


@app.command()
def run(out: Path = typer.Option(Path("runs/default"), help="run directory for every output"),
        data_dir: Path | None = DataDirOpt,
        full: bool = typer.Option(False, help="full-size evaluation and a longer training run"),
        train_steps: int | None = typer.Option(None, help="training steps for the default model (quick: 300)")) -> None:
    """The main job, end to end: data, a short training run, evaluation of models and baselines, and an example
    recording cleaned with the shipped model, all under OUT."""
    from eegrecon.paths import resolve_data_dir
    from eegrecon.pipeline import CLEAN_INPUT_TITLE, run_main
    from eegrecon.report import to_rich

    t0 = time.perf_counter()
    root = resolve_data_dir(data_dir)
    console.print(f"data: {root if root else 'none found -> simulated data'}")
    with _spinner("main job") as step:
        result = run_main(out, root, quick=not full, progress=step, train_steps=train_steps)
    console.print(to_rich(result["data_summary"], "windows per split and source"))
    console.print(to_rich(result["evaluation"], "test split, mean over the SNR grid"))
    console.print(to_rich(result["clean_input"], CLEAN_INPUT_TITLE))
    t = result["trained"]
    console.print(f"trained {t['steps']} steps in {t['train_seconds']:.0f} s → {out}/model")
    if result["cleaned"] is not None:
        c = result["cleaned"]
        console.print(f"cleaned {c.input} → {c.output}" + (f" ({c.note})" if c.note else "")
                      + f"; QC report {c.figure}", highlight=False)
    else:
        console.print(f"no shipped model in this installation: see {out}/shipped_model_missing.txt")
    console.print(f"noise-robustness report (quick): {result['analysis']}")
    console.print(f"wrote {out}/ in {time.perf_counter() - t0:.0f} s")


@app.command()
def evaluate(data_dir: Path | None = DataDirOpt,
             model: list[str] = typer.Option([], "--model", "-m", help="trained checkpoint (PATH of a .safetensors "
                                             "with its .json) or shipped model name; repeatable"),
             noise: list[str] = typer.Option(list(EVALUATION_NOISES), help="noise types"),
             n_test: int = typer.Option(300, help="clean test windows per noise (each at every SNR)"),
             snr_definition: str = typer.Option("rms", help="'rms' (EEGdenoiseNet) or 'power'"),
             baselines: bool = typer.Option(True, help="also evaluate the classical baselines"),
             out: Path = typer.Option(Path("runs/evaluate"), help="where tables and figures go")) -> None:
    """Evaluate models and baselines on the test split; metrics per artifact type and SNR, figures."""
    from eegrecon.baselines import BASELINES
    from eegrecon.evaluation import EvalConfig
    from eegrecon.models.pretrained import load_method
    from eegrecon.pipeline import CLEAN_INPUT_TITLE, evaluate_methods
    from eegrecon.report import to_rich

    check_option("--snr-definition", snr_definition, SNR_DEFINITIONS)
    methods = dict(BASELINES) if baselines else {}
    for ref in model:
        method = load_method(ref)
        methods[method.name] = lambda m=method: m
    if not methods:
        raise EegreconError("nothing to evaluate: pass --model or leave --baselines on")
    corpus = _corpus(data_dir)
    cfg = EvalConfig(noises=noise, n_test_windows=n_test, snr_definition=snr_definition)
    with _spinner("evaluating") as step:
        summary, clean_input = evaluate_methods(corpus, methods, cfg, out, step)
    console.print(to_rich(summary, f"test split, mean over SNR {cfg.snrs[0]:g}..{cfg.snrs[-1]:g} dB "
                                   f"({snr_definition} SNR)"))
    console.print(to_rich(clean_input, CLEAN_INPUT_TITLE))
    console.print(f"per-window metrics (metrics.csv), summary and figures in {out}/")


@app.command(context_settings={"allow_extra_args": False})
def train(overrides: list[str] = typer.Argument(None, help="key=value settings on top of the config, e.g. "
                                                "max_steps=500 model_kwargs.width=24 data.split_seed=1"),
          config: Path | None = typer.Option(None, "--config", "-c", help="YAML training config (configs/*.yaml)"),
          out: Path = typer.Option(Path("runs/train"), help="run directory (config, log, checkpoints)"),
          resume: bool = typer.Option(False, help="continue from OUT/checkpoints/last after a kill")) -> None:
    """Train a model: YAML config validated by pydantic, overrides on top, resolved config saved in OUT.

    Runs unchanged under ``torchrun --nproc-per-node N -m eegrecon.cli train ...`` (gloo, rank-0 logging).
    """
    import os

    from rich.progress import BarColumn

    from eegrecon.training.config import load_config
    from eegrecon.training.loop import main_distributed

    cfg = load_config(config, overrides)
    rank = int(os.environ.get("RANK", "0"))
    if rank == 0:
        console.print(f"training {cfg.model} on {', '.join(cfg.noises)} for ≤ {cfg.max_steps} steps "
                      f"(batch {cfg.batch_size}, loss {cfg.loss}) → {out}")
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, disable=rank != 0 or not console.is_terminal) as prog:
        task = prog.add_task("train", total=cfg.max_steps)

        def on_log(rec: dict) -> None:
            msg = (f"step {rec['step']}: loss {rec['train_loss']:.4f}, val mse {rec['val_mse']:.4f}, "
                   f"val CC {rec['val_cc']:.3f}")
            prog.update(task, completed=rec["step"], description=msg)
            if not console.is_terminal:
                console.print(msg)

        result = main_distributed(cfg, out, resume=resume, on_log=on_log)
    if rank == 0:
        console.print(f"best step {result['best_step']} (val mse {result['best_val_mse']:.4f}) after "
                      f"{result['train_seconds']:.0f} s; checkpoint {result['checkpoint']}.safetensors")


@app.command()
def denoise(inputs: list[Path] = typer.Argument(..., help="recordings (any format mne.io.read_raw reads)"),
            out: Path = typer.Option(..., "--out", "-o", help="folder for the cleaned files (never the inputs')"),
            model: str = typer.Option("auto", "--model", "-m", help="'auto' (multichannel model when ≥ 8 EEG "
                                      "channels have known positions, single-channel otherwise), a shipped model "
                                      "name or a checkpoint path"),
            n_jobs: int = typer.Option(1, "--n-jobs", "-j", help="files cleaned in parallel (processes)"),
            report: bool = typer.Option(False, help="also write a QC report per file (<name>_report.html: what "
                                        "was removed, where, on which channels, with what topography, per band)"),
            overwrite: bool = typer.Option(False, help="replace existing outputs (inputs are never touched)"),
            line_freq: str = typer.Option("auto", "--line-freq", help="mains removal before the model: 'auto' "
                                          "(detect 50/60 Hz and notch it with harmonics only when present), a "
                                          "frequency in Hz to always notch, or 'off'"),
            ensemble: bool = typer.Option(False, help="test-time ensemble (sign flip × time reversal; 4× slower)"),
            above_band: str = typer.Option("keep", "--above-band", help="content above the model's band (115 Hz "
                                           "for 256-Hz models) in faster recordings: 'keep' it as recorded "
                                           "(default) or 'lowpass' the output there"),
            chunk_s: float = typer.Option(120.0, "--chunk-s", help="seconds cleaned at once: memory grows with it; "
                                          "the output depends on it only through the multichannel model's "
                                          "per-chunk fits (--artifact-sources, --refit-components, reference "
                                          "regression)"),
            precision: str = typer.Option("auto", "--precision", help="network arithmetic: 'auto' (bfloat16 where "
                                          "the CPU computes it natively), 'float32' or 'bfloat16'"),
            overlap: float = typer.Option(0.5, "--overlap", help="overlap of consecutive model windows, in [0, 1): "
                                          "0.5 cleans every sample twice; 0.25 is ~1.5× faster (docs/multichannel.md)"),
            refit_components: int = typer.Option(0, "--refit-components", help="multichannel model only: "
                                                 "regress the output on the K strongest courses of the artifact the "
                                                 "network removed, per chunk (ICA-like blink removal on real "
                                                 "recordings; 0: off; docs/multichannel.md)"),
            artifact_sources: int = typer.Option(2, "--artifact-sources", help="multichannel model only: clean the "
                                                 "K strongest artifact topographies of the network's removal in "
                                                 "source space (beamformed, cleaned in time) during artifact events "
                                                 "(0: off; docs/multichannel.md)"),
            reference_regression: bool = typer.Option(True, "--reference-regression/--no-reference-regression",
                                                      help="multichannel model with EOG/ECG channels: regress the "
                                                      "EEG on them where the network's own artifact estimate "
                                                      "agrees, then run the network again (docs/multichannel.md)"),
            recording_fit: bool = typer.Option(True, "--recording-fit/--per-chunk-fit",
                                               help="multichannel model: fit the artifact topographies of "
                                               "--artifact-sources over the whole recording in a pre-pass "
                                               "(default) or over each chunk (docs/multichannel.md)"),
            rise_limit: str = typer.Option("1", "--rise-limit", help="dB: a 10-s stretch of a channel whose power "
                                           "the cleaning raised by more than this in any band is returned as read "
                                           "(docs/cleaning.md); 'off': no such guard")
            ) -> None:
    """Clean recordings with a trained model, in bounded memory (any length): EDF and BDF are rewritten in place
    (header kept), FIF and BrainVision written by MNE, other formats as FIF (said per file). EEG channels only;
    bad channels and bad_* annotations are left untouched; EDF+D gaps and boundary annotations split the signal."""
    from rich.progress import BarColumn

    from eegrecon.clean.files import clean_files

    check_option("--above-band", above_band, ABOVE_BAND_POLICIES)
    line = line_freq_option(line_freq)
    check_option("--precision", precision, ("auto", "float32", "bfloat16"))
    try:
        rise_limit_db = None if rise_limit.strip().lower() == "off" else float(rise_limit)
    except ValueError:
        raise EegreconError(f"--rise-limit must be a number of dB or 'off', got {rise_limit!r}") from None
    from eegrecon.io.readers import is_recording_path

    missing = [str(p) for p in inputs if not is_recording_path(p)]
    if missing:
        raise EegreconError(f"input file(s) not found: {', '.join(missing)}")
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, disable=not console.is_terminal) as prog:
        task = prog.add_task("denoising", total=len(inputs))
        results = clean_files(inputs, out, model, n_jobs, overwrite, report,
                              on_done=lambda _: prog.advance(task), line_freq=line, ensemble=ensemble,
                              above_band=above_band, chunk_s=chunk_s, precision=precision, overlap=overlap,
                              refit_components=refit_components, reference_regression=reference_regression,
                              artifact_sources=artifact_sources, recording_fit=recording_fit,
                              rise_limit_db=rise_limit_db)
    failed = 0
    for res in results:
        if isinstance(res, Exception):
            failed += 1
            err_console.print(f"[red]error:[/red] {res}", highlight=False)
            continue
        r = res.report
        extra = [res.note] if res.note else []
        roles = r.get("channel_roles") or {}
        if roles.get("summary"):
            extra.append(f"channels read as {roles['summary']}")
        if r.get("baseline_removed"):
            extra.append(f"DC offset/drift kept out of the cleaning on {len(r['baseline_removed'])} channel(s)")
        chosen = r.get("model") or {}
        if chosen:
            kind = "multichannel" if chosen.get("multichannel") else "each channel alone"
            extra.append(f"model {chosen.get('name')} ({kind}): {chosen.get('reason')}")
        if r.get("artifact_sources"):
            fit = r.get("recording_fit") or {}
            where = (f"topographies fitted on {fit['chunks']} of {fit['of']} chunk(s)" if fit.get("topographies")
                     else "topographies fitted per chunk")
            extra.append(f"artifact sources cleaned in source space: {r['artifact_sources']} ({where})")
        if r.get("artifact_refit"):
            extra.append(f"artifact refit over each chunk: {r['artifact_refit']} course(s)")
        for kind, used in (r.get("reference_regression") or {}).items():
            extra.append(f"{kind.upper()} regression: used in {used['chunks_used']} of {used['chunks']} chunk(s)"
                         f" (mean weight {used['mean_weight']:.2f})")
        line = r.get("line_noise") or {}
        if line.get("notched_hz"):
            found = (f"detected {line['detected_hz']:g} Hz, +{line['prominence_db']:g} dB; "
                     if line.get("detected_hz") else "")
            extra.append(f"mains: {found}notched at {line['notched_hz']:g} Hz and harmonics")
        elif line.get("policy") == "auto":
            extra.append("no mains hum detected")
        if r.get("resampled"):
            extra.append(f"model ran at {r['model_sfreq']:g} Hz")
        band = r.get("above_model_band")
        if band:
            done = "kept as recorded" if band["policy"] == "keep" else "low-passed"
            extra.append(f"above {band['edge_hz']:.0f} Hz ({band['input_power_share']:.1%} of the input power): "
                         f"{done}")
        if r.get("padded"):
            extra.append("shorter than one window: padded")
        if r.get("segments", 1) > 1:
            extra.append(f"{r['segments']} contiguous segments (gaps/boundaries) cleaned separately")
        if r.get("excluded"):
            extra.append("not cleaned: " + "; ".join(f"{c} ({why})" for c, why in list(r["excluded"].items())[:4]))
        if r.get("digital_clipped_samples"):
            extra.append(f"{r['digital_clipped_samples']} samples clipped to what the file's sample width holds")
        if r.get("clipped_channels"):
            extra.append(f"look clipped: {', '.join(r['clipped_channels'][:5])}")
        if r.get("flat_channels"):
            extra.append(f"flat, left as is: {', '.join(r['flat_channels'])}")
        if r.get("broken_channels"):
            extra.append("look broken, kept out of every spatial step and left as recorded: " + ", ".join(
                f"{c} ({why})" for c, why in list(r["broken_channels"].items())[:6]))
        if r.get("out_of_range_kept"):
            extra.append(f"{r['out_of_range_kept']} cleaned sample(s) beyond the file's range returned as read")
        if r.get("returned_as_read"):
            shown = ", ".join(f"{c} ({v['db']:+.1f} dB {v['band']}, {len(v['stretches_s'])} stretch(es))"
                              for c, v in list(r["returned_as_read"].items())[:6])
            extra.append(f"returned as read where cleaning raised a band's power > {r['rise_limit_db']:g} dB "
                         f"on {len(r['returned_as_read'])} channel(s): {shown}")
        rise = r.get("power_change") or {}
        if rise.get("channel") is not None:
            extra.append(f"largest power rise {rise['db']:+.2f} dB ({rise['channel']}, {rise['band']})")
        elif rise:
            extra.append("largest power rise: none (no band of a channel gained ≥ 0.1 % of its power)")
        if r.get("not_eeg_by_name"):
            read_as = roles.get("read_as") or {}
            extra.append("not cleaned, not scalp EEG by name: " + ", ".join(
                f"{c} ({read_as[c].split(':')[0]})" if c in read_as else c for c in r["not_eeg_by_name"][:8]))
        if r.get("untouched"):
            extra.append(f"{len(r['untouched'])} non-EEG/bad channel(s) untouched")
        console.print(f"{res.input} → {res.output} ({len(r.get('channels', []))} EEG channels"
                      + (f"; {'; '.join(extra)}" if extra else "") + ")"
                      + (f"; QC report {res.figure}" if res.figure else ""), highlight=False)
        for note in res.notes:
            console.print(f"  note: {note}", highlight=False, markup=False)
    if failed == len(inputs):
        raise EegreconError(f"{'the file' if failed == 1 else f'all {failed} files'} failed (see above); "
                            "nothing was written")
    if failed:
        raise EegreconError(f"{failed} of {len(inputs)} files failed (see above); the other {len(inputs) - failed} "
                            "were written")


@app.command()
def export(model: str = typer.Argument(DEFAULT_MODEL, help="shipped model name or checkpoint path"),
           onnx: Path = typer.Option(..., "--onnx", help="ONNX file to write"),
           check: bool = typer.Option(True, help="compare ONNX Runtime with PyTorch on random input")) -> None:
    """Export a model to ONNX (dynamic batch and time axes)."""
    from eegrecon.export import export_onnx

    path = export_onnx(model, onnx)
    console.print(f"wrote {path} (input 'noisy', output 'clean': (batch, 1, time) float32, normalised windows)")
    if check:
        import numpy as np

        from eegrecon.clean.model_choice import resolve_method
        from eegrecon.export import max_difference

        net = resolve_method(model).model
        x = np.random.default_rng(0).standard_normal((4, net.n_times if net.fixed_length else 700))
        diff = max_difference(path, net, x)
        console.print(f"ONNX Runtime vs PyTorch: max |difference| {diff:.2e} on {x.shape[0]} windows of {x.shape[1]}")
        if diff > 1e-4:
            raise EegreconError(f"ONNX output differs from PyTorch by {diff:.2e} (> 1e-4); do not use {path}")


@app.command()
def analyze(out: Path = typer.Option(Path("runs/analysis"), help="folder for report.html, CSV/JSON and figures"),
            data_dir: Path | None = DataDirOpt,
            quick: bool = typer.Option(False, help="small grid and short training (≈ 1-3 min) instead of the full "
                                       "study (≤ 30 min)"),
            snr_definition: str = typer.Option("rms", help="'rms' (EEGdenoiseNet) or 'power' SNR"),
            train_steps: int | None = typer.Option(None, help="steps per trained variant (default 1500; quick 40)"),
            threads: int | None = typer.Option(None, help="torch threads for training")) -> None:
    """Noise-robustness study: sweep of noise type × SNR with bootstrap CIs, hardest cases, generalisation
    across noise types, damage on clean input, mitigations; writes a self-contained HTML report."""
    from eegrecon.analysis.study import AnalysisConfig, run_analysis
    from eegrecon.paths import resolve_data_dir
    from eegrecon.report import to_rich

    check_option("--snr-definition", snr_definition, SNR_DEFINITIONS)
    cfg = AnalysisConfig.quick() if quick else AnalysisConfig()
    cfg.sweep.snr_definition = snr_definition
    cfg.threads = threads
    if train_steps:
        cfg.train_steps = train_steps
    root = resolve_data_dir(data_dir)
    console.print(f"data: {root if root else 'none found -> simulated data'}")
    with _spinner("analysis") as step:
        res = run_analysis(out, root, cfg, step)
    console.print(to_rich(res["hardest"][["noise", "snr", "best_method", "cc", "reason"]], "hardest scenarios"))
    eff = res["mitigations"]
    console.print(to_rich(eff.pivot_table(index="method", columns="noise", values="cc_change", sort=False)
                          .reset_index(), "mitigations: CC change vs the plain model"))
    console.print(f"report: {res['report']} ({res['seconds']:.0f} s)")


@models_app.command("list")
def models_list() -> None:
    """Shipped pretrained models (with their training data and benchmark metrics) and every architecture."""
    from rich.table import Table

    from eegrecon.models import ALL_MODELS, PEERS
    from eegrecon.models.pretrained import list_pretrained

    table = Table("name", "model", "params", "rate", "trained on", "test CC (EOG/EMG/mixed)", title="shipped")
    for row in list_pretrained():
        bench = row.get("benchmark", {})
        cc = "/".join(f"{bench[k]['cc']:.3f}" for k in ("eog", "emg", "mixed") if k in bench) or "-"
        table.add_row(row["name"], str(row.get("model", row.get("status"))), str(row.get("parameters", "-")),
                      f"{row['sfreq']:g} Hz" if row.get("sfreq") else "-", ", ".join(row.get("sources", [])), cc)
    console.print(table)
    arch = Table("architecture", "kind", "what it is", title="architectures (eegrecon train model=NAME)")
    for name, cls in ALL_MODELS.items():
        arch.add_row(name, "published peer" if name in PEERS else "eegrecon", cls.description)
    console.print(arch)


@data_app.command("summary")
def data_summary(data_dir: Path | None = DataDirOpt) -> None:
    """Windows per split and per source, sampling rate, window length and SNR grid."""
    from eegrecon.evaluation import EvalConfig
    from eegrecon.report import to_rich

    corpus = _corpus(data_dir)
    w = corpus.manifest["window"]
    console.print(to_rich(corpus.summary_table(), "windows per split and source"))
    console.print(f"rate {w['sfreq']:g} Hz, windows {w['window_s']:g} s ({corpus.clean['train'].n_times} samples); "
                  f"clean EEG: {corpus.manifest['clean_origin']}; real artifact families: "
                  f"{', '.join(corpus.manifest['artifact_families_real']) or 'none (simulated)'}")
    cfg = EvalConfig()
    console.print(f"SNR ({cfg.snr_definition}): train uniform {cfg.train_snr_range[0]:g}..{cfg.train_snr_range[1]:g} "
                  f"dB, test levels {', '.join(f'{s:g}' for s in cfg.snrs)} dB")


@data_app.command("plot")
def data_plot(out: Path = typer.Option(Path("runs/data_examples.png"), help="PNG to write"),
              data_dir: Path | None = DataDirOpt,
              snr: float = typer.Option(-3.0, help="SNR of the examples, dB"),
              noise: list[str] = typer.Option(list(TRAINING_NOISES), help="noise types")) -> None:
    """Example clean / artifact / noisy windows, in time and as power spectra."""
    from eegrecon.pipeline import plot_data_examples

    corpus = _corpus(data_dir)
    console.print(f"wrote {plot_data_examples(corpus, out, noise, snr)}")


@noise_app.command("list")
def noise_list(data_dir: Path | None = DataDirOpt) -> None:
    """Every contamination by name, with where it comes from."""
    from rich.table import Table

    from eegrecon.noise import get_noise, noise_names

    corpus = _corpus(data_dir)
    table = Table("name", "family", "origin", "what it is")
    for name in noise_names():
        n = get_noise(name, corpus.pools("train"))
        table.add_row(name, n.family, n.origin, n.describe())
    console.print(table)


@noise_app.command("gallery")
def noise_gallery(out: Path = typer.Option(Path("runs/noise_gallery"), help="folder for the PNGs"),
                  data_dir: Path | None = DataDirOpt,
                  snr: float = typer.Option(0.0, help="SNR of the mixtures, dB (rms definition)")) -> None:
    """A figure per contamination: clean window, artifact, mixture and their power spectra."""
    from eegrecon.noise.gallery import gallery

    corpus = _corpus(data_dir)
    with _spinner("drawing") as step:
        step("gallery")
        paths = gallery(corpus, out, snr=snr)
    console.print(f"wrote {len(paths)} figures to {out}/")


@noise_app.command("compare")
def noise_compare(out: Path = typer.Option(Path("runs/noise_compare"), help="folder for the figure and JSON"),
                  data_dir: Path | None = DataDirOpt) -> None:
    """Spectra of simulated vs real EOG, EMG and motion, with their log-spectral distance (dB)."""
    from eegrecon.noise.gallery import compare_real_simulated
    from eegrecon.pipeline import write_json

    corpus = _corpus(data_dir)
    if not corpus.artifacts:
        raise EegreconError("no real artifacts found: pass --data-dir with the real recordings to compare")
    res = compare_real_simulated(corpus, out / "real_vs_simulated.png")
    write_json(out / "real_vs_simulated.json", res)
    for fam, r in res.items():
        console.print(f"{fam}: simulated vs real {r['sim_vs_real_db']:.2f} dB; "
                      + "; ".join(f"{k} {v:.2f}" for k, v in r.items() if k.endswith("_db") and k != "sim_vs_real_db"
                                  and v is not None))
    console.print(f"wrote {out}/real_vs_simulated.png and .json")


def main() -> None:
    """Entry point: user errors print one line and exit 2, never a traceback."""
    try:
        app(standalone_mode=False)
    except EegreconError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        sys.exit(130)
    except Exception as exc:
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
