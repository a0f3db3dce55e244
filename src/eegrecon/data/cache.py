"""On-disk cache of preprocessed windows, keyed by the source files and the settings that made them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from eegrecon.atomic import atomic_path
from eegrecon.data.windowset import WindowSet
from eegrecon.paths import cache_dir

CACHE_VERSION = 1


def cache_key(files: list[Path], settings: dict) -> str:
    """Hash of file names, sizes and modification times plus the JSON of ``settings``.

    Parameters
    ----------
    files : list of Path
        The source files the windows come from.
    settings : dict
        Everything else that shapes the windows (filters, rate, window, overlap).

    Returns
    -------
    str
        20 hex digits.
    """
    h = hashlib.sha256()
    h.update(json.dumps({"v": CACHE_VERSION, **settings}, sort_keys=True, default=str).encode())
    for f in files:
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


def cached_windowset(name: str, key: str, build: Callable[[], WindowSet],
                     directory: Path | None = None) -> tuple[WindowSet, bool]:
    """Load ``name``'s windows from the cache, or build and store them (atomically).

    Parameters
    ----------
    name : str
        Source name (part of the file name).
    key : str
        From :func:`cache_key`.
    build : callable
        Makes the windows when they are not cached.
    directory : Path or None
        Cache folder (default ``$EEGRECON_CACHE`` or ``~/.cache/eegrecon``).

    Returns
    -------
    (WindowSet, bool)
        The windows and whether they came from the cache.
    """
    directory = directory or cache_dir()
    path = directory / f"{name}-{key}.npz"
    if path.is_file():
        try:
            with np.load(path, allow_pickle=False) as z:
                return WindowSet(z["x"], float(z["sfreq"]), z["groups"], z["sources"]), True
        except (OSError, ValueError, KeyError):
            path.unlink(missing_ok=True)  # corrupt entry: rebuild
    ws = build()
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, x=ws.x, sfreq=ws.sfreq, groups=ws.groups, sources=ws.sources)
    return ws, False
