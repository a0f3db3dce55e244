"""Clean recording files: read with MNE, denoise, write the same format where MNE can export it.

Never touches an input: outputs go to another folder, are written to a temporary name and renamed into place
(atomic), and an existing output is only replaced with ``overwrite=True``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from eegrecon.atomic import atomic_files
from eegrecon.data.readers import read_raw
from eegrecon.denoise import Denoiser
from eegrecon.errors import DataError, EegreconError
from eegrecon.models.pretrained import DEFAULT_MODEL

#: input suffix → (export format, output suffix); anything else is written as FIF
EXPORTS = {".edf": ("edf", ".edf"), ".bdf": ("edf", ".edf"), ".vhdr": ("brainvision", ".vhdr"),
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
        The before/after figure, if asked for.
    """

    input: Path
    output: Path
    format: str
    note: str = ""
    report: dict = field(default_factory=dict)
    figure: Path | None = None


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
        Output file, export format (``"fif"``, ``"edf"`` or ``"brainvision"``) and a note for the user
        (empty when the input's own format is kept).
    """
    suffix = _suffix(path)
    stem = path.name[: -len(suffix)] if suffix else path.name
    fmt, out_suffix = EXPORTS.get(suffix, ("fif", "_raw.fif"))
    note = "" if suffix in EXPORTS else f"{suffix or 'this format'} cannot be exported by MNE: written as FIF"
    if suffix == ".bdf":
        note = "BDF cannot be exported by MNE: written as EDF (16-bit; see the report for the resolution)"
    if fmt == "fif":  # MNE's naming convention for Raw FIF files: <name>_raw.fif
        out_suffix = "_raw.fif"
        for tail in ("_raw", "-raw"):
            stem = stem[: -len(tail)] if stem.endswith(tail) else stem
    return out_dir / f"{stem}_clean{out_suffix}", fmt, note


def _write(raw, dest: Path, fmt: str) -> None:
    """Write ``raw`` to ``dest`` atomically (BrainVision's three files appear together, header last)."""
    with atomic_files(dest.parent, dest.name) as tmp:
        if fmt == "fif":
            raw.save(tmp / dest.name, overwrite=True, verbose="error")
        else:
            import mne

            mne.export.export_raw(tmp / dest.name, raw, fmt=fmt, overwrite=True, verbose="error")


def clean_file(path: str | Path, out_dir: str | Path, model=DEFAULT_MODEL, overwrite: bool = False,
               report: bool = False, line_freq: float | None = None, ensemble: bool = False,
               above_band: str = "keep") -> CleanResult:
    """Denoise one recording file into ``out_dir``.

    Parameters
    ----------
    path : str or Path
        An EDF, BDF, FIF, BrainVision or other MNE-readable recording.
    out_dir : str or Path
        Output folder (never the input's own file).
    model : str, Path, Method or torch.nn.Module
        See :class:`~eegrecon.denoise.Denoiser`.
    overwrite : bool
        Replace an existing output.
    report : bool
        Also write a before/after figure.
    line_freq : float or None
        Mains frequency to notch before the model.
    ensemble : bool
        Test-time ensemble (4× slower).
    above_band : {"keep", "lowpass"}
        Content above the model's band: kept as recorded, or low-passed (see :class:`~eegrecon.denoise.Denoiser`).

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
    raw = read_raw(path)
    if raw.n_times < 2:
        raise DataError(f"{path}: the recording has {raw.n_times} sample(s); nothing to denoise")
    den = Denoiser(model, line_freq=line_freq, ensemble=ensemble, above_band=above_band)
    cleaned = den.fit().transform(raw)
    _write(cleaned, dest, fmt)
    result = CleanResult(path, dest, fmt, note, den.report_)
    if report:
        from eegrecon.plots import plot_before_after

        picks = [raw.ch_names.index(c) for c in den.report_.get("channels", [])][:6]
        result.figure = plot_before_after(raw.get_data(picks=picks) * 1e6, cleaned.get_data(picks=picks) * 1e6,
                                          raw.info["sfreq"], [raw.ch_names[i] for i in picks],
                                          out_dir / f"{dest.name.split('.')[0]}_report.png", title=path.name)
    return result


def clean_files(paths: list[Path], out_dir: Path, model=DEFAULT_MODEL, n_jobs: int = 1, overwrite: bool = False,
                report: bool = False, on_done=None, line_freq: float | None = None,
                ensemble: bool = False, above_band: str = "keep") -> list[CleanResult | Exception]:
    """Clean many files, ``n_jobs`` at a time (joblib processes); errors are returned per file, not raised.

    Parameters
    ----------
    paths : list of Path
        Recordings.
    out_dir : Path
        Output folder.
    model, overwrite, report, line_freq, ensemble, above_band
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

    def one(p):
        try:
            return clean_file(p, out_dir, model, overwrite, report, line_freq, ensemble, above_band)
        except EegreconError as exc:
            return exc

    results = []
    if n_jobs == 1:
        gen = (one(p) for p in paths)
    else:
        gen = Parallel(n_jobs=n_jobs, return_as="generator")(delayed(one)(p) for p in paths)
    for res in gen:
        results.append(res)
        if on_done:
            on_done(res)
    return results
