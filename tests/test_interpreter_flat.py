"""Flat-memory mode: buffers placed in pools share bytes like on the target,
so a plan that overlaps live buffers changes the result and is caught."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import assert_equivalent, assert_not_equivalent
from tirconst.core.diagnostics import ToolError
from tirconst.interpreter import InterpreterError, Program, run_function

# t1 = a + 1; t2[i] = t1[i] + t1[7 - i] (t1 is read while t2 is written);
# t3 = t2 * 2 (t1 is dead by then); out = t3.
PIPELINE = """
tir.pool @sram
tir.func @main(%a : !tir.buffer<8xi8>, %out : !tir.buffer<8xi8>) PARAMS {
  %c0 = arith.constant 0 : index
  %c7 = arith.constant 7 : index
  %c8 = arith.constant 8 : index
  %one = arith.constant 1 : i8
  %t1 = tir.allocate T1 : !tir.buffer<8xi8>
  %t2 = tir.allocate T2 : !tir.buffer<8xi8>
  %t3 = tir.allocate T3 : !tir.buffer<8xi8>
  tir.for %i = %c0 to %c8 {
    %v = tir.buffer_load %a[%i] : !tir.buffer<8xi8>
    %w = arith.addi %v, %one : i8
    tir.buffer_store %w, %t1[%i] : !tir.buffer<8xi8>
  }
  tir.for %i = %c0 to %c8 {
    %j = arith.subi %c7, %i : index
    %x = tir.buffer_load %t1[%i] : !tir.buffer<8xi8>
    %y = tir.buffer_load %t1[%j] : !tir.buffer<8xi8>
    %s = arith.addi %x, %y : i8
    tir.buffer_store %s, %t2[%i] : !tir.buffer<8xi8>
  }
  tir.for %i = %c0 to %c8 {
    %x = tir.buffer_load %t2[%i] : !tir.buffer<8xi8>
    %d = arith.addi %x, %x : i8
    tir.buffer_store %d, %t3[%i] : !tir.buffer<8xi8>
  }
  tir.for %i = %c0 to %c8 {
    %x = tir.buffer_load %t3[%i] : !tir.buffer<8xi8>
    tir.buffer_store %x, %out[%i] : !tir.buffer<8xi8>
  }
}
"""


def plan(t1: int | None, t2: int | None, t3: int | None, params: str = "") -> str:
    """PIPELINE with the workspaces at these offsets of pool "sram"."""
    src = PIPELINE.replace("PARAMS", params)
    for name, off in (("T1", t1), ("T2", t2), ("T3", t3)):
        attr = "" if off is None else f"at <@sram, {off}>"
        src = src.replace(name, attr)
    return src


UNPLANNED = plan(None, None, None)


def test_a_correct_plan_is_equivalent():
    assert_equivalent(UNPLANNED, plan(0, 8, 16))
    # t3 may reuse t1's bytes: t1 is dead once t2 is computed.
    assert_equivalent(UNPLANNED, plan(0, 8, 0))
    # Unaligned offsets are allowed.
    assert_equivalent(UNPLANNED, plan(3, 11, 1))


def test_overlapping_live_buffers_change_the_result():
    # t2 over t1 while t1 is still read: writing t2[0] clobbers t1[0].
    diff = assert_not_equivalent(UNPLANNED, plan(0, 0, 16))
    assert diff.buffer == "out"
    # t3 over t2 is fine element by element (t3[i] is written after t2[i] is
    # read), so this plan is legitimately equivalent.
    assert_equivalent(UNPLANNED, plan(0, 8, 8))
    # One byte later, t3[i] clobbers t2[i + 1] before it is read; one byte
    # earlier it clobbers t2[i - 1], already read: harmless.
    assert_not_equivalent(UNPLANNED, plan(0, 8, 9))
    assert_equivalent(UNPLANNED, plan(0, 8, 7))


def test_parameters_in_pools():
    params = (
        "attributes {param_placement = {a = #tir.place<@sram, 24>, "
        "out = #tir.place<@sram, 32>}, pool_sizes = {sram = 40}}"
    )
    assert_equivalent(UNPLANNED, plan(0, 8, 16, params))
    # The output placed over the input: fine, the input is dead when out is
    # written... but the two must not both be given as inputs.
    over = params.replace("@sram, 32", "@sram, 24")
    with pytest.raises(
        InterpreterError, match="parameters 'a' and 'out' of @main overlap"
    ):
        assert_equivalent(UNPLANNED, plan(0, 8, 16, over))
    a = np.arange(8, dtype=np.int8)
    out = run_function(plan(0, 8, 16, over), {"a": a})
    expect = run_function(UNPLANNED, {"a": a})["out"]
    assert out["out"].tolist() == expect.tolist()


def test_declared_sizes_must_fit():
    # The verifier, not the run, refuses a plan beyond the recorded peak or the
    # pool's size.
    with pytest.raises(
        ToolError,
        match=r"<string>:3:1: error: 'tir.func' op: 'tir.allocate' ends at byte 24 "
        r"of '@sram', beyond its pool_sizes entry of 20 bytes",
    ):
        run_function(plan(0, 8, 16, "attributes {pool_sizes = {sram = 20}}"), {})
    small = plan(0, 8, 16).replace("tir.pool @sram", "tir.pool @sram size 20")
    with pytest.raises(
        ToolError,
        match=r"<string>:10:3: error: 'tir.allocate' op in @main: workspace: 8 "
        r"bytes at offset 16 exceed pool '@sram' of 20 bytes",
    ):
        run_function(small, {})


def test_a_declared_pool_size_sets_the_array():
    src = plan(0, 8, 16).replace("tir.pool @sram", "tir.pool @sram size 100")
    assert Program(src).function("main").pool_sizes == {"sram": 100}
    assert Program(plan(0, 8, 16)).function("main").pool_sizes == {"sram": 24}


def test_an_allocation_over_a_live_buffer_resets_it():
    # t2 is allocated inside the loop, over t1, which is read after the loop.
    src = """
