"""The study corpus: clean EEG and artifact windows per family, split train/val/test, with provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from eegrecon.data.simulate import simulated_clean_windowset
from eegrecon.data.sources import FAMILIES, SOURCES, Source
from eegrecon.data.splits import SPLITS, check_disjoint, split_windowset
from eegrecon.data.user_files import eegdenoisenet_sources, recordings_source
from eegrecon.data.windowing import WindowConfig, load_source_windows
from eegrecon.data.windowset import WindowSet
from eegrecon.errors import DataError


class DataConfig(BaseModel):
    """What data to build and how to split it.

    Parameters
    ----------
    window : WindowConfig
        Rate, window length and overlaps.
    sources : list of str or None
        Real sources to use (default: all found).
    split_seed : int
        Seed of the subject/recording-disjoint split.
    fractions : (float, float, float)
        Train, validation and test shares of windows.
    clean_files : list of str
        Extra clean-EEG recordings (any format MNE reads), one group each.
    sim_subjects : int
        Simulated subjects when no real clean EEG is found.
    sim_windows_per_subject : int
        Windows per simulated subject.
    sim_artifact_recordings : int
        Simulated recordings per artifact family when no real one is found.
    sim_windows_per_recording : int
        Windows per simulated artifact recording.
    """

    window: WindowConfig = Field(default_factory=WindowConfig)
    sources: list[str] | None = Field(None, description="real sources to use (default: all found)")
    split_seed: int = 0
    fractions: tuple[float, float, float] = (0.7, 0.15, 0.15)
    clean_files: list[str] = Field(default_factory=list,
                                   description="extra clean-EEG recordings (any format MNE reads), one group each")
    sim_subjects: int = Field(12, description="simulated subjects when no real clean EEG is found")
    sim_windows_per_subject: int = 80
    sim_artifact_recordings: int = 8
    sim_windows_per_recording: int = 60


@dataclass
class Corpus:
    """Clean and artifact windows per split plus the split manifest.

    Parameters
    ----------
    clean : dict of str to WindowSet
        ``clean[split]``.
    artifacts : dict of str to dict of str to WindowSet
        ``artifacts[family][split]``.
    manifest : dict
        Which groups went where, per source, with licences.
    """

    clean: dict[str, WindowSet]
    artifacts: dict[str, dict[str, WindowSet]]
    manifest: dict = field(default_factory=dict)

    @property
    def sfreq(self) -> float:
        """Sampling rate of every window, Hz."""
        return self.clean["train"].sfreq

    def pools(self, split: str) -> dict[str, WindowSet]:
        """Real artifact windows of one split, by family (the input of the noise registry).

        Parameters
        ----------
        split : {"train", "val", "test"}
            The split.

        Returns
        -------
        dict of str to WindowSet
            Family → windows (families without windows in that split are left out).
        """
        return {fam: parts[split] for fam, parts in self.artifacts.items() if len(parts[split])}

    def summary_table(self) -> pd.DataFrame:
        """Windows per split and per source, with family, licence and split mode.

        Returns
        -------
        pandas.DataFrame
            One row per source.
        """
        rows = []
        for name, m in self.manifest["sources"].items():
            rows.append({"source": name, "family": m["family"], **m["windows"], "split_by": m["mode"],
                         "licence": m["licence"], "ships_in_model": "yes" if m["redistributable"] else "no"})
        return pd.DataFrame(rows)

    def used_sources(self) -> list[dict]:
        """The sources in this corpus with family, licence and whether they may ship in a model.

        Returns
        -------
        list of dict
            One entry per source (recorded in checkpoint configs).
        """
        return [{"name": n, **{k: v for k, v in m.items() if k in ("family", "licence", "redistributable")}}
                for n, m in self.manifest.get("sources", {}).items()]


def _source_entry(src: Source) -> dict:
    return {"family": src.family, "licence": src.licence, "redistributable": src.redistributable,
            "citation": src.citation, "folder": src.folder}


def build_corpus(data_dir: Path | None, cfg: DataConfig | None = None, progress=None) -> Corpus:
    """Load (from cache when possible) and split every available source; simulate clean EEG if none.

    Parameters
    ----------
    data_dir : Path or None
        Real data folder, or None for simulated data.
    cfg : DataConfig or None
        Settings (defaults when None).
    progress : callable or None
        Told, as a string, what is being loaded.

    Returns
    -------
    Corpus
        The split windows.
    """
    cfg = cfg or DataConfig()
    registry = dict(SOURCES)
    if data_dir is not None and (Path(data_dir) / "eegdenoisenet").is_dir():
        registry.update({s.name: s for s in eegdenoisenet_sources(Path(data_dir) / "eegdenoisenet")})
    for f in cfg.clean_files:
        if not Path(f).is_file():
            raise DataError(f"{f}: clean-EEG file not found")
    if cfg.clean_files:
        registry["user_files"] = recordings_source([Path(f) for f in cfg.clean_files])
    wanted = cfg.sources or list(registry)
    unknown = [s for s in wanted if s not in registry]
    if unknown:
        raise DataError(f"unknown source(s) {unknown}; known: {', '.join(registry)}")
    manifest: dict = {"split_seed": cfg.split_seed, "fractions": list(cfg.fractions),
                      "window": cfg.window.model_dump(), "data_dir": str(data_dir) if data_dir else None,
                      "sources": {}}
    per_family: dict[str, list[dict[str, WindowSet]]] = {f: [] for f in FAMILIES}
    for name in wanted:
        src = registry[name]
        if not src.available(data_dir):
            continue
        if progress:
            progress(f"loading {name}")
        ws, cached = load_source_windows(src, data_dir, cfg.window)
        if len(ws) == 0:
            continue
        parts, entry = split_windowset(ws, cfg.fractions, cfg.split_seed)
        manifest["sources"][name] = {**_source_entry(src), **entry, "cached": cached}
        per_family[src.family].append(parts)
    if per_family["clean"]:
        clean = {s: WindowSet.concat([p[s] for p in per_family["clean"]]) for s in SPLITS}
        manifest["clean_origin"] = "real"
    else:
        sim = simulated_clean_windowset(cfg.sim_subjects, cfg.sim_windows_per_subject, cfg.window.n_times,
                                        cfg.window.sfreq, seed=cfg.split_seed)
        clean, entry = split_windowset(sim, cfg.fractions, cfg.split_seed)
        manifest["sources"]["simulated_eeg"] = {"family": "clean", "licence": "generated (eegrecon)",
                                                "redistributable": True, "citation": "", **entry}
        manifest["clean_origin"] = "simulated"
    check_disjoint(clean)
    artifacts: dict[str, dict[str, WindowSet]] = {}
    for fam in FAMILIES[1:]:
        if per_family[fam]:
            artifacts[fam] = {s: WindowSet.concat([p[s] for p in per_family[fam]]) if any(
                len(p[s]) for p in per_family[fam]) else _empty(cfg.window) for s in SPLITS}
            check_disjoint(artifacts[fam])
    manifest["artifact_families_real"] = sorted(artifacts)
    return Corpus(clean, artifacts, manifest)


def _empty(w: WindowConfig) -> WindowSet:
    return WindowSet(np.empty((0, w.n_times), np.float32), w.sfreq, np.array([], str), np.array([], str))
