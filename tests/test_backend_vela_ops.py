"""npu ops map one to one onto `ethosu.vela.api` objects, and Vela's
register command-stream generator accepts every op the builders make (with a
block config Vela finds); a block config Vela refuses is a one-line error."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from ethosu.vela import api
from xdsl.dialects.builtin import StringAttr

from tests.npu_cases import block, conv_stream, pool_stream, random_conv
from tirconst.backend.ethos_u.vela_ops import (
    VelaRefused,
    driver_payload,
    register_command_stream,
)
from tirconst.dialects.npu import (
    CommandStreamOp,
    ElementwiseOp,
    FeatureMapAttr,
)
from tirconst.dialects.npu.build import StreamBuilder
from tirconst.dialects.npu.vela_api import feature_map, vela_operations
from tirconst.interpreter.npu import NpuProgram


def _stream(module) -> CommandStreamOp:
    return NpuProgram(module).functions()[0]


@pytest.mark.parametrize(
    "depthwise,traversal,depth,dilation",
    [
        (dw, t, d, dil)
        for dw, t, d, dil in itertools.product(
            (False, True), ("depth_first", "part_kernel_first"), (8, 16, 32), (1, 2)
        )
        if not (dw and t == "part_kernel_first")
    ],
)
def test_convolutions_are_accepted(depthwise, traversal, depth, dilation):
    rng = np.random.default_rng(depth + dilation)
    co = 8 if depth == 8 else 32  # a block shallower than the OFM is a multiple of 16
    w, b, m, s = random_conv(rng, co, 3, 3, 1 if depthwise else 12)
    x_shape = (1, 9, 9, co if depthwise else 12)
    module = conv_stream(
        x_shape, w, b, m, s, pad=(1, 1, 1, 1), dilation=(dilation, dilation),
        depthwise=depthwise, block_depth=depth, traversal=traversal,
    )  # fmt: skip
    stream = _stream(module)
    words = register_command_stream(stream)
    assert words[-1] >> 16 == 0xFFFF and words[-1] & 0x3FF == 0  # NPU_OP_STOP
    assert driver_payload(stream)[:4] == b"COP1"
    (op,) = vela_operations(stream)
    assert op.block_config.depth == depth
    assert op.weights[0].length % 16 == 0 and op.biases[0].length % 16 == 0


@pytest.mark.parametrize("kind", ["max", "average"])
def test_pooling_is_accepted(kind):
    module = pool_stream((1, 8, 8, 16), kind, (2, 2), (2, 2))
    assert driver_payload(_stream(module))[:4] == b"COP1"


def test_elementwise_and_feature_maps_map_one_to_one():
    b = StreamBuilder()
    a = b.tensor("input0", "input", (1, 4, 4, 16), scale=0.05, zero_point=3)
    c = b.tensor("input1", "input", (1, 4, 4, 16), scale=0.02, zero_point=-7)
    y = b.tensor("output0", "output", (1, 4, 4, 16), scale=0.07, zero_point=1)
    b.add(
        ElementwiseOp.create(
            properties={
                "op_type": StringAttr("add"),
                "ifm": a,
                "ifm2": c,
                "ofm": y,
                "block_config": block(4, 4, 16),
            }
        )
    )
    stream = _stream(b.module())
    assert driver_payload(stream)[:4] == b"COP1"
    fm = feature_map(
        FeatureMapAttr.make(
            dtype="int8", shape=(4, 4, 2), region=1, address=64,
            tiles=(1, 3, 2, 128, 256, 384), strides=(32, 2, 1), scale=0.5,
            zero_point=-3,
        )
    )  # fmt: skip
    assert fm.tiles == api.NpuTileBox(1, 3, 2, [64, 128, 256, 384])
    assert fm.strides == api.NpuShape3D(height=32, width=2, depth=1)
    assert fm.quantization == api.NpuQuantization(0.5, -3)


def test_refused_block_config_is_one_line():
    module = pool_stream((1, 8, 8, 16), "max", (2, 2), (2, 2))
    stream = _stream(module)
    op = next(o for o in stream.body.block.ops if o.name == "npu.pooling")
    op.properties["block_config"] = block(64, 64, 64)
    with pytest.raises(VelaRefused) as e:
        register_command_stream(stream)
    text = str(e.value)
    assert "\n" not in text and "'npu.pooling' op" in text and "Vela refuses" in text
