"""A decoded command stream as `npu` dialect IR.

    module = npu_module(disassemble("model_vela.tflite"))

One `npu.command_stream` per file: the flash blob is the constant region 0,
with every weight range an op reads recorded as a `#npu.weight_stream` whose
encoding is inferred from the op (OFM depth, kernel, IFM depth, dilation,
block depth from the block config, traversal), so the interpreter can
decode it; scratch regions get the container's sizes (a bare payload: the
extent of the accesses); the container's inputs and outputs become
`npu.tensor`s, their element type and zero point taken from the feature map
of the first op that reads (or the last that writes) their bytes.

Ops keep the integer scales the registers hold: pooling and elementwise ops
carry `ofm_scale` (and `operand_scales`) instead of float scales, and clamps
are the registers' values (feature maps have no scale). Two-core streams
(ethos-u65-512) keep one weight and bias range per core. What the stream
cannot express in the dialect (upscaling, LRELU) is a `ConversionError`
naming the op.
"""

from __future__ import annotations

from collections.abc import Sequence

from ethosu.vela import api
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    FloatAttr,
    ModuleOp,
    StringAttr,
    TensorType,
    UnitAttr,
    f64,
    i64,
)
from xdsl.ir import Block, Operation, Region

from tirconst.backend.ethos_u.containers import StreamFile, TensorPlacement
from tirconst.backend.ethos_u.decoder import DecodedOp, Disassembly
from tirconst.backend.ethos_u.memcheck import feature_map_intervals, op_accesses
from tirconst.core.diagnostics import ToolError, error_line
from tirconst.dialects.npu import (
    LUT_REGION,
    ActivationAttr,
    AddressRangeAttr,
    CommandStreamOp,
    Conv2DOp,
    DepthwiseConv2DOp,
    DmaOp,
    ElementwiseOp,
    FeatureMapAttr,
    KernelAttr,
    PaddingAttr,
    PoolingOp,
    RegionOp,
    TensorOp,
    WeightEncodingAttr,
    WeightStreamAttr,
)
from tirconst.dialects.tir.types import DTYPES
from tirconst.formats.ethos_u.hardware import SHRAM_BYTES
from tirconst.formats.ethos_u.weights import (
    ACCELERATORS,
    WeightEncoding,
    core_channels,
    core_depths,
    stream_block_depth,
)

_DTYPE_NAMES = {
    api.NpuDataType.INT8: "int8",
    api.NpuDataType.UINT8: "uint8",
    api.NpuDataType.INT16: "int16",
    api.NpuDataType.UINT16: "uint16",
    api.NpuDataType.INT32: "int32",
}
_ROUNDING = {
    api.NpuRoundingMode.TFL: "tfl",
    api.NpuRoundingMode.NATURAL: "natural",
    api.NpuRoundingMode.TRUNCATE: "truncate",
}
_UPSCALE = {
    api.NpuResamplingMode.NEAREST: "nearest",
    api.NpuResamplingMode.TRANSPOSE: "transpose",
}
_POOL = {
    api.NpuPoolingOp.MAX: "max",
    api.NpuPoolingOp.AVERAGE: "average",
    api.NpuPoolingOp.REDUCE_SUM: "reduce_sum",
}
_ELEMENTWISE = {
    api.NpuElementWiseOp.ADD: "add",
    api.NpuElementWiseOp.SUB: "sub",
    api.NpuElementWiseOp.MUL: "mul",
    api.NpuElementWiseOp.MIN: "min",
    api.NpuElementWiseOp.MAX: "max",
    api.NpuElementWiseOp.ABS: "abs",
    api.NpuElementWiseOp.SHL: "shl",
    api.NpuElementWiseOp.SHR: "shr",
    api.NpuElementWiseOp.CLZ: "clz",
}
_SIGNED = {1: "int8", 2: "int16", 4: "int32", 8: "int64"}


class ConversionError(ToolError):
    """A decoded op the npu dialect cannot express (the message names it)."""


