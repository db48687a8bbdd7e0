"""The operator ops' accessors answer as xDSL's own would: the operand
accessors that remember decoded segment sizes (`_SegmentAccessor`) and the
parameter values remembered per distinct array (`from_attr`), on every
operator op of every bundled model, as imported and with its weights
encoded (a weighted op then has no bias operand: other segment sizes)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from xdsl.dialects.builtin import DenseArrayBase, f32, i32, i64
from xdsl.irdl.operations import BaseAttrAccessor

from tirconst.dialects.tir import OperatorOp
from tirconst.dialects.tir.operators import (
    Ints,
    PerChannel,
    Scales,
    _SegmentAccessor,
    from_attr,
)
from tirconst.frontend.importer import import_tflite
from tirconst.transforms.encode_weights import encode_module

MODELS = sorted((Path(__file__).resolve().parent.parent / "models").glob("*.tflite"))


def _fresh(attr: object) -> object:
    """A property's value decoded as `from_attr` did before it remembered."""
    assert isinstance(attr, DenseArrayBase)
    values = attr.get_values()
    if attr.elt_type == i32:
        return np.array(values, dtype=np.int32)
    if attr.elt_type == f32:
        return np.array(values, dtype=np.float32)
    return tuple(values)


def _check(op: OperatorOp) -> int:
    checked = 0
    for cls in type(op).__mro__:
        for name, accessor in vars(cls).items():
            if isinstance(accessor, _SegmentAccessor):
                assert isinstance(accessor.inner, BaseAttrAccessor)
                assert getattr(op, name) is accessor.inner.__get__(op)
                checked += 1
    for name, attr in op.properties.items():
        if not isinstance(attr, DenseArrayBase) or name == "operandSegmentSizes":
            continue
        got, want = from_attr(attr), _fresh(attr)
        assert type(got) is type(want)
        if isinstance(got, np.ndarray):
            assert got.dtype == want.dtype and np.array_equal(got, want)  # type: ignore[union-attr]
            got[...] = 0  # a copy: the next read is unchanged
            assert np.array_equal(from_attr(attr), want)  # type: ignore[arg-type]
        else:
            assert got == want
    return checked


@pytest.mark.parametrize("model", MODELS, ids=[m.stem for m in MODELS])
def test_accessors_answer_as_xdsl(model: Path) -> None:
    module = import_tflite(model)
    before = sum(_check(o) for o in module.walk() if isinstance(o, OperatorOp))
    encode_module(module, "ethos-u55-128", "min-size")
    after = sum(_check(o) for o in module.walk() if isinstance(o, OperatorOp))
    assert before and after


@given(
    st.sampled_from([i32, i64, f32]),
    st.lists(st.integers(-(2**31), 2**31 - 1), max_size=20),
)
def test_from_attr_is_the_decoded_array(elt, values: list[int]) -> None:
    attr = DenseArrayBase.from_list(
        elt, [float(v) for v in values] if elt == f32 else values
    )
    got, want = from_attr(attr), _fresh(attr)
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray) and got.dtype == want.dtype
        assert np.array_equal(got, want, equal_nan=True)
    else:
        assert got == want


@given(
    st.sampled_from([Ints, PerChannel]),
    st.lists(st.integers(-(2**64), 2**64), max_size=12),
    st.sampled_from([None, np.int64, np.int32, np.uint64, np.float64]),
)
def test_ints_build_packs_what_from_list_packs(kind, values: list[int], dtype) -> None:
    """The integer kinds' `build` (a packing fast path for in-range integer
    arrays) gives the attribute `DenseArrayBase.from_list` gives, and the
    same refusal where that refuses."""
    try:
        value = np.array(values, dtype=dtype)
    except OverflowError:
        return  # numpy itself refuses the values in that dtype
    if dtype is None and value.dtype == object:
        value = values  # Python ints past int64: the list as it is
    try:
        want = DenseArrayBase.from_list(
            kind.elt, [int(v) for v in np.asarray(value).reshape(-1)]
        )
    except ValueError as e:
        with pytest.raises(type(e)):
            kind.build(value)
        return
    assert kind.build(value) == want


@given(st.lists(st.floats(width=32), max_size=12))
def test_scales_build_packs_what_from_list_packs(values: list[float]) -> None:
    want = DenseArrayBase.from_list(
        f32, [float(v) for v in np.asarray(values, np.float32)]
    )
    got = Scales.build(values)
    assert isinstance(got, DenseArrayBase)
    assert got.data.data == want.data.data
