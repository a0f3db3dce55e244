"""EDF/BDF on disk: the header's layout, the records' time stamps (EDF+D) and in-place rewriting of signals.

Cleaning an EDF or BDF file by rewriting its data records keeps everything else byte for byte: the header
(patient, recording, prefilter fields, digital and physical ranges), the annotation signal, the channels not
cleaned, and BDF's 24-bit resolution. Records are read and written a chunk at a time, so memory does not grow
with the recording.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eegrecon.errors import DataError

#: physical dimension in an EDF header → volts per unit (what MNE reads into volts)
_VOLTS = {"uv": 1e-6, "µv": 1e-6, "μv": 1e-6, "mv": 1e-3, "v": 1.0, "nv": 1e-9}


@dataclass
class EdfLayout:
    """What the header of an EDF/BDF file says about where each sample lies.

    Parameters
    ----------
    path : Path
        The file.
    width : int
        Bytes per sample (2: EDF, 3: BDF).
    header_bytes : int
        Offset of the first data record.
    n_records : int
        Data records.
    record_s : float
        Duration of one record, s.
    labels : list of str
        Signal labels, stripped.
    units : list of str
        Physical dimension of each signal.
    spr : ndarray of int
        Samples per record of each signal.
    phys_min, phys_max, dig_min, dig_max : ndarray
        Each signal's ranges.
    discontinuous : bool
        EDF+D / BDF+D: records may be separated by gaps.
    """

    path: Path
    width: int
    header_bytes: int
    n_records: int
    record_s: float
    labels: list[str]
    units: list[str]
    spr: np.ndarray
    phys_min: np.ndarray
    phys_max: np.ndarray
    dig_min: np.ndarray
    dig_max: np.ndarray
    discontinuous: bool

    @property
    def record_bytes(self) -> int:
        """Bytes per data record."""
        return int(self.spr.sum()) * self.width

    @property
    def annotation_signals(self) -> list[int]:
        """Indices of the EDF+/BDF+ annotation signals."""
        return [i for i, label in enumerate(self.labels) if label in ("EDF Annotations", "BDF Annotations")]

    def offset(self, signal: int) -> int:
        """Byte offset of ``signal`` inside a record.

        Parameters
        ----------
        signal : int
            Signal index.

        Returns
        -------
        int
            Bytes from the record's start.
        """
        return int(self.spr[:signal].sum()) * self.width

    def volts_per_unit(self, signal: int) -> float | None:
        """Volts per physical unit of ``signal`` (None when its dimension is not a voltage).

        Parameters
        ----------
        signal : int
            Signal index.

        Returns
        -------
        float or None
            The factor.
        """
        return _VOLTS.get(self.units[signal].strip().lower())

    def range_volts(self, signal: int) -> tuple[float, float] | None:
        """The lowest and highest value ``signal`` can hold, volts (its physical range); None when not a voltage.

        Parameters
        ----------
        signal : int
            Signal index.

        Returns
        -------
        (float, float) or None
        """
        scale = self.volts_per_unit(signal)
        if scale is None:
            return None
        ends = sorted((float(self.phys_min[signal]) * scale, float(self.phys_max[signal]) * scale))
        return ends[0], ends[1]


def _floats(values: list[str]) -> np.ndarray:
    """Numbers of header fields; NaN where a field is not a number (such a signal is not rewritten)."""
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        try:
            out[i] = float(v)
        except ValueError:
            pass
    return out


def read_edf_layout(path: str | Path) -> EdfLayout:
    """Parse the fixed and per-signal header of an EDF/BDF file.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    EdfLayout
        Its layout.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(256)
        try:
            n_sig = int(head[252:256])
            sig = fh.read(256 * n_sig)

            def field(offset: int, size: int) -> list[str]:
                start = offset * n_sig
                return [sig[start + i * size:start + (i + 1) * size].decode("latin-1").strip() for i in range(n_sig)]

            labels, units = field(0, 16), field(96, 8)
            phys_min, phys_max, dig_min, dig_max = (_floats(field(o, 8)) for o in (104, 112, 120, 128))
            spr = np.array(field(216, 8), dtype=int)
            layout = EdfLayout(path, 3 if head[0:1] == b"\xff" else 2, int(head[184:192]), int(head[236:244]),
                               float(head[244:252]), labels, units, spr, phys_min, phys_max, dig_min, dig_max,
                               head[192:197] in (b"EDF+D", b"BDF+D"))
        except ValueError:
            raise DataError(f"{path}: not a valid EDF/BDF header; the file is corrupt or not EDF") from None
    if layout.n_records < 0:  # recording never closed: the size tells
        layout.n_records = (path.stat().st_size - layout.header_bytes) // max(layout.record_bytes, 1)
    return layout


