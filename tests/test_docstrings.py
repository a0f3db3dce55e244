"""numpydoc ``Parameters`` on every public class and function of the package (models' keyword arguments too).

A public callable with parameters must document each of them in a numpydoc ``Parameters`` section (methods may
inherit the section from the base class they override); one without parameters needs at least a docstring.
CLI commands are the exception: typer turns their docstring into ``--help``, and each option's own ``help=``
documents it, which is checked instead.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import eegrecon

SECTION = re.compile(r"^Parameters\n-{3,}\n(.*?)(?=^\S[^\n]*\n-{3,}\n|\Z)", re.S | re.M)


def _documented_names(doc: str) -> set[str] | None:
    match = SECTION.search(doc)
    if not match:
        return None
    names = set()
    for line in match.group(1).splitlines():
        if line and not line[0].isspace():  # "name : type" or "a, b : type" or "**kwargs"
            names.update(n.strip() for n in line.split(" : ")[0].split(","))
    return names


def _parameters(fn) -> list[str]:
    try:
        sig = inspect.signature(fn)
    except ValueError:  # exception classes: the builtin constructor, nothing of ours to document
        return []
    out = []
    for p in sig.parameters.values():
        if p.name in ("self", "cls"):
            continue
        prefix = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
        out.append(prefix + p.name)
    return out


def _public_callables():
    for info in pkgutil.walk_packages(eegrecon.__path__, "eegrecon."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                yield module.__name__, f"{module.__name__}.{name}", obj, obj
            elif inspect.isclass(obj):
                yield module.__name__, f"{module.__name__}.{name}", obj, obj
                for attr, member in vars(obj).items():
                    fn = member.__func__ if isinstance(member, classmethod | staticmethod) else member
                    if attr.startswith("_") or not inspect.isfunction(fn):
                        continue
                    yield module.__name__, f"{module.__name__}.{name}.{attr}", fn, getattr(obj, attr)


CALLABLES = sorted({q: (m, f, b) for m, q, f, b in _public_callables()}.items())


def test_every_public_callable_documents_its_parameters():
    problems = []
    for qual, (module, fn, bound) in CALLABLES:
        params = _parameters(fn)
        if module in ("eegrecon.cli", "eegrecon.cli_bids"):
            missing = [p for p in inspect.signature(fn).parameters.values() if not getattr(p.default, "help", None)]
            if inspect.getdoc(fn) is None or missing:
                problems.append(f"{qual}: command docstring or help= of {[p.name for p in missing]}")
            continue
        doc = inspect.getdoc(bound) or ""
        if not doc:
            problems.append(f"{qual}: no docstring")
            continue
        if not params:
            continue
        names = _documented_names(doc)
        if names is None:
            problems.append(f"{qual}: no Parameters section for {params}")
            continue
        undocumented = [p for p in params if p not in names and p.lstrip("*") not in names]
        if undocumented:
            problems.append(f"{qual}: {undocumented} not in Parameters")
    assert problems == [], "\n".join(problems)


def test_the_check_sees_the_whole_package():
    modules = {module for _, (module, _, _) in CALLABLES}
    assert {"eegrecon.clean.denoiser", "eegrecon.models.eegrecon_net", "eegrecon.noise.ocular",
            "eegrecon.cli"} <= modules
    assert len(CALLABLES) > 250


@pytest.mark.parametrize("doc,expected", [
    ("Summary.\n\nParameters\n----------\na, b : int\n    Two.\n**kwargs\n    More.\n\nReturns\n-------\nint\n",
     {"a", "b", "**kwargs"}),
    ("Summary only.", None),
])
def test_section_parser(doc, expected):
    assert _documented_names(doc) == expected