def accelerator_name(acc: api.NpuAccelerator | None) -> str:
    for name, a in ACCELERATORS.items():
        if acc is not None and a.vela_name == acc.name:
            return name
    raise ConversionError(
        error_line("the payload's config word names no single accelerator")
    )


def _ints(values) -> DenseArrayBase:  # type: ignore[no-untyped-def]
    return DenseArrayBase.from_list(i64, [int(v) for v in values])


def feature_map(fm: api.NpuFeatureMap) -> FeatureMapAttr:
    h, w, c = fm.shape.height, fm.shape.width, fm.shape.depth
    t = fm.tiles
    one_tile = t.height_0 >= h and t.width_0 >= w
    tiles = () if one_tile else (t.height_0, t.height_1, t.width_0, *t.addresses[1:])
    s = fm.strides
    return FeatureMapAttr.make(
        dtype=_DTYPE_NAMES[fm.data_type], shape=(h, w, c), region=fm.region,
        address=t.addresses[0], tiles=tiles,
        layout="nhwc" if fm.layout == api.NpuLayout.NHWC else "nhcwb16",
        strides=() if s is None else (s.height, s.width, s.depth), scale=None,
        zero_point=fm.quantization.zero_point if fm.quantization else 0,
    )  # fmt: skip


def _range(r: api.NpuAddressRange) -> AddressRangeAttr:
    return AddressRangeAttr.make(region=r.region, address=r.address, length=r.length)


def _what(d: DecodedOp) -> str:
    return f"op {d.index} ({d.command.name} at stream word {d.offset})"


_FUNCTIONS = {
    api.NpuActivationOp.SIGMOID: "sigmoid",
    api.NpuActivationOp.TANH: "tanh",
}


def _activation(d: DecodedOp) -> ActivationAttr | None:
    act = d.op.activation
    if act is None:
        return None
    if act.op_type == api.NpuActivationOp.TABLE_LOOKUP:
        return ActivationAttr.make(
            kind="table", min=act.min, max=act.max, slot=act.lookup_table_index
        )
    if act.op_type in _FUNCTIONS:
        return ActivationAttr.make(
            kind=_FUNCTIONS[act.op_type], min=act.min, max=act.max
        )
    if act.op_type != api.NpuActivationOp.NONE_OR_RELU:
        raise ConversionError(
            error_line(f"{_what(d)}: activation {act.op_type.name} has no npu form")
        )
    if act.min is None and act.max is None:
        return None
    return ActivationAttr.make(kind="clamp", min=act.min, max=act.max)


class _Streams:
    """The weight streams of region 0, one per distinct weight range."""

    def __init__(self, accelerator: str):
        self.accelerator = accelerator
        self.found: dict[tuple[int, int, int], list[WeightStreamAttr]] = {}

    def add(self, d: DecodedOp, r: api.NpuAddressRange, core: int) -> None:
        """Declare the stream core `core`'s weight range `r` holds: its
        channels (core k: k, k + cores, ...) in its share of the block."""
        op = d.op
        k = op.kernel
        depthwise = isinstance(op, api.NpuConvDepthWiseOperation)
        ncores = ACCELERATORS[self.accelerator].cores
        ofm_depth = core_channels(op.ofm.shape.depth, ncores)[core]
        block_depth = core_depths(op.block_config.depth, ncores)[core]
        ifm_depth = op.ifm.shape.depth
        shape = (
            (ofm_depth, k.height, k.width, 1)
            if depthwise
            else (ofm_depth, k.height, k.width, ifm_depth)
        )
        traversal = (
            "part_kernel_first"
            if not depthwise
            and op.block_traversal == api.NpuBlockTraversal.PART_KERNEL_FIRST
            else "depth_first"
        )
        depth = stream_block_depth(block_depth, ofm_depth)
        enc = WeightEncoding(
            self.accelerator, depth or block_depth, traversal, k.dilation_x,
            k.dilation_y, depthwise, shape, 0,
            8 * op.ifm.data_type.size_in_bytes(),
        )  # fmt: skip
        attr = WeightStreamAttr.make(
            address=r.address, length=r.length, encoding=WeightEncodingAttr.of(enc)
        )
        # Bytes read with several encodings (identical streams shared, or a
        # staging buffer reused): each is declared, each op reads its own.
        key = (r.region, r.address, r.length)
        known = self.found.setdefault(key, [])
        if attr not in known:
            known.append(attr)

    def of(self, region: int) -> list[WeightStreamAttr] | None:
        found = [
            a
            for (r, *_), attrs in sorted(self.found.items())
            if r == region
            for a in attrs
        ]
        return found or None


