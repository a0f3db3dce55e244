"""Nothing injected, or nothing written: the guards every cleaned chunk passes before it leaves the engine.

- :func:`guard_power`: each :data:`GUARD_S` stretch of each cleaned channel whose power rises by more than
  :data:`RISE_LIMIT_DB` in any band of :mod:`~eegrecon.clean.power_change` — a band that gained at least
  :data:`GAIN_FLOOR_DB` of the channel's power, so that a notched mains bin or the empty delta band of a test
  signal does not count — is returned as read. A cleaner only removes; a rise is something the cleaning added.
  Around it the correction fades in over :data:`FADE_S` instead of starting at once (a step in the correction
  would itself add power at every frequency); at a chunk's edge it cannot, and starts at once.
- :func:`keep_as_read`: bad spans returned as read, the correction fading in beside them.
- :func:`keep_in_range`: a cleaned sample beyond what the file can hold (its physical range) is returned as read
  instead of being clipped on writing.
"""

from __future__ import annotations

import numpy as np

from eegrecon.clean.power_change import PowerChange

#: the largest rise of a band's power, per channel and stretch, that a cleaning may cause, dB
RISE_LIMIT_DB = 1.0
#: a band's gain counts when it is at least this much of the channel's power (all bands), dB (−30 dB: 0.1 %)
GAIN_FLOOR_DB = -30.0
#: length of the stretches checked, s (a chunk's last, shorter part joins the stretch before it)
GUARD_S = 10.0
#: the correction's fade beside a stretch or span returned as read, s
FADE_S = 0.5


