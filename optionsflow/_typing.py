"""Public names typed for checkers and imported on first use (PEP 562) at run time.

A package lists where each of its public names lives; :func:`lazy_exports` gives it
the module ``__getattr__`` and ``__dir__`` that import the home module the first time
a name is asked for (``import optionsflow`` stays cheap, and ``optionsflow summary``
never loads SciPy or Dask). Type checkers read the same names from the package's
``if TYPE_CHECKING:`` imports.

Examples
--------
>>> getattr_, dir_ = lazy_exports("optionsflow", {"synth_day": "optionsflow.synth"})
>>> getattr_("synth_day").__name__
'synth_day'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Make a package's ``__getattr__`` and ``__dir__`` for names imported on first use.

    Parameters
    ----------
    package
        The package's ``__name__``.
    homes
        Public name -> the module it is defined in (a name that is itself a
        submodule maps to that submodule).

    Returns
    -------
    tuple
        ``(__getattr__, __dir__)`` to assign at the package's top level.

    Examples
    --------
    >>> getattr_, _ = lazy_exports("optionsflow", {"schema": "optionsflow.schema"})
    >>> getattr_("schema").__name__
    'optionsflow.schema'
    """

    def get_attribute(name: str) -> Any:  # noqa: ANN401 (any public object)
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(home)
        value = module if home == f"{package}.{name}" else getattr(module, name)
        setattr(sys.modules[package], name, value)  # the next lookup is a plain attribute
        return value

    def names() -> list[str]:
        return sorted({*vars(sys.modules[package]), *homes})

    return get_attribute, names
