"""Registry of real recordings: where each lives, what it holds, its licence and how to read it.

Each source reader takes the data directory and returns continuous :class:`Segment` s (one channel each);
windowing happens later, inside segments, so gaps and epoch joins never fall inside a window.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from eegrecon.data.preprocess import FilterSpec
from eegrecon.errors import DataError
from eegrecon.io.readers import read_mat, read_raw, read_table, read_wfdb

FAMILIES = ("clean", "eog", "emg", "motion", "baseline_wander", "ecg")


@dataclass
class Segment:
    """One continuous single-channel stretch of a source.

    Parameters
    ----------
    data : ndarray, shape (n_times,)
        float64, µV (or arbitrary units for artifacts).
    sfreq : float
        Sampling rate, Hz.
    group : str
        Subject or recording (the split unit).
    label : str
        Channel or kind (e.g. ``"veog"``).
    """

    data: np.ndarray
    sfreq: float
    group: str
    label: str = ""


@dataclass(frozen=True)
class Source:
    """A real recording collection: a folder under the data dir and how to turn it into segments.

    Parameters
    ----------
    name : str
        Registry name.
    family : str
        ``"clean"`` or an artifact family (``"eog"``, ``"emg"``, ...).
    folder : str
        Folder under the data directory.
    licence : str
        The data's licence, as its SOURCE.md states it.
    redistributable : bool
        Whether a model trained on it may ship inside the package.
    citation : str
        Who to cite.
    reader : callable
        Data directory → list of :class:`Segment`.
    filters : FilterSpec
        Preprocessing before windowing.
    max_abs_uv : float or None
        Reject windows above this absolute amplitude (clean EEG only).
    only_files : tuple of str
        The source is these files, not its whole folder.
    """

    name: str
    family: str
    folder: str
    licence: str
    redistributable: bool  # may a model trained on it ship inside the package?
    citation: str
    reader: Callable[[Path], list[Segment]] = field(repr=False, compare=False)
    filters: FilterSpec = field(default_factory=FilterSpec, compare=False)
    max_abs_uv: float | None = None  # reject windows above this |amplitude| (clean EEG only)
    only_files: tuple[str, ...] = ()  # the source is these files, not its whole folder

    def path(self, data_dir: Path | None) -> Path:
        """The source's folder.

        Parameters
        ----------
        data_dir : Path or None
            The data directory.

        Returns
        -------
        Path
            ``data_dir / folder``.
        """
        return Path(data_dir or ".") / self.folder  # an absolute folder ignores data_dir

    def available(self, data_dir: Path | None) -> bool:
        """Whether the source's files are present.

        Parameters
        ----------
        data_dir : Path or None
            The data directory (None: never available).

        Returns
        -------
        bool
            True when it can be read.
        """
        if self.only_files:
            return all(Path(f).is_file() for f in self.only_files)
        return (data_dir is not None or Path(self.folder).is_absolute()) and self.path(data_dir).is_dir()

    def files(self, data_dir: Path | None) -> list[Path]:
        """Every data file of the source (for cache keys).

        Parameters
        ----------
        data_dir : Path or None
            The data directory.

        Returns
        -------
        list of Path
            Sorted files.
        """
        if self.only_files:
            return [Path(f) for f in self.only_files]
        return sorted(p for p in self.path(data_dir).rglob("*") if p.is_file() and p.suffix != ".md")


# ---------------------------------------------------------------- readers
def _eegmat_subject(path: Path) -> str:
    m = re.match(r"Subject(\d+)_", path.name)
    return f"eegmat:S{m.group(1)}" if m else f"eegmat:{path.stem}"


def _read_eegmat(root: Path, picks: str) -> list[Segment]:
    files = sorted((root / "physionet_eegmat").glob("Subject*.edf"))
    if not files:
        raise DataError(f"{root / 'physionet_eegmat'}: no Subject*.edf files; expected PhysioNet eegmat EDFs")
    out = []
    for f in files:
        raw = read_raw(f)
        names = [c for c in raw.ch_names if (c.startswith("EEG ") and "A2-A1" not in c)] if picks == "eeg" \
            else [c for c in raw.ch_names if c.upper().startswith("ECG")]
        if not names:
            raise DataError(f"{f}: no {'EEG' if picks == 'eeg' else 'ECG'} channels found")
        data = raw.get_data(picks=names) * 1e6  # MNE holds volts → µV
        for name, row in zip(names, data):
            out.append(Segment(row, raw.info["sfreq"], _eegmat_subject(f), f"{f.name}:{name}"))
    return out


def _read_eegmat_eeg(root: Path) -> list[Segment]:
    """The 19 ICA-cleaned EEG channels of PhysioNet eegmat, one segment per channel and recording, µV."""
    return _read_eegmat(root, "eeg")


def _read_eegmat_ecg(root: Path) -> list[Segment]:
    """The ECG channel of PhysioNet eegmat recordings (cardiac artifact source), µV."""
    return _read_eegmat(root, "ecg")


def _read_malta(root: Path) -> list[Segment]:
    """VEOG = E1−E2 and HEOG = E3−E4 per subject, 256 Hz, µV with large DC (removed by the high-pass)."""
    out = []
    for d in sorted(p for p in (root / "malta_eog_stationary").glob("S[0-9]*") if p.is_dir()):
        eog = read_mat(d / "EOG.mat", "EOG")
        out.append(Segment(eog[0] - eog[1], 256.0, f"malta:{d.name}", "veog"))
        out.append(Segment(eog[2] - eog[3], 256.0, f"malta:{d.name}", "heog"))
    return out


def _read_bulling(root: Path) -> list[Segment]:
    """Gap-free segments only (Bluetooth sample loss elsewhere); ADC × 0.0122 = µV; 128 Hz."""
    folder = root / "bulling_eog_office"
    table = read_table(folder / "gapfree_segments.csv")
    out = []
    for fname, rows in table.groupby("file"):
        data = read_mat(folder / fname, "data")
        subject = fname.split("_")[0]
        for start, stop in zip(rows["start_sample"], rows["stop_sample"]):
            for col, lab in ((2, "heog"), (3, "veog")):
                out.append(Segment(data[start:stop, col] * 0.0122, 128.0, f"bulling:{subject}", lab))
    return out


def _read_hladek(root: Path) -> list[Segment]:
    """In-ear horizontal EOG, 83.33 Hz, mV → µV."""
    table = read_table(root / "hladek_inear_eog" / "EOG_S1.txt.gz")
    return [Segment(table["EOG"].to_numpy() * 1e3, 1000.0 / 12.0, "hladek:S1", "heog")]


def _read_neurokit(root: Path) -> list[Segment]:
    """NeuroKit's EOG samples (horizontal at 200 Hz, vertical at 100 Hz), V → µV."""
    folder = root / "neurokit_eog_samples"
    a = read_table(folder / "eog_200hz.csv.gz")
    b = read_table(folder / "eog_100hz_vEOG_full.csv.gz")
    return [Segment(a["hEOG"].to_numpy() * 1e6, 200.0, "neurokit:eog200", "heog"),
            Segment(a["vEOG"].to_numpy() * 1e6, 200.0, "neurokit:eog200", "veog"),
            Segment(b["vEOG"].to_numpy() * 1e6, 100.0, "neurokit:eog100", "veog")]


