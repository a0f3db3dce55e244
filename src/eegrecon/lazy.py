"""Names of a package resolved on first use (PEP 562), so importing one module of a layer stays light."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` that imports ``exports[name]`` when ``name`` is first used.

    Parameters
    ----------
    package : str
        The package's name, for the error message.
    exports : dict of str to str
        Public name → module that defines it.

    Returns
    -------
    callable
        Assign it to the package's ``__getattr__``.
    """

    def __getattr__(name: str) -> Any:
        if name in exports:
            return getattr(importlib.import_module(exports[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