def _window_extent(
    op: api.NpuBlockOperation, ifm: FeatureMapAttr
) -> tuple[FeatureMapAttr, tuple[int, int, int, int]]:
    """The IFM rows and columns a window op reads and its effective padding.

    The decoder's extent counts the bottom/right padding registers as read;
    Vela writes the padding of the whole tensor, which a stride that skips
    the last rows never reaches. Within the IFM tile box (the tensor's
    height and, with no tiles to the right, its width) the rows are in
    memory, so they are read as real rows and only the rest is padding."""
    k, p = op.kernel, op.padding
    top, left = (p.top, p.left) if p else (0, 0)
    bottom, right = (p.bottom, p.right) if p else (0, 0)
    h, w, c = ifm.shape
    oh, ow = op.ofm.shape.height, op.ofm.shape.width
    reach_h = (oh - 1) * k.stride_y + (k.height - 1) * k.dilation_y + 1 - top
    reach_w = (ow - 1) * k.stride_x + (k.width - 1) * k.dilation_x + 1 - left
    t = op.ifm.tiles
    box_h = max(t.height_0, t.height_1)
    no_right_tiles = t.addresses[1] == 0 and t.addresses[3] == 0
    box_w = t.width_0 if no_right_tiles else w
    h = max(h, min(reach_h, box_h))
    w = max(w, min(reach_w, box_w))
    bottom = min(bottom, max(0, reach_h - h))
    right = min(right, max(0, reach_w - w))
    return ifm.replace(shape=(h, w, c)), (top, left, bottom, right)


def _block_props(d: DecodedOp, streams: _Streams) -> dict:  # type: ignore[type-arg]
    op = d.op
    upscale = _UPSCALE.get(op.ifm_upscale)
    if op.ifm_upscale != api.NpuResamplingMode.NONE and (
        upscale is None or op.kernel is None
    ):
        raise ConversionError(f"error: {_what(d)}: IFM upscaling has no npu form")
    b = op.block_config
    ofm = feature_map(op.ofm)
    table = op.activation is not None and (
        op.activation.op_type == api.NpuActivationOp.TABLE_LOOKUP
    )
    if ofm.dtype == "int32" and not table:
        # A 32-bit OFM is the raw scaled result: its zero-point register is
        # not applied (the legacy core leaves a stale one there); before a
        # 32-bit lookup table it offsets the index (Vela's softmax exp).
        ofm = ofm.replace(zero_point=0)
    ifm = feature_map(op.ifm)
    pad = None
    if upscale is not None:
        # the padding registers are around the doubled IFM, as the op reads it
        p = op.padding
        pad = (p.top, p.left, p.bottom, p.right) if p else (0, 0, 0, 0)
    elif op.kernel is not None and not isinstance(op, api.NpuElementWiseOperation):
        ifm, pad = _window_extent(op, ifm)
    props = {
        "ifm": ifm,
        "ofm": ofm,
        "block_config": _ints((b.height, b.width, b.depth)),
        "rounding_mode": StringAttr(_ROUNDING[op.rounding_mode]),
    }
    act = _activation(d)
    if act is not None:
        props["activation"] = act
    if op.kernel is not None and not isinstance(op, api.NpuElementWiseOperation):
        k = op.kernel
        props["kernel"] = KernelAttr.make(
            size=(k.height, k.width),
            stride=(k.stride_y, k.stride_x),
            dilation=(k.dilation_y, k.dilation_x),
        )
        if pad is not None and any(pad):
            props["padding"] = PaddingAttr.make(pad=pad)
        if upscale is not None:
            props["upscale"] = StringAttr(upscale)
    if isinstance(op, (api.NpuConv2DOperation, api.NpuConvDepthWiseOperation)):
        ncores = ACCELERATORS[streams.accelerator].cores
        expected = len(core_channels(op.ofm.shape.depth, ncores))
        if len(op.weights) != expected or len(op.biases) != expected:
            raise ConversionError(
                error_line(
                    f"{_what(d)}: {len(op.weights)} weight and {len(op.biases)} "
                    f"bias ranges ({expected} expected: one per core with channels)"
                )
            )
        for core, r in enumerate(op.weights):
            streams.add(d, r, core)
        props["weights"] = ArrayAttr([_range(r) for r in op.weights])
        props["biases"] = ArrayAttr([_range(r) for r in op.biases])
    return props