def _read_eeglab_eog(root: Path) -> list[Segment]:
    """EOG1/EOG2 of the EEGLAB sample; the file concatenates 3-s epochs, so each epoch is its own segment."""
    raw = read_raw(root / "eeglab_sample_eog" / "eeglab_data.set")
    data = raw.get_data(picks=["EOG1", "EOG2"]) * 1e6
    epoch, first = 385, 88
    bounds = [0, *range(first, data.shape[1], epoch), data.shape[1]]
    out = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        for name, row in zip(("EOG1", "EOG2"), data):
            out.append(Segment(row[a:b], raw.info["sfreq"], "eeglab:sample", name))
    return out


def _read_oset_eog(root: Path) -> list[Segment]:
    """The EOG channels of the OSET sample recording."""
    folder = root / "oset_sample_eeg"
    d1 = read_mat(folder / "EEGdata.mat", "data")
    d2 = read_mat(folder / "EEGdata2.mat", "data")
    segs = [Segment(d1[:, 22 + k], 250.0, "oset:EEGdata", f"eog{k + 1}") for k in range(3)]
    segs.append(Segment(d2[-1], 250.0, "oset:EEGdata2", "eog"))
    return segs


def _read_oset_ecg(root: Path) -> list[Segment]:
    """The ECG channel of the OSET sample recording."""
    folder = root / "oset_sample_eeg"
    d1 = read_mat(folder / "EEGdata.mat", "data")
    d3 = read_mat(folder / "SampleEEG1.mat", "dat")
    return [Segment(d1[:, 25], 250.0, "oset:EEGdata", "ecg"), Segment(d3[2], 250.0, "oset:SampleEEG1", "ecg")]


