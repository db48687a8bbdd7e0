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
import re
import sys

from tirconst.core.diagnostics import ToolError, error_line
from tirconst.core.files import atomic_output
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
from tirconst.tools.driver import reading, reports_errors

PROG = "tirconst-plan"


def _capacity(text: str) -> int | None:
    if text.lower() == "none":
        return None
    return _nonnegative(text, "capacity")


def _nonnegative(text: str, what: str) -> int:
    """A plain ASCII decimal (int() would also take `1_0` and other digits)."""
    if not re.fullmatch(r"-?[0-9]+", text, re.ASCII):
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}")
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"negative {what} {value}")
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
        alignment = _nonnegative(parts[2], "alignment") if len(parts) > 2 else 1
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


@reports_errors(PROG)
def main(argv: list[str] | None = None) -> int:
    """Run ``tirconst-plan``; returns the exit status."""
    args = build_parser().parse_args(argv)
    with reading(args.instance):
        return _plan(args)


def _plan(args: argparse.Namespace) -> int:
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
        print(error_line(error, PROG), file=sys.stderr)
        return 2
    except InvalidPlanError as error:
        print(f"{PROG}: internal error: {error}", file=sys.stderr)
        return 3
    print(result.summary())
    if result.pool_peaks is not None:
        print(result.table(), end="")
    try:
        if args.plot:
            with atomic_output(args.plot) as out:
                out.write(plan_svg(result))
        if not result.fits:
            for line in result.over_capacity():
                print(error_line(f"over capacity: {line}", PROG), file=sys.stderr)
            return 1
        if args.output:
            write_csv(args.output, result.buffers, result.offsets, result.assignment)
    except ToolError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
