"""Turn a source's continuous segments into a WindowSet (filter, resample, window, reject)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from eegrecon.data.cache import cache_key, cached_windowset
from eegrecon.data.preprocess import make_windows, preprocess, reject_windows
from eegrecon.data.sources import Segment, Source
from eegrecon.data.windowset import WindowSet


class WindowConfig(BaseModel):
    """Rate, window length and overlap shared by every source.

    Parameters
    ----------
    sfreq : float
        Target sampling rate, Hz.
    window_s : float
        Window length, s.
    clean_overlap : float
        Overlap of clean EEG windows, in [0, 1).
    artifact_overlap : float
        Overlap of artifact windows, in [0, 1).
    """

    sfreq: float = Field(256.0, description="target sampling rate, Hz")
    window_s: float = Field(2.0, description="window length, s")
    clean_overlap: float = Field(0.0, ge=0.0, lt=1.0, description="overlap of clean EEG windows")
    artifact_overlap: float = Field(0.5, ge=0.0, lt=1.0, description="overlap of artifact windows")

    @property
    def n_times(self) -> int:
        """Samples per window."""
        return int(round(self.sfreq * self.window_s))


def finite_runs(data: np.ndarray) -> list[np.ndarray]:
    """Split a signal at non-finite samples into its finite stretches.

    Parameters
    ----------
    data : ndarray, shape (n,) or (n_rows, n)
        The signal; with rows, a sample is finite when every row is.

    Returns
    -------
    list of ndarray
        The finite stretches (along the last axis), in order.
    """
    finite = np.isfinite(data) if data.ndim == 1 else np.isfinite(data).all(axis=0)
    if finite.all():
        return [data]
    edges = np.flatnonzero(np.diff(np.r_[0, finite.astype(np.int8), 0]))
    return [data[..., a:b] for a, b in zip(edges[::2], edges[1::2])]


def segments_to_windows(segments: list[Segment], source: Source, cfg: WindowConfig) -> WindowSet:
    """Preprocess each finite stretch of each segment with the source's filters and cut it into windows.

    Parameters
    ----------
    segments : list of Segment
        The source's segments.
    source : Source
        Filters, amplitude limit and name.
    cfg : WindowConfig
        Rate, window and overlap.

    Returns
    -------
    WindowSet
        The windows.
    """
    overlap = cfg.clean_overlap if source.family == "clean" else cfg.artifact_overlap
    xs, groups = [], []
    for seg in segments:
        for run in finite_runs(np.asarray(seg.data, dtype=np.float64)):
            if len(run) / seg.sfreq < cfg.window_s:
                continue
            y = preprocess(run - np.median(run), seg.sfreq, cfg.sfreq, source.filters)
            w = make_windows(y, cfg.n_times, overlap)
            keep = reject_windows(w, max_abs=source.max_abs_uv)
            xs.append(w[keep])
            groups += [seg.group] * int(keep.sum())
    x = np.concatenate(xs) if xs else np.empty((0, cfg.n_times), np.float32)
    return WindowSet(x, cfg.sfreq, np.array(groups, dtype=str), np.array([source.name] * len(x), dtype=str))


def load_source_windows(source: Source, data_dir: Path, cfg: WindowConfig) -> tuple[WindowSet, bool]:
    """Windows of one real source, from the cache when the files and settings are unchanged.

    Parameters
    ----------
    source : Source
        The source.
    data_dir : Path
        The data directory.
    cfg : WindowConfig
        Rate, window and overlap.

    Returns
    -------
    (WindowSet, bool)
        The windows and whether they came from the cache.
    """
    settings = {"source": source.name, "window": cfg.model_dump(), "filters": source.filters.model_dump(),
                "max_abs_uv": source.max_abs_uv}
    key = cache_key(source.files(data_dir), settings)
    return cached_windowset(source.name, key, lambda: segments_to_windows(source.reader(data_dir), source, cfg))