tir.pool @sram
tir.func @main(%a : !tir.buffer<4xi8>, %out : !tir.buffer<4xi8>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %t1 = tir.allocate at <@sram, 0> : !tir.buffer<4xi8>
  tir.for %i = %c0 to %c4 {
    %v = tir.buffer_load %a[%i] : !tir.buffer<4xi8>
    tir.buffer_store %v, %t1[%i] : !tir.buffer<4xi8>
  }
  tir.for %i = %c0 to %c4 {
    %t2 = tir.allocate at <@sram, 2> : !tir.buffer<1xi8>
    %v = tir.buffer_load %t1[%i] : !tir.buffer<4xi8>
    tir.buffer_store %v, %out[%i] : !tir.buffer<4xi8>
  }
}"""
    with pytest.raises(InterpreterError) as e:
        run_function(src, {"a": np.arange(4, dtype=np.int8)})
    msg = str(e.value)
    assert "reads [2] of %t1 (workspace allocated at <string>:6:3 in pool 'sram'" in msg
    assert "a memory plan that overlaps live buffers" in msg


def test_placed_constants_live_in_their_pool():
    src = """
tir.pool @flash read_only
tir.pool @sram
tir.constant @v = dense<[10, 20, 30, 40]> : tensor<4xi8> at <@flash, OFF>
tir.func @main(%out : !tir.buffer<4xi8>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %w = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi8> at <@flash, 0>
  %t = tir.allocate at <@sram, 0> : !tir.buffer<4xi8>
  tir.for %i = %c0 to %c4 {
    %a = tir.buffer_load %w[%i] : !tir.buffer<4xi8>
    %d = arith.addi %a, %a : i8
    tir.buffer_store %d, %t[%i] : !tir.buffer<4xi8>
  }
  %u = tir.allocate_const @v : !tir.buffer<4xi8>
  tir.for %i = %c0 to %c4 {
    %a = tir.buffer_load %t[%i] : !tir.buffer<4xi8>
    %b = tir.buffer_load %w[%i] : !tir.buffer<4xi8>
    %c = tir.buffer_load %u[%i] : !tir.buffer<4xi8>
    %s = arith.addi %a, %b : i8
    %r = arith.addi %s, %c : i8
    tir.buffer_store %r, %out[%i] : !tir.buffer<4xi8>
  }
}"""
    assert run_function(src.replace("OFF", "4"), {})["out"].tolist() == [13, 26, 39, 52]
    # @v placed over the last two bytes of %w: loading it overwrites w[2], w[3].
    assert run_function(src.replace("OFF", "2"), {})["out"].tolist() == [13, 26, 46, 68]


def test_placement_rules_are_verified():
    src = PIPELINE.replace(
        "tir.pool @sram", "tir.pool @flash read_only\ntir.pool @sram alignment 4"
    ).replace("PARAMS", "")
    bad = {
        "at <@dram, 0>": "workspace: '@dram' does not name a tir.pool",
        "at <@sram, 2>": "workspace: offset 2 is not a multiple of pool '@sram' "
        "alignment 4",
        "at <@sram, -4>": "workspace: negative offset -4 in pool '@sram'",
        "at <@flash, 0>": "workspace: pool '@flash' is read-only",
        '{pool = 3, offset = "x"}': "attribute 'pool' is not a placement",
    }
    for placed, message in bad.items():
        with pytest.raises(ToolError, match=message):
            run_function(
                src.replace("T1", placed, 1).replace("T2", "").replace("T3", ""), {}
            )
