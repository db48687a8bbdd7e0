"""`tir-extract-constants` and `tir-inline-constants` from Python: one module
constant per distinct content, every reference reads what it held before, and
inlining gives the original module back."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.utils.exceptions import PassFailedException

from tests.helpers import assert_equivalent
from tirconst.core.context import context, load
from tirconst.dialects.tir import AllocateConstOp, ConstantOp
from tirconst.transforms import extract_constants
from tirconst.transforms.extract_constants import ExtractConstantsPass
from tirconst.transforms.inline_constants import InlineConstantsPass

TIR_TYPES = {
    np.dtype(np.int8): "i8",
    np.dtype(np.int32): "i32",
    np.dtype(np.float32): "f32",
}


def hex_data(array: np.ndarray) -> str:
    return f'dense<"0x{array.tobytes().hex()}">'


def module_text(funcs: list[list[np.ndarray]]) -> str:
    """One function per list; each copies each of its constants to an output,
    so running the function shows every constant's data."""
    out = []
    for f, arrays in enumerate(funcs):
        params, body = [], []
        for k, a in enumerate(arrays):
            t = f"!tir.buffer<{'x'.join(map(str, a.shape))}x{TIR_TYPES[a.dtype]}>"
            params.append(f"%out{k} : {t}")
            body.append(f"    %c{k} = tir.allocate_const {hex_data(a)} : {t}")
            body.append(f"    tir.copy ins(%c{k} : {t}) outs(%out{k} : {t})")
        out.append(
            f"  tir.func @f{f}({', '.join(params)}) {{\n" + "\n".join(body) + "\n  }"
        )
    return "builtin.module {\n" + "\n".join(out) + "\n}\n"


def apply(module, *passes):
    for p in passes:
        p.apply(context(), module)
    module.verify()
    return module


def holders(module) -> list[AllocateConstOp]:
    return [op for op in module.walk() if isinstance(op, AllocateConstOp)]


def constants(module) -> list[ConstantOp]:
    return [op for op in module.body.block.ops if isinstance(op, ConstantOp)]


def test_three_functions_two_identical_constants():
    """TVM's extract-constants test: the module ends with two constants."""
    same = np.ones(10, np.int32)
    other = np.arange(1, 11, dtype=np.int32)
    text = module_text([[same], [same.copy()], [other]])
    before = [h.data.copy() for h in holders(load(text))]
    after = apply(load(text), ExtractConstantsPass())
    assert len(constants(after)) == 2
    assert all(h.symbol is not None and h.value is None for h in holders(after))
    for h, data in zip(holders(after), before, strict=True):
        np.testing.assert_array_equal(h.data, data)
    assert holders(after)[0].symbol == holders(after)[1].symbol
    assert_equivalent(text, after)


arrays = st.sampled_from([np.int8, np.int32, np.float32]).flatmap(
    lambda dt: st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(0, 3)).map(
        lambda s: np.random.default_rng(s[2]).integers(-5, 5, (s[0], s[1])).astype(dt)
    )
)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(arrays, min_size=1, max_size=4), min_size=1, max_size=4))
def test_one_constant_per_distinct_content(funcs):
    text = module_text(funcs)
    after = apply(load(text), ExtractConstantsPass())
    flat = [a for f in funcs for a in f]
    distinct = {(a.dtype.str, a.shape, a.tobytes()) for a in flat}
    assert len(constants(after)) == len(distinct)
    for h, a in zip(holders(after), flat, strict=True):
        assert h.data.dtype == a.dtype
        np.testing.assert_array_equal(h.data, a)
    again = apply(load(str(after)), ExtractConstantsPass())
    assert str(again) == str(after), "extracting twice changes nothing"
    back = apply(after, InlineConstantsPass())
    assert str(back) == str(load(text)), "inline undoes extract"


def test_hash_collisions_are_caught_by_the_exact_comparison(monkeypatch):
    text = module_text([[np.zeros(4, np.int8)], [np.ones(4, np.int8)]])
    monkeypatch.setattr(
        extract_constants,
        "content_key",
        lambda data: (data.get_element_type(), tuple(data.get_shape()), b"same"),
    )
    after = apply(load(text), ExtractConstantsPass())
    assert len(constants(after)) == 2
    assert_equivalent(text, after)


