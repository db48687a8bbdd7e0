"""Register state machine: a command stream back to `ethosu.vela.api` ops.

Registers persist from one operation to the next (the generator drops a write
that repeats the current value), so the decoder keeps the last value of every
register and, at each NPU_OP_CONV/_DEPTHWISE/_POOL/_ELEMENTWISE/_DMA_START,
turns the snapshot into the API operation that would have produced it.

The stream does not carry everything an API operation holds. A decoded op
differs from the original in exactly these fields (docs/disasm.md):

- `NpuQuantization.scale_f32` is None: the stream holds integer scales
  (`DecodedOp.ofm_scale`, `opa_scale`, `opb_scale`), not float ones.
- `NpuActivation.min/max` are the clamp registers minus the OFM zero point
  (real values in units of the OFM scale; None when the clamp is the
  data type's full range), so `quantise` with scale None gives the registers
  back; `ifm2_scalar` likewise is the scalar register minus the IFM2 zero
  point.
- The IFM height and width are not registers: they are the rows and columns
  the op reads, `(ofm - 1) * stride + dilated_kernel - pad_before -
  pad_after` (halved, rounded up, under 2x upscaling). An original IFM with
  unread trailing rows (VALID padding, stride > 1) decodes smaller.
- `strides` are always explicit; `accumulator_type` is the ACC_FORMAT the
  hardware uses (FP_S5_10 reads as Default); `name`, `fused_quantize`,
  `rescale` and the pooling `rescale` are not in the stream.
- A scalar IFM2 has no address registers: it decodes as a 1x1x1 map in
  region 0; an elementwise op has no kernel (1x1) and no padding (None).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ethosu.vela.api import (
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
    NpuElementWiseOp,
    NpuElementWiseOperation,
    NpuFeatureMap,
    NpuKernel,
    NpuLayout,
    NpuOperation,
    NpuPadding,
    NpuPoolingOp,
    NpuPoolingOperation,
    NpuQuantization,
    NpuResamplingMode,
    NpuRoundingMode,
    NpuShape3D,
    NpuTileBox,
)
from ethosu.vela.ethos_u55_regs import ethos_u55_regs as regs
from ethosu.vela.ethos_u55_regs.ethos_u55_regs import (
    acc_format,
    activation,
    cmd0,
    cmd1,
    elementwise_mode,
    ifm_precision,
    ofm_precision,
    pooling_mode,
    resampling_mode,
    rounding,
)

from tirconst.backend.ethos_u.commands import (
    OPERATION_COMMANDS,
    Command,
    StreamError,
    decode_words,
)
from tirconst.backend.ethos_u.containers import (
    StreamFile,
    read_stream_file,
    read_stream_files,
)

_DTYPES = {
    "U8": NpuDataType.UINT8,
    "S8": NpuDataType.INT8,
    "U16": NpuDataType.UINT16,
    "S16": NpuDataType.INT16,
    "S32": NpuDataType.INT32,
}
# Elementwise ops with one operand (no IFM2 registers are read).
UNARY_ELEMENTWISE = frozenset(
    {NpuElementWiseOp.ABS, NpuElementWiseOp.LRELU, NpuElementWiseOp.CLZ}
)
_ACC_TYPES = {
    "INT_32BIT": NpuAccumulatorType.Int32,
    "INT_40BIT": NpuAccumulatorType.Int40,
    "FP_S5_10": NpuAccumulatorType.Default,
}


@lru_cache(maxsize=4096)
def _fields(command: cmd0, param: int) -> dict[str, int]:
    """The named fields of a cmd0 register value, from the package's struct."""
    struct = getattr(regs, f"{command.name.lower()}_t")
    raw = (command.value | (param << 16)).to_bytes(4, "little")
    value = struct.from_buffer_copy(raw.ljust(ctypes.sizeof(struct), b"\0"))
    return {name: getattr(value, name) for name, *_ in struct._fields_}


def _enum(enum: type, value: int, what: str, offset: int):  # type: ignore[no-untyped-def]
    for member in enum:
        if member.value == value:
            return member
    raise StreamError(f"{what}: invalid value {value}", offset)


def _signed16(value: int) -> int:
    return value - 0x10000 if value & 0x8000 else value


