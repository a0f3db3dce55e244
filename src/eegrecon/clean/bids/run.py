"""Clean a BIDS dataset into a derivative dataset: resumable, idempotent, on one machine or a Dask cluster.

    from eegrecon.clean.bids.run import clean_bids
    result = clean_bids("ds004504", subjects=["01", "02"], n_jobs=2)        # or client=distributed.Client(...)
    result.ok                                                               # every recording cleaned?

One task per recording (:func:`clean_recording`). A recording whose derivative sidecar holds the same input hash
(data file + the sidecars it is read with) and the same parameter hash (options, eegrecon's version, the model
weights' hashes) is skipped. Each output file is written to a temporary name and renamed into place, the JSON
sidecar last, so a run killed at any moment leaves complete files or none, and the next run redoes exactly the
recordings whose sidecar is missing. A recording that fails is listed with its error and the others go on.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eegrecon._version import __version__
from eegrecon.clean.bids.dataset import find_recordings, fingerprint, input_files, read_recording
from eegrecon.clean.bids.derivative import (
    OUTPUT_FORMATS,
    copy_atomic,
    derived,
    json_value,
    save_report,
    write_dataset_description,
    write_index,
    write_json,
)
from eegrecon.clean.power_change import EEG_BANDS
from eegrecon.errors import DataError

#: the derivative's folder under the source root when no ``out`` is given
DEFAULT_OUT = Path("derivatives") / "eegrecon"
#: the report's fields the sidecar and the index carry
SUMMARY_KEYS = ("model", "references", "line_noise", "broken_channels", "power_change", "recording_fit",
                "artifact_sources", "segments", "excluded", "untouched", "digital_clipped_samples")


@dataclass(frozen=True)
class Task:
    """One recording to clean (plain values: it travels to worker processes and Dask workers).

    Parameters
    ----------
    root : str
        The source dataset.
    entities : dict
        The recording's BIDS entities (subject, session, task, acquisition, run, …) and extension.
    out : str
        The derivative dataset.
    options : dict
        :class:`~eegrecon.Denoiser` arguments.
    params_sha256 : str
        Hash of the options, eegrecon's version and the models.
    report : bool
        Write the QC report.
    """

    root: str
    entities: dict[str, Any]
    out: str
    options: dict[str, Any]
    params_sha256: str
    report: bool

    @property
    def name(self) -> str:
        """The source file, relative to the dataset root."""
        return str(Path(self.bids_path().fpath).relative_to(self.root))

    def bids_path(self):
        """The recording's ``mne_bids.BIDSPath`` in the source dataset."""
        from mne_bids import BIDSPath

        return BIDSPath(root=self.root, datatype="eeg", suffix="eeg", check=False, **self.entities)


