"""Strided views: an operator op, a copy or a loop on a `tir.decl_buffer` view
with element strides computes exactly what it computes on the copied
sub-tensor, in ordinary and in flat memory, and writes through the view touch
only the view's elements."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirconst.interpreter import InterpreterError, run_function


def nhwc_view(shape: tuple[int, ...], box: tuple[tuple[int, int], ...]) -> str:
    """`[offset] strides [...]` of the sub-box `box` of a row-major NHWC buffer."""
    strides = [int(np.prod(shape[k + 1 :], dtype=np.int64)) for k in range(4)]
    offset = sum(lo * s for (lo, _), s in zip(box, strides, strict=True))
    return f"[{offset}] strides [{', '.join(map(str, strides))}]"


def ty(shape: tuple[int, ...]) -> str:
    return f"!tir.buffer<{'x'.join(map(str, shape))}xi8>"


def pool_program(
    x_shape: tuple[int, ...],
    box: tuple[tuple[int, int], ...],
    y_shape: tuple[int, ...],
    y_box: tuple[tuple[int, int], ...],
    placed: bool,
) -> str:
    """max_pool2d (2x2, stride 1) from the `box` view of %x into the `y_box`
    view of %y."""
    sub = tuple(hi - lo for lo, hi in box)
    out = tuple(hi - lo for lo, hi in y_box)
    attrs = ""
    if placed:
        nx = int(np.prod(x_shape))
        attrs = (
            " attributes {param_placement = {x = #tir.place<@sram, 0>, "
            f"y = #tir.place<@sram, {nx}>}}}}"
        )
    return f"""
