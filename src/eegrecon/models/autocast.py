"""Which dtype inference runs in: CPU autocast's state, and parameters cast to the activations' dtype."""

from __future__ import annotations

import torch

if hasattr(torch, "get_autocast_dtype"):  # torch >= 2.4: per-device-type functions

    def cpu_autocast() -> torch.dtype | None:
        """The dtype CPU autocast casts to, None when it is off (:func:`~eegrecon.models.neural.predict` asks for
        bf16 this way)."""
        return torch.get_autocast_dtype("cpu") if torch.is_autocast_enabled("cpu") else None

else:

    def cpu_autocast() -> torch.dtype | None:
        """The dtype CPU autocast casts to, None when it is off."""
        return torch.get_autocast_cpu_dtype() if torch.is_autocast_cpu_enabled() else None


def like(param: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """``param`` in ``x``'s dtype, for the bfloat16 inference path; unchanged under autocast, which casts itself
    (so the autocast path computes exactly what it did before that path existed).

    Parameters
    ----------
    param : torch.Tensor
        A weight or bias (float32).
    x : torch.Tensor
        The activation it meets.

    Returns
    -------
    torch.Tensor
    """
    return param if cpu_autocast() is not None else param.to(x.dtype)
