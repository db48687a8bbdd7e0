"""Benchmark the memory planners on the instances in bench/memplan/.

For every instance and algorithm: the peak, its ratio to the lower bound, the
seconds taken and the status (optimal / feasible / over-capacity). Instances
named ``X.C.csv`` (minimalloc-challenging) are planned with capacity C; the
others without a capacity (the peak is minimised). Then it checks the targets
of the default algorithm.

    python bench/memplan.py [--algorithms exact,best_fit] [--time-limit 60]
                            [--suite small] [--markdown] [--pools]

``--pools`` instead plans every challenging instance over three pools
(``sram`` 256 KiB aligned to 16, ``fast`` 128 KiB, unbounded ``dram``), the
layout of the NPU memory-planning pass, and checks that every algorithm
fits (a buffer that does not fit a pool falls back to the next).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from tirconst.planning import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    Pool,
    capacity_from_filename,
    check_plan,
    plan,
    read_csv,
)

HERE = Path(__file__).resolve().parent / "memplan"
POOLS = (Pool("sram", 256 * 1024, 16), Pool("fast", 128 * 1024), Pool("dram"))
SUITES = ("minimalloc-challenging", "small")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--algorithms", default=",".join(ALGORITHMS))
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--suite", choices=SUITES, action="append")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table")
    parser.add_argument("--pools", action="store_true", help="plan over 3 pools")
    args = parser.parse_args(argv)
    algorithms = [a.strip() for a in args.algorithms.split(",") if a.strip()]
    if args.pools:
        return _pools(algorithms, args.time_limit)
    suites = args.suite or list(SUITES)

    columns = [
        "suite",
        "instance",
        "n",
        "algorithm",
        "peak",
        "lower",
        "ratio",
        "seconds",
        "status",
    ]
    if args.markdown:
        print("| " + " | ".join(columns) + " |")
        print("|" + "---|" * len(columns))
    else:
        print(
            f"{'suite':<23}{'instance':<34}{'n':>5}  {'algorithm':<20}{'peak':>9}"
            f"{'lower':>9}{'ratio':>8}{'seconds':>9}  status"
        )
    default: dict[str, list[tuple[str, object]]] = {s: [] for s in suites}
    for suite in suites:
        for path in sorted((HERE / suite).glob("*.csv")):
            buffers = read_csv(path)
            capacity = capacity_from_filename(path)
            for algorithm in algorithms:
                result = plan(
                    buffers,
                    algorithm=algorithm,
                    capacity=capacity,
                    time_limit=args.time_limit,
                )
                errors = check_plan(
                    buffers, result.offsets, capacity=capacity if result.fits else None
                )
                assert not errors, errors
                row = [
                    suite,
                    path.stem,
                    len(buffers),
                    result.algorithm,
                    result.peak,
                    result.lower_bound,
                    f"{result.ratio:.3f}",
                    f"{result.seconds:.2f}",
                    result.status,
                ]
                if args.markdown:
                    print("| " + " | ".join(str(c) for c in row) + " |", flush=True)
                else:
                    print(
                        f"{suite:<23}{path.stem:<34}{len(buffers):>5}  "
                        f"{result.algorithm:<20}{result.peak:>9}"
                        f"{result.lower_bound:>9}{row[6]:>8}{row[7]:>9}  "
                        f"{result.status}",
                        flush=True,
                    )
                if algorithm == DEFAULT_ALGORITHM:
                    default[suite].append((path.stem, result))
    return _targets(default)


def _pools(algorithms: list[str], time_limit: float) -> int:
    """Plan the challenging instances over :data:`POOLS`; every one must fit."""
    names = [p.name for p in POOLS]
    print(
        f"{'instance':<12}{'algorithm':<21}"
        + "".join(f"{n:>10}" for n in names)
        + f"{'total':>10}{'lower':>10}{'seconds':>9}  status"
    )
    failures = 0
    for path in sorted((HERE / "minimalloc-challenging").glob("*.csv")):
        buffers = read_csv(path)
        for algorithm in algorithms:
            result = plan(
                buffers, algorithm=algorithm, pools=POOLS, time_limit=time_limit
            )
            errors = check_plan(
                buffers, result.offsets, pools=POOLS, assignment=result.assignment
            )
            assert not result.fits or not errors, errors
            failures += not result.fits
            peaks = result.pool_peaks or {}
            print(
                f"{path.stem:<12}{result.algorithm:<21}"
                + "".join(f"{peaks[n]:>10}" for n in names)
                + f"{result.peak:>10}{result.lower_bound:>10}"
                f"{result.seconds:>9.2f}  {result.status}",
                flush=True,
            )
    print(
        f"\npools: {failures} plans over capacity -> {'NOT met' if failures else 'met'}"
    )
    return 1 if failures else 0


def _targets(default: dict) -> int:
    """Print whether the default algorithm meets the issue's targets."""
    ok = True
    big = default.get("minimalloc-challenging") or []
    if big:
        seconds = [r.seconds for _, r in big]
        fits = sum(r.fits for _, r in big)
        met = (
            fits == len(big) and max(seconds) <= 60 and statistics.median(seconds) <= 10
        )
        ok &= met
        print(
            f"\nchallenging: {fits}/{len(big)} fit capacity, "
            f"{sum(r.optimal for _, r in big)} proven optimal, "
            f"max {max(seconds):.2f} s, median {statistics.median(seconds):.2f} s"
            f" -> {'met' if met else 'NOT met'}"
        )
    small = default.get("small") or []
    if small:
        at_lb = sum(r.peak == r.lower_bound for _, r in small)
        slowest = max(r.seconds for _, r in small)
        met = at_lb == len(small) and slowest <= 0.5
        ok &= met
        print(
            f"small: {at_lb}/{len(small)} at the lower bound, "
            f"max {slowest:.3f} s -> {'met' if met else 'NOT met'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
