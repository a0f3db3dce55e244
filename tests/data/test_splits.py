import numpy as np

from eegrecon.data.splits import SPLITS, assign_groups, check_disjoint, split_windowset
from eegrecon.data.windowset import WindowSet


def _ws(groups):
    groups = np.asarray(groups)
    return WindowSet(np.arange(len(groups) * 4, dtype=float).reshape(-1, 4), 256.0, groups,
                     np.array(["s"] * len(groups)))


def test_group_split_is_disjoint_reproducible_and_covers_all():
    groups = np.repeat([f"S{i}" for i in range(10)], 20)
    a = assign_groups(groups, (0.7, 0.15, 0.15), seed=3)
    assert a == assign_groups(groups, (0.7, 0.15, 0.15), seed=3)
    assert set(a) == set(groups) and set(a.values()) == set(SPLITS)
    assert any(assign_groups(groups, (0.7, 0.15, 0.15), seed=s) != a for s in range(4, 10))
    parts, manifest = split_windowset(_ws(groups), (0.7, 0.15, 0.15), 3)
    check_disjoint(parts)
    assert sum(len(p) for p in parts.values()) == len(groups)
    assert manifest["mode"] == "groups" and manifest["windows"]["train"] == 140


def test_single_recording_is_split_in_time_blocks_with_guard_windows():
    ws = _ws(["R1"] * 100)
    parts, manifest = split_windowset(ws, (0.7, 0.15, 0.15), 0)
    assert manifest["mode"] == "time-blocks"
    check_disjoint(parts)
    first = {s: parts[s].x[:, 0] for s in SPLITS}
    assert first["train"].max() < first["val"].min() < first["val"].max() < first["test"].min()
    # one window dropped at each edge of each block: overlapping windows never straddle two splits
    assert sum(len(p) for p in parts.values()) == 100 - 6


def test_check_disjoint_detects_leak():
    import pytest

    with pytest.raises(AssertionError):
        check_disjoint({"train": _ws(["A", "B"]), "val": _ws(["B"]), "test": _ws(["C"])})
