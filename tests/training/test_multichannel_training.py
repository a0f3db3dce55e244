"""Channel subsets the multichannel model trains on: scattered ones and contiguous regions."""

import numpy as np
import pytest

from eegrecon.data.montage import positions_from_names
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
