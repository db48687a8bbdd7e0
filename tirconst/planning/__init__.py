"""Static memory planning: offsets for buffers with known lifetimes.

An IR-independent library (TVM USMP's engine, RFC 0009). Describe buffers
with :class:`Buffer` (and optionally :class:`Pool`), then call :func:`plan`::

    from tirconst.planning import Buffer, plan
    p = plan([Buffer("a", 0, 2, 64), Buffer("b", 1, 3, 32)])
    p.offsets  # {"a": 0, "b": 64}

Modules: :mod:`.problem` (model, CSV, errors), :mod:`.bounds` (lower bound,
checker), :mod:`.greedy` (baselines), :mod:`.exact` (branch-and-bound),
:mod:`.algorithms` (registry), :mod:`.pools` (several pools), :mod:`.svg`.
"""

from .algorithms import ALGORITHMS, DEFAULT_ALGORITHM, algorithm_names
from .bounds import check_plan, live_profile, lower_bound
from .planner import DEFAULT_TIME_LIMIT, InvalidPlanError, Plan, plan
from .problem import (
    Buffer,
    PlanningError,
    Pool,
    capacity_from_filename,
    format_csv,
    parse_csv,
    read_csv,
    write_csv,
)
from .svg import plan_svg

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "DEFAULT_TIME_LIMIT",
    "Buffer",
    "InvalidPlanError",
    "Plan",
    "PlanningError",
    "Pool",
    "algorithm_names",
    "capacity_from_filename",
    "check_plan",
    "format_csv",
    "live_profile",
    "lower_bound",
    "parse_csv",
    "plan",
    "plan_svg",
    "read_csv",
    "write_csv",
]
