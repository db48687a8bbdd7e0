"""The pass-author API: constant data as numpy, which ops read which region,
index ranges, and the constant report (with a column added by a pass)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_passes_slice import TWO_CONVS
from tirconst.analysis import constant_report as report
from tirconst.analysis.constant_uses import (
    Box,
    ConstantUses,
    box_of_flat_range,
    find_constant,
    ir_order,
    reads_of,
    row_major_offset,
)
from tirconst.analysis.index_ranges import DynamicIndex, IndexRanges
from tirconst.core.context import context, load
from tirconst.dialects.tir import AllocateConstOp, BufferLoadOp
from tirconst.transforms.constant_report import ConstantReportPass
from tirconst.transforms.slice_constants import SliceConstantsPass


def test_readme_worked_example(capsys):
    module = load(TWO_CONVS)
    # --- the README example, verbatim from here on ---
    w = find_constant(module, "w")  # the module constant @w
    data = w.data  # a read-only numpy view of its bytes: no copy
    for read in reads_of(w):  # every op that reads @w, in IR order
        where = "dynamic" if read.box is None else read.box.format(data.shape)
        print(read.op.name, where)
    w.set_data(np.clip(data, -16, 15))  # replace the data (same shape, dtype)
    SliceConstantsPass().apply(
        context(), module
    )  # = tirconst-opt -p tir-slice-constants
    # --- end of the example ---
    out = capsys.readouterr().out.splitlines()
    assert out == ["tir.conv2d [0:4, :, :, :]", "tir.conv2d [4:8, :, :, :]"]
    assert not data.flags.writeable
    slices = [find_constant(module, f"w_slice{k}").data for k in (0, 1)]
    expected = np.clip(np.arange(-24, 24, dtype=np.int8), -16, 15).reshape(8, 1, 2, 3)
    np.testing.assert_array_equal(np.concatenate(slices), expected)


def test_data_is_a_view_of_the_attribute_bytes():
    module = load(TWO_CONVS)
    w = find_constant(module, "w")
    assert np.shares_memory(w.data, np.frombuffer(w.value.data.data, np.int8))
    with pytest.raises(KeyError, match="no tir.constant @nope"):
        find_constant(module, "nope")


def test_reads_through_views_and_dynamic_and_writes():
    text = """
    tir.constant @t = dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]> : tensor<3x4xi8>
    tir.func @f(%x : !tir.buffer<1xi8>, %y : !tir.buffer<4xi8>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %t = tir.allocate_const @t : !tir.buffer<3x4xi8>
      %flat = tir.reshape %t : !tir.buffer<3x4xi8> -> !tir.buffer<12xi8>
      %mid = tir.decl_buffer %flat[5] : !tir.buffer<12xi8> -> !tir.buffer<2xi8>
      %a = tir.buffer_load %mid[%c1] : !tir.buffer<2xi8>
      %xv = tir.buffer_load %x[%c0] : !tir.buffer<1xi8>
      %xi = arith.index_cast %xv : i8 to index
      %d = tir.buffer_load %t[%c2, %xi] : !tir.buffer<3x4xi8>
    }
    tir.func @g(%y : !tir.buffer<4xi8>) {
      %c0 = arith.constant 0 : index
      %t = tir.allocate_const @t : !tir.buffer<3x4xi8>
      %row = tir.decl_buffer %t[4] : !tir.buffer<3x4xi8> -> !tir.buffer<4xi8>
      tir.copy ins(%y : !tir.buffer<4xi8>) outs(%row : !tir.buffer<4xi8>)
    }"""
    module = load(text)
    reads = reads_of(find_constant(module, "t"))
    assert [r.op.name for r in reads] == [
        "tir.buffer_load",
        "tir.buffer_load",
        "tir.copy",
    ]
    through_views, dynamic, written = reads
    assert through_views.box == Box((1, 2), (2, 3))  # element 6 = [1, 2]
    assert [v.name for v in through_views.views] == ["tir.reshape", "tir.decl_buffer"]
    assert dynamic.box is None and "%xv" in dynamic.reason
    assert written.writes and written.box == Box((1, 0), (2, 4))
    # Per holder, too: the direct users and what each needs.
    holder = next(h for h in module.walk() if isinstance(h, AllocateConstOp))
    view, load_ = ConstantUses(ir_order(module)).direct_uses(holder)
    assert view.op.name == "tir.reshape" and view.box == Box.whole((3, 4))
    assert load_.op.name == "tir.buffer_load" and load_.box is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(1, 4), min_size=1, max_size=4).flatmap(
        lambda shape: st.tuples(
            st.just(tuple(shape)),
            st.integers(0, int(np.prod(shape)) - 1).flatmap(
                lambda a: st.tuples(st.just(a), st.integers(a, int(np.prod(shape)) - 1))
            ),
        )
    )
)
def test_box_of_a_flat_range_covers_it_and_is_contiguous(case):
    shape, (first, last) = case
    box = box_of_flat_range(shape, first, last)
    inside = [
        row_major_offset(shape, i)
        for i in itertools.product(
            *(range(lo, hi) for lo, hi in zip(box.lo, box.hi, strict=True))
        )
    ]
    assert set(range(first, last + 1)) <= set(inside)
    assert inside == list(range(inside[0], inside[0] + len(inside)))


EXPRS = [
    "arith.addi",
    "arith.subi",
    "arith.muli",
    "tir.floordiv",
    "tir.floormod",
    "tir.min",
    "tir.max",
]
PY = {
    "arith.addi": lambda a, b: a + b,
    "arith.subi": lambda a, b: a - b,
    "arith.muli": lambda a, b: a * b,
    "tir.floordiv": lambda a, b: a // b,
    "tir.floormod": lambda a, b: a % b,
    "tir.min": min,
    "tir.max": max,
}


@settings(max_examples=150, deadline=None)
@given(
    st.integers(-3, 3),
    st.integers(0, 4),
    st.integers(-2, 2),
    st.integers(0, 3),
    st.lists(
        st.tuples(st.sampled_from(EXPRS), st.integers(0, 10), st.integers(1, 4)),
        min_size=1,
        max_size=5,
    ),
)
def test_index_ranges_contain_every_value(lo_i, n_i, lo_j, n_j, steps):
    """A chain of ops over two loop variables: the interval holds all values."""
    consts = sorted(
        {lo_i, lo_i + n_i + 1, lo_j, lo_j + n_j + 1} | {c for _, _, c in steps}
    )
    lines = [f"%k{c + 10} = arith.constant {c} : index" for c in consts]
    body, prev = [], "%i"
    for n, (op, pick, c) in enumerate(steps):
        rhs = ["%j", f"%k{c + 10}", "%i"][pick % 3]
        body.append(f"%e{n} = {op} {prev}, {rhs} : index")
        prev = f"%e{n}"
    text = f"""
    tir.func @f(%y : !tir.buffer<1xi8>) {{
      {chr(10).join(lines)}
      tir.for %i = %k{lo_i + 10} to %k{lo_i + n_i + 11} {{
        tir.for %j = %k{lo_j + 10} to %k{lo_j + n_j + 11} {{
          {chr(10).join(body)}
        }}
      }}
    }}"""
    module = load(text)
    last = [
        op for op in module.walk() if op.results and op.results[0].name_hint == prev[1:]
    ]
    try:
        interval = IndexRanges().range_of(last[0].results[0])
    except DynamicIndex as e:
        # Declining is sound; it must only happen for a divisor it cannot bound.
        assert "not a positive constant" in str(e)
        return
    for i in range(lo_i, lo_i + n_i + 1):
        for j in range(lo_j, lo_j + n_j + 1):
            v = i
            for op, pick, c in steps:
                rhs = [j, c, i][pick % 3]
                v = (
                    PY[op](v, rhs)
                    if not (op.startswith("tir.floor") and rhs <= 0)
                    else None
                )
                if v is None:
                    break
            if v is not None:
                assert interval.lo <= v <= interval.hi, (i, j, interval)


def test_unbounded_index_says_why():
    module = load("""
    tir.func @f(%x : !tir.buffer<2xi32>) {
      %c0 = arith.constant 0 : index
      %v = tir.buffer_load %x[%c0] : !tir.buffer<2xi32>
      %i = arith.index_cast %v : i32 to index
      %w = tir.allocate_const dense<[1, 2]> : !tir.buffer<2xi32>
      %r = tir.buffer_load %w[%i] : !tir.buffer<2xi32>
    }""")
    load_op = [op for op in module.walk() if isinstance(op, BufferLoadOp)][-1]
    with pytest.raises(
        DynamicIndex, match=r"%v \(result of 'tir.buffer_load'\) is not bounded"
    ):
        IndexRanges().range_of(load_op.indices[0])


def test_report_rows_totals_and_a_column_added_by_a_pass(tmp_path, monkeypatch):
    module = load(TWO_CONVS)
    entries = report.constant_entries(module)
    assert [(e.name, e.nbytes, len(e.reads)) for e in entries] == [
        ("@w", 48, 2),
        ("%b in @main", 32, 2),
    ]
    monkeypatch.setattr(report, "COLUMNS", list(report.COLUMNS))

    def nonzero(entry: report.ConstantEntry) -> int:
        return int(np.count_nonzero(np.frombuffer(entry.data.data.data, np.uint8)))

    report.register_column(report.Column("nonzero", nonzero, report.sum_of))
    ConstantReportPass(file=str(tmp_path / "r.txt")).apply(context(), module)
    lines = (tmp_path / "r.txt").read_text().splitlines()
    assert lines[0].split() == [
        "name",
        "dtype",
        "shape",
        "bytes",
        "users",
        "nonzero",
        "reads",
    ]
    expected = sum(nonzero(e) for e in entries)
    assert lines[-1].split() == ["total", "(2)", "80", "4", str(expected)]
