"""The keyword-struct attributes of the npu dialect (`dialects/npu/fields.py`):
one list of typed field descriptors per class gives the text syntax, the IRDL
parameters and typed Python access (`fm.region` is an int)."""

from __future__ import annotations

import pytest
from xdsl.context import Context
from xdsl.dialects.builtin import FloatAttr, IntAttr, NoneAttr
from xdsl.ir import Attribute
from xdsl.parser import Parser
from xdsl.utils.exceptions import ParseError, VerifyException

from tirconst.dialects.npu import Npu
from tirconst.dialects.npu.attributes import (
    ATTRIBUTES,
    ActivationAttr,
    FeatureMapAttr,
    KernelAttr,
    WeightEncodingAttr,
    WeightStreamAttr,
)
from tirconst.dialects.npu.fields import (
    IntField,
    IntsField,
    StructAttr,
    irdl_struct_definition,
)


def parse(text: str) -> Attribute:
    ctx = Context()
    ctx.load_dialect(Npu)
    return Parser(ctx, text).parse_attribute()


@pytest.mark.parametrize("cls", ATTRIBUTES, ids=lambda c: c.name)
def test_one_field_list(cls: type[StructAttr]) -> None:
    """FIELDS, the accessors and the IRDL parameters are the same list, in
    order: the descriptors declared on the class."""
    names = [f.name for f in cls.FIELDS]
    params = [p for p, _ in cls.get_irdl_definition().parameters]
    assert params == [f"{n}_attr" for n in names]
    assert all(getattr(cls, n) is f for n, f in zip(names, cls.FIELDS, strict=True))
    assert cls.FIELD_NAMES == set(names)


def test_typed_values() -> None:
    fm = parse(
        "#npu.feature_map<int16, [2, 3, 20], region = 4, address = 64,"
        " layout = nhcwb16, strides = [960, 32, 32], scale = 0.25, zero_point = -3>"
    )
    assert isinstance(fm, FeatureMapAttr)
    assert (fm.dtype, fm.shape, fm.region, fm.address) == ("int16", (2, 3, 20), 4, 64)
    assert (fm.tiles, fm.layout, fm.strides) == ((), "nhcwb16", (960, 32, 32))
    assert (fm.scale, fm.zero_point) == (0.25, -3)
    assert fm.region_attr == IntAttr(4)
    assert isinstance(fm.scale_attr, FloatAttr)
    act = parse("#npu.activation<table, max = 6.0, slot = 2>")
    assert isinstance(act, ActivationAttr)
    assert (act.kind, act.min, act.max, act.slot) == ("table", None, 6.0, 2)
    assert isinstance(act.min_attr, NoneAttr)
    ws = parse(
        '#npu.weight_stream<16, 96, #npu.weight_encoding<"ethos-u55-128",'
        " [4, 3, 3, 1], depthwise = true, dilation = [2, 1]>>"
    )
    assert isinstance(ws, WeightStreamAttr)
    assert isinstance(ws.encoding, WeightEncodingAttr)
    assert ws.encoding.depthwise is True and ws.encoding.dilation == (2, 1)
    assert ws.encoding.encoding.dilation_y == 2


def test_values_cached_on_the_instance() -> None:
    """The first read fills every value into the instance's __dict__, which
    later reads find before the (non-data) descriptor."""
    k = KernelAttr.make(size=(3, 3), stride=(2, 1))
    assert k.stride == (2, 1)
    assert k.__dict__["size"] == (3, 3) and k.__dict__["dilation"] == (1, 1)
    assert k.size is k.size
    # equality and hashing are the parameters', not the cached values'
    assert k == KernelAttr.make(size=(3, 3), stride=(2, 1))
    assert hash(k) == hash(KernelAttr.make(size=(3, 3), stride=(2, 1)))


def test_no_access_by_string() -> None:
    """Fields are read by typed accessor only (`fm.region`), one way."""
    fm = FeatureMapAttr.make(dtype="int8", shape=(1, 2, 3), region=1)
    assert fm.region == 1 and fm.shape == (1, 2, 3) and fm.scale is None
    with pytest.raises(TypeError):
        fm["region"]  # type: ignore[index]


def test_make_and_replace() -> None:
    fm = FeatureMapAttr.make(dtype="int8", shape=(1, 2, 3))
    assert (fm.region, fm.layout, fm.scale) == (0, "nhwc", None)
    moved = fm.replace(address=32, zero_point=5)
    assert (moved.address, moved.zero_point, moved.shape) == (32, 5, (1, 2, 3))
    assert (
        str(moved) == "#npu.feature_map<int8, [1, 2, 3], address = 32, zero_point = 5>"
    )
    with pytest.raises(TypeError, match="missing shape"):
        FeatureMapAttr.make(dtype="int8")
    with pytest.raises(TypeError, match="unknown fields"):
        fm.replace(colour=1)


def test_word_choices_verified() -> None:
    with pytest.raises(VerifyException, match="#npu.feature_map: layout must be one"):
        FeatureMapAttr.make(dtype="int8", shape=(1, 1, 1), layout="nchw")
    with pytest.raises(ParseError, match="layout must be one of nhwc, nhcwb16"):
        parse("#npu.feature_map<int8, [1, 1, 1], layout = nchw>")


def test_nested_attribute_checked() -> None:
    with pytest.raises(ParseError, match="encoding must be #npu.weight_encoding"):
        parse("#npu.weight_stream<0, 16, #npu.kernel<[1, 1]>>")
    with pytest.raises(VerifyException):
        WeightStreamAttr(IntAttr(0), IntAttr(16), KernelAttr.make(size=(1, 1)))


def test_definition_rules() -> None:
    with pytest.raises(TypeError, match="starts with a positional field"):

        @irdl_struct_definition
        class _A(StructAttr):
            name = "npu.test_a"
            x = IntField(default=0)

    with pytest.raises(TypeError, match="positional fields come before keyed"):

        @irdl_struct_definition
        class _B(StructAttr):
            name = "npu.test_b"
            x = IntField(positional=True)
            y = IntsField(default=())
            z = IntField(positional=True)

    with pytest.raises(TypeError, match="positional field has no default"):
        IntField(positional=True, default=1)
    with pytest.raises(TypeError, match="keyed one has"):
        IntField()
