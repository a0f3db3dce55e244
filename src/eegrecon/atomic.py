"""Atomic writes: a file or a set of files appears complete under its final name, or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(dest: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success it is renamed to ``dest``, on error removed.

    Parameters
    ----------
    dest : str or Path
        The final file. Its folder is created if needed.

    Yields
    ------
    Path
        Where to write (same folder, so the rename is atomic on one file system).
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def atomic_files(folder: str | Path, name: str) -> Iterator[Path]:
    """Yield a temporary folder for a writer that produces several files (BrainVision: .vhdr, .vmrk, .eeg).

    On success every file written there is moved into ``folder``, the header (``.vhdr``) last so that a
    reader never finds a header whose data file is missing; on error nothing is moved.

    Parameters
    ----------
    folder : str or Path
        The final folder (created if needed).
    name : str
        A name for the temporary folder (usually the output's file name).

    Yields
    ------
    Path
        The temporary folder to write into.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder, prefix=f".{name}."))
    try:
        yield tmp
        produced = sorted(tmp.iterdir(), key=lambda p: p.suffix == ".vhdr")
        for path in produced:
            os.replace(path, folder / path.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
