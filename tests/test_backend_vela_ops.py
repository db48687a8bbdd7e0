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


def _fm(h: int, w: int, c: int) -> api.NpuFeatureMap:
    fm = api.NpuFeatureMap()
    fm.shape = api.NpuShape3D(height=h, width=w, depth=c)
    fm.strides = api.NpuShape3D(height=w * c, width=c, depth=1)
    return fm


def _pool(ifm: tuple[int, int, int], ofm: tuple[int, int, int]):
    op = api.NpuPoolingOperation(api.NpuPoolingOp.MAX)
    op.ifm, op.ofm = _fm(*ifm), _fm(*ofm)
    return op


def test_unused_strides_keep_the_register_value():
    """A y (x) stride of a map one row high (column wide) is never multiplied
    by anything but 0: it takes the value its register already holds, so
    Vela writes no stride between 1x1 maps; used strides, channel strides
    and a broadcast elementwise IFM are left alone."""
    from tirconst.backend.ethos_u.vela_ops import keep_unused_strides

    first = _pool((1, 1, 32), (1, 1, 16))
    second = _pool((1, 1, 16), (1, 1, 8))
    tall = _pool((4, 1, 8), (4, 1, 8))
    add = api.NpuElementWiseOperation(api.NpuElementWiseOp.ADD)
    add.ifm, add.ofm = _fm(1, 1, 8), _fm(4, 1, 8)
    dma = api.NpuDmaOperation(
        api.NpuAddressRange(0, 0, 16), api.NpuAddressRange(1, 0, 16)
    )
    keep_unused_strides([first, dma, second, tall, add])
    S = api.NpuShape3D
    assert first.ifm.strides == S(32, 32, 1) and first.ofm.strides == S(16, 16, 1)
    assert second.ifm.strides == S(32, 32, 1) and second.ofm.strides == S(16, 16, 1)
    assert tall.ifm.strides == S(8, 32, 1)  # y used (4 rows), x the register's
    assert tall.ofm.strides == S(8, 16, 1)
    assert add.ifm.strides == S(8, 8, 1)  # broadcast: as given
    assert add.ofm.strides == S(8, 16, 1)


def test_fully_connected_chain_writes_strides_once(tmp_path):
    """autoencoder_example is six fully connected layers on 1x1 maps: after
    the first op no IFM/OFM y or x stride is written again."""
    from tests.tflite_patch import MODELS
    from tirconst.backend.ethos_u import disassemble
    from tirconst.tools.compile import compile_model

    compile_model(MODELS / "autoencoder_example.tflite", tmp_path)
    ops = disassemble(tmp_path / "autoencoder_example_tirconst.tflite").ops
    strides = {f"NPU_SET_{m}_STRIDE_{d}" for m in ("IFM", "OFM") for d in "XY"}
    assert strides <= set(ops[0].written)
    assert not any(strides & set(op.written) for op in ops[1:])
