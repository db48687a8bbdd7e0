"""Static memory planning: offsets for buffers with known lifetimes.

An IR-independent library (TVM USMP's engine, RFC 0009). Describe buffers
with :class:`Buffer` (and optionally :class:`Pool`), then call :func:`plan`::

    from tirconst.planning import Buffer, plan
    p = plan([Buffer("a", 0, 2, 64), Buffer("b", 1, 3, 32)])
    p.offsets  # {"a": 0, "b": 64}

Modules: :mod:`.problem` (model, CSV, errors), :mod:`.bounds` (lower bound,
checker), :mod:`.greedy` (baselines), :mod:`.exact` (branch-and-bound),
:mod:`.algorithms` (registry), :mod:`.pools` (several pools), :mod:`.sharing`
(in-place pairs), :mod:`.report` (per-pool reports, over-capacity lines),
:mod:`.constants` (read-only packing), :mod:`.svg`.
"""

from .algorithms import ALGORITHMS, DEFAULT_ALGORITHM, algorithm_names
from .bounds import check_plan, live_profile, lower_bound, share_groups
from .constants import NPU_CONSTANT_ALIGNMENT, ConstantPacking, pack_constants
from .planner import DEFAULT_POOL, DEFAULT_TIME_LIMIT, InvalidPlanError, Plan, plan
from .problem import (
    Buffer,
    PlanningError,
    Pool,
    capacity_from_filename,
    check_shares,
    format_csv,
    parse_csv,
    read_csv,
    write_csv,
)
from .report import PoolReport, format_over_capacity, format_pool_table
from .svg import plan_svg

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "DEFAULT_POOL",
    "DEFAULT_TIME_LIMIT",
    "Buffer",
    "ConstantPacking",
    "InvalidPlanError",
    "NPU_CONSTANT_ALIGNMENT",
    "Plan",
    "PlanningError",
    "Pool",
    "PoolReport",
    "algorithm_names",
    "capacity_from_filename",
    "check_plan",
    "check_shares",
    "format_csv",
    "format_over_capacity",
    "format_pool_table",
    "live_profile",
    "lower_bound",
    "pack_constants",
    "parse_csv",
    "plan",
    "plan_svg",
    "read_csv",
    "share_groups",
    "write_csv",
]
