"""BIDS in, derivative out: discovery, sidecars honoured, resumable and idempotent, local and Dask runs agree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pytest

from eegrecon.clean.bids import derivative, run
from eegrecon.clean.bids.dataset import find_recordings, read_recording
from eegrecon.clean.bids.run import clean_bids


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _quiet_clean(root, out=None, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return clean_bids(root, out, **kwargs)


def _derived_path(source_root: Path, out: Path, relative: str) -> object:
    from mne_bids import get_bids_path_from_fname

    path = get_bids_path_from_fname(source_root / relative)
    return path.copy().update(root=out, description="eegrecon", check=False)


def test_discovery_with_each_filter(simulated_bids):
    assert len(find_recordings(simulated_bids)) == 4
    assert [p.subject for p in find_recordings(simulated_bids, subjects=["02"])] == ["02"]
    assert len(find_recordings(simulated_bids, sessions=["1"])) == 3
    assert [p.task for p in find_recordings(simulated_bids, tasks=["blink"])] == ["blink"]
    assert len(find_recordings(simulated_bids, runs=["2"])) == len(find_recordings(simulated_bids, runs=["02"])) == 1
    assert find_recordings(simulated_bids, subjects=["01"], tasks=["rest"], runs=["1"])[0].run in ("1", "01")


def test_a_dataset_is_cleaned_into_a_derivative_that_mne_bids_reads_back(simulated_bids):
    result = _quiet_clean(simulated_bids)
    out = simulated_bids / "derivatives" / "eegrecon"
    assert result.ok and result.counts == {"cleaned": 4, "skipped": 0, "failed": 0}
    described = json.loads((out / "dataset_description.json").read_text())
    assert described["DatasetType"] == "derivative"
    generated = described["GeneratedBy"][0]
    assert generated["Name"] == "eegrecon" and generated["Version"]
    from eegrecon.models.pretrained import get_bundle

    assert get_bundle("eegrecon_mc").meta["weights_sha256"] in generated["Description"]
    assert described["SourceDatasets"]
    index = (out / "index.tsv").read_text().splitlines()
    assert len(index) == 5 and all("\tok\t" in line for line in index[1:])
    for source in find_recordings(simulated_bids):
        cleaned = _derived_path(simulated_bids, out, str(Path(source.fpath).relative_to(simulated_bids)))
        assert Path(cleaned.fpath).name.endswith("_desc-eegrecon_eeg.edf")
        a, b = read_recording(source), read_recording(cleaned)
        assert b.get_channel_types() == a.get_channel_types() and b.info["bads"] == a.info["bads"]
        pos_a, pos_b = a.get_montage().get_positions()["ch_pos"], b.get_montage().get_positions()["ch_pos"]
        np.testing.assert_allclose(pos_b["Fp1"], pos_a["Fp1"])
        sidecar = json.loads(cleaned.copy().update(extension=".json").fpath.read_text())
        assert sidecar["Sources"] and sidecar["eegrecon"]["summary"]["model"]["name"] == "eegrecon_mc"
        assert sidecar["PowerLineFrequency"] == 50  # the source's fields are kept
        assert Path(cleaned.copy().update(suffix="report", extension=".html").fpath).is_file()
        assert not np.array_equal(b.get_data(picks="Fp1"), a.get_data(picks="Fp1"))  # the blinks were cleaned


def test_sidecars_are_honoured_bad_channels_untouched_eog_used_as_reference(simulated_bids):
    out = simulated_bids / "derivatives" / "eegrecon"
    _quiet_clean(simulated_bids, subjects=["01"], tasks=["rest"], runs=["2"])
    source = find_recordings(simulated_bids, subjects=["01"], tasks=["rest"], runs=["2"])[0]
    cleaned = _derived_path(simulated_bids, out, str(Path(source.fpath).relative_to(simulated_bids)))
    a, b = read_recording(source), read_recording(cleaned)
    assert a.info["bads"] == ["T7"]
    np.testing.assert_array_equal(b.get_data(picks="T7"), a.get_data(picks="T7"))
    np.testing.assert_array_equal(b.get_data(picks="VEOG"), a.get_data(picks="VEOG"))
    summary = json.loads(cleaned.copy().update(extension=".json").fpath.read_text())["eegrecon"]["summary"]
    assert summary["references"] == ["VEOG"] and summary["model"]["multichannel"]


def test_a_second_run_skips_everything_and_new_parameters_clean_again(simulated_bids):
    out = simulated_bids / "derivatives" / "eegrecon"
    _quiet_clean(simulated_bids, subjects=["02"])
    before = _files(out)
    again = _quiet_clean(simulated_bids, subjects=["02"])
    assert again.counts == {"cleaned": 0, "skipped": 1, "failed": 0}
    assert _files(out) == before
    changed = _quiet_clean(simulated_bids, subjects=["02"], line_freq=None)
    assert changed.counts["cleaned"] == 1
    source = find_recordings(simulated_bids, subjects=["02"])[0]
    cleaned = _derived_path(simulated_bids, out, str(Path(source.fpath).relative_to(simulated_bids)))
    options = json.loads(cleaned.copy().update(extension=".json").fpath.read_text())["eegrecon"]["options"]
    assert options == {"line_freq": None}


def test_a_failing_recording_is_listed_and_the_others_go_on(simulated_bids):
    broken = find_recordings(simulated_bids, subjects=["02"])[0].fpath
    Path(broken).write_bytes(Path(broken).read_bytes()[:300])  # a truncated EDF header
    result = _quiet_clean(simulated_bids, report=False)
    assert not result.ok and result.counts == {"cleaned": 3, "skipped": 0, "failed": 1}
    failed = [r for r in result.rows if r["status"] == "failed"]
    assert failed[0]["recording"].startswith("sub-02") and failed[0]["error"]
    index = (simulated_bids / "derivatives" / "eegrecon" / "index.tsv").read_text()
    assert "sub-02" in index and "failed" in index


def test_an_interrupted_run_resumes_to_the_uninterrupted_result(simulated_bids, tmp_path, monkeypatch):
    reference = tmp_path / "uninterrupted"
    _quiet_clean(simulated_bids, reference)
    out = tmp_path / "interrupted"
    real_write_json = derivative.write_json
    calls = {"n": 0}

    def dies_on_the_third_sidecar(dest, content):
        if dest.name.endswith("_desc-eegrecon_eeg.json"):
            calls["n"] += 1
            if calls["n"] == 3:  # the data file, channels, events and report of this recording are written
                (dest.parent / f".{dest.name}.stray.tmp").write_text("half")  # what a SIGKILL leaves
                raise KeyboardInterrupt
        real_write_json(dest, content)

    monkeypatch.setattr(run, "write_json", dies_on_the_third_sidecar)
    with pytest.raises(KeyboardInterrupt):
        _quiet_clean(simulated_bids, out)
    monkeypatch.setattr(run, "write_json", real_write_json)
    resumed = _quiet_clean(simulated_bids, out)
    assert resumed.counts == {"cleaned": 2, "skipped": 2, "failed": 0}
    assert _files(out) == _files(reference)  # the stray temporary file was removed, nothing else differs


def test_local_processes_and_a_dask_cluster_write_the_same_bytes(simulated_bids, tmp_path):
    distributed = pytest.importorskip("distributed", reason="the Dask path needs dask[distributed]")
    serial, parallel, dask = tmp_path / "serial", tmp_path / "parallel", tmp_path / "dask"
    _quiet_clean(simulated_bids, serial, report=False)
    _quiet_clean(simulated_bids, parallel, report=False, n_jobs=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c, \
            distributed.Client(c) as client:
        _quiet_clean(simulated_bids, dask, report=False, client=client)
    assert _files(serial) == _files(parallel) == _files(dask)


def test_the_cli_cleans_a_dataset_and_says_when_something_failed(simulated_bids):
    from typer.testing import CliRunner

    from eegrecon.cli import app

    ok = CliRunner().invoke(app, ["bids", str(simulated_bids), "--subject", "01", "--task", "blink", "--no-report"])
    assert ok.exit_code == 0, ok.output
    assert "1 cleaned" in ok.output
    Path(find_recordings(simulated_bids, subjects=["02"])[0].fpath).write_bytes(b"not an EDF")
    failed = CliRunner().invoke(app, ["bids", str(simulated_bids), "--subject", "01,02", "--no-report"])
    assert failed.exit_code != 0 and "1 failed" in failed.output


@pytest.mark.slow
def test_the_bids_validator_finds_no_error_in_the_derivative(eegmmidb_bids):
    validator = shutil.which("bids-validator-deno")
    if validator is None:
        pytest.skip("bids-validator-deno is not installed (pip install bids-validator-deno)")
    result = _quiet_clean(eegmmidb_bids, report=True)
    assert result.ok
    out = eegmmidb_bids / "derivatives" / "eegrecon"
    done = subprocess.run([validator, str(out), "--json"], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_COLOR": "1"})
    issues = json.loads(done.stdout)["issues"]["issues"]
    errors = [i for i in issues if i.get("severity") == "error"]
    assert not errors, errors[:3]
    source = find_recordings(eegmmidb_bids, runs=["02"])[0]
    cleaned = read_recording(_derived_path(eegmmidb_bids, out, str(Path(source.fpath).relative_to(eegmmidb_bids))))
    assert cleaned.info["bads"] == ["T10"] and cleaned.get_montage() is not None
    assert cleaned.info["line_freq"] == 60
