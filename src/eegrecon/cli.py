"""Command-line interface (thin: parsing and printing; every command is a library function first)."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from eegrecon.errors import EegreconError

app = typer.Typer(help="eegrecon: reconstruct clean EEG from contaminated EEG.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
data_app = typer.Typer(help="Inspect the study data.", no_args_is_help=True)
noise_app = typer.Typer(help="The noise and artifact library.", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(noise_app, name="noise")
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, soft_wrap=True)

DataDirOpt = typer.Option(None, "--data-dir", help="real data folder (default: $EEGRECON_DATA, then "
                          "../shared/data; simulated data when none is found)")


@contextmanager
def spinner(title: str):
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
    with spinner("loading data") as step:
        return build_corpus(root, progress=step)


@app.command()
def run(out: Path = typer.Option(Path("runs/default"), help="run directory for every output"),
        data_dir: Path | None = DataDirOpt,
        full: bool = typer.Option(False, help="full-size evaluation instead of the quick default")) -> None:
    """The main job, end to end: data, baselines, tables and figures under OUT."""
    from eegrecon.paths import resolve_data_dir
    from eegrecon.pipeline import run_main
    from eegrecon.report import to_rich

    t0 = time.perf_counter()
    root = resolve_data_dir(data_dir)
    console.print(f"data: {root if root else 'none found -> simulated data'}")
    with spinner("main job") as step:
        result = run_main(out, root, quick=not full, progress=step)
    console.print(to_rich(result["data_summary"], "windows per split and source"))
    console.print(to_rich(result["baselines"], "baselines (mean over the SNR grid)"))
    console.print(f"wrote {out}/ in {time.perf_counter() - t0:.0f} s")


@app.command()
def evaluate(data_dir: Path | None = DataDirOpt,
             noise: list[str] = typer.Option(["eog", "emg", "motion", "mixed"], help="noise types"),
             n_test: int = typer.Option(300, help="clean test windows per noise (each at every SNR)"),
             snr_definition: str = typer.Option("rms", help="'rms' (EEGdenoiseNet) or 'power'"),
             out: Path = typer.Option(Path("runs/evaluate"), help="where tables and figures go")) -> None:
    """Fit and evaluate every method on the test split; print metrics per artifact type (mean over SNRs)."""
    from eegrecon.evaluation import EvalConfig
    from eegrecon.pipeline import evaluate_baselines
    from eegrecon.report import to_rich

    if snr_definition not in ("rms", "power"):
        raise EegreconError(f"--snr-definition must be 'rms' or 'power', got {snr_definition!r}")
    corpus = _corpus(data_dir)
    cfg = EvalConfig(noises=noise, n_test_windows=n_test, snr_definition=snr_definition)
    with spinner("evaluating") as step:
        summary = evaluate_baselines(corpus, cfg, out, step)
    console.print(to_rich(summary, f"test split, mean over SNR {cfg.snrs[0]:g}..{cfg.snrs[-1]:g} dB "
                                   f"({snr_definition} SNR)"))
    console.print(f"per-window metrics and figures in {out}/")


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
              noise: list[str] = typer.Option(["eog", "emg", "motion", "mixed"], help="noise types")) -> None:
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
    with spinner("drawing") as step:
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
