"""The training loop: config + overrides, checkpoints, kill/resume, torchrun with two processes."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from eegrecon.errors import EegreconError
from eegrecon.models.neural import NeuralMethod
from eegrecon.models.pretrained import load_method
from eegrecon.training import load_config, train

TINY = ["data_dir=simulated", "data.sim_subjects=4", "data.sim_windows_per_subject=24", "batch_size=8",
        "val_windows=6", "val_snrs=[-5,0]", "model_kwargs={width: 8, context: 16}", "warmup_steps=2"]


def _cfg(*extra):
    return load_config(None, [*TINY, *extra])


def test_overrides_are_validated_and_nested():
    cfg = _cfg("max_steps=12", "data.split_seed=3", "lr=0.01")
    assert (cfg.max_steps, cfg.data.split_seed, cfg.lr) == (12, 3, 0.01)
    assert cfg.model_kwargs == {"width": 8, "context": 16}
    with pytest.raises(EegreconError, match="batch_size"):
        load_config(None, ["batch_size=many"])
    with pytest.raises(EegreconError, match="key=value"):
        load_config(None, ["batch_size"])


def test_config_file_and_saved_resolved_config(tmp_path):
    (tmp_path / "c.yaml").write_text("model: eegrecon_net\nmax_steps: 5\nloss: l1\n")
    cfg = load_config(tmp_path / "c.yaml", [*TINY, "max_steps=4", "val_every=2"])
    assert (cfg.max_steps, cfg.loss) == (4, "l1")
    res = train(cfg, tmp_path / "run")
    assert res["steps"] == 4
    saved = load_config(tmp_path / "run" / "config.yaml")
    assert saved == cfg
    log = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log] == [2, 4] and all(np.isfinite(r["val_mse"]) for r in log)
    meta = json.loads((tmp_path / "run" / "checkpoints" / "best.json").read_text())
    for key in ("sfreq", "window_s", "normalisation", "snr_protocol", "artifact_types", "data_sources",
                "split_seed", "version", "weights_sha256"):
        assert key in meta, key
    assert meta["snr_protocol"]["train_range_db"] == [-7.0, 2.0]


def test_killed_and_resumed_run_equals_uninterrupted(tmp_path):
    cfg = _cfg("max_steps=12", "val_every=4", "patience=100")
    train(cfg, tmp_path / "full")
    # "kill" after step 6, i.e. between checkpoints (the last one is at step 4): steps 5-6 are lost and redone
    train(cfg, tmp_path / "resumed", stop_after=6)
    assert json.loads((tmp_path / "resumed" / "checkpoints" / "last.json").read_text())["step"] == 4
    train(cfg, tmp_path / "resumed", resume=True)
    a = load_file(tmp_path / "full" / "checkpoints" / "last.safetensors")
    b = load_file(tmp_path / "resumed" / "checkpoints" / "last.safetensors")
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)
    other = _cfg("max_steps=12", "val_every=4", "patience=100", "seed=1")
    train(other, tmp_path / "seed1")
    c = load_file(tmp_path / "seed1" / "checkpoints" / "last.safetensors")
    assert not all(torch.equal(a[k], c[k]) for k in a), "a different seed must give a different run"


def test_trained_checkpoint_loads_as_method(tmp_path):
    train(_cfg("max_steps=4", "val_every=4"), tmp_path / "run")
    for ref in (tmp_path / "run", tmp_path / "run" / "checkpoints" / "best.safetensors"):
        method = load_method(ref)
        assert isinstance(method, NeuralMethod) and method.sfreq == 256.0
        x = np.random.default_rng(0).standard_normal((3, 512))
        assert method.denoise(x, 256.0).shape == (3, 512)
    with pytest.raises(EegreconError, match="expects 256 Hz"):
        method.denoise(x, 500.0)
    with pytest.raises(EegreconError, match="neither a checkpoint"):
        load_method(tmp_path / "nothing")


def test_fine_tuning_starts_from_the_given_checkpoint(tmp_path):
    train(_cfg("max_steps=4", "val_every=4"), tmp_path / "start")
    start = tmp_path / "start" / "checkpoints" / "best"
    # at a zero learning rate the weights stay what they were loaded as (batch-norm statistics still move)
    train(_cfg("max_steps=2", "val_every=2", "lr=0", "weight_decay=0", f"init_from={start}"), tmp_path / "tuned")
    a = load_file(start.with_suffix(".safetensors"))
    b = load_file(tmp_path / "tuned" / "checkpoints" / "best.safetensors")
    weights = [k for k in a if "running" not in k and "num_batches" not in k]
    assert weights and all(torch.equal(a[k], b[k]) for k in weights)
    fresh = tmp_path / "fresh"
    train(_cfg("max_steps=2", "val_every=2", "lr=0", "weight_decay=0"), fresh)
    c = load_file(fresh / "checkpoints" / "best.safetensors")
    assert not all(torch.equal(a[k], c[k]) for k in weights)
    with pytest.raises(EegreconError, match="does not fit"):
        train(_cfg("max_steps=2", "model_kwargs={width: 12, context: 16}", f"init_from={start}"), tmp_path / "bad")


def test_torchrun_two_processes_gloo(tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "--master-port", "29531",
           "-m", "eegrecon.cli", "train", "--out", str(tmp_path / "ddp"), *TINY, "max_steps=6", "val_every=3"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if proc.returncode != 0 and "terminate called without an active exception" in proc.stderr:
        # a rare abort of one rank while gloo tears down (seen once in ~10 runs on torch 2.13, 2026-11-30);
        # one fresh attempt, any other failure or a second abort still fails the test
        shutil.rmtree(tmp_path / "ddp", ignore_errors=True)
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    log = [json.loads(line) for line in (tmp_path / "ddp" / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log] == [3, 6], "rank 0 alone logs, once per validation"
    assert (tmp_path / "ddp" / "checkpoints" / "best.safetensors").is_file()


def test_plateau_schedule_drops_the_rate_then_stops_and_stays_stopped(tmp_path):
    from eegrecon.training.loop import lr_at

    cfg = _cfg("lr_schedule=plateau", "lr=0.01", "plateau_factor=0.5", "warmup_steps=2")
    assert [lr_at(s, cfg, d) for s, d in ((0, 0), (5, 0), (5, 1), (500, 2))] == [0.005, 0.01, 0.005, 0.0025]
    # a zero rate never changes the weights, so validation improves once and then never again:
    # 2 rounds without improvement → drop, twice, then 2 more → stop
    frozen = _cfg("lr_schedule=plateau", "lr=0.0", "patience=2", "plateau_drops=2", "val_every=2", "max_steps=100")
    res = train(frozen, tmp_path / "run")
    assert (res["steps"], res["best_step"], res["lr_drops"], res["stopped_by"]) == (14, 2, 2, "patience")
    log = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log] == list(range(2, 16, 2))
    again = train(frozen.model_copy(update={"max_steps": 200}), tmp_path / "run", resume=True)
    assert again["steps"] == 14, "a run that stopped on patience has converged: resuming it trains no further"
    capped = train(_cfg("lr_schedule=plateau", "max_steps=4", "val_every=2"), tmp_path / "capped")
    assert capped["stopped_by"] == "max_steps"