def _read_nstdb_em(root: Path) -> list[Segment]:
    """NSTDB electrode-motion noise (``em``, the copy distributed with OSET), both channels."""
    em = read_mat(root / "oset_sample_eeg" / "EM.mat", "EM")
    return [Segment(em[:, k] / 200.0 * 1e3, 360.0, "nstdb:em", f"noise{k}") for k in (1, 2)]


def _read_nstdb(root: Path, record: str) -> list[Segment]:
    sig, fs = read_wfdb(root / "physionet_nstdb" / record)
    return [Segment(row * 1e3, fs, f"nstdb:{record}", f"noise{k + 1}") for k, row in enumerate(sig)]


def _read_nstdb_ma(root: Path) -> list[Segment]:
    """NSTDB muscle-artifact noise record ``ma``, both channels."""
    return _read_nstdb(root, "ma")


def _read_nstdb_bw(root: Path) -> list[Segment]:
    """NSTDB baseline-wander noise record ``bw``, both channels."""
    return _read_nstdb(root, "bw")


GLASGOW_TASKS = {
    "eog": ("blink",),
    "emg": ("jaw", "eyescrunching", "browcrunch", "raisingeyebrows", "raise_brows"),
    "motion": ("move_head", "move_hat"),
}


def _glasgow_files(root: Path, tasks: tuple[str, ...]) -> list[tuple[str, str, Path]]:
    folder = root / "glasgow_eeg_everyday_tasks"
    found = []
    for subj in sorted(folder.glob("subj*")):
        for task in tasks:
            for cand in (subj / task / "emgeeg.dat.gz", subj / f"{task}.dat.gz"):
                if cand.is_file():
                    found.append((subj.name, task, cand))
    return found


def _read_glasgow(root: Path, family: str, column: int) -> list[Segment]:
    """Glasgow task files: column 1 = Fp1, 2 = chin EMG; volts at the amplifier output ÷ 500 → µV.

    Files of subj03–05 hold raw ADC counts (arbitrary units): fine for artifacts, which are rescaled to a
    target SNR when mixed."""
    out = []
    for subj, task, path in _glasgow_files(root, GLASGOW_TASKS[family]):
        table = read_table(path, header=False, sep=None).to_numpy(dtype=np.float64)
        if table.ndim != 2 or table.shape[1] < 3:
            raise DataError(f"{path}: expected 4 whitespace-separated columns (time Fp1 chin switch)")
        adc_counts = np.abs(table[:, column]).mean() > 100
        scale = 1.0 if adc_counts else 1e6 / 500.0
        out.append(Segment(table[:, column] * scale, 1000.0, f"glasgow:{subj}", f"{task}"))
    return out


