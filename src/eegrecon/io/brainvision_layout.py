"""BrainVision on disk: the header's layout and in-place rewriting of channels in the binary data file.

A cleaned BrainVision recording is the input's three files copied (the header and marker files with their
references renamed) with the cleaned channels' samples overwritten in the ``.eeg`` file, a chunk at a time:
markers, comments, channel settings, binary format and orientation are kept, and memory does not grow with the
recording.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eegrecon.errors import DataError

_DTYPES = {"INT_16": "<i2", "INT_32": "<i4", "IEEE_FLOAT_32": "<f4"}
_VOLTS = {"µv": 1e-6, "μv": 1e-6, "uv": 1e-6, "": 1e-6, "mv": 1e-3, "v": 1.0, "nv": 1e-9}


@dataclass
class BrainVisionLayout:
    """Where each sample of a BrainVision recording lies.

    Parameters
    ----------
    vhdr, eeg, vmrk : Path
        Header, binary data and marker files (``vmrk`` None when the header names none).
    names : list of str
        Channel names, in file order.
    volts : ndarray
        Volts per stored unit of each channel (resolution × unit).
    dtype : str
        NumPy dtype of a stored sample.
    multiplexed : bool
        Sample-major (``MULTIPLEXED``) or channel-major (``VECTORIZED``).
    n_times : int
        Samples per channel.
    """

    vhdr: Path
    eeg: Path
    vmrk: Path | None
    names: list[str]
    volts: np.ndarray
    dtype: str
    multiplexed: bool
    n_times: int

    def range_volts(self, channel: int) -> tuple[float, float]:
        """The lowest and highest value ``channel`` can hold, volts (unbounded for floating-point files).

        Parameters
        ----------
        channel : int
            Channel index.

        Returns
        -------
        (float, float)
        """
        dtype = np.dtype(self.dtype)
        if dtype.kind != "i":
            return -np.inf, np.inf
        info = np.iinfo(dtype)
        ends = sorted((info.min * float(self.volts[channel]), info.max * float(self.volts[channel])))
        return ends[0], ends[1]


def _sections(text: str) -> dict[str, dict[str, str]]:
    """``key=value`` lines of an INI-like header by ``[section]``; comments and free text (``[Comment]``) ignored."""
    out: dict[str, dict[str, str]] = {}
    section = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = out.setdefault(line[1:-1].strip().lower(), {})  # NeurOne writes "[Common infos]"
        elif section is not None and "=" in line and not line.startswith(";"):
            key, value = line.split("=", 1)
            section[key.strip()] = value
    return out


def read_brainvision_layout(vhdr: str | Path) -> BrainVisionLayout | None:
    """Parse a BrainVision header; None when it is not a binary file this module can rewrite.

    Parameters
    ----------
    vhdr : str or Path
        The ``.vhdr`` file.

    Returns
    -------
    BrainVisionLayout or None
        The layout, or None (ASCII data, an unknown binary format or unit).
    """
    vhdr = Path(vhdr)
    cfg = _sections(vhdr.read_bytes().decode("utf-8", errors="replace"))
    common, binary = cfg.get("common infos", {}), cfg.get("binary infos", {})
    if common.get("DataFormat", "BINARY").upper() != "BINARY" or binary.get("BinaryFormat") not in _DTYPES:
        return None
    names, volts = [], []
    for key, value in cfg.get("channel infos", {}).items():
        if not key.lower().startswith("ch"):
            continue
        fields = value.split(",")
        unit = fields[3].strip().lower() if len(fields) > 3 else ""
        if unit not in _VOLTS:
            return None
        resolution = float(fields[2]) if len(fields) > 2 and fields[2].strip() else 1.0
        names.append(fields[0].replace("\\1", ","))
        volts.append(resolution * _VOLTS[unit])
    eeg = vhdr.parent / common.get("DataFile", "")
    if not names or not eeg.is_file():
        raise DataError(f"{vhdr}: header names no channels or its data file {eeg.name!r} is missing")
    marker = common.get("MarkerFile")
    dtype = _DTYPES[binary["BinaryFormat"]]
    n_times = eeg.stat().st_size // (len(names) * np.dtype(dtype).itemsize)
    return BrainVisionLayout(vhdr, eeg, vhdr.parent / marker if marker else None, names, np.asarray(volts), dtype,
                             common.get("DataOrientation", "MULTIPLEXED").upper() == "MULTIPLEXED", n_times)


def _rename_refs(text: bytes, refs: dict[str, str]) -> bytes:
    for key, name in refs.items():
        text = re.sub(rb"(?m)^(" + key.encode() + rb"=)[^\r\n]*", lambda m, n=name: m.group(1) + n.encode(), text)
    return text


def copy_brainvision(layout: BrainVisionLayout, folder: Path, stem: str) -> Path:
    """Copy the three files to ``folder/stem.{vhdr,vmrk,eeg}`` with the header's and markers' references renamed.

    Parameters
    ----------
    layout : BrainVisionLayout
        The source.
    folder : Path
        Destination folder.
    stem : str
        Destination file name without suffix.

    Returns
    -------
    Path
        The new ``.eeg`` file.
    """
    eeg = folder / f"{stem}.eeg"
    shutil.copyfile(layout.eeg, eeg)
    refs = {"DataFile": eeg.name}
    if layout.vmrk is not None and layout.vmrk.is_file():
        (folder / f"{stem}.vmrk").write_bytes(_rename_refs(layout.vmrk.read_bytes(), refs))
        refs["MarkerFile"] = f"{stem}.vmrk"
    (folder / f"{stem}.vhdr").write_bytes(_rename_refs(layout.vhdr.read_bytes(), refs))
    return eeg


class BrainVisionRewriter:
    """Overwrite some channels of a (copied) BrainVision data file, a span of samples at a time.

    Parameters
    ----------
    layout : BrainVisionLayout
        The source's layout (format, orientation, resolutions).
    eeg : Path
        The copied data file to modify.
    channels : list of int
        Channels (file order) whose values :meth:`write` receives, in that order.
    """

    def __init__(self, layout: BrainVisionLayout, eeg: Path, channels: list[int]):
        self.layout, self.channels = layout, channels
        self.clipped = 0
        self._fh = open(eeg, "r+b")  # noqa: SIM115 - closed in close()

    def _stored(self, values: np.ndarray, ch: int) -> np.ndarray:
        x = values / self.layout.volts[ch]
        dtype = np.dtype(self.layout.dtype)
        if dtype.kind == "i":
            info = np.iinfo(dtype)
            x = np.round(x)
            self.clipped += int(((x < info.min) | (x > info.max)).sum())
            x = np.clip(x, info.min, info.max)
        return x.astype(dtype)

    def write(self, start: int, values: np.ndarray) -> None:
        """Overwrite samples ``[start, start + n)`` of the channels.

        Parameters
        ----------
        start : int
            First sample.
        values : ndarray, shape (len(channels), n)
            New values, volts.
        """
        lay, n = self.layout, values.shape[1]
        dtype = np.dtype(lay.dtype)
        n_ch = len(lay.names)
        if lay.multiplexed:
            self._fh.seek(start * n_ch * dtype.itemsize)
            block = np.frombuffer(self._fh.read(n * n_ch * dtype.itemsize), dtype=dtype).reshape(n, n_ch).copy()
            for row, ch in enumerate(self.channels):
                block[:, ch] = self._stored(values[row], ch)
            self._fh.seek(start * n_ch * dtype.itemsize)
            self._fh.write(block.tobytes())
            return
        for row, ch in enumerate(self.channels):
            self._fh.seek((ch * lay.n_times + start) * dtype.itemsize)
            self._fh.write(self._stored(values[row], ch).tobytes())

    def close(self) -> None:
        """Flush and close the data file."""
        self._fh.close()
