"""tirconst-opt reads large hex constants while streaming the text in."""

from __future__ import annotations

import subprocess

import numpy as np

from tirconst.dialects.tir.constant_data import LIFT_ABOVE
from tirconst.interpreter import load


def _module(big: np.ndarray, small: np.ndarray, payload: str | None = None) -> str:
    hex_big = payload if payload is not None else big.tobytes().hex()
    return (
        f'// dense<"0x{"ab" * LIFT_ABOVE}"> in a comment is left alone\n'
        f'tir.constant @big = dense<"0x{hex_big}"> : tensor<{big.size}xi16>\n'
        f'tir.constant @small = dense<"0x{small.tobytes().hex()}"> '
        f": tensor<{small.size}xi8>\n"
        f'tir.constant @big2 = dense<"0x{hex_big}"> : tensor<{big.size}xi16>\n'
    )


def run_opt(text: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["tirconst-opt", *args], input=text, capture_output=True, text=True
    )


def test_large_and_small_constants_round_trip_exactly() -> None:
    rng = np.random.default_rng(0)
    big = rng.integers(-(2**15), 2**15, LIFT_ABOVE, dtype=np.int16)
    small = rng.integers(-128, 128, 40, dtype=np.int8)
    run = run_opt(_module(big, small))
    assert run.returncode == 0, run.stderr
    module = load(run.stdout)
    data = {op.sym_name.data: op.data for op in module.ops}
    assert np.array_equal(data["big"], big) and np.array_equal(data["big2"], big)
    assert np.array_equal(data["small"], small)


def test_malformed_large_payload_is_reported_not_dropped() -> None:
    small = np.zeros(4, dtype=np.int8)
    payload = "zz" * LIFT_ABOVE
    run = run_opt(_module(np.zeros(LIFT_ABOVE, dtype=np.int16), small, payload))
    assert run.returncode == 1
    assert "<stdin>:2:" in run.stderr or "stdin:2:" in run.stderr
    assert "malformed hex constant data" in run.stderr
    assert "Traceback" not in run.stderr