@dataclass
class DecodedOp:
    """One NPU operation read back from the stream.

    `op` is the `ethosu.vela.api` operation; the other fields are what the
    registers hold that the API object expresses only as floats, or not at
    all: integer scales as (scale, shift), clamp registers, shared-buffer
    layout, BLOCKDEP, and the waits before the op."""

    index: int
    offset: int
    command: cmd0
    op: NpuOperation
    written: tuple[str, ...] = ()
    waits: tuple[tuple[str, int], ...] = ()
    ofm_scale: tuple[int, int] | None = None
    opa_scale: tuple[int, int] | None = None
    opb_scale: int | None = None
    op_to_scale: int = 0
    activation_min: int | None = None
    activation_max: int | None = None
    activation_clip: int = 0
    ifm2_scalar: int | None = None
    global_scale: bool = False
    acc_format: str | None = None
    blockdep: int | None = None
    shram: dict[str, int] = field(default_factory=dict)
    #: Every register written so far (name -> value, addresses 64-bit): the
    #: state the hardware starts this op from.
    registers: dict[str, int] = field(default_factory=dict)


class _Registers:
    """The current register file: command -> last value written."""

    def __init__(self) -> None:
        self.values: dict[cmd0 | cmd1, Command] = {}

    def param(self, command: cmd0, default: int = 0) -> int:
        c = self.values.get(command)
        return c.param if c is not None else default

    def value(self, command: cmd1, default: int = 0) -> int:
        c = self.values.get(command)
        return c.value if c is not None else default

    def has(self, command: cmd0 | cmd1) -> bool:
        return command in self.values

    def fields(self, command: cmd0) -> dict[str, int]:
        return _fields(command, self.param(command))


def _m1(value: int) -> int:
    """A `*_M1` register (value minus one); 0xFFFF encodes 0 (unused tile)."""
    return (value + 1) & 0xFFFF


