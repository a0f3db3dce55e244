"""What each channel of a recording is, read from its name as amplifiers write them, for channels typed EEG.

EDF, BDF and BrainVision files carry no channel types: every signal reads as EEG. The names say more:

- ``EEG Fp1-Ref``, ``EEG Fp1-REF``, ``Fp1-A1``, ``EEG Fp1``, ``Fp1-AVG``: scalp EEG at Fp1 against a reference;
  ``EEG F3-Pz`` (Wearable Sensing DSI) too, when most channels share that second electrode; where they do not
  (``Fp1-F3``, ``F3-C3``) the channels are bipolar derivations: EEG without a position;
- ``A1``, ``A2``, ``M1``, ``M2``, ``EEG A2-A1``, ``POL $A1``: ear and mastoid references, not scalp EEG;
- ``POL …`` (Nihon Kohden's polygraphic inputs), ``EXG1…8`` (BioSemi's external electrodes), ``Status``, triggers,
  accelerometers, counters: not EEG;
- EOG, ECG/EKG and EMG by name (``EOG left``, ``VEOG``, ``EKG``, ``EMG chin``);
- ``A1…B32`` (BioSemi's ABC layout, 16 or more such names) and ``E1…E256`` (EGI's nets, 32 or more): EEG at
  the positions of the matching BioSemi or EGI HydroCel montage; BioSemi's 16, 32 and 64-channel caps are the
  10-20 positions in the cap's ABC order.

A channel the file (or the user) typed otherwise keeps its type. :func:`channel_roles` reads every channel of a
recording at once, because "F3-Pz" is monopolar only when the other channels share Pz.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from eegrecon.signal.montage import OLD_NAMES, montage_positions, standard_positions, template_montage

#: words that, as a name's first word, say where it comes from rather than what it is
_SOURCE_PREFIXES = ("EEG", "POL")
#: a derivation's second electrode that is a reference, not a scalp site
_REFERENCE_WORDS = {"REF", "REFERENCE", "AVG", "AVERAGE", "AR", "CAR", "LE", "RE", "LINKED", "A1A2", "M1M2", "LM",
                    "MASTOIDS", "EARS", "CMS", "DRL", "GND"}
_EAR_ONLY = {"A1", "A2", "M1", "M2"}  # TP9/TP10, near the mastoids, are scalp sites a 10-05 cap records as EEG
#: (inside a word, whole word) that say a channel's kind: "REOG", "VEOGL", "EKG2", "LOC", "Chin1"
_KIND_WORDS = {"eog": (("EOG",), ("LOC", "ROC")), "ecg": (("ECG", "EKG"), ("HEART",)),
               "emg": (("EMG",), ("CHIN", "CHIN1", "CHIN2", "LEG"))}
_MISC = re.compile(r"^(STATUS|TRIG|TRG|TRIGGER|STI\d*|STIM|EVENTS?|MARKERS?|ANNOTATIONS|EXG\d+|PHOTIC|SPO2|PULSE|PLETH|"
                   r"RESP\w*|DC\d+|BP\d+|X\d+|ACC\w*|AUX\d*|GYRO\w*|TEMP\w*|GSR|EDA|BATTERY|COUNTER|INTERPOLATED|"
                   r"SAMPLE\w*|TIME\w*|CQ_\w+|RAW_CQ|MARKER_\w+|HR|SAO2|POSITION|LIGHT|SOUND|SNORE|FLOW|THOR\w*|"
                   r"ABD\w*|OSAT|E|CZ_REF|VREF|REF|GROUND|GND|CMS|DRL|BIP\d*|PG\d|MIC|AUDIO)$")
_BIOSEMI = re.compile(r"^([A-H])(\d{1,2})$")
_EGI = re.compile(r"^E(\d{1,3})$")
#: fewest names of a layout before a recording is read as that cap
MIN_LAYOUT_NAMES = {"biosemi": 16, "egi": 32}


@dataclass
class ChannelRoles:
    """What a recording's channels are.

    Parameters
    ----------
    kinds : list of str
        Per channel: ``"eeg"``, ``"eog"``, ``"ecg"``, ``"emg"``, ``"ref"`` (ear/mastoid reference) or ``"misc"``;
        channels not typed EEG keep their MNE type.
    sites : list of str or None
        The scalp site each EEG channel stands for (a 10-05 or cap name), None when unknown.
    positions : ndarray, shape (n_chans, 3)
        Head coordinates, metres, of each site (NaN: unknown).
    why : dict of str to str
        Channel → the reading that made it something other than plain EEG, or gave it its site.
    reference : str or None
        The common reference the names show (``"Ref"``, ``"Pz"``, ``"A1"``), if any.
    layout : str or None
        The cap matched by names (``"biosemi64"``, ``"GSN-HydroCel-129"``), if any.
    """

    kinds: list[str]
    sites: list[str | None]
    positions: np.ndarray
    why: dict[str, str] = field(default_factory=dict)
    reference: str | None = None
    layout: str | None = None

    def summary(self) -> str:
        """One line for the report and the CLI: what was understood and what was not."""
        counts = Counter(self.kinds)
        eeg = [s for k, s in zip(self.kinds, self.sites) if k == "eeg"]
        known = sum(s is not None for s in eeg)
        parts = [f"{len(eeg)} EEG ({known} with a scalp position" + (f", {self.layout} layout" if self.layout
                                                                      else "") + ")"]
        parts += [f"{counts[k]} {label}" for k, label in (("ref", "ear/mastoid reference"), ("eog", "EOG"),
                                                           ("ecg", "ECG"), ("emg", "EMG"), ("misc", "not EEG"))
                  if counts[k]]
        if self.reference:
            parts.append(f"names referenced to {self.reference}")
        return ", ".join(parts)


def _words(name: str) -> tuple[str | None, str]:
    """(source prefix or None, the rest) of a name, upper case, ``$`` and spaces trimmed."""
    text = name.strip().upper().replace("$", "")
    head, _, rest = text.partition(" ")
    if head in _SOURCE_PREFIXES and rest.strip():
        return head, rest.strip()
    return None, text


def _split_derivation(core: str) -> tuple[str, str | None]:
    """``"FP1-REF"`` → ("FP1", "REF"); ``"FP1"`` → ("FP1", None)."""
    parts = [p for p in re.split(r"\s*-\s*", core) if p]
    if len(parts) == 2:
        return parts[0], parts[1]
    return core, None


def _kind_by_word(core: str) -> str | None:
    words = [w for w in re.split(r"[^A-Z0-9]+", core) if w]
    for kind, (inside, whole) in _KIND_WORDS.items():
        if any(t in w for w in words for t in inside) or any(w in whole for w in words):
            return kind
    return None


@lru_cache(maxsize=1)
def _spelled() -> dict[str, str]:
    """Upper-case 10-05 name → as the template spells it (``"FP1"`` → ``"Fp1"``)."""
    return {n.upper(): n for n in montage_positions(template_montage())}


def _site(core: str) -> str | None:
    """The 10-05 name ``core`` stands for (old names mapped, as the template spells it), or None."""
    name = OLD_NAMES.get(core, core).rstrip(".")
    return _spelled().get(name, name) if name in standard_positions() else None


def _cap_layout(cores: list[str]) -> tuple[str | None, dict[str, str]]:
    """A BioSemi ABC or EGI E-number cap read from the names: (montage name, core → the montage's channel).

    ``E1…E99`` fit both patterns: the one that names more of the channels wins (EGI for a net's E-numbers).
    """
    biosemi = {c: m for c in cores if (m := _BIOSEMI.match(c)) and 1 <= int(m.group(2)) <= 32}
    if not any(m.group(1) == "A" for m in biosemi.values()):  # every BioSemi cap starts at A1
        biosemi = {}
    egi = {c: int(m.group(1)) for c in cores if (m := _EGI.match(c))}
    if len(egi) >= MIN_LAYOUT_NAMES["egi"] and len(egi) >= len(biosemi):
        top = max(egi.values())
        name, size = next(((n, size) for n, size in (("GSN-HydroCel-32", 32), ("GSN-HydroCel-64_1.0", 64),
                                                     ("GSN-HydroCel-129", 129), ("GSN-HydroCel-257", 257))
                           if top <= size), (None, 0))
        if name is not None:
            spelled = {m.upper(): m for m in montage_positions(name)}
            spelled.setdefault(f"E{size}", spelled.get("CZ"))  # the net's vertex reference, E129/E257, is "Cz"
            return name, {c: spelled[c] for c in egi if spelled.get(c)}
    if len(biosemi) >= MIN_LAYOUT_NAMES["biosemi"]:
        index = {c: (ord(m.group(1)) - ord("A")) * 32 + int(m.group(2)) - 1 for c, m in biosemi.items()}
        size = next(n for n in (16, 32, 64, 128, 256) if n > max(index.values()))
        name = f"biosemi{size}"
        montage = list(montage_positions(name))
        if size >= 128:  # those caps are named A1… themselves
            return name, {c: c for c in index if c in set(montage)}
        return name, {c: montage[i] for c, i in index.items() if i < len(montage)}
    return None, {}


def channel_roles(names: list[str], types: list[str]) -> ChannelRoles:
    """Read what each channel is (see the module's text).

    Parameters
    ----------
    names : list of str
        Channel names as in the file.
    types : list of str
        Their MNE types (only ``"eeg"`` channels are read from their names).

    Returns
    -------
    ChannelRoles
    """
    n = len(names)
    kinds, sites, why = list(types), [None] * n, {}
    pos = np.full((n, 3), np.nan)
    parsed = [_words(name) for name in names]
    derivations = [_split_derivation(core) for _, core in parsed]
    eeg = [i for i in range(n) if types[i] == "eeg"]
    # a second electrode most derivations share is their reference ("Fp1-Ref", "F3-Pz"); otherwise bipolar
    seconds = Counter(derivations[i][1] for i in eeg if derivations[i][1] is not None)
    common = None
    if seconds:
        second, count = seconds.most_common(1)[0]
        if second in _REFERENCE_WORDS or second in _EAR_ONLY or count >= max(2, 0.5 * len(eeg)):
            common = second
    layout, cap_names = _cap_layout([derivations[i][0] for i in eeg])
    cap_positions = montage_positions(layout) if layout else {}
    for i in eeg:
        prefix, core = parsed[i]
        first, second = derivations[i]
        name = names[i]
        kind = _kind_by_word(core)
        if kind is not None:
            kinds[i], why[name] = kind, f"named {kind.upper()}"
        elif first in cap_names and prefix != "POL":  # a cap's "A1" is a scalp site, not an ear
            sites[i] = cap_names[first]
            pos[i] = cap_positions[cap_names[first]]
            if cap_names[first] != first:
                why[name] = f"{layout} cap: {cap_names[first]}"
        elif first in _EAR_ONLY:
            kinds[i], why[name] = "ref", "an ear/mastoid electrode (a reference, not scalp EEG)"
        elif prefix == "POL" or _MISC.match(first):
            kinds[i] = "misc"
            why[name] = ("a polygraphic input (POL)" if prefix == "POL" else "named as a non-EEG input")
        elif second is not None and second != common and second not in _REFERENCE_WORDS:
            why[name] = "a bipolar derivation: no single scalp position"
        elif (site := _site(first)) is not None:
            sites[i] = site
            pos[i] = standard_positions()[site.upper()]
    shown = next((re.split(r"\s*-\s*", names[i].strip())[-1] for i in eeg if derivations[i][1] == common), None)
    return ChannelRoles(kinds, sites, pos, why, shown if common is not None else None, layout)
