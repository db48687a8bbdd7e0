"""Builders of `ethosu.vela.api` operations for the command-stream tests,
and a field-by-field comparison of an original op with its decoded form."""

from __future__ import annotations

import contextlib
import io

import numpy as np
from ethosu.vela.api import (
    NpuAccelerator,
    NpuAccumulatorType,
    NpuActivation,
    NpuActivationOp,
    NpuAddressRange,
    NpuBlockOperation,
    NpuBlockTraversal,
    NpuConv2DOperation,
    NpuConvDepthWiseOperation,
    NpuDataType,
    NpuDmaOperation,
    NpuElementWiseOperation,
    NpuFeatureMap,
    NpuKernel,
    NpuLayout,
    NpuOperation,
    NpuPadding,
    NpuPoolingOperation,
    NpuQuantization,
    NpuShape3D,
    NpuTileBox,
    npu_create_driver_payload,
    npu_encode_bias,
    npu_encode_weights,
    npu_find_block_configs,
    npu_generate_register_command_stream,
)
from ethosu.vela.register_command_stream_util import get_strides, quantise

from tirconst.backend.ethos_u.decoder import DecodedOp

ACC = NpuAccelerator.Ethos_U55_128


def quiet(f, *args):  # type: ignore[no-untyped-def]
    """Call a package function that prints system-config warnings."""
    with contextlib.redirect_stdout(io.StringIO()):
        return f(*args)


def fmap(
    shape: tuple[int, int, int],
    base: int = 0,
    region: int = 1,
    dtype: NpuDataType = NpuDataType.INT8,
    layout: NpuLayout = NpuLayout.NHWC,
    zp: int = 0,
    scale: float = 0.05,
    strides: NpuShape3D | None = None,
) -> NpuFeatureMap:
    fm = NpuFeatureMap()
    fm.data_type, fm.region, fm.layout = dtype, region, layout
    fm.shape = NpuShape3D(*shape)
    fm.tiles = NpuTileBox(shape[0], 0, shape[1], [base, 0, 0, 0])
    fm.quantization = NpuQuantization(scale_f32=scale, zero_point=zp)
    fm.strides = strides
    return fm


def out_extent(ifm: int, k: int, stride: int, dilation: int, pad: int) -> int:
    return (ifm + pad - ((k - 1) * dilation + 1)) // stride + 1


class Flash:
    """A region-0 blob that hands out 16-byte aligned ranges."""

    def __init__(self) -> None:
        self.data = bytearray()

    def add(self, blob: bytes | bytearray) -> NpuAddressRange:
        """Append `blob` padded to 16 bytes (DMA and weight lengths must be
        multiples of 16); the range covers the padding."""
        address = len(self.data)
        self.data += blob
        self.data += b"\0" * (-len(self.data) % 16)
        return NpuAddressRange(0, address, len(self.data) - address)