class _OpBuilder:
    def __init__(self, r: _Registers, at: int) -> None:
        self.r = r
        self.at = at

    def ifm_dtype(self, command: cmd0) -> tuple[NpuDataType, NpuLayout, int]:
        f = self.r.fields(command)
        prec = _enum(ifm_precision, f["precision"], command.name, self.at)
        return _DTYPES[prec.name], NpuLayout(f["format"] + 1), f.get("scale_mode", 0)

    def fmap(
        self, prefix: str, dtype: NpuDataType, layout: NpuLayout, shape: NpuShape3D
    ) -> NpuFeatureMap:
        c0 = lambda name: getattr(cmd0, f"NPU_SET_{prefix}_{name}")  # noqa: E731
        c1 = lambda name: getattr(cmd1, f"NPU_SET_{prefix}_{name}")  # noqa: E731
        fm = NpuFeatureMap()
        fm.data_type = dtype
        fm.layout = layout
        fm.region = self.r.param(c0("REGION"))
        fm.shape = shape
        fm.tiles = NpuTileBox(
            height_0=_m1(self.r.param(c0("HEIGHT0_M1"))),
            height_1=_m1(self.r.param(c0("HEIGHT1_M1"))),
            width_0=_m1(self.r.param(c0("WIDTH0_M1"))),
            addresses=[self.r.value(c1(f"BASE{i}")) for i in range(4)],
        )
        fm.strides = NpuShape3D(
            height=self.r.value(c1("STRIDE_Y")),
            width=self.r.value(c1("STRIDE_X")),
            depth=self.r.value(c1("STRIDE_C")),
        )
        zp = self.r.param(c0("ZERO_POINT"))
        fm.quantization = NpuQuantization(
            scale_f32=None, zero_point=_signed16(zp) if dtype.is_signed() else zp
        )
        return fm

    def kernel(self) -> NpuKernel:
        p = self.r.param(cmd0.NPU_SET_KERNEL_STRIDE)
        # Bit layout of KERNEL_STRIDE as the package's generator writes it:
        # bit 0/1 low bit of stride-1 (x/y), bit 2 part-kernel-first, bit 3/4
        # dilation-1 (x/y), bits 6-8 / 9-11 the rest of stride-1 (x/y).
        sx = ((p & 1) | (((p >> 6) & 7) << 1)) + 1
        sy = (((p >> 1) & 1) | (((p >> 9) & 7) << 1)) + 1
        dx, dy = ((p >> 3) & 1) + 1, ((p >> 4) & 1) + 1
        kw_m1 = self.r.param(cmd0.NPU_SET_KERNEL_WIDTH_M1)
        kh_m1 = self.r.param(cmd0.NPU_SET_KERNEL_HEIGHT_M1)
        return NpuKernel(kw_m1 // dx + 1, kh_m1 // dy + 1, sx, sy, dx, dy)

    def traversal(self) -> NpuBlockTraversal:
        p = self.r.param(cmd0.NPU_SET_KERNEL_STRIDE)
        return (
            NpuBlockTraversal.PART_KERNEL_FIRST
            if p & 4
            else NpuBlockTraversal.DEPTH_FIRST
        )

    def ranges(self, kind: str) -> list[NpuAddressRange]:
        region = self.r.param(getattr(cmd0, f"NPU_SET_{kind}_REGION"))
        out = []
        for core in ("", "1"):
            base = getattr(cmd1, f"NPU_SET_{kind}{core}_BASE")
            length = getattr(cmd1, f"NPU_SET_{kind}{core}_LENGTH")
            if self.r.has(base) and self.r.value(length) > 0:
                out.append(
                    NpuAddressRange(region, self.r.value(base), self.r.value(length))
                )
        return out


def _ifm_extent(ofm: int, stride: int, dilated: int, before: int, after: int) -> int:
    return max(1, (ofm - 1) * stride + dilated - before - after)


def _block_op(
    command: cmd0, param: int, r: _Registers, at: int, d: DecodedOp
) -> NpuBlockOperation:
    b = _OpBuilder(r, at)
    op: NpuBlockOperation
    if command is cmd0.NPU_OP_CONV:
        op = NpuConv2DOperation()
        op.block_traversal = b.traversal()
    elif command is cmd0.NPU_OP_DEPTHWISE:
        op = NpuConvDepthWiseOperation()
    elif command is cmd0.NPU_OP_POOL:
        mode = _enum(pooling_mode, param, "NPU_OP_POOL", at)
        op = NpuPoolingOperation(NpuPoolingOp[mode.name])
    else:
        mode = _enum(elementwise_mode, param, "NPU_OP_ELEMENTWISE", at)
        op = NpuElementWiseOperation(NpuElementWiseOp[mode.name])
    elementwise = isinstance(op, NpuElementWiseOperation)

    of = r.fields(cmd0.NPU_SET_OFM_PRECISION)
    oprec = _enum(ofm_precision, of["precision"], "NPU_SET_OFM_PRECISION", at)
    ofm_shape = NpuShape3D(
        height=r.param(cmd0.NPU_SET_OFM_HEIGHT_M1) + 1,
        width=r.param(cmd0.NPU_SET_OFM_WIDTH_M1) + 1,
        depth=r.param(cmd0.NPU_SET_OFM_DEPTH_M1) + 1,
    )
    op.ofm = b.fmap("OFM", _DTYPES[oprec.name], NpuLayout(of["format"] + 1), ofm_shape)
    op.rounding_mode = NpuRoundingMode[
        _enum(rounding, of["rounding"], "OFM rounding", at).name
    ]
    d.global_scale = bool(of["scaling"])

    ifm_dtype, ifm_layout, d.op_to_scale = b.ifm_dtype(cmd0.NPU_SET_IFM_PRECISION)
    up = r.fields(cmd0.NPU_SET_IFM_UPSCALE)["mode"]
    op.ifm_upscale = NpuResamplingMode[
        _enum(resampling_mode, up, "NPU_SET_IFM_UPSCALE", at).name
    ]
    ifm_depth = r.param(cmd0.NPU_SET_IFM_DEPTH_M1) + 1
    if elementwise:
        op.kernel = None
        op.padding = None
        ifm_shape = NpuShape3D(ofm_shape.height, ofm_shape.width, ifm_depth)
    else:
        op.kernel = b.kernel()
        op.padding = NpuPadding(
            top=r.param(cmd0.NPU_SET_IFM_PAD_TOP),
            left=r.param(cmd0.NPU_SET_IFM_PAD_LEFT),
            bottom=r.param(cmd0.NPU_SET_IFM_PAD_BOTTOM),
            right=r.param(cmd0.NPU_SET_IFM_PAD_RIGHT),
        )
        k, p = op.kernel, op.padding
        h = _ifm_extent(
            ofm_shape.height,
            k.stride_y,
            r.param(cmd0.NPU_SET_KERNEL_HEIGHT_M1) + 1,
            p.top,
            p.bottom,
        )
        w = _ifm_extent(
            ofm_shape.width,
            k.stride_x,
            r.param(cmd0.NPU_SET_KERNEL_WIDTH_M1) + 1,
            p.left,
            p.right,
        )
        if op.ifm_upscale != NpuResamplingMode.NONE:
            h, w = (h + 1) // 2, (w + 1) // 2
        ifm_shape = NpuShape3D(h, w, ifm_depth)
    op.ifm = b.fmap("IFM", ifm_dtype, ifm_layout, ifm_shape)

    if isinstance(op, (NpuConv2DOperation, NpuConvDepthWiseOperation)):
        op.weights = b.ranges("WEIGHT")
        op.biases = b.ranges("SCALE")

    if elementwise and op.sub_op_type not in UNARY_ELEMENTWISE:
        bc = r.fields(cmd0.NPU_SET_IFM2_BROADCAST)
        ifm2_dtype, ifm2_layout, _ = b.ifm_dtype(cmd0.NPU_SET_IFM2_PRECISION)
        op.reversed_operands = bool(bc["operand_order"])
        if bc["broadcast_scalar"]:
            fm = NpuFeatureMap()
            fm.data_type, fm.layout = ifm2_dtype, ifm2_layout
            fm.shape = NpuShape3D(1, 1, 1)
            zp = r.param(cmd0.NPU_SET_IFM2_ZERO_POINT)
            zp = _signed16(zp) if ifm2_dtype.is_signed() else zp
            fm.quantization = NpuQuantization(scale_f32=None, zero_point=zp)
            op.ifm2 = fm
            raw = r.param(cmd0.NPU_SET_IFM2_SCALAR)
            d.ifm2_scalar = _signed16(raw) if ifm2_dtype.is_signed() else raw
            op.ifm2_scalar = float(d.ifm2_scalar - zp)
        else:
            shape2 = NpuShape3D(
                1 if bc["broadcast_height"] else ofm_shape.height,
                1 if bc["broadcast_width"] else ofm_shape.width,
                1 if bc["broadcast_depth"] else ifm_depth,
            )
            op.ifm2 = b.fmap("IFM2", ifm2_dtype, ifm2_layout, shape2)
        d.shram["ifm2_ib_start"] = r.param(cmd0.NPU_SET_IFM2_IB_START)

    af = r.fields(cmd0.NPU_SET_ACTIVATION)
    act_type = af["type"]
    if activation.LUT_START.value <= act_type <= activation.LUT_END.value:
        act = NpuActivation(NpuActivationOp.TABLE_LOOKUP)
        act.lookup_table_index = act_type - activation.LUT_START.value
    else:
        kind = _enum(activation, act_type, "NPU_SET_ACTIVATION", at)
        act = NpuActivation(
            NpuActivationOp.NONE_OR_RELU
            if kind is activation.NONE
            else NpuActivationOp[kind.name]
        )
    d.activation_clip = af["act_clip_range"]
    lo = _signed16(r.param(cmd0.NPU_SET_ACTIVATION_MIN))
    hi = _signed16(r.param(cmd0.NPU_SET_ACTIVATION_MAX))
    d.activation_min, d.activation_max = lo, hi
    dt = op.ofm.data_type
    zp = op.ofm.quantization.zero_point if op.ofm.quantization else 0
    full_lo, full_hi = max(dt.min_value(), -32768), min(dt.max_value(), 32767)
    act.min = None if lo == full_lo else float(lo - zp)
    act.max = None if hi == full_hi else float(hi - zp)
    op.activation = act

    op.block_config = NpuShape3D(
        height=r.param(cmd0.NPU_SET_OFM_BLK_HEIGHT_M1) + 1,
        width=r.param(cmd0.NPU_SET_OFM_BLK_WIDTH_M1) + 1,
        depth=r.param(cmd0.NPU_SET_OFM_BLK_DEPTH_M1) + 1,
    )
    acc = _enum(acc_format, r.param(cmd0.NPU_SET_ACC_FORMAT), "ACC_FORMAT", at)
    d.acc_format = acc.name
    op.accumulator_type = _ACC_TYPES[acc.name]
    d.shram["ifm_ib_end"] = r.param(cmd0.NPU_SET_IFM_IB_END)
    d.shram["ab_start"] = r.param(cmd0.NPU_SET_AB_START)
    d.blockdep = r.param(cmd0.NPU_SET_BLOCKDEP)

    if r.has(cmd1.NPU_SET_OFM_SCALE):
        c = r.values[cmd1.NPU_SET_OFM_SCALE]
        d.ofm_scale = (c.payload or 0, c.param)
    if elementwise and r.has(cmd1.NPU_SET_OPA_SCALE):
        c = r.values[cmd1.NPU_SET_OPA_SCALE]
        d.opa_scale = (c.payload or 0, c.param)
        d.opb_scale = (
            r.values[cmd1.NPU_SET_OPB_SCALE].payload
            if r.has(cmd1.NPU_SET_OPB_SCALE)
            else None
        )
    return op


def _dma_op(param: int, r: _Registers) -> NpuDmaOperation:
    def region(command: cmd0) -> int:
        f = r.fields(command)
        return (f["internal"] << 8) | f["region"]

    length = r.value(cmd1.NPU_SET_DMA0_LEN)
    src = NpuAddressRange(
        region(cmd0.NPU_SET_DMA0_SRC_REGION), r.value(cmd1.NPU_SET_DMA0_SRC), length
    )
    dst = NpuAddressRange(
        region(cmd0.NPU_SET_DMA0_DST_REGION), r.value(cmd1.NPU_SET_DMA0_DST), length
    )
    op = NpuDmaOperation(src, dst)
    op.channel, op.mode = param >> 4, param & 0xF
    return op


def decode_operations(commands: list[Command]) -> list[DecodedOp]:
    """Replay the commands through a register file and return one DecodedOp
    per NPU_OP_* command, in stream order."""
    r = _Registers()
    ops: list[DecodedOp] = []
    written: list[str] = []
    waits: list[tuple[str, int]] = []
    for c in commands:
        command = c.command
        if command in OPERATION_COMMANDS:
            assert isinstance(command, cmd0)
            d = DecodedOp(len(ops), c.offset, command, None)  # type: ignore[arg-type]
            if command is cmd0.NPU_OP_DMA_START:
                d.op = _dma_op(c.param, r)
            else:
                d.op = _block_op(command, c.param, r, c.offset, d)
            d.written, d.waits = tuple(written), tuple(waits)
            d.registers = {k.name: v.value for k, v in r.values.items()}
            ops.append(d)
            written, waits = [], []
        elif command in (cmd0.NPU_OP_KERNEL_WAIT, cmd0.NPU_OP_DMA_WAIT):
            waits.append((command.name, c.param))
        elif command.name.startswith("NPU_SET_"):
            r.values[command] = c
            written.append(command.name)
    return ops


@dataclass
class Disassembly:
    """A file read back: its container facts, commands and operations."""

    stream: StreamFile
    commands: list[Command]
    ops: list[DecodedOp]


def disassemble(path: str | Path) -> Disassembly:
    """Read a payload, raw `.npz` or `.tflite` and decode it (StreamError on
    a malformed file)."""
    return _disassembled(read_stream_file(path))


def disassemble_segments(path: str | Path) -> list[Disassembly]:
    """Every command stream of a file: each `ethos-u` operator of a `.tflite`
    (its NPU segments, in order), else the one stream of a payload or `.npz`."""
    return [_disassembled(s) for s in read_stream_files(path)]


def _disassembled(stream: StreamFile) -> Disassembly:
    commands = decode_words(stream.words)
    return Disassembly(stream, commands, decode_operations(commands))
