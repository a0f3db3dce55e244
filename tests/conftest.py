"""Shared fixtures: an isolated cache, the optional real-data folder, small simulated corpora."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("EEGRECON_CACHE", str(tmp_path_factory.mktemp("cache")))
    mp.delenv("EEGRECON_DATA", raising=False)
    yield
    mp.undo()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data folder beside the checkout; tests using it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (CI has it; see README 'Data')")
    return SHARED_DATA


@pytest.fixture(scope="session")
def real_corpus(shared_data):
    from eegrecon.data.corpus import build_corpus

    return build_corpus(shared_data)


@pytest.fixture(scope="session")
def sim_corpus():
    from eegrecon.data.corpus import DataConfig, build_corpus

    return build_corpus(None, DataConfig(sim_subjects=6, sim_windows_per_subject=30))


@pytest.fixture
def no_shared(monkeypatch, tmp_path):
    """Behave as on a machine without ../shared: no default data folder is found."""
    import eegrecon.paths

    monkeypatch.setattr(eegrecon.paths, "_default_data_candidates", lambda: [])
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
