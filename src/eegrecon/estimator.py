"""The one estimator contract shared by every :class:`~eegrecon.method.Method` and the
:class:`~eegrecon.Denoiser` (scikit-learn's rules, without depending on scikit-learn):

- parameters are exactly the arguments of ``__init__``, stored unchanged under the same names;
  a class without its own ``__init__`` has no parameters;
- ``get_params`` / ``set_params`` / ``repr`` / :func:`clone` are derived from them;
- learned state lives in attributes ending in ``_``; using an estimator that needs fitting before ``fit``
  raises :class:`~eegrecon.errors.NotFittedError` (no implicit fitting).
"""

from __future__ import annotations

import copy
import inspect
from typing import Any

from eegrecon.errors import NotFittedError, OptionError

_SKIPPED_KINDS = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


class Estimator:
    """Mixin giving ``get_params``, ``set_params``, ``repr`` and the fitted check from ``__init__``'s signature."""

    @classmethod
    def _param_names(cls) -> list[str]:
        """Names of the ``__init__`` arguments (none when the class keeps ``object.__init__``)."""
        if cls.__init__ is object.__init__:
            return []
        params = inspect.signature(cls.__init__).parameters.values()
        return [p.name for p in params if p.name != "self" and p.kind not in _SKIPPED_KINDS]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor arguments as stored.

        Parameters
        ----------
        deep : bool
            Also list the parameters of nested estimators as ``<name>__<parameter>``.

        Returns
        -------
        dict
            Parameter name → value.
        """
        out: dict[str, Any] = {}
        for name in self._param_names():
            value = getattr(self, name)
            out[name] = value
            if deep and isinstance(value, Estimator):
                out.update({f"{name}__{k}": v for k, v in value.get_params(deep=True).items()})
        return out

    def set_params(self, **params: Any) -> Estimator:
        """Set constructor arguments (``<name>__<parameter>`` reaches a nested estimator).

        Parameters
        ----------
        **params
            Parameter name → new value.

        Returns
        -------
        Estimator
            ``self``.
        """
        valid = self._param_names()
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise OptionError(f"{type(self).__name__} has no parameter {name!r}; "
                                  f"must be one of {', '.join(valid) or '(none)'}")
            if sub:
                getattr(self, name).set_params(**{sub: value})
            else:
                setattr(self, name, value)
        return self

    def __sklearn_is_fitted__(self) -> bool:
        """True when the estimator can be used: it learns nothing, or ``fit`` has run."""
        return self._is_fitted()

    def _is_fitted(self) -> bool:
        return any(k.endswith("_") and not k.startswith("__") for k in vars(self))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params(deep=False).items())
        return f"{type(self).__name__}({args})"


def check_is_fitted(estimator: Estimator, hint: str = "") -> None:
    """Raise :class:`~eegrecon.errors.NotFittedError` unless ``estimator`` is ready to use.

    Parameters
    ----------
    estimator : Estimator
        The estimator about to be used.
    hint : str
        What to do instead, appended to the message (default: call ``fit``).
    """
    if not estimator.__sklearn_is_fitted__():
        raise NotFittedError(f"this {type(estimator).__name__} is not fitted yet: "
                             f"{hint or 'call fit(...) before using it'}")


def clone(estimator: Any) -> Any:
    """A new, unfitted estimator with the same parameters (nested estimators cloned, other values deep-copied).

    Parameters
    ----------
    estimator : Estimator or object
        The estimator; anything else is deep-copied.

    Returns
    -------
    object
        The copy.
    """
    if not isinstance(estimator, Estimator):
        return copy.deepcopy(estimator)
    params = {k: clone(v) for k, v in estimator.get_params(deep=False).items()}
    return type(estimator)(**params)
