"""Train/validation/test splits disjoint by subject or recording, seeded and reproducible."""

from __future__ import annotations

import numpy as np

from eegrecon.data.windowset import WindowSet

SPLITS = ("train", "val", "test")


def assign_groups(groups: np.ndarray, fractions: tuple[float, float, float], seed: int) -> dict[str, str]:
    """Map each group to a split so that window counts approach ``fractions``.

    Groups are shuffled with ``seed`` then taken largest first, each to the split furthest below its target;
    with ≥ 3 groups every split receives at least one.

    Parameters
    ----------
    groups : ndarray of str
        Group of each window.
    fractions : (float, float, float)
        Train, validation and test shares.
    seed : int
        Shuffle seed.

    Returns
    -------
    dict of str to str
        Group → split.
    """
    names, counts = np.unique(groups, return_counts=True)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(names))
    order = order[np.argsort(-counts[order], kind="stable")]
    target = np.asarray(fractions, dtype=float) / sum(fractions) * counts.sum()
    filled = np.zeros(3)
    members: list[list[int]] = [[], [], []]
    for i in order:
        k = int(np.argmax(target - filled))
        members[k].append(i)
        filled[k] += counts[i]
    if len(names) >= 3:
        for k in range(3):
            if not members[k]:
                donor = int(np.argmax([len(m) for m in members]))
                smallest = min(members[donor], key=lambda i: counts[i])
                members[donor].remove(smallest)
                members[k].append(smallest)
    return {str(names[i]): SPLITS[k] for k in range(3) for i in members[k]}


def split_windowset(ws: WindowSet, fractions: tuple[float, float, float], seed: int
                    ) -> tuple[dict[str, WindowSet], dict]:
    """Split one source's windows.

    With ≥ 3 groups the split is by group. With fewer (one long recording, e.g. NSTDB ``ma``), each group is
    cut into contiguous time blocks in the split proportions, with one window dropped at each block edge so
    overlapping windows never straddle two splits; the manifest says ``"mode": "time-blocks"``.

    Parameters
    ----------
    ws : WindowSet
        The source's windows, in recording order.
    fractions : (float, float, float)
        Train, validation and test shares.
    seed : int
        Split seed.

    Returns
    -------
    parts : dict of str to WindowSet
        Split → windows.
    manifest : dict
        How the split was made and which groups went where.
    """
    groups = np.unique(ws.groups)
    if len(groups) >= 3:
        mapping = assign_groups(ws.groups, fractions, seed)
        labels = np.array([mapping[g] for g in ws.groups])
        mode = "groups"
        group_lists = {s: sorted(g for g, v in mapping.items() if v == s) for s in SPLITS}
    else:
        labels = np.full(len(ws), "", dtype=object)
        frac = np.cumsum(np.asarray(fractions, dtype=float) / sum(fractions))
        for g in groups:
            idx = np.flatnonzero(ws.groups == g)
            edges = np.r_[0, np.round(frac * len(idx)).astype(int)]
            for k, split in enumerate(SPLITS):
                block = idx[edges[k]:edges[k + 1]]
                labels[block[1:-1] if len(block) > 2 else block[:0]] = split
        labels = labels.astype(str)
        mode = "time-blocks"
        group_lists = {s: [f"{g} (time block)" for g in groups] for s in SPLITS}
    parts = {s: ws.subset(labels == s) for s in SPLITS}
    if mode == "time-blocks":  # a block is its own unit: name it so no group id spans two splits
        for s, part in parts.items():
            part.groups = np.char.add(part.groups, f"#{s}")
    manifest = {"mode": mode, "windows": {s: len(parts[s]) for s in SPLITS}, "groups": group_lists}
    return parts, manifest


def check_disjoint(parts: dict[str, WindowSet]) -> None:
    """Raise if a group id appears in more than one split.

    Parameters
    ----------
    parts : dict of str to WindowSet
        Split → windows.
    """
    seen: dict[str, str] = {}
    for split, ws in parts.items():
        for g in np.unique(ws.groups):
            if g in seen and seen[g] != split:
                raise AssertionError(f"group {g} in both {seen[g]} and {split}")
            seen[g] = split
