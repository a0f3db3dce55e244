"""The derivative dataset eegrecon writes: names, sidecars, ``dataset_description.json`` and the index.

For a source recording ``sub-01/eeg/sub-01_task-rest_run-1_eeg.edf`` the derivative holds, under the same
folders:

- ``sub-01_task-rest_run-1_desc-eegrecon_eeg.edf``: the cleaned recording, the source's format (EEGLAB ``.set``:
  EDF, which MNE can write);
- ``..._desc-eegrecon_channels.tsv`` and ``..._desc-eegrecon_events.tsv``: the source's, byte for byte (types
  and bad channels are unchanged by cleaning); the subject's ``electrodes.tsv``/``coordsystem.json`` likewise,
  under their own names, so that MNE-BIDS reads the montage back;
- ``..._desc-eegrecon_eeg.json``: the source's ``eeg.json`` fields plus ``Sources``, ``Description`` and
  ``eegrecon`` (parameters, the input's and the parameters' hashes, the report's summary). Written last: its
  presence with matching hashes is what marks the recording done;
- ``..._desc-eegrecon_report.html``: the QC report (listed in ``.bidsignore``).

Every file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from eegrecon.atomic import atomic_path

#: the ``desc`` entity of every cleaned file
DESC = "eegrecon"
#: files of the derivative dataset that are not BIDS files (the validator skips them)
BIDSIGNORE = ("*_report.html", "index.tsv")
#: output format of each source data extension: (writer format, extension)
OUTPUT_FORMATS = {".edf": ("edf", ".edf"), ".bdf": ("bdf", ".bdf"), ".vhdr": ("brainvision", ".vhdr"),
                  ".set": ("edf", ".edf")}
#: the derivative dataset's README
README = """EEG cleaned by eegrecon {version}.

Each recording of the source dataset is here as *_desc-eegrecon_eeg.<format>, with the source's channels,
events and electrode files. Its *_desc-eegrecon_eeg.json holds the source's eeg.json fields and, under
"eegrecon", the options, the hashes of the input and of the parameters, and what the cleaning reported (model
and why, mains, broken channels, change of power per band). *_report.html is the QC report of each recording;
index.tsv lists every recording with its status.
"""
#: index columns before the per-band changes
INDEX_COLUMNS = ("recording", "status", "model", "multichannel", "mains_notched_hz", "broken_channels", "error")


def derived(bids_path, root: Path, suffix: str, extension: str) -> Path:
    """The derivative file for ``bids_path`` with ``desc-eegrecon`` and the given suffix and extension.

    Parameters
    ----------
    bids_path : mne_bids.BIDSPath
        The source recording.
    root : Path
        The derivative dataset's root.
    suffix, extension : str
        E.g. ``"eeg"``, ``".json"``.

    Returns
    -------
    Path
    """
    return Path(bids_path.copy().update(root=root, description=DESC, suffix=suffix, extension=extension,
                                        check=False).fpath)


def copy_atomic(src: Path, dest: Path) -> None:
    """Copy ``src`` to ``dest`` byte for byte; ``dest`` appears complete or not at all.

    Parameters
    ----------
    src, dest : Path
        From, to.
    """
    with atomic_path(dest) as tmp:
        shutil.copyfile(src, tmp)


def write_json(dest: Path, content: dict[str, Any]) -> None:
    """``content`` as indented, key-sorted JSON at ``dest`` (atomic; the same content gives the same bytes).

    Parameters
    ----------
    dest : Path
        The file.
    content : dict
        JSON-able (NumPy values are converted).
    """
    with atomic_path(dest) as tmp:
        tmp.write_text(json.dumps(content, indent=2, sort_keys=True, ensure_ascii=False, default=json_value) + "\n",
                       encoding="utf-8")


def save_report(report, dest: Path) -> None:
    """Save an ``mne.Report`` as HTML at ``dest`` (atomic), without the creation time MNE stamps on it: the same
    recording cleaned the same way gives the same bytes (a resumed run equals an uninterrupted one).

    Parameters
    ----------
    report : mne.Report
        The QC report.
    dest : Path
        The HTML file.
    """
    import re

    with atomic_path(dest) as tmp:
        html = tmp.with_name(tmp.name + ".html")
        try:
            report.save(html, overwrite=True, open_browser=False, verbose="error")
            text = html.read_text(encoding="utf-8")
        finally:
            html.unlink(missing_ok=True)
        tmp.write_text(re.sub(r"Created on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "Created", text), encoding="utf-8")


def json_value(value: Any) -> Any:
    """JSON for what ``json`` cannot write: NumPy scalars and arrays as lists and numbers, anything else as text.

    Parameters
    ----------
    value : object

    Returns
    -------
    object
    """
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def write_dataset_description(root: Path, source_root: Path, version: str, models: dict[str, str]) -> None:
    """``dataset_description.json`` (``DatasetType: derivative``) and ``.bidsignore`` of the derivative dataset.

    Parameters
    ----------
    root : Path
        The derivative dataset's root.
    source_root : Path
        The source dataset (its name and DOI, where given, are carried into ``SourceDatasets``).
    version : str
        eegrecon's version.
    models : dict of str to str
        Model bundle name → SHA-256 of its weights.
    """
    source = {}
    described = source_root / "dataset_description.json"
    if described.is_file():
        try:
            source = json.loads(described.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            source = {}
    rel = os.path.relpath(source_root, root)
    origin = {"URL": f"file:{Path(rel).as_posix()}"}
    if source.get("DatasetDOI"):
        origin["DOI"] = source["DatasetDOI"]
    write_json(root / "dataset_description.json", {
        "Name": f"{source.get('Name', source_root.name)}: cleaned by eegrecon",
        "BIDSVersion": source.get("BIDSVersion", "1.9.0"),
        "DatasetType": "derivative",
        "GeneratedBy": [{"Name": "eegrecon", "Version": version,
                         "Description": "Artifact removal with pretrained networks; models (SHA-256 of weights): "
                                        + ", ".join(f"{name} {digest}" for name, digest in sorted(models.items())),
                         "CodeURL": "https://pypi.org/project/eegrecon/"}],
        "SourceDatasets": [origin],
    })
    with atomic_path(root / ".bidsignore") as tmp:
        tmp.write_text("\n".join(BIDSIGNORE) + "\n", encoding="utf-8")
    with atomic_path(root / "README") as tmp:
        tmp.write_text(README.format(version=version), encoding="utf-8")


def write_index(root: Path, rows: list[dict[str, Any]], bands: list[str]) -> Path:
    """``index.tsv``: one row per recording (sorted), its status, model, mains and change per band.

    Parameters
    ----------
    root : Path
        The derivative dataset's root.
    rows : list of dict
        Per recording: the :data:`INDEX_COLUMNS` and ``band → dB``.
    bands : list of str
        Band columns, in order.

    Returns
    -------
    Path
    """
    dest = root / "index.tsv"
    columns = [*INDEX_COLUMNS[:-1], *(f"{band} dB" for band in bands), INDEX_COLUMNS[-1]]
    lines = ["\t".join(columns)]
    for row in sorted(rows, key=lambda r: r["recording"]):
        cells = [row.get(c, "") for c in INDEX_COLUMNS[:-1]]
        cells += [row.get("bands", {}).get(band, "") for band in bands] + [row.get("error", "")]
        lines.append("\t".join(_cell(v) for v in cells))
    with atomic_path(dest) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest


def _cell(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list | tuple):
        return ",".join(map(str, value)) or "n/a"
    return str(value).replace("\t", " ").replace("\n", " ")