def attach_weights(
    op: NpuBlockOperation, flash: Flash, rng: np.random.Generator
) -> None:
    """Pick a block config, encode random weights and biases for it."""
    configs = quiet(npu_find_block_configs, op, ACC)
    assert configs, "no block config fits"
    op.block_config = configs[len(configs) // 2]
    depthwise = isinstance(op, NpuConvDepthWiseOperation)
    k = op.kernel
    oc = op.ofm.shape.depth
    ic = 1 if depthwise else op.ifm.shape.depth
    w = rng.integers(-127, 128, size=(oc, k.height, k.width, ic)).astype(np.int16)
    traversal = NpuBlockTraversal.DEPTH_FIRST if depthwise else op.block_traversal
    encoded = npu_encode_weights(
        ACC,
        w,
        (k.dilation_x, k.dilation_y),
        op.ifm.data_type.size_in_bits(),
        op.block_config.depth,
        depthwise,
        traversal,
    )
    bias = b"".join(
        npu_encode_bias(np.int64(int(rng.integers(-1000, 1000))), 1 << 30, 38)
        for _ in range(oc)
    )
    op.biases = [flash.add(bias)]
    op.weights = [flash.add(encoded)]


def pick_block_config(op: NpuBlockOperation) -> None:
    configs = quiet(npu_find_block_configs, op, ACC)
    assert configs, "no block config fits"
    op.block_config = configs[-1]


def generate(ops: list[NpuOperation]) -> bytes:
    """The driver payload of `ops`, through the public API."""
    words = quiet(npu_generate_register_command_stream, ops, ACC)
    return quiet(npu_create_driver_payload, words, ACC)


def _clamp(value: float | None, fm: NpuFeatureMap, low: bool) -> int:
    dt = fm.data_type
    if value is None:
        q = dt.min_value() if low else dt.max_value()
    else:
        q = quantise(value, fm.quantization)
    return max(q, -32768, dt.min_value()) if low else min(q, 32767, dt.max_value())


def _same_fmap(a: NpuFeatureMap, b: NpuFeatureMap, what: str, shape: bool = True):
    assert b.data_type == a.data_type, what
    assert b.region == a.region, what
    assert b.layout == a.layout, what
    if shape:
        assert tuple(b.shape) == tuple(a.shape), (what, a.shape, b.shape)
    assert b.tiles.height_0 == a.tiles.height_0, what
    assert b.tiles.height_1 == a.tiles.height_1, what
    assert b.tiles.width_0 == a.tiles.width_0, what
    assert list(b.tiles.addresses) == list(a.tiles.addresses), what
    assert tuple(b.strides) == tuple(get_strides(a)), what
    assert b.quantization.zero_point == a.quantization.zero_point, what
    assert b.quantization.scale_f32 is None  # not in the stream


def assert_same_op(a: NpuOperation, d: DecodedOp) -> None:
    """`d` is `a` decoded: equal in every field the stream carries."""
    b = d.op
    assert type(b) is type(a)
    if isinstance(a, NpuDmaOperation):
        assert (b.src, b.dest, b.channel, b.mode) == (a.src, a.dest, a.channel, a.mode)
        return
    assert isinstance(a, NpuBlockOperation) and isinstance(b, NpuBlockOperation)
    _same_fmap(a.ifm, b.ifm, "ifm")
    _same_fmap(a.ofm, b.ofm, "ofm")
    if isinstance(a, NpuElementWiseOperation):
        assert b.sub_op_type == a.sub_op_type
        assert b.reversed_operands == a.reversed_operands
        assert b.kernel is None and b.padding is None
        if a.ifm2_scalar is not None:
            assert d.ifm2_scalar == quantise(a.ifm2_scalar, a.ifm2.quantization)
            assert quantise(b.ifm2_scalar, b.ifm2.quantization) == d.ifm2_scalar
            assert b.ifm2.quantization.zero_point == a.ifm2.quantization.zero_point
        elif a.ifm2 is not None:
            _same_fmap(a.ifm2, b.ifm2, "ifm2")
    else:
        for f in (
            "width",
            "height",
            "stride_x",
            "stride_y",
            "dilation_x",
            "dilation_y",
        ):
            assert getattr(b.kernel, f) == getattr(a.kernel, f), f
        assert b.padding == (a.padding or NpuPadding(0, 0, 0, 0))
    if isinstance(a, NpuPoolingOperation):
        assert b.sub_op_type == a.sub_op_type
    if isinstance(a, NpuConv2DOperation):
        assert b.block_traversal == a.block_traversal
    if isinstance(a, (NpuConv2DOperation, NpuConvDepthWiseOperation)):
        assert b.weights == a.weights and b.biases == a.biases
    act = a.activation or NpuActivation(NpuActivationOp.NONE_OR_RELU)
    assert b.activation.op_type == act.op_type
    if act.op_type == NpuActivationOp.TABLE_LOOKUP:
        assert b.activation.lookup_table_index == act.lookup_table_index
    else:
        assert d.activation_min == _clamp(act.min, a.ofm, True)
        assert d.activation_max == _clamp(act.max, a.ofm, False)
        for value, reg in (
            (b.activation.min, d.activation_min),
            (b.activation.max, d.activation_max),
        ):
            if value is not None:
                assert quantise(value, b.ofm.quantization) == reg
    assert tuple(b.block_config) == tuple(a.block_config)
    assert b.rounding_mode == a.rounding_mode
    assert b.ifm_upscale == a.ifm_upscale
    if a.accumulator_type != NpuAccumulatorType.Default:
        assert b.accumulator_type == a.accumulator_type


__all__ = [
    "ACC",
    "Flash",
    "NpuKernel",
    "NpuPadding",
    "assert_same_op",
    "attach_weights",
    "fmap",
    "generate",
    "out_extent",
    "pick_block_config",
    "quiet",
]
