"""Real recordings in ../shared/data (skipped when absent)."""

import numpy as np
import pytest

from eegrecon.data.sources import SOURCES
from eegrecon.data.splits import check_disjoint
from eegrecon.data.windowing import WindowConfig, load_source_windows


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_source_gives_finite_windows_with_groups_and_licence(shared_data, name):
    src = SOURCES[name]
    ws, _ = load_source_windows(src, shared_data, WindowConfig())
    assert len(ws) > 20
    assert ws.x.shape[1] == 512 and ws.sfreq == 256.0
    assert np.isfinite(ws.x).all()
    assert (ws.x.std(axis=1) > 1e-3).all()
    assert all(g.split(":")[0] for g in ws.groups)
    assert src.licence and isinstance(src.redistributable, bool)


def test_clean_eeg_is_in_microvolts(shared_data):
    ws, _ = load_source_windows(SOURCES["eegmat"], shared_data, WindowConfig())
    med = np.median(ws.x.std(axis=1))
    assert 3.0 < med < 40.0, f"eegmat median window std {med} µV is not scalp EEG in µV"
    assert np.abs(ws.x).max() <= 250.0
    assert len(np.unique(ws.groups)) == 30


def test_eog_sources_hold_over_eight_hours(shared_data):
    hours = 0.0
    for src in SOURCES.values():
        if src.family == "eog":
            ws, _ = load_source_windows(src, shared_data, WindowConfig(artifact_overlap=0.0))
            hours += len(ws) * 2.0 / 3600
    assert hours > 8.0, f"only {hours:.1f} h of EOG windows"


def test_real_corpus_splits_by_subject_and_recording(real_corpus):
    check_disjoint(real_corpus.clean)
    subjects = {s: {g for g in real_corpus.clean[s].groups} for s in ("train", "val", "test")}
    assert all(subjects.values())
    assert not (subjects["train"] & subjects["test"]) and not (subjects["val"] & subjects["test"])
    for fam, parts in real_corpus.artifacts.items():
        check_disjoint(parts)
        assert len(parts["train"]) and len(parts["test"]), fam
    assert real_corpus.manifest["clean_origin"] == "real"
    assert {"eog", "emg", "motion", "ecg", "baseline_wander"} <= set(real_corpus.artifacts)


def test_second_build_reads_cache(shared_data, real_corpus):
    from eegrecon.data.corpus import build_corpus

    again = build_corpus(shared_data)
    assert all(m["cached"] for m in again.manifest["sources"].values())
    np.testing.assert_array_equal(again.clean["test"].x, real_corpus.clean["test"].x)