# ---------------------------------------------------------------- registry
_ODC = "ODC-By 1.0 (PhysioNet)"
_EOG = FilterSpec(l_freq=0.3, h_freq=10.0, notch=50.0)
# Surface-EMG practice (De Luca et al., J Biomech 43, 2010) high-passes at 20 Hz: below it the chin and
# NSTDB "ma" channels carry movement and ocular signal, not muscle activity.
_EMG = FilterSpec(l_freq=20.0, h_freq=120.0, notch=50.0)
_MOTION = FilterSpec(l_freq=0.1, h_freq=40.0, notch=50.0)
_BW = FilterSpec(l_freq=None, h_freq=5.0, notch=None)
_ECG = FilterSpec(l_freq=0.5, h_freq=40.0, notch=50.0)

SOURCES: dict[str, Source] = {s.name: s for s in [
    Source("eegmat", "clean", "physionet_eegmat", _ODC, True,
           "Zyma et al., Data 4(1):14, 2019; PhysioNet", _read_eegmat_eeg,
           FilterSpec(l_freq=1.0, h_freq=80.0, notch=50.0), max_abs_uv=250.0),
    Source("malta_eog", "eog", "malta_eog_stationary", "none stated (research use, cite)", False,
           "Barbara et al., BSPC 86:105282, 2023", _read_malta, _EOG),
    Source("bulling_eog", "eog", "bulling_eog_office", "CC BY-NC 3.0", False,
           "Bulling et al., IEEE TPAMI 33(4), 2011", _read_bulling, _EOG),
    Source("hladek_eog", "eog", "hladek_inear_eog", "CC BY 4.0 (PLOS supplement, unverified)", False,
           "Hladek et al., PLoS ONE 13(1):e0190420, 2018", _read_hladek, _EOG),
    Source("neurokit_eog", "eog", "neurokit_eog_samples", "MIT", True,
           "Makowski et al., Behav Res Methods 53, 2021", _read_neurokit, _EOG),
    Source("eeglab_eog", "eog", "eeglab_sample_eog", "BSD-2-Clause (EEGLAB)", True,
           "Makeig et al., J Neurosci 19, 1999; Delorme & Makeig 2004", _read_eeglab_eog, _EOG),
    Source("oset_eog", "eog", "oset_sample_eeg", "BSD-3-Clause (OSET)", True,
           "Sameni, OSET", _read_oset_eog, _EOG),
    Source("glasgow_blink", "eog", "glasgow_eeg_everyday_tasks", "CC BY 3.0", True,
           "Warrington, Huang, Porr, EEG during everyday tasks, Glasgow 2018",
           lambda r: _read_glasgow(r, "eog", 1), _EOG),
    Source("glasgow_emg", "emg", "glasgow_eeg_everyday_tasks", "CC BY 3.0", True,
           "Warrington, Huang, Porr, EEG during everyday tasks, Glasgow 2018",
           lambda r: _read_glasgow(r, "emg", 2), _EMG),
    Source("nstdb_ma", "emg", "physionet_nstdb", _ODC, True,
           "Moody et al., Computers in Cardiology 11, 1984", _read_nstdb_ma, _EMG),
    Source("nstdb_em", "motion", "oset_sample_eeg", _ODC, True,
           "Moody et al., Computers in Cardiology 11, 1984 (excerpt via OSET)", _read_nstdb_em, _MOTION),
    Source("glasgow_motion", "motion", "glasgow_eeg_everyday_tasks", "CC BY 3.0", True,
           "Warrington, Huang, Porr, EEG during everyday tasks, Glasgow 2018",
           lambda r: _read_glasgow(r, "motion", 1), _MOTION),
    Source("nstdb_bw", "baseline_wander", "physionet_nstdb", _ODC, True,
           "Moody et al., Computers in Cardiology 11, 1984", _read_nstdb_bw, _BW),
    Source("eegmat_ecg", "ecg", "physionet_eegmat", _ODC, True,
           "Zyma et al., Data 4(1):14, 2019; PhysioNet", _read_eegmat_ecg, _ECG),
    Source("oset_ecg", "ecg", "oset_sample_eeg", "BSD-3-Clause (OSET)", True,
           "Sameni, OSET", _read_oset_ecg, _ECG),
]}

