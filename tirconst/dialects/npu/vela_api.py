"""npu ops as the `ethosu.vela.api` objects they model, one to one.

The npu dialect mirrors Vela's public API classes, so this mapping belongs to
the dialect: passes use it to ask Vela which block configs an op allows, and
the backend (`tirconst.backend.ethos_u.vela_ops`) to generate the command
stream.

    ops = vela_operations(stream)                      # list[NpuOperation]
    h, w, d = pick_block_config(op, "ethos-u55-128")   # via npu_find_block_configs
"""

from __future__ import annotations

from ethosu.vela import api

from tirconst.dialects.npu.attributes import (
    ActivationAttr,
    AddressRangeAttr,
    FeatureMapAttr,
)
from tirconst.dialects.npu.ops import (
    BlockOp,
    Conv2DOp,
    DepthwiseConv2DOp,
    DmaOp,
    ElementwiseOp,
    PoolingOp,
    WeightedOp,
    WindowOp,
)
from tirconst.dialects.npu.stream import CommandStreamOp
from tirconst.formats.ethos_u.block_config import find_block_configs, largest
from tirconst.formats.ethos_u.weights import ACCELERATORS

_DATA_TYPES = {
    "int8": api.NpuDataType.INT8,
    "uint8": api.NpuDataType.UINT8,
    "int16": api.NpuDataType.INT16,
    "uint16": api.NpuDataType.UINT16,
    "int32": api.NpuDataType.INT32,
}
_ROUNDING = {
    "tfl": api.NpuRoundingMode.TFL,
    "natural": api.NpuRoundingMode.NATURAL,
    "truncate": api.NpuRoundingMode.TRUNCATE,
}
_POOL = {
    "max": api.NpuPoolingOp.MAX,
    "average": api.NpuPoolingOp.AVERAGE,
    "reduce_sum": api.NpuPoolingOp.REDUCE_SUM,
}
_ELEMENTWISE = {
    "add": api.NpuElementWiseOp.ADD,
    "sub": api.NpuElementWiseOp.SUB,
    "mul": api.NpuElementWiseOp.MUL,
    "min": api.NpuElementWiseOp.MIN,
    "max": api.NpuElementWiseOp.MAX,
    "abs": api.NpuElementWiseOp.ABS,
    "shl": api.NpuElementWiseOp.SHL,
    "shr": api.NpuElementWiseOp.SHR,
    "clz": api.NpuElementWiseOp.CLZ,
}
_TRAVERSAL = {
    "depth_first": api.NpuBlockTraversal.DEPTH_FIRST,
    "part_kernel_first": api.NpuBlockTraversal.PART_KERNEL_FIRST,
}
_UPSCALE = {
    "nearest": api.NpuResamplingMode.NEAREST,
    "transpose": api.NpuResamplingMode.TRANSPOSE,
}


def accelerator(stream: CommandStreamOp) -> api.NpuAccelerator:
    return api.NpuAccelerator[ACCELERATORS[stream.accelerator.data].vela_name]


def feature_map(fm: FeatureMapAttr) -> api.NpuFeatureMap:
    out = api.NpuFeatureMap()
    out.data_type = _DATA_TYPES[fm.dtype]
    out.region = fm.region
    h, w, c = fm.shape
    out.shape = api.NpuShape3D(height=h, width=w, depth=c)
    h0, h1, w0, addresses = fm.tile_box()
    out.tiles = api.NpuTileBox(
        height_0=h0, height_1=h1, width_0=w0, addresses=list(addresses)
    )
    out.quantization = api.NpuQuantization(scale_f32=fm.scale, zero_point=fm.zero_point)
    out.layout = api.NpuLayout.NHWC if fm.layout == "nhwc" else api.NpuLayout.NHCWB16
    sy, sx, sc = fm.byte_strides()
    out.strides = api.NpuShape3D(height=sy, width=sx, depth=sc)
    return out


def address_range(r: AddressRangeAttr) -> api.NpuAddressRange:
    return api.NpuAddressRange(region=r.region, address=r.address, length=r.length)


_FUNCTIONS = {
    "sigmoid": api.NpuActivationOp.SIGMOID,
    "tanh": api.NpuActivationOp.TANH,
}


