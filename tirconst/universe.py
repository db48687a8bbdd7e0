"""What tirconst hands to `xdsl-opt` through the `xdsl.universe` entry point.

Both registries are lazy: a dialect or pass module is imported only when
`xdsl-opt` asks for it by name.
"""

from collections.abc import Callable

from xdsl.ir import Dialect
from xdsl.passes import ModulePass
from xdsl.universe import Universe


def _tir() -> Dialect:
    from tirconst.dialects.tir import Tir

    return Tir


def get_all_dialects() -> dict[str, Callable[[], Dialect]]:
    """Dialect name -> loader."""
    return {"tir": _tir}


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """Pass name -> loader (one module per pass under tirconst.transforms)."""
    return {}


TIRCONST_UNIVERSE = Universe(
    all_dialects=get_all_dialects(), all_passes=get_all_passes()
)