def stretches(n: int, step: int, kept: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Stretches of at most about ``step`` samples covering ``[0, n)`` outside ``kept``.

    Parameters
    ----------
    n, step : int
        Samples in all, and per stretch (a run's last, shorter part joins the stretch before it).
    kept : ndarray of bool, shape (n,), or None
        Samples already as read (a file's acquisition skips, bad spans: their edges would swamp any band's power).

    Returns
    -------
    list of (int, int)
    """
    runs = [(0, n)]
    if kept is not None and kept.any():
        edges = np.flatnonzero(np.diff(np.r_[0, (~kept).astype(np.int8), 0]))
        runs = list(zip(edges[::2], edges[1::2]))
    out = []
    for a0, b0 in runs:
        edges = list(range(a0, b0, step)) + [b0]
        if len(edges) > 2 and edges[-1] - edges[-2] < step // 2:
            del edges[-2]
        out += [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:]) if b - a >= 2]
    return out


def _keep_weight(n: int, spans: list[tuple[int, int]], fade: int) -> np.ndarray:
    """How much of the correction each of ``n`` samples keeps: 0 inside ``spans`` (returned exactly as read), a
    raised-cosine fade over ``fade`` samples either side of them (within the chunk), 1 elsewhere."""
    w = np.ones(n)
    ramp = 0.5 * (1 - np.cos(np.pi * (np.arange(fade) + 1) / (fade + 1)))  # from near 0 up to near 1
    k = np.arange(fade)
    for a, b in spans:  # k samples away from the span: ramp[k]
        for idx in (a - 1 - k, b + k):
            ok = (idx >= 0) & (idx < n)
            w[idx[ok]] = np.minimum(w[idx[ok]], ramp[ok])
    for a, b in spans:
        w[a:b] = 0.0
    return w


def guard_power(out: np.ndarray, orig: np.ndarray, rows: np.ndarray, sfreq: float, names: list[str],
                start_s: float, returned: dict[str, dict], kept: np.ndarray | None = None,
                limit_db: float = RISE_LIMIT_DB) -> None:
    """Return as read (in ``out``, in place) each stretch of ``rows`` whose power rose above ``limit_db``.

    Parameters
    ----------
    out : ndarray, shape (n_rows, n)
        The cleaned chunk (changed in place).
    orig : ndarray, shape (n_rows, n)
        The same samples as read.
    rows : ndarray of int
        The rows cleaned (others are not looked at).
    sfreq : float
        Rate, Hz.
    names : list of str
        Names of ``rows``.
    start_s : float
        Where the chunk starts in the recording, s (for the report).
    returned : dict
        Channel → ``{"db", "band", "stretches_s"}``, filled in place: the largest rise found and the stretches
        returned as read.
    kept : ndarray of bool, shape (n,), or None
        Samples already returned as read for every row (bad spans, acquisition skips): not measured.
    limit_db : float
        The largest rise allowed, dB.
    """
    n = out.shape[1]
    if not len(rows) or n < 2:
        return
    flagged: dict[int, list[tuple[int, int]]] = {}
    for a, b in stretches(n, max(2, int(round(GUARD_S * sfreq))), kept):
        check = PowerChange(sfreq, names).update(orig[rows, a:b], out[rows, a:b])
        if not check.bands:
            return
        change = check.injected_db(GAIN_FLOOR_DB)
        for k in np.flatnonzero(change.max(axis=1) > limit_db):
            j = int(np.argmax(change[k]))
            seen = returned.setdefault(names[k], {"db": -np.inf, "band": None, "stretches_s": []})
            if change[k, j] > seen["db"]:
                seen.update(db=round(float(min(change[k, j], 999.0)), 2), band=list(check.bands)[j])
            seen["stretches_s"].append((round(start_s + a / sfreq, 3), round(start_s + b / sfreq, 3)))
            spans = flagged.setdefault(int(k), [])
            # neighbours (or with only kept samples between them) are returned together, with no fade between
            if spans and (spans[-1][1] == a or (kept is not None and kept[spans[-1][1]:a].all())):
                spans[-1] = (spans[-1][0], b)
            else:
                spans.append((a, b))
    fade = int(round(FADE_S * sfreq))
    for k, spans in flagged.items():
        r = rows[k]
        w = _keep_weight(n, spans, fade)
        less = w < 1  # the rest keeps its cleaned samples bit for bit
        out[r, less] = orig[r, less] - w[less] * (orig[r, less] - out[r, less])


def keep_as_read(out: np.ndarray, orig: np.ndarray, kept: np.ndarray, sfreq: float) -> None:
    """Return ``kept`` samples as read (bad spans) in every row of ``out`` (in place), the correction fading in
    over :data:`FADE_S` beside them: it does not stop at once at a span's edge (a step would add power).

    Parameters
    ----------
    out, orig : ndarray, shape (n_rows, n)
        The cleaned chunk (changed in place) and the same samples as read.
    kept : ndarray of bool, shape (n,)
        The samples to return as read.
    sfreq : float
        Rate, Hz.
    """
    edges = np.flatnonzero(np.diff(np.r_[0, kept.astype(np.int8), 0]))
    w = _keep_weight(out.shape[1], list(zip(edges[::2], edges[1::2])), int(round(FADE_S * sfreq)))
    less = w < 1
    out[:, less] = orig[:, less] - w[less] * (orig[:, less] - out[:, less])


def keep_in_range(out: np.ndarray, orig: np.ndarray, limits: np.ndarray) -> int:
    """Return as read (in ``out``, in place) every sample that left its row's range; how many did.

    A row's range is its declared one widened to what the chunk holds as read (some files hold samples beyond
    their header's range; a cleaned sample may go where the input went).

    Parameters
    ----------
    out : ndarray, shape (n_rows, n)
        The cleaned chunk (changed in place).
    orig : ndarray, shape (n_rows, n)
        The same samples as read.
    limits : ndarray, shape (n_rows, 2)
        Lowest and highest value per row.

    Returns
    -------
    int
        Samples returned as read.
    """
    low = np.minimum(limits[:, :1], orig.min(axis=1, keepdims=True))
    high = np.maximum(limits[:, 1:], orig.max(axis=1, keepdims=True))
    beyond = ((out < low) | (out > high)) & (out != orig)
    out[beyond] = orig[beyond]
    return int(beyond.sum())