def record_onsets(layout: EdfLayout, batch: int = 4096) -> np.ndarray:
    """Start time of every data record, s, from the first time-keeping annotation of each record (EDF+).

    Parameters
    ----------
    layout : EdfLayout
        The file's layout.
    batch : int
        Records read at once.

    Returns
    -------
    ndarray, shape (n_records,)
        Onsets; ``record index × record duration`` where a record carries no time stamp.
    """
    onsets = np.arange(layout.n_records) * layout.record_s
    signals = layout.annotation_signals
    if not signals:
        return onsets
    off, size = layout.offset(signals[0]), int(layout.spr[signals[0]]) * layout.width
    with open(layout.path, "rb") as fh:
        for first in range(0, layout.n_records, batch):
            n = min(batch, layout.n_records - first)
            fh.seek(layout.header_bytes + first * layout.record_bytes)
            block = np.frombuffer(fh.read(n * layout.record_bytes), dtype=np.uint8)
            block = block[: (len(block) // layout.record_bytes) * layout.record_bytes]
            tals = block.reshape(-1, layout.record_bytes)[:, off:off + size]
            for k, tal in enumerate(tals):
                stamp = bytes(tal).split(b"\x14", 1)[0]
                try:
                    onsets[first + k] = float(stamp.decode("latin-1"))
                except ValueError:
                    pass
    return onsets


def record_gaps(layout: EdfLayout) -> list[int]:
    """Records of an EDF+D/BDF+D file that do not follow the previous one in time.

    Parameters
    ----------
    layout : EdfLayout
        The file's layout.

    Returns
    -------
    list of int
        Record indices where a gap precedes the record (empty for continuous files).
    """
    if not layout.discontinuous or layout.n_records < 2:
        return []
    onsets = record_onsets(layout)
    step = np.diff(onsets)
    return [int(i) + 1 for i in np.flatnonzero(np.abs(step - layout.record_s) > 1e-6 * max(layout.record_s, 1.0))]


def _to_bytes(digital: np.ndarray, width: int) -> np.ndarray:
    """Little-endian two's complement bytes, shape (..., width)."""
    as_int = digital.astype("<i4")
    return as_int.view(np.uint8).reshape(*digital.shape, 4)[..., :width]


class EdfRewriter:
    """Copy an EDF/BDF file, then overwrite some of its signals with new values, a span of samples at a time.

    Values are converted back to the signal's digital units with its own header ranges, rounded and clipped to
    what the sample width holds (16 or 24 bits; the number of clipped samples is counted). Not to the header's
    digital range: some files hold samples beyond it, and a value written back as read must stay as read (the
    cleaning itself keeps within :meth:`EdfLayout.range_volts` and what the input holds).

    Parameters
    ----------
    layout : EdfLayout
        The source file's layout.
    dest : Path
        The copy to write (created by copying the source).
    signals : dict of int to int
        Row of the arrays passed to :meth:`write` → signal index in the file.
    """

    def __init__(self, layout: EdfLayout, dest: Path, signals: dict[int, int]):
        self.layout, self.dest, self.signals = layout, Path(dest), signals
        self.clipped = 0
        shutil.copyfile(layout.path, self.dest)
        self._fh = open(self.dest, "r+b")  # noqa: SIM115 - closed in close()

    def write(self, start: int, values: np.ndarray) -> None:
        """Overwrite samples ``[start, start + n)`` of the mapped signals.

        Parameters
        ----------
        start : int
            First sample (at the rate of the mapped signals, which all have the same samples per record).
        values : ndarray, shape (n_rows, n)
            New values in volts, one row per mapped row.
        """
        lay = self.layout
        spr = int(lay.spr[next(iter(self.signals.values()))])
        n = values.shape[1]
        first, last = start // spr, (start + n - 1) // spr
        self._fh.seek(lay.header_bytes + first * lay.record_bytes)
        count = last - first + 1
        block = np.frombuffer(self._fh.read(count * lay.record_bytes), dtype=np.uint8).copy()
        block = block.reshape(count, lay.record_bytes)
        lo = start - first * spr
        for row, sig in self.signals.items():
            scale = lay.volts_per_unit(sig)
            gain = (lay.dig_max[sig] - lay.dig_min[sig]) / (lay.phys_max[sig] - lay.phys_min[sig])
            digital = np.round((values[row] / scale - lay.phys_min[sig]) * gain + lay.dig_min[sig])
            low, high = -(2 ** (8 * lay.width - 1)), 2 ** (8 * lay.width - 1) - 1
            outside = (digital < low) | (digital > high)
            self.clipped += int(outside.sum())
            digital = np.clip(digital, low, high)
            samples = block[:, lay.offset(sig):lay.offset(sig) + spr * lay.width].reshape(count * spr, lay.width)
            samples[lo:lo + n] = _to_bytes(digital, lay.width)
            block[:, lay.offset(sig):lay.offset(sig) + spr * lay.width] = samples.reshape(count, spr * lay.width)
        self._fh.seek(lay.header_bytes + first * lay.record_bytes)
        self._fh.write(block.tobytes())

    def close(self) -> None:
        """Flush and close the copy."""
        self._fh.close()
