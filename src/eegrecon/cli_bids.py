"""``eegrecon bids``: clean a BIDS dataset into a derivative dataset (:func:`eegrecon.clean.bids.run.clean_bids`)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from eegrecon.errors import EegreconError
from eegrecon.options import line_freq_option

console = Console(width=None if sys.stdout.isatty() else 160)


def _labels(values: list[str] | None) -> list[str] | None:
    """Repeated and comma-separated labels, ``sub-``-style prefixes dropped (``--subject 01,02 --subject 03``)."""
    if not values:
        return None
    out = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return [v.split("-", 1)[1] if v.startswith(("sub-", "ses-", "task-", "run-")) else v for v in out] or None


def bids(root: Path = typer.Argument(..., help="the BIDS dataset's root (with dataset_description.json)"),
         out: Path = typer.Option(None, "--out", "-o", help="the derivative dataset (default: "
                                  "ROOT/derivatives/eegrecon)"),
         subject: list[str] = typer.Option(None, "--subject", help="only these subjects (repeat or comma-separate)"),
         session: list[str] = typer.Option(None, "--session", help="only these sessions"),
         task: list[str] = typer.Option(None, "--task", help="only these tasks"),
         run: list[str] = typer.Option(None, "--run", help="only these runs"),
         n_jobs: int = typer.Option(1, "--n-jobs", "-j", help="recordings cleaned in parallel (processes)"),
         scheduler: str = typer.Option(None, "--scheduler", help="a Dask scheduler's address (tcp://host:8786): "
                                       "one task per recording on that cluster instead of --n-jobs"),
         report: bool = typer.Option(True, "--report/--no-report", help="a QC report per recording"),
         model: str = typer.Option("auto", "--model", "-m", help="'auto', a shipped model name or a checkpoint"),
         line_freq: str = typer.Option("auto", "--line-freq", help="mains: 'auto' (detect; eeg.json's "
                                       "PowerLineFrequency is recorded beside what was found), a frequency in Hz, "
                                       "or 'off'"),
         chunk_s: float = typer.Option(120.0, "--chunk-s", help="seconds cleaned at once (memory)"),
         ) -> None:
    """Clean every EEG recording of a BIDS dataset into a BIDS derivative dataset: resumable (recordings already
    cleaned with the same input and parameters are skipped), one failure does not stop the others; exit code 0
    only when every recording is cleaned. Channel types, bad channels, positions and mains come from the sidecars."""
    from eegrecon.clean.bids.run import clean_bids

    line = line_freq_option(line_freq)
    client = None
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise EegreconError("--scheduler needs Dask: pip install 'eegrecon[dask]'") from None
        client = Client(scheduler)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, disable=not console.is_terminal) as prog:
        bar = prog.add_task("cleaning", total=None)
        result = clean_bids(root, out, _labels(subject), _labels(session), _labels(task), _labels(run), n_jobs,
                            client, report, on_start=lambda n: prog.update(bar, total=n),
                            on_done=lambda _: prog.advance(bar), model=model, line_freq=line, chunk_s=chunk_s)
    if client is not None:
        client.close()
    for row in result.rows:
        if row["status"] != "ok":
            console.print(f"[red]failed[/red] {row['recording']}: {row['error']}", highlight=False)
    counts = result.counts
    console.print(f"{len(result.rows)} recording(s): {counts['cleaned']} cleaned, {counts['skipped']} already done "
                  f"(skipped), {counts['failed']} failed → {result.out} (index.tsv lists each)", highlight=False)
    if not result.rows:
        raise EegreconError(f"{root}: no EEG recording matches the filters")
    if counts["failed"]:
        raise EegreconError(f"{counts['failed']} of {len(result.rows)} recordings failed (listed above and in "
                            f"{result.out / 'index.tsv'}); run the same command again to retry them")
