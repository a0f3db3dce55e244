"""A QC report of one cleaning: what was removed, where, on which channels, with what topography, and what it did to
each band — one self-contained HTML file built with ``mne.Report``.

    report = Denoiser().fit()...; den.qc_report(raw, raw_clean).save("rec_report.html")
    eegrecon denoise rec.edf --out cleaned/ --report          # cleaned/rec_clean_report.html beside the output

Sections (each tagged, so ``report.tags`` lists them): ``summary`` (model and why, mains, channels left alone,
segments, power removed per band and channel group, the largest power rise), ``artifact-map`` (RMS of what was
removed, channels × time), ``stretches`` (the most-corrected stretches before and after, on the channels most
affected), ``spectra`` (PSD before and after per channel group) and ``topomaps`` (the dominant topographies of what
was removed; only with channel positions). At most :data:`MAX_MINUTES` (and :data:`MAX_VALUES` samples of all
channels together) of a recording are read.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from eegrecon.clean.power_change import PowerChange

#: the report reads at most this many minutes of a recording, and this many values per signal (memory)
MAX_MINUTES = 30.0
MAX_VALUES = 10_000_000
#: the artifact map's time bins, s
MAP_BIN_S = 1.0
#: stretches shown, and their length, s
N_STRETCHES, STRETCH_S = 4, 6.0
#: channels shown per stretch
STRETCH_CHANNELS = 4
#: topographies shown
N_TOPOGRAPHIES = 3
#: channel groups by the first letters of standard names (the rest: "other")
GROUPS = {"frontal": ("FP", "AF", "F"), "central": ("FC", "C"), "temporal": ("FT", "T"),
          "parietal": ("CP", "P"), "occipital": ("PO", "O", "I")}
SECTIONS = ("summary", "artifact-map", "stretches", "spectra", "topomaps")


def channel_group(name: str) -> str:
    """The scalp region of a channel by its 10-20/10-05 name (``"other"`` when the name says nothing).

    Parameters
    ----------
    name : str
        Channel name.

    Returns
    -------
    str
    """
    upper = "".join(c for c in name.upper() if c.isalpha())
    best = max(((prefix, group) for group, prefixes in GROUPS.items() for prefix in prefixes
                if upper.startswith(prefix)), key=lambda pg: len(pg[0]), default=(None, "other"))
    return best[1]


def _continuous(inst, picks: list[int]) -> tuple[np.ndarray, float]:
    """(n_picks, n_times) volts and the rate: a Raw as read (at most :data:`MAX_MINUTES` and :data:`MAX_VALUES`),
    Epochs end to end."""
    import mne

    sfreq = float(inst.info["sfreq"])
    if isinstance(inst, mne.BaseEpochs):
        data = inst.get_data(picks=picks)
        return np.concatenate(list(data), axis=1), sfreq
    stop = min(inst.n_times, int(MAX_MINUTES * 60 * sfreq), int(MAX_VALUES // max(len(picks), 1)))
    return inst.get_data(picks=picks, stop=stop), sfreq


def _summary_html(report: dict[str, Any], change: PowerChange, names: list[str]) -> str:
    rows = []
    model = report.get("model") or {}
    if model:
        kind = "multichannel" if model.get("multichannel") else "each channel alone"
        rows.append(("model", f"{model.get('name')} ({kind}): {model.get('reason')}"))
    line = report.get("line_noise") or {}
    rows.append(("mains", f"notched at {line['notched_hz']:g} Hz" if line.get("notched_hz") else "none notched"))
    left = {"broken (kept out of every spatial step, returned as read)": list(report.get("broken_channels") or {}),
            "flat": report.get("flat_channels") or [], "named as non-EEG": report.get("not_eeg_by_name") or [],
            "excluded": list(report.get("excluded") or {}), "not cleaned (bad or other types)":
            report.get("untouched") or []}
    for what, chans in left.items():
        if chans:
            rows.append((f"channels {what}", ", ".join(map(str, chans[:20])) + (" …" if len(chans) > 20 else "")))
    rows.append(("segments cleaned separately", str(report.get("segments", 1))))
    rise = change.largest_rise()
    rows.append(("largest power rise", f"{rise['db']:+.2f} dB ({rise['channel']}, {rise['band']})"))
    table = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
    groups = sorted({channel_group(n) for n in names})
    db = change.group_db({g: [i for i, n in enumerate(names) if channel_group(n) == g] for g in groups})
    head = "".join(f"<th>{html.escape(b)}</th>" for b in change.bands)
    body = "".join(f"<tr><th>{g}</th>" + "".join(f"<td>{v:+.2f}</td>" for v in db[g]) + "</tr>" for g in groups)
    return (f"<table class='table table-sm'>{table}</table><p>Power change per band and channel group, dB (negative: "
            f"removed), in the recording's reference:</p><table class='table table-sm'><tr><th></th>{head}</tr>"
            f"{body}</table>")


def qc_report(before, after, report: dict[str, Any] | None = None, title: str = "eegrecon cleaning"):
    """The QC report of one cleaning.

    Parameters
    ----------
    before, after : mne.io.Raw or mne.Epochs
        The recording as given and as cleaned (same channels, volts).
    report : dict or None
        The Denoiser's ``report_`` for the summary (which channels were cleaned, the model, mains, …).
    title : str
        The report's title.

    Returns
    -------
    mne.Report
        With the sections of :data:`SECTIONS` (``topomaps`` only when the channels have positions).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import mne

    report = dict(report or {})
    names = report.get("channels") or [before.ch_names[i] for i in mne.pick_types(before.info, eeg=True)]
    picks = [before.ch_names.index(n) for n in names]
    x, sfreq = _continuous(before, picks)
    y = _continuous(after, [after.ch_names.index(n) for n in names])[0]
    x, y = x * 1e6, y[:, :x.shape[1]] * 1e6
    removed = x - y
    change = PowerChange(sfreq, names).update(x, y)
    rep = mne.Report(title=title, verbose="error")
    rep.add_html(_summary_html(report, change, names), "Summary", tags=("summary",))

    n_bins = max(1, int(x.shape[1] // (MAP_BIN_S * sfreq)))
    binned = removed[:, :int(n_bins * MAP_BIN_S * sfreq)].reshape(len(names), n_bins, -1)
    rms = np.sqrt(np.mean(binned ** 2, axis=-1))
    fig, ax = plt.subplots(figsize=(11, max(3.0, 0.12 * len(names) + 1)))
    im = ax.imshow(np.log10(rms + 1e-3), aspect="auto", cmap="magma", interpolation="nearest",
                   extent=(0, n_bins * MAP_BIN_S, len(names) - 0.5, -0.5))
    ax.set_yticks(range(len(names)), names, fontsize=6)
    ax.set_xlabel("time (s)")
    fig.colorbar(im, ax=ax, label="log10 RMS removed (µV)")
    rep.add_figure(fig, "Artifact map: what was removed, channels × time", tags=("artifact-map",))
    plt.close(fig)

    width = int(STRETCH_S * sfreq)
    energy = np.convolve((removed ** 2).sum(axis=0), np.ones(width), "valid") if removed.shape[1] >= width \
        else np.array([(removed ** 2).sum()])
    starts: list[int] = []
    for s in np.argsort(-energy):
        if len(starts) == N_STRETCHES or energy[s] <= 0:
            break
        if all(abs(int(s) - t) >= width for t in starts):
            starts.append(int(s))
    for k, s in enumerate(sorted(starts)):
        seg = slice(s, s + width)
        worst = np.argsort(-np.sum(removed[:, seg] ** 2, axis=1))[:STRETCH_CHANNELS]
        t = (np.arange(width)[:removed[:, seg].shape[1]] + s) / sfreq
        fig, axes = plt.subplots(len(worst), 1, figsize=(10, 1.6 * len(worst)), sharex=True, squeeze=False)
        for ax, c in zip(axes[:, 0], worst):
            ax.plot(t, x[c, seg], color="0.6", lw=0.8, label="before")
            ax.plot(t, y[c, seg], color="C0", lw=0.8, label="after")
            ax.set_ylabel(f"{names[c]}\nµV", fontsize=7)
        axes[0, 0].legend(loc="upper right", fontsize=7)
        axes[-1, 0].set_xlabel("time (s)")
        rep.add_figure(fig, f"Most-corrected stretch {k + 1}: {s / sfreq:.1f}–{(s + width) / sfreq:.1f} s",
                       tags=("stretches",))
        plt.close(fig)

    from scipy.signal import welch

    f, px = welch(x, fs=sfreq, nperseg=int(min(x.shape[1], 4 * sfreq)), axis=-1)
    _, py = welch(y, fs=sfreq, nperseg=int(min(x.shape[1], 4 * sfreq)), axis=-1)
    groups = sorted({channel_group(n) for n in names})
    fig, axes = plt.subplots(1, len(groups), figsize=(3.2 * len(groups), 3), squeeze=False, sharey=True)
    for ax, g in zip(axes[0], groups):
        rows = [i for i, n in enumerate(names) if channel_group(n) == g]
        ax.semilogy(f, px[rows].mean(axis=0), color="0.6", label="before")
        ax.semilogy(f, py[rows].mean(axis=0), color="C0", label="after")
        ax.set_title(f"{g} ({len(rows)})", fontsize=9)
        ax.set_xlabel("Hz")
    axes[0, 0].set_ylabel("PSD (µV²/Hz)")
    axes[0, 0].legend(fontsize=7)
    rep.add_figure(fig, "Spectra before and after, per channel group", tags=("spectra",))
    plt.close(fig)

    info = mne.pick_info(before.info, picks)
    locs = np.array([ch["loc"][:3] for ch in info["chs"]])
    has_positions = info.get_montage() is not None and np.isfinite(locs).all() and np.abs(locs).sum() > 0
    if has_positions and len(names) >= 3 and np.any(removed):
        centred = removed - removed.mean(axis=0)
        values, vectors = np.linalg.eigh(centred @ centred.T)
        order = np.argsort(values)[::-1][:N_TOPOGRAPHIES]
        share = values[order] / max(values.sum(), 1e-300)
        fig, axes = plt.subplots(1, len(order), figsize=(3 * len(order), 3), squeeze=False)
        for ax, j, s in zip(axes[0], order, share):
            mne.viz.plot_topomap(vectors[:, j], info, axes=ax, show=False, ch_type="eeg")
            ax.set_title(f"{100 * s:.0f} % of what was removed", fontsize=9)
        rep.add_figure(fig, "Topographies of what was removed", tags=("topomaps",))
        plt.close(fig)
    return rep
