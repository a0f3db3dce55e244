"""Clean recording files: read with MNE, denoise, write the same format.

Never touches an input: outputs go to another folder, are written to a temporary name and renamed into place
(atomic), and an existing output is only replaced with ``overwrite=True``.

Memory does not grow with the recording's length for EDF, BDF, BrainVision and FIF (and any input written as
FIF): the input is read on demand, cleaned ``chunk_s`` at a time, and written as it goes. EDF and BDF outputs are the
input file with the cleaned signals' data records rewritten (header, annotations, other channels and BDF's
24-bit resolution kept byte for byte); BrainVision outputs are the input's three files with the cleaned
channels overwritten in the binary data file (markers, format and orientation kept); FIF outputs are written by
MNE from a Raw cleaned on read (:class:`~eegrecon.clean.cleaned_raw.CleanedRaw`). A BrainVision file this cannot rewrite
(ASCII data) is written by MNE's exporter, which needs the whole cleaned recording in memory.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from eegrecon.atomic import atomic_files, atomic_path
from eegrecon.clean.cleaned_raw import CleanedRaw
from eegrecon.clean.denoiser import Denoiser
from eegrecon.errors import DataError, EegreconError
from eegrecon.io.brainvision_layout import (
    BrainVisionLayout,
    BrainVisionRewriter,
    copy_brainvision,
    read_brainvision_layout,
)
from eegrecon.io.edf_layout import EdfLayout, EdfRewriter, read_edf_layout, record_gaps
from eegrecon.io.readers import read_raw

#: input suffix → (export format, output suffix); anything else is written as FIF
EXPORTS = {".edf": ("edf", ".edf"), ".bdf": ("bdf", ".bdf"), ".vhdr": ("brainvision", ".vhdr"),
           ".fif": ("fif", ".fif"), ".fif.gz": ("fif", ".fif")}


@dataclass
class CleanResult:
    """What happened to one file.

    Parameters
    ----------
    input : Path
        The recording read.
    output : Path
        The cleaned file written.
    format : str
        Export format.
    note : str
        What the user should know (e.g. a format change).
    report : dict
        The Denoiser's report.
    figure : Path or None
        The QC report (HTML, :mod:`eegrecon.clean.qc`), if asked for.
    notes : list of str
        The warnings reading and cleaning raised (MNE's readers, the survey), one line each.
    """

    input: Path
    output: Path
    format: str
    note: str = ""
    report: dict = field(default_factory=dict)
    figure: Path | None = None
    notes: list[str] = field(default_factory=list)


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".fif.gz" if name.endswith(".fif.gz") else path.suffix.lower()


def output_path(path: Path, out_dir: Path) -> tuple[Path, str, str]:
    """Where and how the cleaned copy of ``path`` is written.

    Parameters
    ----------
    path : Path
        The input recording.
    out_dir : Path
        The output folder.

    Returns
    -------
    (Path, str, str)
        Output file, format (``"fif"``, ``"edf"``, ``"bdf"`` or ``"brainvision"``) and a note for the user
        (empty when the input's own format is kept).
    """
    suffix = _suffix(path)
    stem = path.name[: -len(suffix)] if suffix else path.name
    fmt, out_suffix = EXPORTS.get(suffix, ("fif", "_raw.fif"))
    note = "" if suffix in EXPORTS else f"{suffix or 'this format'} cannot be exported by MNE: written as FIF"
    if fmt == "fif":  # MNE's naming convention for Raw FIF files: <name>_raw.fif
        out_suffix = "_raw.fif"
        for tail in ("_raw", "-raw"):
            stem = stem[: -len(tail)] if stem.endswith(tail) else stem
    return out_dir / f"{stem}_clean{out_suffix}", fmt, note


def _edf_plan(raw, path: Path) -> tuple[EdfLayout, dict[str, int], dict[str, str], list[int]] | None:
    """How to rewrite an EDF/BDF in place: (layout, channel → signal, channels not cleaned with the reason,
    sample indices of gaps); None when MNE's channels cannot be matched to the file's signals."""
    layout = read_edf_layout(path)
    signals = [i for i in range(len(layout.labels)) if i not in layout.annotation_signals]
    if len(signals) != len(raw.ch_names):
        return None
    spr_max = int(layout.spr.max())
    channel_signal, exclude = {}, {}
    for name, sig in zip(raw.ch_names, signals):
        if not name.startswith(layout.labels[sig][: max(1, len(name) - 3)]):
            return None
        channel_signal[name] = sig
        if layout.spr[sig] != spr_max:
            exclude[name] = f"sampled at {layout.spr[sig] / layout.record_s:g} Hz, not the recording's rate"
        elif layout.volts_per_unit(sig) is None:
            exclude[name] = f"physical unit {layout.units[sig]!r} is not a voltage"
        elif not np.isfinite([layout.phys_min[sig], layout.phys_max[sig], layout.dig_min[sig],
                              layout.dig_max[sig]]).all() or layout.phys_max[sig] == layout.phys_min[sig]:
            exclude[name] = "its header's physical/digital range is unreadable"
    return layout, channel_signal, exclude, [g * spr_max for g in record_gaps(layout)]


def _write_edf(den: Denoiser, raw, plan, dest: Path) -> dict:
    layout, channel_signal, exclude, gaps = plan
    with atomic_path(dest) as tmp:
        writer = None
        try:
            limits = {name: lay for name, sig in channel_signal.items() if (lay := layout.range_volts(sig))}
            for start, _stop, block in den.iter_raw(raw, boundaries=gaps, exclude=exclude, limits=limits):
                if writer is None:
                    rows = [raw.ch_names.index(c) for c in den.report_["channels"]]
                    writer = EdfRewriter(layout, tmp, {r: channel_signal[raw.ch_names[r]] for r in rows})
                if writer.signals:
                    writer.write(start, block)
        finally:
            if writer is not None:
                writer.close()
    return {"digital_clipped_samples": writer.clipped if writer else 0}


def _brainvision_plan(raw, path: Path) -> BrainVisionLayout | None:
    """The input's layout when its channels and length match MNE's reading (else MNE's exporter is used)."""
    layout = read_brainvision_layout(path)
    if layout is None or layout.names != list(raw.ch_names) or layout.n_times != raw.n_times:
        return None
    return layout


def _write_brainvision(den: Denoiser, raw, layout: BrainVisionLayout, dest: Path) -> dict:
    with atomic_files(dest.parent, dest.name) as tmp:
        writer = None
        try:
            limits = {name: layout.range_volts(i) for i, name in enumerate(layout.names)}
            for start, _stop, block in den.iter_raw(raw, limits=limits):
                if writer is None:
                    rows = [raw.ch_names.index(c) for c in den.report_["channels"]]
                    writer = BrainVisionRewriter(layout, copy_brainvision(layout, tmp, dest.stem), rows)
                if writer.channels:
                    writer.write(start, block[writer.channels])
        finally:
            if writer is not None:
                writer.close()
    return {"digital_clipped_samples": writer.clipped if writer else 0}


def _write(raw, dest: Path, fmt: str) -> None:
    """Write ``raw`` to ``dest`` atomically (BrainVision's three files appear together, header last)."""
    with atomic_files(dest.parent, dest.name) as tmp:
        if fmt == "fif":
            raw.save(tmp / dest.name, overwrite=True, verbose="error")
        else:
            import mne

            mne.export.export_raw(tmp / dest.name, raw.load_data(verbose="error"), fmt=fmt, overwrite=True,
                                  verbose="error")


def clean_file(path: str | Path, out_dir: str | Path, model="auto", overwrite: bool = False,
               report: bool = False, **options: Any) -> CleanResult:
    """Denoise one recording file into ``out_dir``.

    Parameters
    ----------
    path : str or Path
        An EDF, BDF, FIF, BrainVision or other MNE-readable recording.
    out_dir : str or Path
        Output folder (never the input's own file).
    model : str, Path, Method or torch.nn.Module
        See :class:`~eegrecon.Denoiser`.
    overwrite : bool
        Replace an existing output.
    report : bool
        Also write the QC report, ``<output name>_report.html`` (:mod:`eegrecon.clean.qc`).
    **options
        Further :class:`~eegrecon.Denoiser` arguments (``line_freq``, ``chunk_s``, ``artifact_sources``, …). The
        output does not depend on ``chunk_s`` (memory does), except through the multichannel model's per-chunk
        fits.

    Returns
    -------
    CleanResult
        What was written, with the Denoiser's report.
    """
    path, out_dir = Path(path), Path(out_dir)
    dest, fmt, note = output_path(path, out_dir)
    if dest.resolve() == path.resolve():
        raise EegreconError(f"{path}: the output would overwrite the input; choose another --out folder")
    if dest.exists() and not overwrite:
        raise EegreconError(f"{dest} exists; pass --overwrite to replace it or choose another --out folder")
    raw = read_raw(path, preload=False)
    if raw.n_times < 2:
        raise DataError(f"{path}: the recording has {raw.n_times} sample(s); nothing to denoise")
    den = Denoiser(model, **options).fit()
    dest, fmt, note2, extra = write_cleaned(den, raw, path, dest, fmt)
    result = CleanResult(path, dest, fmt, note2 or note, {**den.report_, **extra})
    if report:
        cleaned = read_raw(dest, preload=False)
        result.figure = out_dir / f"{dest.name.split('.')[0]}_report.html"
        den.qc_report(raw, cleaned, title=f"{path.name}: eegrecon cleaning").save(
            result.figure, overwrite=True, open_browser=False, verbose="error")
    return result


def write_cleaned(den: Denoiser, raw, path: Path, dest: Path, fmt: str) -> tuple[Path, str, str, dict]:
    """Clean ``raw`` (read from ``path``) with a fitted Denoiser into ``dest``, atomically, in bounded memory.

    Parameters
    ----------
    den : Denoiser
        Fitted.
    raw : mne.io.BaseRaw
        The recording as read from ``path`` (channel types, bads and montage may have been set, e.g. from BIDS
        sidecars; names and length must be the file's).
    path : Path
        The input file (EDF/BDF and BrainVision are rewritten from it, header kept).
    dest : Path
        The output file.
    fmt : str
        ``"edf"``, ``"bdf"``, ``"brainvision"`` or ``"fif"`` (:func:`output_path`).

    Returns
    -------
    (Path, str, str, dict)
        The file written (a FIF beside ``dest`` when an EDF's signals do not match MNE's channels), its format, a
        note for the user (empty when none) and what the writer reports (clipped samples).
    """
    plan = _edf_plan(raw, path) if fmt in ("edf", "bdf") and _suffix(path) in (".edf", ".bdf") else None
    layout = _brainvision_plan(raw, path) if fmt == "brainvision" and _suffix(path) == ".vhdr" else None
    note = ""
    if plan is not None:
        extra = _write_edf(den, raw, plan, dest)
    elif layout is not None:
        extra = _write_brainvision(den, raw, layout, dest)
    else:
        if fmt in ("edf", "bdf") and _suffix(path) in (".edf", ".bdf"):
            fmt, note = "fif", "the file's signals could not be matched to MNE's channels: written as FIF"
            dest = dest.with_name(dest.name.rsplit(".", 1)[0] + "_raw.fif")
        _write(CleanedRaw(raw, lambda: den.iter_raw(raw)), dest, fmt)
        extra = {}
    return dest, fmt, note, extra


def one_line_notes(caught: list[warnings.WarningMessage], width: int = 300) -> list[str]:
    """Warnings as short one-line notes, each once, in order.

    Parameters
    ----------
    caught : list of warnings.WarningMessage
        From ``warnings.catch_warnings(record=True)``.
    width : int
        Longest note, characters.

    Returns
    -------
    list of str
    """
    notes = (" ".join(str(w.message).split()) for w in caught)
    return list(dict.fromkeys(n if len(n) <= width else n[:width - 1] + "…" for n in notes if n))


def clean_files(paths: list[Path], out_dir: Path, model="auto", n_jobs: int = 1, overwrite: bool = False,
                report: bool = False, on_done=None, **options: Any) -> list[CleanResult | Exception]:
    """Clean many files, ``n_jobs`` at a time (joblib processes); errors are returned per file, not raised.

    With ``n_jobs`` > 1 each process gets ``cores // n_jobs`` PyTorch threads (at least 1), so that processes
    and threads together never ask for more cores than the machine has.

    Parameters
    ----------
    paths : list of Path
        Recordings.
    out_dir : Path
        Output folder.
    model, overwrite, report, **options
        As for :func:`clean_file`.
    n_jobs : int
        Files cleaned at once.
    on_done : callable or None
        Called with each result (or error) as it completes.

    Returns
    -------
    list of CleanResult or Exception
        One entry per input, in order.
    """
    from joblib import Parallel, delayed

    n_jobs = max(1, min(int(n_jobs), len(paths) or 1))
    threads = max(1, (os.cpu_count() or 1) // n_jobs)

    def one(p, threads=None):
        if threads is not None:  # in a worker process: its share of the cores
            import torch

            torch.set_num_threads(threads)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = clean_file(p, out_dir, model, overwrite, report, **options)
            result.notes = one_line_notes(caught)
            return result
        except EegreconError as exc:
            return exc

    results = []
    if n_jobs == 1:
        gen = (one(p) for p in paths)
    else:
        gen = Parallel(n_jobs=n_jobs, return_as="generator")(delayed(one)(p, threads) for p in paths)
    for res in gen:
        results.append(res)
        if on_done:
            on_done(res)
    return results