def npu_op(d: DecodedOp, streams: _Streams) -> Operation:
    """The npu op of one decoded operation."""
    op = d.op
    if isinstance(op, api.NpuDmaOperation):
        return DmaOp.create(properties={"src": _range(op.src), "dest": _range(op.dest)})
    props = _block_props(d, streams)
    if isinstance(op, api.NpuConv2DOperation):
        traversal = (
            "part_kernel_first"
            if op.block_traversal == api.NpuBlockTraversal.PART_KERNEL_FIRST
            else "depth_first"
        )
        props["block_traversal"] = StringAttr(traversal)
        return Conv2DOp.create(properties=props)
    if isinstance(op, api.NpuConvDepthWiseOperation):
        return DepthwiseConv2DOp.create(properties=props)
    ofm_scale = d.ofm_scale if d.ofm_scale is not None else (1, 0)
    if isinstance(op, api.NpuPoolingOperation):
        props["pool_type"] = StringAttr(_POOL[op.sub_op_type])
        if d.global_scale:
            # Without OFM_PRECISION's global-scale bit a pooling op does not
            # use OFM_SCALE (the register may hold a stale value: the legacy
            # core leaves a mean's (1, 31) before softmax's max pool).
            props["ofm_scale"] = _ints(ofm_scale)
        return PoolingOp.create(properties=props)
    assert isinstance(op, api.NpuElementWiseOperation)
    kind = _ELEMENTWISE.get(op.sub_op_type)
    if kind is None:
        raise ConversionError(
            error_line(f"{_what(d)}: elementwise {op.sub_op_type.name} has no npu form")
        )
    props["op_type"] = StringAttr(kind)
    props["ofm_scale"] = _ints(ofm_scale)
    if kind in ("add", "sub"):
        scale, shift = d.opa_scale if d.opa_scale is not None else (1, 0)
        opb = d.opb_scale if d.opb_scale is not None else 1
        props["operand_scales"] = _ints((scale, shift, opb, d.op_to_scale))
    if op.ifm2 is not None:
        props["ifm2"] = feature_map_or_scalar(op.ifm2, op.ifm2_scalar is not None)
        if op.ifm2_scalar is not None:
            props["ifm2_scalar"] = FloatAttr(op.ifm2_scalar, f64)
    if op.reversed_operands:
        props["reversed_operands"] = UnitAttr()
    return ElementwiseOp.create(properties=props)


def feature_map_or_scalar(fm: api.NpuFeatureMap, scalar: bool) -> FeatureMapAttr:
    if scalar or fm.tiles is None:  # a scalar: no address registers
        return FeatureMapAttr.make(
            dtype=_DTYPE_NAMES[fm.data_type], shape=(1, 1, 1),
            zero_point=fm.quantization.zero_point if fm.quantization else 0,
        )  # fmt: skip
    return feature_map(fm)


def _extents(ops: list[DecodedOp]) -> dict[int, int]:
    """Region -> the end of the furthest byte the ops touch."""
    out: dict[int, int] = {}
    for d in ops:
        for a in op_accesses(d):
            out[a.region] = max(out.get(a.region, 0), a.span[1])
    return out