def test_same_bytes_other_dtype_or_shape_or_sign_of_zero_are_distinct():
    a = np.array([1, 2, 3, 4], np.int8)
    zero, minus_zero = np.array([0.0], np.float32), np.array([-0.0], np.float32)
    text = module_text(
        [[a, a.reshape(2, 2), a.view(np.uint8).view(np.int8)], [zero, minus_zero]]
    )
    after = apply(load(text), ExtractConstantsPass())
    names = [c.sym_name.data for c in constants(after)]
    assert names == ["f0_c0", "f0_c1", "f1_c0", "f1_c1"]
    assert_equivalent(text, after)


def test_existing_duplicates_merge_and_references_follow():
    text = """
    tir.constant @a = dense<[1, 2]> : tensor<2xi8>
    tir.constant @b = dense<[1, 2]> : tensor<2xi8>
    tir.func @main(%y : !tir.buffer<2xi8>) {
      %b = tir.allocate_const @b : !tir.buffer<2xi8>
      tir.copy ins(%b : !tir.buffer<2xi8>) outs(%y : !tir.buffer<2xi8>)
    }"""
    after = apply(load(text), ExtractConstantsPass())
    assert [c.sym_name.data for c in constants(after)] == ["a"]
    assert holders(after)[0].symbol.root_reference.data == "a"
    assert_equivalent(text, after)


def test_data_is_shared_not_copied():
    big = np.arange(100_000, dtype=np.int32)
    text = module_text([[big], [big]])
    after = apply(load(text), ExtractConstantsPass())
    (const,) = constants(after)
    apply(after, InlineConstantsPass())
    assert all(h.value is const.value for h in holders(after))


def test_name_clashes_are_errors_and_prefix_avoids_them():
    text = module_text([[np.ones(2, np.int8)]]).replace(
        "builtin.module {",
        "builtin.module {\n  tir.constant @f0_c0 = dense<[5, 5]> : tensor<2xi8>",
    )
    module = load(text)
    with pytest.raises(
        PassFailedException,
        match="would be @f0_c0, but the module already has a tir.constant with "
        "different data",
    ):
        ExtractConstantsPass().apply(context(), module)
    after = apply(load(text), ExtractConstantsPass(prefix="x_"))
    assert [c.sym_name.data for c in constants(after)] == ["f0_c0", "x_f0_c0"]

    clash = module_text([[np.ones(2, np.int8)]]).replace(
        "\n}\n", "\n  tir.func @f0_c0() {\n  }\n}\n"
    )
    with pytest.raises(PassFailedException, match="a 'tir.func' of that name"):
        ExtractConstantsPass().apply(context(), load(clash))


def test_inline_removes_only_what_it_unreferenced():
    text = """
    tir.constant @used = dense<[1, 2]> : tensor<2xi8>
    tir.constant @never = dense<[3]> : tensor<1xi8>
    tir.func @main(%y : !tir.buffer<2xi8>) {
      %u = tir.allocate_const @used : !tir.buffer<2xi8>
      tir.copy ins(%u : !tir.buffer<2xi8>) outs(%y : !tir.buffer<2xi8>)
    }"""
    after = apply(load(text), InlineConstantsPass())
    assert [c.sym_name.data for c in constants(after)] == ["never"]
    np.testing.assert_array_equal(holders(after)[0].data, [1, 2])
    assert_equivalent(text, after)


def test_printing_keeps_every_byte():
    """The text of extracted data is lossless at any size (no truncation)."""
    data = np.random.default_rng(3).integers(-128, 128, 50_000, dtype=np.int8)
    text = module_text([[data]])
    after = load(str(apply(load(text), ExtractConstantsPass())))
    assert constants(after)[0].data.tobytes() == data.tobytes()


def test_nested_modules_get_their_own_constants():
    """Each module is a symbol table: a nested module's function names a
    constant of that module (found by the fuzz test: a file of two modules)."""
    body = """
  tir.func @{f}(%y : !tir.buffer<4xi32>) {{
    %b = tir.allocate_const dense<[1, 2, 3, 4]> : !tir.buffer<4xi32>
    tir.copy ins(%b : !tir.buffer<4xi32>) outs(%y : !tir.buffer<4xi32>)
  }}"""
    text = "".join("builtin.module {" + body.format(f=f) + "\n}\n" for f in ("f", "g"))
    module = load(text)
    extract_constants.ExtractConstantsPass().apply(context(), module)
    module.verify()
    inner = [m for m in module.body.block.ops]
    assert [
        [op.name for op in m.body.block.ops]
        for m in inner  # type: ignore[attr-defined]
    ] == [["tir.constant", "tir.func"]] * 2
