"""API operations -> Vela's register stream and payload -> decoded back:
the same operations, field by field, modulo the documented fields."""

from __future__ import annotations

import numpy as np
import pytest
from ethosu.vela.api import (
    NpuAccelerator,
    NpuActivation,
    NpuActivationOp,
    NpuAddressRange,
    NpuBlockTraversal,
    NpuConv2DOperation,
    NpuConvDepthWiseOperation,
    NpuDataType,
    NpuDmaOperation,
    NpuElementWiseOp,
    NpuElementWiseOperation,
    NpuKernel,
    NpuLayout,
    NpuPadding,
    NpuPoolingOp,
    NpuPoolingOperation,
    NpuRoundingMode,
    NpuShape3D,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import tests.npu_api_ops as helpers
from tests.npu_api_ops import (
    ACC,
    Flash,
    assert_same_op,
    attach_weights,
    fmap,
    generate,
    out_extent,
    pick_block_config,
)
from tirconst.backend.ethos_u import (
    decode_operations,
    decode_words,
    disassemble,
    read_payload,
)
from tirconst.backend.ethos_u.commands import cmd0

LUT_REGION, LUT_ADDRESS = 0x103, 0x5800  # U55-128's lookup memory


def roundtrip(ops):  # type: ignore[no-untyped-def]
    stream = read_payload(generate(ops))
    assert stream.accelerator == ACC
    decoded = decode_operations(decode_words(stream.words))
    assert len(decoded) == len(ops)
    for a, d in zip(ops, decoded, strict=True):
        assert_same_op(a, d)
    return decoded


def conv(
    ifm_hw=(9, 11),
    cin=8,
    cout=16,
    k=(3, 3),
    stride=(1, 1),
    dilation=(1, 1),
    pad=(1, 1, 1, 1),
    layout_in=NpuLayout.NHWC,
    layout_out=NpuLayout.NHWC,
    traversal=NpuBlockTraversal.PART_KERNEL_FIRST,
    rounding=NpuRoundingMode.TFL,
    dtype=NpuDataType.INT8,
    seed=0,
    flash=None,
    depthwise=False,
):  # type: ignore[no-untyped-def]
    top, left, bottom, right = pad
    oh = out_extent(ifm_hw[0], k[0], stride[1], dilation[1], top + bottom)
    ow = out_extent(ifm_hw[1], k[1], stride[0], dilation[0], left + right)
    # The decoder gives the rows an op reads: choose IFMs with none unread.
    ih = (oh - 1) * stride[1] + (k[0] - 1) * dilation[1] + 1 - top - bottom
    iw = (ow - 1) * stride[0] + (k[1] - 1) * dilation[0] + 1 - left - right
    op = NpuConvDepthWiseOperation() if depthwise else NpuConv2DOperation()
    if not depthwise:
        op.block_traversal = traversal
    op.ifm = fmap((ih, iw, cin), base=0x1000, dtype=dtype, layout=layout_in, zp=3)
    op.ofm = fmap(
        (oh, ow, cin if depthwise else cout),
        base=0x8000,
        dtype=dtype,
        layout=layout_out,
        zp=-5 if dtype.is_signed() else 7,
        scale=0.1,
    )
    op.kernel = NpuKernel(k[1], k[0], stride[0], stride[1], dilation[0], dilation[1])
    op.padding = NpuPadding(top, left, bottom, right)
    op.rounding_mode = rounding
    attach_weights(op, flash or Flash(), np.random.default_rng(seed))
    return op


def pool(kind=NpuPoolingOp.MAX, shape=(8, 8, 16), k=2, stride=2, pad=0, **kw):  # type: ignore[no-untyped-def]
    op = NpuPoolingOperation(kind)
    oh = out_extent(shape[0], k, stride, 1, 2 * pad)
    ow = out_extent(shape[1], k, stride, 1, 2 * pad)
    ih = (oh - 1) * stride + k - 2 * pad
    iw = (ow - 1) * stride + k - 2 * pad
    op.ifm = fmap((ih, iw, shape[2]), base=0x100, **kw)
    op.ofm = fmap((oh, ow, shape[2]), base=0x4000, **kw)
    op.kernel = NpuKernel(k, k, stride, stride)
    op.padding = NpuPadding(pad, pad, pad, pad)
    pick_block_config(op)
    return op


def elementwise(kind, shape=(4, 6, 16), shape2=None, scalar=None, reversed_=False):  # type: ignore[no-untyped-def]
    op = NpuElementWiseOperation(kind)
    op.ifm = fmap(shape, base=0x0, zp=2, scale=0.2)
    op.ofm = fmap(shape, base=0x2000, zp=-1, scale=0.3)
    if kind not in (NpuElementWiseOp.ABS, NpuElementWiseOp.LRELU, NpuElementWiseOp.CLZ):
        op.ifm2 = fmap(shape2 or shape, base=0x1000, zp=-3, scale=0.25)
        op.ifm2_scalar = scalar
        op.reversed_operands = reversed_
    pick_block_config(op)
    return op


def test_conv_variants_roundtrip() -> None:
    flash = Flash()
    ops = [
        conv(flash=flash),
        conv(stride=(2, 2), pad=(0, 0, 1, 1), flash=flash, seed=1),
        conv(k=(5, 3), dilation=(2, 2), pad=(2, 1, 2, 1), flash=flash, seed=2),
        conv(
            layout_in=NpuLayout.NHCWB16,
            layout_out=NpuLayout.NHCWB16,
            traversal=NpuBlockTraversal.DEPTH_FIRST,
            rounding=NpuRoundingMode.NATURAL,
            flash=flash,
            seed=3,
        ),
        conv(stride=(3, 1), k=(1, 1), pad=(0, 0, 0, 0), cin=32, flash=flash, seed=4),
        conv(dtype=NpuDataType.UINT8, rounding=NpuRoundingMode.TRUNCATE, flash=flash),
        conv(depthwise=True, cin=16, flash=flash, seed=5),
    ]
    ops[0].activation = NpuActivation(NpuActivationOp.NONE_OR_RELU)
    ops[0].activation.min = 0.0
    ops[1].activation = NpuActivation(NpuActivationOp.NONE_OR_RELU)
    ops[1].activation.min, ops[1].activation.max = 0.0, 6.0
    decoded = roundtrip(ops)
    assert [d.command for d in decoded] == [cmd0.NPU_OP_CONV] * 6 + [
        cmd0.NPU_OP_DEPTHWISE
    ]


def test_pooling_roundtrip() -> None:
    ops = [
        pool(NpuPoolingOp.MAX),
        pool(NpuPoolingOp.AVERAGE, k=3, stride=1, pad=1),
        pool(NpuPoolingOp.AVERAGE, k=2, stride=2, layout=NpuLayout.NHCWB16),
        pool(NpuPoolingOp.MAX, shape=(7, 5, 3), k=3, stride=2, dtype=NpuDataType.UINT8),
    ]
    ops[1].rounding_mode = NpuRoundingMode.NATURAL
    decoded = roundtrip(ops)
    # Unpadded average pooling uses the global OFM scale register.
    assert decoded[2].global_scale and decoded[2].ofm_scale is not None
    assert not decoded[1].global_scale


def test_elementwise_roundtrip() -> None:
    ops = [
        elementwise(NpuElementWiseOp.ADD),
        elementwise(NpuElementWiseOp.MUL, scalar=1.5),
        elementwise(NpuElementWiseOp.ADD, shape2=(1, 6, 16)),
        elementwise(NpuElementWiseOp.SUB, shape2=(4, 1, 1), reversed_=True),
        elementwise(NpuElementWiseOp.MUL, shape2=(1, 1, 16)),
        elementwise(NpuElementWiseOp.MAX),
        elementwise(NpuElementWiseOp.ABS),
    ]
    decoded = roundtrip(ops)
    assert decoded[0].opa_scale is not None  # different input scales: advanced
    assert decoded[1].ifm2_scalar is not None and decoded[1].op.ifm2_scalar is not None


def test_table_lookup_and_dma_roundtrip() -> None:
    flash = Flash()
    table = flash.add(bytes(range(256)))
    dma = NpuDmaOperation(table, NpuAddressRange(LUT_REGION, LUT_ADDRESS, table.length))
    copy = NpuDmaOperation(NpuAddressRange(1, 0x100, 64), NpuAddressRange(2, 0x40, 64))
    lut = pool(NpuPoolingOp.AVERAGE, shape=(4, 4, 8), k=1, stride=1)
    lut.activation = NpuActivation(NpuActivationOp.TABLE_LOOKUP)
    lut.activation.lookup_table_index = 0
    pick_block_config(lut)
    sig = pool(NpuPoolingOp.AVERAGE, shape=(4, 4, 8), k=1, stride=1)
    sig.activation = NpuActivation(NpuActivationOp.SIGMOID)
    decoded = roundtrip([dma, lut, copy, sig])
    assert decoded[0].op.dest.region == LUT_REGION


@st.composite
def random_block_op(draw):  # type: ignore[no-untyped-def]
    kind = draw(st.sampled_from(["conv", "depthwise", "pool", "elementwise"]))
    layout_in = draw(st.sampled_from(list(NpuLayout)))
    layout_out = draw(st.sampled_from(list(NpuLayout)))
    dtype = draw(st.sampled_from([NpuDataType.INT8, NpuDataType.UINT8]))
    rounding = draw(st.sampled_from(list(NpuRoundingMode)))
    if kind in ("conv", "depthwise"):
        kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
        sx, sy = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        dx, dy = draw(st.integers(1, 2)), draw(st.integers(1, 2))
        pad = tuple(draw(st.integers(0, 2)) for _ in range(4))
        assume(all(p < max(kh, kw) for p in pad))
        ih, iw = draw(st.integers(kh * dy + 2, 20)), draw(st.integers(kw * dx + 2, 20))
        cin = draw(st.sampled_from([1, 3, 8, 16, 20]))
        cout = draw(st.sampled_from([1, 8, 16, 24]))
        op = conv(
            (ih, iw),
            cin,
            cout,
            (kh, kw),
            (sx, sy),
            (dx, dy),
            pad,
            layout_in,
            layout_out,
            draw(st.sampled_from(list(NpuBlockTraversal))),
            rounding,
            dtype,
            seed=draw(st.integers(0, 99)),
            depthwise=kind == "depthwise",
        )
    elif kind == "pool":
        k, s = draw(st.integers(1, 4)), draw(st.integers(1, 3))
        shape = (
            draw(st.integers(k, 16)),
            draw(st.integers(k, 16)),
            draw(st.integers(1, 40)),
        )
        op = pool(
            draw(st.sampled_from([NpuPoolingOp.MAX, NpuPoolingOp.AVERAGE])),
            shape,
            k,
            s,
            draw(st.integers(0, (k - 1) // 2 if k > 1 else 0)),
            dtype=dtype,
            layout=layout_in,
        )
        op.rounding_mode = rounding
    else:
        shape = (
            draw(st.integers(1, 8)),
            draw(st.integers(1, 8)),
            draw(st.integers(1, 32)),
        )
        mode = draw(st.sampled_from(["full", "scalar", "broadcast"]))
        sub = draw(
            st.sampled_from(
                [
                    NpuElementWiseOp.ADD,
                    NpuElementWiseOp.MUL,
                    NpuElementWiseOp.SUB,
                    NpuElementWiseOp.MIN,
                ]
            )
        )
        shape2 = None
        if mode == "broadcast":
            shape2 = tuple(1 if draw(st.booleans()) else d for d in shape)
        op = elementwise(
            sub,
            shape,
            shape2,
            float(draw(st.integers(-20, 20))) if mode == "scalar" else None,
            draw(st.booleans()),
        )
    if draw(st.booleans()):
        act = NpuActivation(NpuActivationOp.NONE_OR_RELU)
        act.min = float(draw(st.integers(-2, 0)))
        act.max = draw(st.sampled_from([None, 1.0, 6.0]))
        op.activation = act
    return op


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.lists(random_block_op(), min_size=1, max_size=4))
def test_random_ops_roundtrip(ops) -> None:  # type: ignore[no-untyped-def]
    roundtrip(ops)


def test_ifm_extent_is_the_rows_read() -> None:
    # VALID 3x3 stride 2 over 8 rows reads 7: the 8th is not in the stream.
    op = conv(ifm_hw=(7, 7), stride=(2, 2), pad=(0, 0, 0, 0))
    op.ifm.shape = NpuShape3D(8, 8, op.ifm.shape.depth)
    op.ifm.tiles = op.ifm.tiles._replace(height_0=8, width_0=8)
    stream = read_payload(generate([op]))
    (d,) = decode_operations(decode_words(stream.words))
    assert tuple(d.op.ifm.shape) == (7, 7, op.ifm.shape.depth)


@pytest.mark.parametrize(
    "accelerator", ["Ethos_U55_32", "Ethos_U55_256", "Ethos_U65_256", "Ethos_U65_512"]
)
def test_other_accelerators(accelerator: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    acc = NpuAccelerator[accelerator]
    monkeypatch.setattr(helpers, "ACC", acc)
    ops = [conv(flash=Flash()), pool()]
    stream = read_payload(generate(ops))
    assert stream.accelerator == acc
    decoded = decode_operations(decode_words(stream.words))
    for a, d in zip(ops, decoded, strict=True):
        assert_same_op(a, d)
    if accelerator == "Ethos_U65_512":
        # Two cores: the second core's weight stream is written with length 0.
        assert "NPU_SET_WEIGHT1_LENGTH" in decoded[0].written


def test_disassemble_file_and_register_snapshots(tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b = pool(NpuPoolingOp.MAX), pool(NpuPoolingOp.MAX)
    b.ofm.tiles = b.ofm.tiles._replace(addresses=[0x6000, 0, 0, 0])
    f = tmp_path / "two.bin"
    f.write_bytes(generate([a, b]))
    d = disassemble(f)
    assert [x.command for x in d.ops] == [cmd0.NPU_OP_POOL] * 2
    # The second op repeats every register but the OFM base: only that is
    # written, and its snapshot still holds the rest.
    assert "NPU_SET_OFM_BASE0" in d.ops[1].written
    assert "NPU_SET_IFM_BASE0" not in d.ops[1].written
    assert d.ops[1].registers["NPU_SET_OFM_BASE0"] == 0x6000
    assert d.ops[1].registers["NPU_SET_IFM_BASE0"] == 0x100
    assert d.ops[1].op.ifm.tiles.addresses[0] == 0x100