tir.pool @sram
tir.func @main(%x : {ty(x_shape)}, %y : {ty(y_shape)}){attrs} {{
  %v = tir.decl_buffer %x{nhwc_view(x_shape, box)} : {ty(x_shape)} -> {ty(sub)}
  %w = tir.decl_buffer %y{nhwc_view(y_shape, y_box)} : {ty(y_shape)} -> {ty(out)}
  tir.max_pool2d ins(%v : {ty(sub)}) outs(%w : {ty(out)})
      {{window = array<i64: 2, 2>, stride = array<i64: 1, 1>,
       pad = array<i64: 0, 0, 0, 0>, act_min = -100, act_max = 100}}
}}"""


def reference_pool(x: np.ndarray) -> np.ndarray:
    """2x2 stride-1 max pool, clamped to [-100, 100], on a copy."""
    n, h, w, c = x.shape
    out = np.full((n, h - 1, w - 1, c), -128, np.int8)
    for dy in (0, 1):
        for dx in (0, 1):
            out = np.maximum(out, x[:, dy : dy + h - 1, dx : dx + w - 1, :])
    return np.clip(out, -100, 100).astype(np.int8)


@st.composite
def sub_boxes(draw, shape: tuple[int, ...], min_size: tuple[int, ...]):
    box = []
    for d, m in zip(shape, min_size, strict=True):
        size = draw(st.integers(m, d))
        lo = draw(st.integers(0, d - size))
        box.append((lo, lo + size))
    return tuple(box)


@st.composite
def cases(draw):
    x_shape = (1, *(draw(st.integers(2, 5)) for _ in range(3)))
    box = draw(sub_boxes(x_shape, (1, 2, 2, 1)))
    sub = [hi - lo for lo, hi in box]
    out = (1, sub[1] - 1, sub[2] - 1, sub[3])
    y_shape = tuple(o + draw(st.integers(0, 2)) for o in out)
    y_lo = [draw(st.integers(0, y - o)) for y, o in zip(y_shape, out, strict=True)]
    y_box = tuple((lo, lo + o) for lo, o in zip(y_lo, out, strict=True))
    seed = draw(st.integers(0, 2**32 - 1))
    return x_shape, box, y_shape, y_box, seed, draw(st.booleans())


@settings(max_examples=40, deadline=None)
@given(cases())
def test_an_op_on_a_strided_view_equals_the_op_on_the_copy(case):
    x_shape, box, y_shape, y_box, seed, placed = case
    rng = np.random.default_rng(seed)
    x = rng.integers(-128, 128, x_shape, dtype=np.int8)
    y = rng.integers(-128, 128, y_shape, dtype=np.int8)
    got = run_function(
        pool_program(x_shape, box, y_shape, y_box, placed), {"x": x, "y": y}
    )
    sub = x[tuple(slice(lo, hi) for lo, hi in box)].copy()
    expect = y.copy()
    expect[tuple(slice(lo, hi) for lo, hi in y_box)] = reference_pool(sub)
    # The view's elements hold the result; every other element of %y is as given.
    np.testing.assert_array_equal(got["y"], expect)
    np.testing.assert_array_equal(got["x"], x)


COLUMN = """
tir.func @main(%x : !tir.buffer<3x4xi8>, %y : !tir.buffer<3xi8>) {
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %col = tir.decl_buffer %x[2] strides [4] : !tir.buffer<3x4xi8> -> !tir.buffer<3xi8>
  %t = tir.allocate : !tir.buffer<3xi8>
  tir.copy ins(%col : !tir.buffer<3xi8>) outs(%t : !tir.buffer<3xi8>)
  tir.for %i = %c0 to %c3 {
    %a = tir.buffer_load %col[%i] : !tir.buffer<3xi8>
    %b = tir.buffer_load %t[%i] : !tir.buffer<3xi8>
    %s = arith.addi %a, %b : i8
    tir.buffer_store %s, %y[%i] : !tir.buffer<3xi8>
    tir.buffer_store %s, %col[%i] : !tir.buffer<3xi8>
  }
}"""


def test_loads_stores_and_copies_through_a_strided_column():
    x = np.arange(12, dtype=np.int8).reshape(3, 4)
    got = run_function(COLUMN, {"x": x})
    assert got["y"].tolist() == [4, 12, 20]
    expect = x.copy()
    expect[:, 2] *= 2
    np.testing.assert_array_equal(got["x"], expect)


def test_reads_of_undefined_elements_name_the_view_index():
    # %x not given: the copy reads element [0] of the column, x[0, 2].
    with pytest.raises(
        InterpreterError,
        match=r"'tir.copy' op in @main: reads \[0\] of %col",
    ):
        run_function(COLUMN, {})
    # In generated code too: the storage index maps back to the view's index.
    no_copy = COLUMN.replace(
        "tir.copy ins(%col : !tir.buffer<3xi8>) outs(%t : !tir.buffer<3xi8>)", ""
    ).replace("%c0 = arith.constant 0", "%c0 = arith.constant 1")
    with pytest.raises(
        InterpreterError, match=r"'tir.buffer_load' op in @main: reads col\[1\]"
    ):
        run_function(no_copy, {})
    # Writing through the column defines only its elements: x[0, 2] reads
    # fine afterwards, x[0, 1] is still undefined.
    src = """
tir.func @main(%y : !tir.buffer<2xi8>) {
  %x = tir.allocate : !tir.buffer<3x4xi8>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %col = tir.decl_buffer %x[2] strides [4] : !tir.buffer<3x4xi8> -> !tir.buffer<3xi8>
  %t = tir.allocate_const dense<[7, 8, 9]> : !tir.buffer<3xi8>
  tir.copy ins(%t : !tir.buffer<3xi8>) outs(%col : !tir.buffer<3xi8>)
  %a = tir.buffer_load %x[%c0, %c2] : !tir.buffer<3x4xi8>
  tir.buffer_store %a, %y[%c0] : !tir.buffer<2xi8>
  %b = tir.buffer_load %x[%c0, COL] : !tir.buffer<3x4xi8>
  tir.buffer_store %b, %y[%c1] : !tir.buffer<2xi8>
}"""
    assert run_function(src.replace("COL", "%c2"), {})["y"].tolist() == [7, 7]
    with pytest.raises(
        InterpreterError,
        match=r"'tir.buffer_load' op in @main: reads \[0, 1\] of %x",
    ):
        run_function(src.replace("COL", "%c1"), {})
