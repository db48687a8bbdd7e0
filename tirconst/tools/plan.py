"""``tirconst-plan``: plan a MiniMalloc CSV instance from the command line.

Reads ``id,lower,upper,size`` rows, writes the same rows plus an ``offset``
column (``-o``), draws the plan (``--plot``), and prints one summary line::

    peak 1048576 lower-bound 1048576 ratio 1.0000 seconds 1.23 optimal (exact)

then, with ``--pool``, the per-pool table; a pool over capacity gets a
one-line error on stderr naming its largest buffers live at its peak.

Exit status: 0 when the plan fits, 1 when it exceeds the capacity (the plan
is then not written), 2 on bad input, 3 if an algorithm produced an invalid
plan (a bug; nothing is written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tirconst.planning import (
    DEFAULT_ALGORITHM,
    DEFAULT_TIME_LIMIT,
    InvalidPlanError,
    PlanningError,
    Pool,
    algorithm_names,
    capacity_from_filename,
    plan,
    plan_svg,
    read_csv,
    write_csv,
)

PROG = "tirconst-plan"


def _capacity(text: str) -> int | None:
    if text.lower() == "none":
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"negative capacity {value}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"not a positive time: {text!r}")
    return value


def _pool(text: str) -> Pool:
    parts = text.split(":")
    if not parts[0] or len(parts) > 3:
        raise argparse.ArgumentTypeError(
            f"expected NAME[:CAPACITY[:ALIGNMENT]], got {text!r}"
        )
    capacity = _capacity(parts[1]) if len(parts) > 1 and parts[1] else None
    try:
        alignment = int(parts[2]) if len(parts) > 2 else 1
        return Pool(parts[0], capacity, alignment)
    except (ValueError, PlanningError) as error:
        raise argparse.ArgumentTypeError(f"bad pool {text!r}: {error}") from None


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``tirconst-plan``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Static memory planning: offsets for buffers with known "
        "lifetimes (MiniMalloc CSV in, CSV with an offset column out).",
    )
    parser.add_argument("instance", help="CSV with header id,lower,upper,size")
    parser.add_argument(
        "--algorithm",
        default=DEFAULT_ALGORITHM,
        help=f"one of {', '.join(algorithm_names())} (default {DEFAULT_ALGORITHM})",
    )
    parser.add_argument(
        "--capacity",
        type=_capacity,
        default=argparse.SUPPRESS,
        help="bytes available ('none': unbounded; default: C from a file named "
        "X.C.csv, else unbounded); with a capacity, stop at the first plan "
        "that fits, else minimise the peak",
    )
    parser.add_argument(
        "--time-limit",
        type=_seconds,
        default=DEFAULT_TIME_LIMIT,
        help=f"seconds (default {DEFAULT_TIME_LIMIT:g})",
    )
    parser.add_argument(
        "--pool",
        type=_pool,
        action="append",
        default=[],
        metavar="NAME[:CAPACITY[:ALIGNMENT]]",
        help="a memory pool (repeat for several, in order of preference); "
        "buffers go to the first candidate pool they fit in (CSV column "
        "'pools' lists a buffer's candidates, separated by ';')",
    )
    parser.add_argument("-o", "--output", help="write the plan as CSV")
    parser.add_argument("--plot", help="draw the plan as SVG")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``tirconst-plan``; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        buffers = read_csv(args.instance)
        capacity = getattr(args, "capacity", capacity_from_filename(args.instance))
        result = plan(
            buffers,
            algorithm=args.algorithm,
            capacity=None if args.pool else capacity,
            time_limit=args.time_limit,
            pools=args.pool or None,
        )
    except (PlanningError, ValueError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except InvalidPlanError as error:
        print(f"{PROG}: internal error: {error}", file=sys.stderr)
        return 3
    print(result.summary())
    if result.pool_peaks is not None:
        print(result.table(), end="")
    try:
        if args.plot:
            Path(args.plot).write_text(plan_svg(result))
        if not result.fits:
            for line in result.over_capacity():
                print(f"{PROG}: error: over capacity: {line}", file=sys.stderr)
            return 1
        if args.output:
            write_csv(args.output, result.buffers, result.offsets, result.assignment)
    except OSError as error:
        print(f"{PROG}: error: cannot write: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