def function_input_scale(kind: str, scale: int, shift: int) -> float:
    """An IFM scale from which Vela computes OFM_SCALE = (scale, shift) for a
    pooling into the int16 sigmoid/tanh (register_command_stream_generator:
    3 << k for the scales 2^-12 and, tanh, 2^-11; otherwise 0x3000 times the
    scale doubled until above 16383.5, truncated)."""
    exact = (3, 6) if kind == "tanh" else (3,)
    if shift == 0 and scale in exact:
        return 2.0 ** ((scale // 3).bit_length() - 1 - 12)
    value = (scale + 0.5) / 2.0**shift / 0x3000
    rescale, k = 0x3000 * value, 0
    while rescale <= 32767 / 2 and k <= 30:
        k, rescale = k + 1, rescale * 2
    if (int(rescale), k) != (scale, shift):
        raise ValueError(f"no IFM scale gives the {kind} input scaling {scale, shift}")
    return value


def activation(act: ActivationAttr | None) -> api.NpuActivation | None:
    if act is None:
        return None
    if act.kind == "table":
        out = api.NpuActivation(api.NpuActivationOp.TABLE_LOOKUP)
        out.lookup_table_index = act.slot
    elif act.kind in _FUNCTIONS:
        out = api.NpuActivation(_FUNCTIONS[act.kind])
    else:
        out = api.NpuActivation(api.NpuActivationOp.NONE_OR_RELU)
    out.min, out.max = act.min, act.max
    return out


def _block(op: BlockOp, out: api.NpuBlockOperation) -> api.NpuBlockOperation:
    out.ifm = feature_map(op.ifm)
    out.ofm = feature_map(op.ofm)
    out.activation = activation(op.activation)
    h, w, c = (int(v) for v in op.block_config.get_values())
    out.block_config = api.NpuShape3D(height=h, width=w, depth=c)
    out.rounding_mode = _ROUNDING[op.rounding_mode.data]
    if isinstance(op, WindowOp):
        kernel = op.kernel
        (kh, kw), (sy, sx), (dy, dx) = (
            kernel.size,
            kernel.stride,
            kernel.dilation,
        )
        out.kernel = api.NpuKernel(kw, kh, sx, sy, dx, dy)
        top, left, bottom, right = op.pad
        out.padding = api.NpuPadding(top=top, left=left, bottom=bottom, right=right)
        if op.upscale is not None:
            out.ifm_upscale = _UPSCALE[op.upscale.data]
    if isinstance(op, WeightedOp):
        out.weights = [address_range(r) for r in op.weights.data]
        out.biases = [address_range(r) for r in op.biases.data]
    return out


def vela_operation(op) -> api.NpuOperation:
    """The `ethosu.vela.api` object of one npu op."""
    if isinstance(op, Conv2DOp):
        out = _block(op, api.NpuConv2DOperation())
        out.block_traversal = _TRAVERSAL[op.block_traversal.data]
        return out
    if isinstance(op, DepthwiseConv2DOp):
        return _block(op, api.NpuConvDepthWiseOperation())
    if isinstance(op, PoolingOp):
        out = _block(op, api.NpuPoolingOperation(_POOL[op.pool_type.data]))
        if op.rescale is not None:
            from ethosu.vela.operation import ExplicitScaling

            scale, shift = (int(v) for v in op.rescale.get_values())
            out.rescale = ExplicitScaling(False, [shift], [scale])
        act = op.activation
        if act is not None and act.kind in _FUNCTIONS and op.ofm_scale is not None:
            # Vela derives OFM_SCALE from the IFM's float scale here.
            scale, shift = (int(v) for v in op.ofm_scale.get_values())
            out.ifm.quantization = api.NpuQuantization(
                scale_f32=function_input_scale(act.kind, scale, shift),
                zero_point=op.ifm.zero_point,
            )
        return out
    if isinstance(op, ElementwiseOp):
        out = _block(op, api.NpuElementWiseOperation(_ELEMENTWISE[op.op_type.data]))
        if op.ifm2 is not None:
            out.ifm2 = feature_map(op.ifm2)
        if op.ifm2_scalar is not None:
            out.ifm2_scalar = op.ifm2_scalar.value.data
        out.reversed_operands = op.reversed_operands is not None
        if op.ofm_scale is not None:
            # Registers given (Vela's rescale sets OFM_SCALE; the operand
            # scales stay at their default, no scaling).
            if op.operand_scales is not None and tuple(
                int(v) for v in op.operand_scales.get_values()
            ) != (1, 0, 1, 0):
                raise ValueError(f"{op.name}: operand scales other than (1, 0, 1, 0)")
            scale, shift = (int(v) for v in op.ofm_scale.get_values())
            out.rescale = (scale, shift)
        return out
    if isinstance(op, DmaOp):
        return api.NpuDmaOperation(address_range(op.src), address_range(op.dest))
    raise TypeError(f"{op.name} is not an npu operation")


_OPS = (Conv2DOp, DepthwiseConv2DOp, PoolingOp, ElementwiseOp, DmaOp)


def vela_operations(stream: CommandStreamOp) -> list[api.NpuOperation]:
    return [vela_operation(op) for op in stream.body.block.ops if isinstance(op, _OPS)]


def block_configs(op: BlockOp, stream_accelerator: str) -> list[tuple[int, int, int]]:
    """The (height, width, depth) block configs Vela's `npu_find_block_configs`
    finds for the op (its own block_config is ignored)."""
    return find_block_configs(vela_operation(op), stream_accelerator)


def pick_block_config(
    op: BlockOp, stream_accelerator: str, depth: int | None = None
) -> tuple[int, int, int]:
    """The largest block config Vela accepts, of block depth `depth` if given
    (the depth weights were encoded with); ValueError if there is none."""
    best = largest(block_configs(op, stream_accelerator), depth)
    if best is None:
        raise ValueError(f"{op.name}: no block config of depth {depth} fits")
    return best
