"""Channel subsets the multichannel model trains on: scattered ones and contiguous regions."""

import numpy as np
import pytest
import torch

from eegrecon.signal.montage import positions_from_names
from eegrecon.training.multichannel import MultichannelTrainConfig, regional_subset

NAMES = ["Fp1", "Fp2", "F3", "F4", "F7", "F8", "T7", "T8", "C3", "C4", "P7", "P8", "P3", "P4", "O1", "O2", "Fz",
         "Cz", "Pz"]


def _pos():
    pos = positions_from_names(NAMES)
    return np.asarray(pos[0] if isinstance(pos, tuple) else pos)


@pytest.mark.parametrize("k", [8, 12, 19])
def test_a_regional_subset_has_k_distinct_sorted_channels(k):
    rng = np.random.default_rng(0)
    for _ in range(20):
        idx = regional_subset(_pos(), k, rng)
        assert len(idx) == k and len(set(idx.tolist())) == k and np.all(np.diff(idx) > 0)


def test_frontal_regions_leave_the_frontopolar_channels_out_and_other_regions_cover_the_head():
    pos, rng = _pos(), np.random.default_rng(1)
    frontal = [regional_subset(pos, 10, rng, frontal_share=1.0) for _ in range(200)]
    fp = [NAMES.index("Fp1"), NAMES.index("Fp2")]
    assert np.mean([np.isin(fp, s).any() for s in frontal]) < 0.05
    assert np.mean([NAMES.index("O1") in s for s in frontal]) > 0.95
    anywhere = [regional_subset(pos, 10, rng, frontal_share=0.0) for _ in range(200)]
    seen = np.bincount(np.concatenate(anywhere), minlength=len(NAMES))
    assert seen.min() > 0  # every channel is in some region
    # a region is contiguous: the kept channels are nearer each other than a random subset's are
    def spread(s):
        return np.mean(np.linalg.norm(pos[s][:, None] - pos[s][None], axis=-1))
    small = [regional_subset(pos, 7, rng, frontal_share=0.0) for _ in range(200)]
    scattered = [np.sort(rng.choice(len(NAMES), 7, replace=False)) for _ in range(200)]
    assert np.mean([spread(s) for s in small]) < 0.85 * np.mean([spread(s) for s in scattered])


def test_regional_subsets_are_off_unless_asked_for():
    assert MultichannelTrainConfig().regional_probability == 0.0
    with pytest.raises(ValueError):
        MultichannelTrainConfig(regional_probability=1.5)


def _synthetic_splits_and_courses():
    from eegrecon.data.multichannel import Courses, Recording

    rng, pos, n = np.random.default_rng(0), _pos(), 256 * 12
    recs = {split: [Recording(rng.normal(0, 10, (len(NAMES), n)).astype(np.float32), 256.0, NAMES, pos, f"{split}{i}")
                    for i in range(2)] for split in ("train", "val")}
    t = np.arange(n) / 256.0
    def course(rows):
        return [np.stack([100 * np.sin(2 * np.pi * f * t + rng.uniform(0, 6)) for f in rng.uniform(0.2, 3, rows)])]
    items = {"eog": {s: course(2) for s in ("train", "val")}, "emg": {s: course(1) for s in ("train", "val")},
             "ecg": {s: course(1) for s in ("train", "val")}}
    return recs, Courses(items, 256.0)


def test_the_validation_set_does_not_depend_on_the_runs_seed():
    from eegrecon.training.multichannel import validation_batches

    recs, courses = _synthetic_splits_and_courses()
    a = validation_batches(recs["val"], courses, MultichannelTrainConfig(seed=0, batch=4), 8)
    b = validation_batches(recs["val"], courses, MultichannelTrainConfig(seed=7, batch=4), 8)
    assert len(a) == 2 and "refs" not in a[0] and "refs" in a[1]
    for x, y in zip(a, b):
        assert x.keys() == y.keys() and all(torch.equal(x[k], y[k]) for k in x)


def _train_and_load(tmp_path, recs, courses, ema_decay):
    from eegrecon.models.checkpoint import load_weights
    from eegrecon.models.multichannel_net import EEGReconMC
    from eegrecon.training.multichannel import train_multichannel, validation_batches, validation_mse

    cfg = MultichannelTrainConfig(steps=16, val_every=8, batch=4, extra_montages=0, val_windows=8, ema_decay=ema_decay,
                                  model_kwargs={"width": 4, "dim": 16})
    res = train_multichannel(recs, courses, tmp_path / f"ema{ema_decay}", cfg)
    saved = EEGReconMC(n_chans=len(NAMES), n_times=512, **cfg.model_kwargs)
    load_weights(tmp_path / f"ema{ema_decay}", saved)
    # the kept checkpoint is the one whose validation MSE was recorded as best
    val = validation_mse(saved, validation_batches(recs["val"], courses, cfg))
    assert res["steps"] == 16 and val == pytest.approx(res["best_val_mse"], rel=1e-5)
    return saved


def test_weight_averaging_is_what_gets_validated_and_saved(tmp_path):
    from eegrecon.models.multichannel_net import EEGReconMC

    recs, courses = _synthetic_splits_and_courses()
    torch.manual_seed(0)  # train_multichannel seeds torch with cfg.seed before building its model
    start = EEGReconMC(n_chans=len(NAMES), n_times=512, width=4, dim=16)
    def moved(m):
        return max((a - b).abs().max().item() for a, b in zip(m.parameters(), start.parameters()))
    plain = moved(_train_and_load(tmp_path, recs, courses, 0.0))
    averaged = moved(_train_and_load(tmp_path, recs, courses, 0.9999))  # barely leaves the first step's weights
    assert plain > 0.01 and averaged < 0.2 * plain


def test_a_step_budget_gives_the_same_run_twice(tmp_path):
    from eegrecon.models.checkpoint import load_weights
    from eegrecon.models.multichannel_net import EEGReconMC
    from eegrecon.training.multichannel import train_multichannel

    recs, courses = _synthetic_splits_and_courses()
    cfg = MultichannelTrainConfig(steps=3, val_every=2, batch=4, extra_montages=0, val_windows=8,
                                  model_kwargs={"width": 4, "dim": 16})
    runs, weights = [], []
    for k in range(2):
        runs.append(train_multichannel(recs, courses, tmp_path / f"run{k}", cfg))
        model = EEGReconMC(n_chans=len(NAMES), n_times=512, **cfg.model_kwargs)
        load_weights(tmp_path / f"run{k}", model)
        weights.append(model.state_dict())
    assert runs[0]["steps"] == 3 and [c["step"] for c in runs[0]["curve"]] == [2, 3]
    assert [c["val_mse"] for c in runs[0]["curve"]] == [c["val_mse"] for c in runs[1]["curve"]]
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])
