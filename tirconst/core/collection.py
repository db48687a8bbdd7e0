"""Python's cyclic garbage collector during a compile and a program's imports.

A compile allocates hundreds of thousands of small objects (xDSL ops,
attributes, the cycle model's figures) that live until the module is
written; with CPython's default thresholds (a young collection every 700
net allocations, a full one every 100 of those) the collector walks them
again and again, 6-9% of keyword_spotting_mobilenetv2's compile CPU time
(docs/compile.md). `fewer_collections` raises the thresholds for the
duration of a compile and restores them after: the garbage cycles a
compile leaves are collected as usual afterwards. Nothing a compile
computes depends on when the collector runs.

Importing a program's modules (numpy, xDSL, Vela, our dialects and passes)
creates some 70,000 long-lived objects; the default collector runs about
160 times meanwhile, 35-65 ms of a 0.45 s import. `imports_uncollected`
imports with the collector off and then freezes what the imports made
(`gc.freeze`): objects that live as long as the process, never walked
again."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 50_000
"""Net allocations between young collections during a compile."""

OLDER = 1_000
"""Young collections (and middle ones) between older collections."""


@contextmanager
def imports_uncollected() -> Iterator[None]:
    """Run the body (a program's imports) with the collector off, then move
    every object it tracks to the permanent generation (`gc.freeze`). The
    collector's previous state is restored on exit."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the body with the collector's thresholds raised to at least
    (YOUNG, default, OLDER); the previous thresholds are restored on exit."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], YOUNG), before[1], max(before[2], OLDER))
    try:
        yield
    finally:
        gc.set_threshold(*before)
