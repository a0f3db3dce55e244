"""Where data is read from and where caches and runs are written."""

from __future__ import annotations

import os
from pathlib import Path

from eegrecon.errors import DataError

DATA_ENV = "EEGRECON_DATA"
SIMULATED = "simulated"  # --data-dir simulated (or $EEGRECON_DATA=simulated): ignore real data, use the simulator
CACHE_ENV = "EEGRECON_CACHE"


def _default_data_candidates() -> list[Path]:
    repo_root = Path(__file__).resolve().parents[2]
    return [Path.cwd().parent / "shared" / "data", repo_root.parent / "shared" / "data"]


def resolve_data_dir(data_dir: str | Path | None = None) -> Path | None:
    """The real-data directory to use, or ``None`` to fall back to simulated data.

    Order: the explicit ``data_dir`` (must exist), then ``$EEGRECON_DATA`` (must exist), then
    ``../shared/data`` beside the working directory or beside this checkout. ``"simulated"`` forces the
    built-in simulator.

    Parameters
    ----------
    data_dir : str, Path or None
        A folder, ``"simulated"``, or None to look in the default places.

    Returns
    -------
    Path or None
        The folder, or None for simulated data.
    """
    if str(data_dir) == SIMULATED or (data_dir is None and os.environ.get(DATA_ENV) == SIMULATED):
        if not Path(SIMULATED).is_dir():
            return None
    if data_dir is not None:
        path = Path(data_dir).expanduser()
        if not path.is_dir():
            raise DataError(f"data directory {path} does not exist: pass an existing --data-dir or omit it "
                            "to use simulated data")
        return path.resolve()
    env = os.environ.get(DATA_ENV)
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise DataError(f"${DATA_ENV}={env} is not a directory: fix or unset it")
        return path.resolve()
    for cand in _default_data_candidates():
        if cand.is_dir():
            return cand.resolve()
    return None


def cache_dir() -> Path:
    """Directory for cached preprocessed windows (``$EEGRECON_CACHE`` or ``~/.cache/eegrecon``)."""
    env = os.environ.get(CACHE_ENV)
    base = Path(env).expanduser() if env else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    path = base if env else base / "eegrecon"
    path.mkdir(parents=True, exist_ok=True)
    return path
