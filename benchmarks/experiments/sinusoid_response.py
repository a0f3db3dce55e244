"""How much of a small sinusoid each multichannel model removes from a real recording, per frequency.

    python benchmarks/experiments/sinusoid_response.py [--mc-model eegrecon_mc] [--extra-mc LABEL=CHECKPOINT ...]

On real eegmmidb data the network takes 0.5-1 dB of power at 50-70 Hz on every channel (real_data_gamma_spectrum.md).
This probes why. A sinusoid of ``--amplitude`` × the recording's RMS with a random topography (zero mean over the
channels, like the training mixture's residual mains) is added to the first ``--seconds`` of eegmmidb S001R01
(prepared as ``real_data.py`` does: 60-Hz notch, 0.5-Hz high-pass, average reference). The share of it a model removes
is ⟨extra removal, sinusoid⟩ / ⟨sinusoid, sinusoid⟩, where the extra removal is what the model removes with the
sinusoid minus what it removes without it; mean over ``--topographies`` random topographies. 0: the model leaves it;
1: it removes it all. Mains-like sinusoids (50, 60 Hz) are what the training mixture teaches it to remove; the
neighbouring frequencies show how narrow that is. Also run with the recording labelled at other rates
(``--relabel``): the data's own 60-Hz notch then moves in the model's frequency axis, so a loss that stays put is
the model's, not the data's. Writes sinusoid_response.md/.csv to --out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/common.py
from common import band_rows, labelled_paths, prepared_eegmmidb

from eegrecon import Denoiser
from eegrecon.metrics import psd
from eegrecon.paths import resolve_data_dir
from eegrecon.report import to_markdown

OUT = Path(__file__).resolve().parents[1] / "results"


def with_data(raw, data: np.ndarray, sfreq: float | None = None):
    """A Raw with ``raw``'s channels and positions holding ``data`` (volts), declared at ``sfreq`` (default: raw's)."""
    import mne

    info = raw.info if sfreq is None else mne.create_info(raw.ch_names, sfreq, "eeg")
    out = mne.io.RawArray(data, info, verbose="error")
    if sfreq is not None:
        out.set_montage(raw.get_montage(), verbose="error")
    return out


def removed_share(den: Denoiser, raw, freqs: list[float], amplitude: float, topographies: int) -> dict[float, float]:
    """Mean share of an added sinusoid (random zero-mean topography) that ``den`` removes, per frequency."""
    x = raw.get_data()
    base_removed = x - den.transform(raw.copy()).get_data()
    rms = float(np.sqrt(np.mean(x ** 2)))
    rng = np.random.default_rng(0)
    gains = rng.normal(size=(topographies, len(x)))
    gains -= gains.mean(axis=1, keepdims=True)
    gains /= np.sqrt(np.mean(gains ** 2, axis=1, keepdims=True))
    out = {}
    for f0 in freqs:
        shares = []
        for g in gains:
            s = amplitude * rms * np.outer(g, np.sin(2 * np.pi * f0 * raw.times))
            extra = (x + s - den.transform(with_data(raw, x + s)).get_data()) - base_removed
            shares.append(float(np.sum(extra * s) / np.sum(s * s)))
        out[f0] = float(np.mean(shares))
    return out


def band_change(den: Denoiser, raw, channels: list[int], bands: list[tuple[float, float]]) -> list[float]:
    """Power change, dB, output vs input, at ``channels`` per band (the package's PSD, eegrecon.metrics.psd)."""
    sf = raw.info["sfreq"]
    f, px = psd(raw.get_data()[channels], sf)
    _, py = psd(den.transform(raw.copy()).get_data()[channels], sf)
    return [float(10 * np.log10(band_rows(py, f, lo, hi).sum() / band_rows(px, f, lo, hi).sum())) for lo, hi in bands]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mc-model", default="eegrecon_mc")
    ap.add_argument("--extra-mc", action="append", default=[], metavar="LABEL=CHECKPOINT")
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--amplitude", type=float, default=0.3, help="sinusoid RMS over the recording's RMS (÷ √2)")
    ap.add_argument("--topographies", type=int, default=3)
    ap.add_argument("--freqs", type=float, nargs="*", default=[30, 40, 45, 50, 55, 60, 65, 70, 75])
    ap.add_argument("--relabel", type=float, nargs="*", default=[140.0, 160.0, 180.0],
                    help="rates to declare the 160-Hz recording at for the band-change rows")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    root = resolve_data_dir(None)
    if root is None or not (root / "eegmmidb_S001").exists():
        raise SystemExit("needs eegmmidb_S001 in ../shared/data or $EEGRECON_DATA")
    raw = prepared_eegmmidb(root, "R01")["raw"].crop(0, args.seconds)
    models = {args.mc_model: args.mc_model, **labelled_paths(args.extra_mc, "--extra-mc")}
    dens = {label: Denoiser(ref, line_freq=None, reference_regression=False).fit() for label, ref in models.items()}
    rows = [{"model": label, "table": "removed share", **{f"{f:g} Hz": v for f, v in
                                                          removed_share(den, raw, args.freqs, args.amplitude,
                                                                        args.topographies).items()}}
            for label, den in dens.items()]
    posterior = [i for i, c in enumerate(raw.ch_names) if c.startswith(("P", "O", "Iz")) and not c.startswith("Fp")]
    bands = [(lo, lo + 4.0) for lo in np.arange(40.0, 80.0, 4.0)]
    for label, den in dens.items():
        for sf in args.relabel:
            change = band_change(den, with_data(raw, raw.get_data(), sf), posterior, bands)
            rows.append({"model": label, "table": f"declared at {sf:g} Hz (notch at {60 * sf / 160:g} Hz)",
                         **{f"{lo:g}-{hi:g} Hz": v for (lo, hi), v in zip(bands, change)}})
    df = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    df.to_csv(args.out / "sinusoid_response.csv", index=False)
    share = df[df.table == "removed share"].dropna(axis=1, how="all").drop(columns="table")
    change = df[df.table != "removed share"].dropna(axis=1, how="all")
    cmd = "python benchmarks/experiments/sinusoid_response.py" + "".join(f' --extra-mc "{e}"' for e in args.extra_mc)
    lines = [f"# Share of an added sinusoid each multichannel model removes (`{cmd}`)", "",
             f"eegmmidb S001R01, first {args.seconds:g} s, prepared as real_data.py does (60-Hz notch); a sinusoid of "
             f"{args.amplitude:g} × the recording's RMS with a random zero-mean topography, mean over "
             f"{args.topographies} topographies; share = ⟨extra removal, sinusoid⟩ / ⟨sinusoid, sinusoid⟩ "
             "(0: left, 1: removed). Regression on reference channels off (this recording has none).", "",
             to_markdown(share, floatfmt=".2f"), "",
             "## Power change at the posterior channels, dB, with the recording declared at other rates", "",
             "The same samples declared at another rate: the data's 60-Hz notch (and any real content) moves in the "
             "model's frequency axis, the model's own preferences do not.", "",
             to_markdown(change, floatfmt=".2f"), ""]
    (args.out / "sinusoid_response.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