@dataclass
class BidsResult:
    """What a run did.

    Parameters
    ----------
    out : Path
        The derivative dataset.
    rows : list of dict
        One per recording: its index row (:func:`clean_recording`).
    """

    out: Path
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every recording cleaned (now or before)."""
        return all(r["status"] == "ok" for r in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        """Recordings cleaned now, skipped (already done), failed."""
        return {"cleaned": sum(r["status"] == "ok" and not r.get("skipped") for r in self.rows),
                "skipped": sum(bool(r.get("skipped")) for r in self.rows),
                "failed": sum(r["status"] != "ok" for r in self.rows)}


def model_hashes(model: Any) -> dict[str, str]:
    """Model name → SHA-256 of its weights: both shipped bundles for ``"auto"``, else the one asked for.

    Parameters
    ----------
    model : str or Path
        The Denoiser's ``model``.

    Returns
    -------
    dict of str to str
    """
    from eegrecon.models.pretrained import DEFAULT_MODEL, MULTICHANNEL_MODEL, get_bundle

    if model == "auto":
        names = [DEFAULT_MODEL, MULTICHANNEL_MODEL]
    elif isinstance(model, str) and not Path(model).suffix and not Path(model).exists():
        names = [model]
    else:
        path = Path(model).with_suffix(".safetensors")
        return {path.stem: fingerprint([path])}
    return {name: str(get_bundle(name).meta.get("weights_sha256", "")) for name in names}


def params_sha256(options: dict[str, Any], models: dict[str, str]) -> str:
    """Hash of what, besides the input, decides the output.

    Parameters
    ----------
    options : dict
        Denoiser arguments.
    models : dict of str to str
        Model name → weights' SHA-256.

    Returns
    -------
    str
    """
    content = json.dumps({"options": options, "version": __version__, "models": models}, sort_keys=True,
                         default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def clean_bids(root: str | Path, out: str | Path | None = None, subjects: list[str] | None = None,
               sessions: list[str] | None = None, tasks: list[str] | None = None, runs: list[str] | None = None,
               n_jobs: int = 1, client: Any = None, report: bool = True,
               on_done: Callable[[dict[str, Any]], None] | None = None, on_start: Callable[[int], None] | None = None,
               **options: Any) -> BidsResult:
    """Clean every (selected) EEG recording of a BIDS dataset into a derivative dataset.

    Parameters
    ----------
    root : str or Path
        The BIDS dataset.
    out : str, Path or None
        The derivative dataset (default ``root/derivatives/eegrecon``).
    subjects, sessions, tasks, runs : list of str or None
        Filters (None: all).
    n_jobs : int
        Recordings cleaned at once on this machine (processes); ignored with ``client``.
    client : distributed.Client or None
        Run one Dask task per recording on this cluster instead.
    report : bool
        Write a QC report per recording.
    on_done : callable or None
        Called with each recording's index row as it completes.
    on_start : callable or None
        Called with the number of recordings once they are found.
    **options
        :class:`~eegrecon.Denoiser` arguments (``model``, ``line_freq``, ``chunk_s``, …).

    Returns
    -------
    BidsResult
    """
    root = Path(root).resolve()
    dest = (root / DEFAULT_OUT if out is None else Path(out)).resolve()
    if dest == root:
        raise DataError(f"{dest}: the derivative dataset cannot be the source dataset itself; choose another --out")
    found = find_recordings(root, subjects, sessions, tasks, runs)
    if on_start:
        on_start(len(found))
    models = model_hashes(options.get("model", "auto"))
    params = params_sha256(options, models)
    remove_leftovers(dest)
    write_dataset_description(dest, root, __version__, models)
    todo = [Task(str(root), _entities(p), str(dest), dict(options), params, report) for p in found]
    result = BidsResult(dest)
    for row in _run(todo, n_jobs, client):
        result.rows.append(row)
        if on_done:
            on_done(row)
    write_index(dest, result.rows, list(EEG_BANDS))
    return result


def remove_leftovers(out: Path) -> list[Path]:
    """Delete the temporary files and folders a killed run left in the derivative (hidden, named by
    :mod:`eegrecon.atomic`: ``.<name>.<random>.tmp`` and ``.<name>.<random>/``). One run per derivative at a time.

    Parameters
    ----------
    out : Path
        The derivative dataset.

    Returns
    -------
    list of Path
        What was removed.
    """
    removed = []
    if not out.is_dir():
        return removed
    for path in sorted(out.rglob(".*"), reverse=True):
        if path.name in (".bidsignore",) or not path.exists():
            continue
        if path.is_file() and (path.name.endswith(".tmp") or path.name.endswith(".tmp.html")):
            path.unlink()
        elif path.is_dir() and path.parent != out.parent and path.name.count(".") >= 2:
            shutil.rmtree(path)
        else:
            continue
        removed.append(path)
    return removed


def _entities(bids_path) -> dict[str, Any]:
    keys = ("subject", "session", "task", "acquisition", "run", "processing", "recording", "split")
    found = {k: getattr(bids_path, k) for k in keys if getattr(bids_path, k) is not None}
    return {**found, "extension": bids_path.extension}


def _run(todo: list[Task], n_jobs: int, client: Any):
    """Index rows as the tasks complete: sequentially, in ``n_jobs`` processes, or on a Dask cluster."""
    if client is not None:
        from distributed import as_completed

        futures = client.map(clean_recording, todo, pure=False)
        for future in as_completed(futures):
            yield future.result()
        return
    n_jobs = max(1, min(int(n_jobs), len(todo) or 1))
    if n_jobs == 1:
        yield from (clean_recording(t) for t in todo)
        return
    from joblib import Parallel, delayed

    threads = max(1, (os.cpu_count() or 1) // n_jobs)
    yield from Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(clean_recording)(t, threads) for t in todo)


def clean_recording(task: Task, threads: int | None = None) -> dict[str, Any]:
    """Clean one recording into the derivative dataset, or find it done; never raises.

    Parameters
    ----------
    task : Task
        The recording and how to clean it.
    threads : int or None
        PyTorch threads in this process (None: as they are).

    Returns
    -------
    dict
        Its index row: ``recording``, ``status`` (``"ok"`` or ``"failed"``), ``skipped``, ``model``, …, ``bands``
        (dB change per band over all cleaned channels), ``error``.
    """
    if threads is not None:
        import torch

        torch.set_num_threads(threads)
    name = task.name
    try:
        return _clean(task, name)
    except Exception as exc:  # noqa: BLE001 — one recording's failure is reported, the others go on
        return {"recording": name, "status": "failed", "error": f"{type(exc).__name__}: {exc}"}


def _clean(task: Task, name: str) -> dict[str, Any]:
    from eegrecon.clean.denoiser import Denoiser
    from eegrecon.clean.files import write_cleaned

    bids_path, out = task.bids_path(), Path(task.out)
    source = Path(bids_path.fpath)
    inputs = input_files(bids_path)
    input_sha = fingerprint(inputs)
    sidecar = derived(bids_path, out, "eeg", ".json")
    fmt, extension = OUTPUT_FORMATS[source.suffix.lower()]
    data = derived(bids_path, out, "eeg", extension)
    done = _read_done(sidecar, input_sha, task.params_sha256)
    if done is not None and data.is_file():
        return {**_row(name, done["summary"]), "skipped": True}
    raw = read_recording(bids_path)
    den = Denoiser(**task.options).fit()
    written, fmt, note, extra = write_cleaned(den, raw, source, data, fmt)
    if written != data:
        raise DataError(f"{source}: its signals could not be matched to MNE's channels, so it cannot be rewritten "
                        f"as {extension}; convert it to EDF or BrainVision and run again")
    _copy_sidecars(bids_path, Path(task.root), out)
    if task.report:
        from eegrecon.io.readers import read_raw

        save_report(den.qc_report(raw, read_raw(data, preload=False), title=f"{name}: eegrecon cleaning"),
                    derived(bids_path, out, "report", ".html"))
    summary = _summary(den, raw, {**extra, **({"note": note} if note else {})})
    write_json(sidecar, _sidecar(bids_path, task, source, input_sha, summary))
    return {**_row(name, summary), "skipped": False}


def _read_done(sidecar: Path, input_sha: str, params: str) -> dict[str, Any] | None:
    """The eegrecon block of a finished recording's sidecar when both hashes match, else None."""
    try:
        block = json.loads(sidecar.read_text(encoding="utf-8"))["eegrecon"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if block.get("input_sha256") == input_sha and block.get("params_sha256") == params:
        return block
    return None


def _copy_sidecars(bids_path, root: Path, out: Path) -> None:
    """channels and events (.tsv, .json) under the derivative's name; electrodes and coordsystem as they are."""
    for suffix, extension in (("channels", ".tsv"), ("channels", ".json"), ("events", ".tsv"), ("events", ".json")):
        found = bids_path.find_matching_sidecar(suffix=suffix, extension=extension, on_error="ignore")
        if found:
            copy_atomic(Path(found), derived(bids_path, out, suffix, extension))
    for suffix, extension in (("electrodes", ".tsv"), ("electrodes", ".json"), ("coordsystem", ".json")):
        found = bids_path.find_matching_sidecar(suffix=suffix, extension=extension, on_error="ignore")
        if found:
            target = out / Path(found).resolve().relative_to(root)
            if not target.is_file() or target.read_bytes() != Path(found).read_bytes():
                copy_atomic(Path(found), target)


def _summary(den, raw, extra: dict[str, Any]) -> dict[str, Any]:
    """The report's fields worth keeping, the mains the sidecar declared, and the change per band (all channels)."""
    report = den.report_
    summary = {k: report[k] for k in SUMMARY_KEYS if report.get(k) not in (None, {}, [])}
    summary.update(extra)
    summary["declared_line_freq_hz"] = raw.info.get("line_freq")
    change = getattr(den, "power_change_", None)
    if change is not None and len(change.ch_names):
        db = change.group_db({"all": list(range(len(change.ch_names)))})["all"]
        summary["band_change_db"] = {band: round(float(v), 3) for band, v in zip(change.bands, db)}
    return json.loads(json.dumps(summary, default=json_value))


def _row(name: str, summary: dict[str, Any]) -> dict[str, Any]:
    model = summary.get("model") or {}
    line = summary.get("line_noise") or {}
    return {"recording": name, "status": "ok", "model": model.get("name"), "multichannel": model.get("multichannel"),
            "mains_notched_hz": line.get("notched_hz"), "broken_channels": list(summary.get("broken_channels") or []),
            "bands": {band: summary.get("band_change_db", {}).get(band) for band in EEG_BANDS}, "error": ""}


def _sidecar(bids_path, task: Task, source: Path, input_sha: str, summary: dict[str, Any]) -> dict[str, Any]:
    """The derivative's eeg.json: the source's fields, where it came from, and what eegrecon did."""
    content: dict[str, Any] = {}
    found = bids_path.find_matching_sidecar(suffix="eeg", extension=".json", on_error="ignore")
    if found:
        try:
            content = json.loads(Path(found).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            content = {}
    rel = source.relative_to(task.root).as_posix()
    content.update({
        "Description": "Artifacts removed by eegrecon (see the eegrecon field and the QC report)",
        "Sources": [f"bids::{rel}"],
        "eegrecon": {"version": __version__, "options": task.options, "input_sha256": input_sha,
                     "params_sha256": task.params_sha256, "summary": summary},
    })
    return content
