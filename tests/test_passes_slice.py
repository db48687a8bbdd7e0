"""`tir-slice-constants` from Python: every slice holds exactly the region of
the original it stands for, the program computes the same, users of disjoint
regions get their own slices, and dynamic reads leave a constant whole."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import assert_equivalent, assert_not_equivalent
from tirconst.core.context import context, load
from tirconst.dialects.tir import AllocateConstOp, ConstantOp
from tirconst.transforms.slice_constants import SliceConstantsPass, slice_constants

CONV = (
    "stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, "
    "pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 0 : i64, "
    "multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, "
    "shift = array<i32: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64"
)
W_HEX = np.arange(-24, 24, dtype=np.int8).tobytes().hex()
X = "!tir.buffer<1x3x3x3xi8>"
Y = "!tir.buffer<1x3x2x4xi8>"
W4 = "!tir.buffer<4x1x2x3xi8>"
W8 = "!tir.buffer<8x1x2x3xi8>"

TWO_CONVS = f"""
tir.constant @w = dense<"0x{W_HEX}"> : tensor<8x1x2x3xi8>
tir.func @main(%x : {X}, %y0 : {Y}, %y1 : {Y}) {{
  %w = tir.allocate_const @w : {W8}
  %b = tir.allocate_const dense<[1, -2, 3, -4, 500, -600, 700, -800]>
      : !tir.buffer<8xi32>
  %w0 = tir.decl_buffer %w[0] : {W8} -> {W4}
  %w1 = tir.decl_buffer %w[24] : {W8} -> {W4}
  %b0 = tir.decl_buffer %b[0] : !tir.buffer<8xi32> -> !tir.buffer<4xi32>
  %b1 = tir.decl_buffer %b[4] : !tir.buffer<8xi32> -> !tir.buffer<4xi32>
  tir.conv2d ins(%x, %w0, %b0 : {X}, {W4}, !tir.buffer<4xi32>) outs(%y0 : {Y})
      {{{CONV}}}
  tir.conv2d ins(%x, %w1, %b1 : {X}, {W4}, !tir.buffer<4xi32>) outs(%y1 : {Y})
      {{{CONV}}}
}}
"""


def sliced(text: str):
    module = load(text)
    notes = slice_constants(module)
    module.verify()
    return module, notes


def holders(module) -> list[AllocateConstOp]:
    return [op for op in module.walk() if isinstance(op, AllocateConstOp)]


def test_two_users_of_different_channel_ranges_get_their_own_constants():
    after, notes = sliced(TWO_CONVS)
    assert notes == []
    consts = [op for op in after.body.block.ops if isinstance(op, ConstantOp)]
    w = np.arange(-24, 24, dtype=np.int8).reshape(8, 1, 2, 3)
    assert [c.sym_name.data for c in consts] == ["w_slice0", "w_slice1"]
    np.testing.assert_array_equal(consts[0].data, w[:4])
    np.testing.assert_array_equal(consts[1].data, w[4:])
    inline = [h for h in holders(after) if h.value is not None]
    np.testing.assert_array_equal(inline[0].data, [1, -2, 3, -4])
    np.testing.assert_array_equal(inline[1].data, [500, -600, 700, -800])
    assert not [op for op in after.walk() if op.name == "tir.decl_buffer"]
    assert_equivalent(TWO_CONVS, after)


def test_a_wrong_slice_is_caught():
    """The equivalence check above can fail: swap the two weight slices."""
    after, _ = sliced(TWO_CONVS)
    c0, c1 = [op for op in after.body.block.ops if isinstance(op, ConstantOp)]
    d0 = c0.data.copy()
    c0.set_data(c1.data.copy())
    c1.set_data(d0)
    assert "y0" in str(assert_not_equivalent(TWO_CONVS, after))


def test_dynamic_reads_leave_the_constant_whole_and_say_so(capsys):
    text = """
    tir.func @main(%x : !tir.buffer<4xi8>, %y : !tir.buffer<4xi8>) {
      %c0 = arith.constant 0 : index
      %c4 = arith.constant 4 : index
      %lut = tir.allocate_const dense<[5, 6, 7, 8, 9, 10, 11, 12]> : !tir.buffer<8xi8>
      tir.for %i = %c0 to %c4 {
        %v = tir.buffer_load %x[%i] : !tir.buffer<4xi8>
        %m = arith.constant 7 : i8
        %k = arith.andi %v, %m : i8
        %j = arith.index_cast %k : i8 to index
        %r = tir.buffer_load %lut[%j] : !tir.buffer<8xi8>
        tir.buffer_store %r, %y[%i] : !tir.buffer<4xi8>
      }
    }"""
    module = load(text)
    before = str(module)
    SliceConstantsPass().apply(context(), module)
    assert str(module) == before
    err = capsys.readouterr().err
    assert err.startswith(
        "tir-slice-constants: note: %lut (inline) in @main left whole:"
    )
    assert "dynamic index" in err and err.count("\n") == 1
    SliceConstantsPass(quiet=True).apply(context(), module)
    assert capsys.readouterr().err == ""


# --------------------------------------------------------- random users, 2-D


@st.composite
def users(draw, rows: int, cols: int):
    kind = draw(st.sampled_from(["loop", "point", "view"]))
    if kind == "view":
        offset = draw(st.integers(0, rows * cols - 1))
        return ("view", offset, draw(st.integers(1, rows * cols - offset)))
    if kind == "point":
        return ("point", draw(st.integers(0, rows - 1)), draw(st.integers(0, cols - 1)))
    r0, c0 = draw(st.integers(0, rows - 1)), draw(st.integers(0, cols - 1))
    r1, c1 = draw(st.integers(r0 + 1, rows)), draw(st.integers(c0 + 1, cols))
    shift = draw(
        st.integers(0, r0)
    )  # index written as (i + shift) for i from r0 - shift
    return ("loop", r0, r1, c0, c1, shift)


def random_program(
    rows: int, cols: int, data: np.ndarray, uses: list, symbol: bool
) -> str:
    t = f"!tir.buffer<{rows}x{cols}xi8>"
    params, body = [], []
    for n in range(max(rows, cols) + 1):
        body.append(f"  %n{n} = arith.constant {n} : index")
    if symbol:
        body.append(f"  %w = tir.allocate_const @w : {t}")
    else:
        body.append(
            f'  %w = tir.allocate_const dense<"0x{data.tobytes().hex()}"> : {t}'
        )
    for k, u in enumerate(uses):
        if u[0] == "view":
            _, off, n = u
            params.append(f"%out{k} : !tir.buffer<{n}xi8>")
            body.append(
                f"  %v{k} = tir.decl_buffer %w[{off}] : {t} -> !tir.buffer<{n}xi8>"
            )
            body.append(
                f"  tir.copy ins(%v{k} : !tir.buffer<{n}xi8>)"
                f" outs(%out{k} : !tir.buffer<{n}xi8>)"
            )
        elif u[0] == "point":
            _, r, c = u
            params.append(f"%out{k} : !tir.buffer<1xi8>")
            body.append(f"  %p{k} = tir.buffer_load %w[%n{r}, %n{c}] : {t}")
            body.append(f"  tir.buffer_store %p{k}, %out{k}[%n0] : !tir.buffer<1xi8>")
        else:
            _, r0, r1, c0, c1, s = u
            params.append(f"%out{k} : {t}")
            body += [
                f"  tir.for %i{k} = %n{r0 - s} to %n{r1 - s} {{",
                f"    %ii{k} = arith.addi %i{k}, %n{s} : index",
                f"    tir.for %j{k} = %n{c0} to %n{c1} {{",
                f"      %l{k} = tir.buffer_load %w[%ii{k}, %j{k}] : {t}",
                f"      tir.buffer_store %l{k}, %out{k}[%ii{k}, %j{k}] : {t}",
                "    }",
                "  }",
            ]
    hex_ = data.tobytes().hex()
    const = f'tir.constant @w = dense<"0x{hex_}"> : tensor<{rows}x{cols}xi8>\n'
    return (const if symbol else "") + (
        f"tir.func @main({', '.join(params)}) {{\n" + "\n".join(body) + "\n}\n"
    )


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda r: st.integers(1, 5).flatmap(
            lambda c: st.tuples(
                st.just(r),
                st.just(c),
                st.lists(users(r, c), min_size=1, max_size=4),
                st.booleans(),
            )
        )
    )
)
def test_random_users_keep_their_data(case):
    rows, cols, uses, symbol = case
    data = np.arange(rows * cols, dtype=np.int8).reshape(rows, cols)
    text = random_program(rows, cols, data, uses, symbol)
    after, notes = sliced(text)
    assert notes == []
    for h in holders(after):
        # A slice is a box of the original: find it by its first element.
        part = h.data
        first = int(part.reshape(-1)[0])
        r, c = divmod(first, cols)
        np.testing.assert_array_equal(
            part, data[r : r + part.shape[0], c : c + part.shape[1]]
        )
    total = sum(h.data.size for h in holders(after))
    assert total <= rows * cols, "slices never overlap, so never exceed the original"
    assert_equivalent(text, load(str(after)), trials=1)