def _tensor_type(
    p: TensorPlacement, ops: list[DecodedOp], write: bool
) -> tuple[str, int | None]:
    """The element type and zero point of the feature map over `p`'s bytes:
    the first op reading it (an input) or the last writing it (an output).
    A tensor of wider elements than that feature map's (an int64 ARG_MAX
    output, written as int32 words) keeps the container's element size."""
    order = reversed(ops) if write else ops
    for d in order:
        op = d.op
        if isinstance(op, api.NpuDmaOperation):
            continue
        for fm in (op.ofm,) if write else (op.ifm, getattr(op, "ifm2", None)):
            if fm is None or fm.tiles is None or fm.region != p.region:
                continue
            iv = feature_map_intervals(fm)
            if iv and iv[0][0] <= p.offset < iv[-1][1]:  # type: ignore[operator]
                zp = fm.quantization.zero_point if fm.quantization else 0
                if p.elem_size > fm.data_type.size_in_bytes():
                    return _SIGNED.get(p.elem_size, "int8"), zp
                return _DTYPE_NAMES[fm.data_type], zp
    return _SIGNED.get(p.elem_size, "int8"), None


def _tensors(stream: StreamFile, ops: list[DecodedOp]) -> list[TensorOp]:
    out: list[TensorOp] = []
    names: set[str] = set()
    for kind, places in (("input", stream.inputs), ("output", stream.outputs)):
        for i, p in enumerate(places):
            if p.region is None or p.offset is None:
                raise ConversionError(
                    error_line(
                        f"the container does not place {kind} {p.name!r} "
                        "(no offline memory allocation)"
                    )
                )
            dtype, zp = _tensor_type(p, ops, kind == "output")
            name = p.name if p.name and p.name not in names else f"{kind}{i}"
            names.add(name)
            shape = list(p.shape) or [1]
            out.append(
                TensorOp(
                    name,
                    kind,
                    p.region,
                    p.offset,
                    TensorType(DTYPES[dtype][0], shape),
                    None,
                    zp,
                )  # fmt: skip
            )
    return out


def npu_segments_module(segments: Sequence[Disassembly]) -> ModuleOp:
    """The NPU segments of a file as one module: `npu.command_stream`s @main,
    @main_1, @main_2, ... in segment order."""
    streams = [
        npu_module(d, "main" if k == 0 else f"main_{k}").ops.first
        for k, d in enumerate(segments)
    ]
    for s in streams:
        s.detach()  # type: ignore[union-attr]
    return ModuleOp(streams)  # type: ignore[arg-type]


def npu_module(dis: Disassembly, name: str = "main") -> ModuleOp:
    """The decoded file as a module holding one `npu.command_stream @name`."""
    stream, ops = dis.stream, dis.ops
    acc = accelerator_name(stream.accelerator)
    streams = _Streams(acc)
    body = [npu_op(d, streams) for d in ops]
    extents = _extents(ops)
    sizes = dict(stream.region_sizes) or {
        r: n for r, n in extents.items() if r < LUT_REGION
    }
    regions: list[Operation] = []
    flash = stream.flash
    if 0 in sizes or flash:
        size = max(len(flash), sizes.get(0, 0))
        # A bare payload has no flash blob: region 0 is declared, without data.
        data = flash + b"\0" * (size - len(flash)) if flash else None
        regions.append(RegionOp(0, "constant", size, data, streams.of(0)))
    for index in sorted(sizes):
        if index != 0 and 0 < index < 8:
            regions.append(
                RegionOp(index, "scratch", sizes[index], None, streams.of(index))
            )
    if any(r >= LUT_REGION for r in extents):
        regions.append(RegionOp(LUT_REGION, "lut", SHRAM_BYTES[acc]))
    tensors = _tensors(stream, ops)
    block = Block([*regions, *tensors, *body])
    return ModuleOp([CommandStreamOp(name, acc, Region(block))])
