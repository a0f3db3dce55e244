"""Model variants for the study: small training runs by config override, and test-time wrappers.

``TestTimeEnsemble`` lives in :mod:`eegrecon.method` (the user-facing Denoiser uses it too).
"""

from __future__ import annotations

from pathlib import Path

from eegrecon.baselines.filters import bandpass_notch
from eegrecon.data.corpus import Corpus
from eegrecon.method import Method
from eegrecon.models.neural import NeuralMethod
from eegrecon.training import load_config, train


def train_variant(corpus: Corpus, name: str, overrides: list[str], steps: int, out: Path,
                  threads: int | None = None) -> NeuralMethod:
    """Train the flagship with ``overrides`` for ``steps`` steps; return the best checkpoint as a Method.

    Parameters
    ----------
    corpus : Corpus
        Data.
    name : str
        Variant name (row label and run folder).
    overrides : list of str
        ``key=value`` training settings.
    steps : int
        Training steps.
    out : Path
        Folder for the run.
    threads : int or None
        Torch threads.

    Returns
    -------
    NeuralMethod
        The trained variant.
    """
    base = [f"max_steps={steps}", f"val_every={max(25, steps // 5)}", "val_windows=40", "patience=100",
            f"warmup_steps={min(100, max(1, steps // 10))}"]
    if threads:
        base.append(f"threads={threads}")
    cfg = load_config(None, [*base, *overrides])
    res = train(cfg, Path(out) / name, corpus=corpus)
    return NeuralMethod.from_checkpoint(res["checkpoint"], name)


class PreFiltered(Method):
    """Classical band-pass + notch before the model (removes what lies outside the EEG band for certain).

    Parameters
    ----------
    method : Method
        The model.
    l_freq, h_freq : float or None
        Pass band, Hz.
    notch : float or None
        Mains frequency, Hz.
    name : str or None
        Row label.
    """

    def __init__(self, method: Method, l_freq: float | None = 1.0, h_freq: float | None = 80.0,
                 notch: float | None = 50.0,
                 name: str | None = None):
        self.method, self.l_freq, self.h_freq, self.notch = method, l_freq, h_freq, notch
        self.name = name or f"filter ({l_freq}-{h_freq} Hz, notch {notch}), then {method.name}"

    def denoise(self, noisy, sfreq, **oracle):
        return self.method.denoise(bandpass_notch(noisy, sfreq, self.l_freq, self.h_freq, self.notch), sfreq)


class Fixed(Method):
    """Wrap an already-fitted method so that ``run_methods``' per-noise ``fit`` is a no-op.

    Parameters
    ----------
    method : Method
        The fitted method.
    name : str
        Row label.
    """

    def __init__(self, method: Method, name: str):
        self.method, self.name = method, name
        self.requires_oracle = method.requires_oracle

    def denoise(self, noisy, sfreq, **oracle):
        return self.method.denoise(noisy, sfreq, **oracle)
