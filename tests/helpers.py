"""Helpers for pass tests: assert in one line that a rewrite kept the meaning.

    from tests.helpers import assert_equivalent
    assert_equivalent(before_text, after_module)

`before` and `after` are IR text or ModuleOps. Every tir.func of `before` (or
just `function`) runs on the same seeded random inputs in both, and every
parameter's final contents must agree bit for bit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp

from tirconst.interpreter import (
    NotEquivalentError,
    check_equivalent,
    run_function,
)


def assert_equivalent(
    before: str | ModuleOp,
    after: str | ModuleOp,
    function: str | None = None,
    seed: int = 0,
    trials: int = 3,
    externs: Mapping[str, Any] | None = None,
) -> None:
    """Fail the test (with the first differing buffer and index) unless
    `before` and `after` compute the same results."""
    try:
        check_equivalent(before, after, function, seed, trials, externs)
    except NotEquivalentError as e:
        pytest.fail(str(e), pytrace=False)


def assert_not_equivalent(
    before: str | ModuleOp,
    after: str | ModuleOp,
    function: str | None = None,
    seed: int = 0,
    trials: int = 3,
) -> NotEquivalentError:
    """Fail the test unless the programs differ; return the difference found."""
    with pytest.raises(NotEquivalentError) as info:
        check_equivalent(before, after, function, seed, trials)
    return info.value


def run(source: str | ModuleOp, function: str = "main", **inputs: Any) -> dict:
    """`run_function` with inputs as keywords: `run(src, x=np.array(...))`."""
    return run_function(source, {k: np.asarray(v) for k, v in inputs.items()}, function)
