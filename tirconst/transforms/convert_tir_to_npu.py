"""`convert-tir-to-npu`: lower the tir operator ops the Ethos-U can run to npu
ops at the addresses the memory plan gave; the rest stays tir, on the CPU.

Each contiguous run of NPU work in a function's body becomes one module-level
`npu.command_stream @<func>_npu<k>` and, in its place, one `npu.invoke` of it
(docs/lowering.md). The stream's regions are the module's `tir.pool`s:
read-only pools (flash) first from region 0, then the read-write pools, each
region naming its pool, so both interpreters see the same planned bytes and
`tirconst-run --check-equivalent before.mlir after.mlir` compares them bit
for bit. Ops that stay on the CPU get an `npu_cpu = "reason"` attribute and
a remark on stderr. Provenance is recorded, not reconstructed: each npu op
(DMAs included) keeps its operator op's `tflite.index` and gets its
`tflite.part` (`provenance.set_source`, in `Lowerer.run` for every op a
lowering emits), and each `npu.invoke` lists the model operators it
replaces in `tflite.operators`.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    UnitAttr,
    f64,
    i64,
)
from xdsl.ir import Block, BlockArgument, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.npu_support import (
    ARG_MAX_BLOCK_OPS,
    PRELU_BLOCK_OPS,
    SOFTMAX16_CONSTANTS,
    SOFTMAX16_LUTS,
    SOFTMAX16_WORDS,
    SOFTMAX_CONSTANTS,
    SOFTMAX_SHIFT_CHANNELS,
    SQUARED_DIFFERENCE_BLOCK_OPS,
    arg_max_plan,
    batch_matmul_plan,
    binary_broadcast,
    encoded_attr,
    encoded_layout,
    hwc,
    lstm_shape,
    mean16_window,
    npu_reason,
    padded_average_blocks,
    pointwise_hwc,
    pool_stride,
    prelu_plan,
    resize_nearest_plan,
    sequence_lstm_workspace,
    softmax_block_ops,
    softmax_int16_block_ops,
    softmax_int16_workspace,
    softmax_max_windows,
    softmax_rows,
    softmax_workspace,
    squared_difference_plan,
    transparent,
)
from tirconst.analysis.performance import SystemConfig
from tirconst.analysis.views import (
    BRICK,
    Place,
    is_view,
    layout_of,
    place_of,
    root_of,
    stored_bytes,
    users,
    views_of,
)
from tirconst.core.diagnostics import PassFailedAt, describe
from tirconst.dialects import npu
from tirconst.dialects.npu.attributes import DTYPES
from tirconst.dialects.npu.invoke import InvokeOp
from tirconst.dialects.npu.lstm import ConvWeights, Emitter, emit_sequence_lstm
from tirconst.dialects.tir import (
    AddOp,
    AllocateConstOp,
    AllocateOp,
    ArgMaxOp,
    AvgPool2DOp,
    BatchMatmulOp,
    BufferType,
    ConstantOp,
    Conv2DOp,
    CopyOp,
    DepthwiseConv2DOp,
    FullyConnectedOp,
    FuncOp,
    LogisticOp,
    LookupOp,
    MaximumOp,
    MaxPool2DOp,
    MeanOp,
    MinimumOp,
    MulOp,
    OperatorOp,
    PoolOp,
    PreluOp,
    RequantizeOp,
    ResizeNearestOp,
    SoftmaxInt16Op,
    SoftmaxOp,
    SquaredDifferenceOp,
    SubOp,
    WeightedOp,
)
from tirconst.dialects.tir.memory import Effect
from tirconst.dialects.tir.provenance import (
    TFLITE_INDEX,
    fuse_into,
    model_index,
    model_operators,
    parts,
    set_operators,
    set_source,
)
from tirconst.dialects.tir.sequence_ops import SequenceLstmOp
from tirconst.dialects.tir.traits import Elementwise, Pooling
from tirconst.formats.ethos_u.hardware import (
    LUT_ADDRESS,
    LUT_APART,
    LUT_SLOT_BYTES,
    LUT_SLOTS,
    SHRAM_BYTES,
)
from tirconst.formats.ethos_u.weights import ACCELERATORS
from tirconst.transforms.system_options import SystemOptions

NAME = "convert-tir-to-npu"


CPU_ATTR = "npu_cpu"
"""On an npu op: the model operator index of the table op fused into it."""


def _origin(op: OperatorOp) -> OperatorOp | None:
    """The op whose provenance `op`'s npu ops take: its own, or for an op
    computing no model operator (a staged weight copy, a transpose a
    legalization made) the first op after it that reads what it writes."""
    if model_index(op) is not None:
        return op
    readers = {u for u, _ in users(root_of(op.output)) if model_index(u) is not None}
    after = op.next_op
    while after is not None and after not in readers:
        after = after.next_op
    return after  # type: ignore[return-value]


class StaysOnCpu(Exception):
    """The op cannot be lowered with this memory plan (the message says why)."""


def fail(op: Operation, message: str) -> PassFailedAt:
    """`FILE:L:C: error: 'tir.x' op in @f: convert-tir-to-npu: message`."""
    return PassFailedAt(op, f"{NAME}: {message}")


# ------------------------------------------------------------------ placement


def _btype(v: SSAValue) -> BufferType:
    assert isinstance(v.type, BufferType)
    return v.type


# ------------------------------------------------------------ one function


@dataclass
class Segment:
    """A contiguous run of lowered ops: the tir ops, their npu ops, and the
    allocations among them (which run before the invoke that replaces them)."""

    ops: list[OperatorOp] = field(default_factory=list)
    npu_ops: list[Operation] = field(default_factory=list)
    streams: dict[str, list[npu.WeightStreamAttr]] = field(default_factory=dict)
    late_allocs: list[Operation] = field(default_factory=list)
    uses_lut: bool = False
    slots: int = 0
    views: list[Operation] = field(default_factory=list)
    """Views of model operators (a RESHAPE) met while the run is open: the
    segment replaces them too."""
    tables: dict[tuple[int, int], int] = field(default_factory=dict)
    """(region, address) of a table -> the LUT slot now holding it."""
    lowered_by: dict[Operation, Operation] = field(default_factory=dict)
    """npu op -> the tir op it lowers."""


@dataclass
class Lowerer:
    module: ModuleOp
    accelerator: str
    regions: dict[str, int]
    kinds: dict[str, str]
    sizes: dict[str, int]
    remarks: list[str] = field(default_factory=list)
    streams: list[npu.CommandStreamOp] = field(default_factory=list)
    parts: dict[Operation, int] = field(default_factory=dict)
    """Each operator op's `tflite.part` (`provenance.parts`, before lowering)."""
    cfg: SystemConfig | None = None
    """The system block configs and table loads are chosen for (default
    Vela's for the accelerator)."""

    @property
    def system(self) -> SystemConfig:
        from tirconst.analysis.block_choice import cost_config

        return self.cfg or cost_config(self.accelerator)

    # -- feature maps and ranges ------------------------------------------

    def place(self, op: Operation, v: SSAValue) -> Place:
        p = place_of(v)
        if p is None:
            name = v.name_hint or "operand"
            raise fail(
                op,
                f"buffer %{name} has no placement (run tir-plan-memory first: "
                "the NPU addresses planned memory)",
            )
        return p

    def feature_map(
        self,
        op: Operation,
        v: SSAValue,
        scale: float | None,
        zero_point: int,
        shape: tuple[int, ...] | None = None,
    ) -> npu.FeatureMapAttr:
        t = _btype(v)
        p = self.place(op, v)
        dims = hwc(shape if shape is not None else t.get_shape())
        if dims is None:
            raise StaysOnCpu(f"shape {list(t.get_shape())} is not an NPU feature map")
        dtype = str(t.dtype)
        if dtype not in ("int8", "uint8", "int16", "uint16", "int32"):
            raise StaysOnCpu(f"{dtype} data")
        e = t.dtype.itemsize
        strides: tuple[int, ...] = ()
        if layout_of(v) == "nhcwb16":
            # tir-feature-layouts stores only whole, unviewed feature maps
            # in bricks, read and written at their own shape
            if (
                p.strides is not None
                or p.root is not v
                and dims != hwc(_btype(p.root).get_shape())
            ):
                raise fail(op, f"%{v.name_hint}: an NHCWB16 feature map read as a view")
            if dims != hwc(t.get_shape()):
                raise fail(
                    op, f"%{v.name_hint}: an NHCWB16 feature map read as {list(dims)}"
                )
            return npu.FeatureMapAttr.make(
                dtype=dtype,
                shape=dims,
                region=self.regions[p.pool],
                address=p.offset,
                layout="nhcwb16",
                scale=None if scale is None else float(np.float32(scale)),
                zero_point=int(zero_point),
            )
        if p.strides is not None:
            full = (0,) * (4 - len(p.strides)) + tuple(p.strides)
            sy, sx, sc = full[1:]
            if sc != 1:
                raise StaysOnCpu("a strided view whose channels are not contiguous")
            strides = (sy * e, sx * e, e)
        return npu.FeatureMapAttr.make(
            dtype=dtype,
            shape=dims,
            region=self.regions[p.pool],
            address=p.offset,
            strides=strides,
            scale=None if scale is None else float(np.float32(scale)),
            zero_point=int(zero_point),
        )

    def byte_range(
        self, op: Operation, v: SSAValue, at: int, n: int
    ) -> npu.AddressRangeAttr:
        p = self.place(op, v)
        if p.strides is not None:
            raise StaysOnCpu("a strided view cannot be a DMA or weight range")
        return npu.AddressRangeAttr.make(
            region=self.regions[p.pool], address=p.offset + at, length=n
        )

    # -- ops ------------------------------------------------------------

    def lower(self, op: OperatorOp, seg: Segment) -> list[Operation]:
        lowering = LOWERINGS.get(type(op))
        if lowering is None:
            raise StaysOnCpu(f"{op.name}: no NPU lowering")
        return lowering(self, op, seg)

    def block_config(self, built: Operation, depth: int | None = None) -> Operation:
        """Give `built` the block config the cycle model estimates fastest
        among those Vela accepts (`analysis.block_choice`; of depth `depth`
        if given)."""
        from tirconst.analysis.block_choice import cheapest_block, memories
        from tirconst.dialects.npu.vela_api import block_configs

        # Vela prints configuration warnings on stdout: keep the IR clean
        with contextlib.redirect_stdout(io.StringIO()):
            configs = block_configs(built, self.accelerator)  # type: ignore[arg-type]
        configs = [c for c in configs if depth is None or c[2] == depth]
        cfg = self.system
        kinds = {i: self.kinds[p] for p, i in self.regions.items()}
        mem, constant = memories(cfg, kinds)
        if cheapest_block(built, configs, cfg, mem, constant) is None:  # type: ignore[arg-type]
            raise StaysOnCpu(f"{built.name}: no block config of depth {depth} fits")
        return built

    def weighted(self, op: OperatorOp, seg: Segment) -> list[Operation]:
        assert isinstance(op, WeightedOp)  # registered for weighted ops only
        if encoded_attr(op) is None:
            raise fail(
                op,
                "its weights are not encoded (run tir-encode-weights first: the "
                "NPU reads encoded weight streams)",
            )
        try:
            layout = encoded_layout(op)
        except ValueError as e:
            raise fail(op, f"encoded_weights: {e}") from None
        q = op.quantization() or {}
        filt = op.filter
        pool = self.place(op, filt).pool
        wranges, branges = [], []
        for core in layout.cores:  # one stream and records per core
            wrange = self.byte_range(op, filt, core.weights_offset, core.weights_length)
            # Vela takes whole 16-byte units of records: `records_length` is
            # already padded (#tir.encoded_weights verifies the padding).
            brange = self.byte_range(op, filt, core.records_offset, core.records_length)
            stream = npu.WeightStreamAttr.make(
                address=wrange.address, length=wrange.length, encoding=core.encoding
            )
            # A staging buffer reused by several ops holds several streams
            # over time: each is declared, and each op finds the one it reads.
            declared = seg.streams.setdefault(pool, [])
            if stream not in declared:
                declared.append(stream)
            wranges.append(wrange)
            branges.append(brange)
        core = layout.cores[0]
        in_zp, out_zp = op.input_zp, op.output_zp
        ifm_shape = ofm_shape = None
        if isinstance(op, FullyConnectedOp):
            k = layout.shape[3]
            rows = _btype(op.input).num_elements // k
            ifm_shape, ofm_shape = (1, rows, k), (1, rows, layout.shape[0])
        ifm = self.feature_map(op, op.input, q.get("input_scale"), in_zp, ifm_shape)
        ofm = self.feature_map(op, op.output, q.get("output_scale"), out_zp, ofm_shape)
        if isinstance(op, FullyConnectedOp):
            kernel = npu.KernelAttr.make(size=(1, 1))
            pad = (0, 0, 0, 0)
        else:
            kernel = npu.KernelAttr.make(
                size=tuple(layout.shape[1:3]),
                stride=tuple(op.stride),
                dilation=tuple(op.dilation),
            )
            pad = tuple(op.pad)
        props = {
            "ifm": ifm,
            "ofm": ofm,
            "kernel": kernel,
            "block_config": DenseArrayBase.from_list(i64, list(layout.block_config)),
            "weights": ArrayAttr(wranges),
            "biases": ArrayAttr(branges),
            # docs/ethos-u.md: FC rounds once (NATURAL); conv and depthwise as
            # TFL; 16x8 ops once (NATURAL), as LiteRT's 64-bit requantization.
            "rounding_mode": StringAttr(
                "natural"
                if isinstance(op, FullyConnectedOp) or op.ifm_bits() == 16
                else "tfl"
            ),
        }
        if any(pad):
            props["padding"] = npu.PaddingAttr.make(pad=pad)
        act = self.activation(op, ofm)
        if act is not None:
            props["activation"] = act
        if core.encoding.depthwise:  # a one-channel multiplier is a conv
            return [npu.DepthwiseConv2DOp.create(properties=props)]
        props["block_traversal"] = StringAttr(core.encoding.traversal)
        return [npu.Conv2DOp.create(properties=props)]

    def activation(
        self, op: OperatorOp, ofm: npu.FeatureMapAttr
    ) -> npu.ActivationAttr | None:
        """The clamp [act_min, act_max] as the real bounds Vela re-quantizes
        with the OFM scale (each bound checked to come back exactly)."""
        lo, hi = op.act_min, op.act_max
        info = np.iinfo(np.dtype(ofm.dtype))  # int8, or int16 (16x8)
        bounds = {}
        for key, q, full in (("min", lo, int(info.min)), ("max", hi, int(info.max))):
            if q == full:
                continue
            bounds[key] = _real_bound(q, ofm)
        if not bounds:
            return None
        return npu.ActivationAttr.make(kind="clamp", **bounds)

    def pool(self, op: MaxPool2DOp | AvgPool2DOp, seg: Segment) -> list[Operation]:
        """Max: the window's max of raw values. Average: TFLite sums the raw
        values and divides rounding half away from zero, which the NPU does
        in Vela's zero-point-transparent form: zero points 0 (the sum is the
        raw sum), equal scales (OFM_SCALE is 1/area plus 2^-shift) and
        natural rounding, so every tie rounds away from zero (docs/ethos-u.md).
        Along an axis with one output element the stride is 1 (`pool_stride`):
        a global pool of any TFLite stride runs as one NPU pool."""
        q = op.quantization()
        kind = op.get_trait(Pooling)
        assert kind is not None  # registered for the pools, which declare it
        average = kind.kind == "average"
        scale, zp = (q["input_scale"], q["input_zp"]) if q else (None, 0)
        if average:
            scale, zp = (1.0 if scale is None else scale), 0
        ifm = self.feature_map(op, op.input, scale, zp)
        ofm = self.feature_map(op, op.output, scale, zp)
        props = {
            "pool_type": StringAttr(kind.kind),
            "ifm": ifm,
            "ofm": ofm,
            "kernel": npu.KernelAttr.make(
                size=tuple(op.window), stride=pool_stride(op)
            ),
            "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
        }
        if average:
            props["rounding_mode"] = StringAttr("natural")
        act = self.activation(op, ofm)
        if act is not None:
            props["activation"] = act
        if average and any(op.pad):
            return self.padded_average(op, props)
        # With stride 1 along an axis of one output, the NPU derives the
        # OFM extent from the IFM's: the IFM is cropped to the one window.
        h, w, _ = ifm.shape
        _, oh, ow, _ = _btype(op.output).get_shape()
        (kh, kw), (top, left, bottom, right) = op.window, op.pad
        if oh == 1:
            h = min(h, kh - top)
            bottom = kh - top - h
        if ow == 1:
            w = min(w, kw - left)
            right = kw - left - w
        if (h, w) != ifm.shape[:2]:
            props["ifm"] = _sub_map(ifm, 0, 0, h, w)
        if any((top, left, bottom, right)):
            props["padding"] = npu.PaddingAttr.make(pad=(top, left, bottom, right))
        return [self.block_config(npu.PoolingOp.create(properties=props))]

    def padded_average(self, op: AvgPool2DOp, props: dict) -> list[Operation]:
        """TFLite's padded average divides each window by its in-bounds
        count: one unpadded pool per block of outputs whose windows clip
        alike (`padded_average_blocks`), each reading its part of the IFM
        and writing its part of the OFM through strided sub-maps, each exact
        as an unpadded pool is."""
        out: list[Operation] = []
        for r, c in padded_average_blocks(op):
            n_r, n_c = r.o1 - r.o0, c.o1 - c.o0
            sy = 1 if n_r == 1 else op.stride[0]
            sx = 1 if n_c == 1 else op.stride[1]
            block = dict(props)
            block["ifm"] = _sub_map(
                props["ifm"], r.i0, c.i0, (n_r - 1) * sy + r.k, (n_c - 1) * sx + c.k
            )
            block["ofm"] = _sub_map(props["ofm"], r.o0, c.o0, n_r, n_c)
            block["kernel"] = npu.KernelAttr.make(size=(r.k, c.k), stride=(sy, sx))
            out.append(self.block_config(npu.PoolingOp.create(properties=block)))
        return out

    def resize_nearest(self, op: ResizeNearestOp, seg: Segment) -> list[Operation]:
        """One 1×1 max pool (an exact copy) per (row phase, column phase):
        it reads every step-th input row and column from the phase's first
        and writes every f-th output row and column through OFM strides
        (`npu_support.resize_nearest_plan`), as Vela writes a resize with
        strided OFMs."""
        plan = resize_nearest_plan(op)
        if isinstance(plan, str):
            raise StaysOnCpu(plan)
        (fy, rows), (fx, cols) = plan
        ifm = self.feature_map(op, op.input, None, 0)
        ofm = self.feature_map(op, op.output, None, 0)
        _, ow, c = ofm.shape
        e = DTYPES[ofm.dtype]
        dense = (ow * c * e, c * e, e)
        base = ofm.strides or dense
        out: list[Operation] = []
        for r in rows:
            for k in cols:
                sub = _sub_map(ofm, r.out0, k.out0, r.count, k.count)
                strided = npu.FeatureMapAttr.make(
                    dtype=sub.dtype,
                    shape=sub.shape,
                    region=sub.region,
                    address=sub.address,
                    strides=(base[0] * fy, base[1] * fx, base[2]),
                )
                props = {
                    "pool_type": StringAttr("max"),
                    "ifm": _sub_map(
                        ifm,
                        r.in0,
                        k.in0,
                        (r.count - 1) * r.step + 1,
                        (k.count - 1) * k.step + 1,
                    ),
                    "ofm": strided,
                    "kernel": npu.KernelAttr.make(size=(1, 1), stride=(r.step, k.step)),
                    "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
                }
                out.append(self.block_config(npu.PoolingOp.create(properties=props)))
        return out

    def requantize(self, op: RequantizeOp, seg: Segment) -> list[Operation]:
        """A 1×1 average pool with the explicit scale (multiplier, 31 − shift)."""
        q = op.quantization()
        ifm = self.feature_map(
            op, op.input, q["input_scale"] if q else None, op.input_zp
        )
        ofm = self.feature_map(op, op.output, op.scale, op.zero_point)
        props = {
            "pool_type": StringAttr("average"),
            "ifm": ifm,
            "ofm": ofm,
            "kernel": npu.KernelAttr.make(size=(1, 1)),
            "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
            "rescale": DenseArrayBase.from_list(i64, [op.multiplier, 31 - op.shift]),
        }
        return [self.block_config(npu.PoolingOp.create(properties=props))]

    def mean(self, op: MeanOp, seg: Segment) -> list[Operation]:
        """An int16 MEAN as one average pool over the reshaped views
        `mean16_window` plans (stride 1, no padding): the window's sum of
        (x − input_zp) scaled by the explicit OFM scale (m', 31 − s') with
        TFL rounding, + output_zp: LiteRT's MultiplyByQuantizedMultiplier
        with the readapted multiplier (int8 means are depthwise sums by
        then, tir-legalize-npu)."""
        plan = mean16_window(op)
        if isinstance(plan, str):
            raise StaysOnCpu(plan)
        win, m, sh = plan
        for v in (op.input, op.output):  # the views reshape dense buffers
            if self.place(op, v).strides is not None:
                raise StaysOnCpu("mean: a strided view cannot be reshaped")
        q = op.quantization() or {}
        ifm = self.feature_map(
            op, op.input, q.get("input_scale"), op.input_zp, win.view
        )
        ofm = self.feature_map(
            op, op.output, q.get("output_scale"), op.output_zp, win.out_view
        )
        props = {
            "pool_type": StringAttr("average"),
            "ifm": ifm,
            "ofm": ofm,
            "kernel": npu.KernelAttr.make(size=win.window),
            "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
            "rescale": DenseArrayBase.from_list(i64, [m, 31 - sh]),
        }
        return [self.block_config(npu.PoolingOp.create(properties=props))]

    def elementwise(
        self, op: AddOp | SubOp | MulOp | MaximumOp | MinimumOp, seg: Segment
    ) -> list[Operation]:
        """add, sub and mul with their float scales; maximum and minimum as
        max and min of the stored values (operands and output quantized
        alike: npu_support), which is what TFLite compares."""
        q = op.quantization()
        assert q is not None
        swap, why = binary_broadcast(op)
        if why:
            raise StaysOnCpu(why)
        a = (op.lhs, q["lhs_scale"], op.lhs_zp)
        b = (op.rhs, q["rhs_scale"], op.rhs_zp)
        if swap:
            a, b = b, a
        out_shape = _btype(op.output).get_shape()
        rank = len(out_shape)
        b_shape = (1,) * (rank - len(_btype(b[0]).get_shape())) + tuple(
            _btype(b[0]).get_shape()
        )
        arithmetic = op.get_trait(Elementwise)
        assert arithmetic is not None  # each registered op declares its arithmetic
        kind = arithmetic.arithmetic
        props = {
            "op_type": StringAttr(kind),
            "ifm": self.feature_map(op, a[0], a[1], a[2], tuple(out_shape)),
            "ifm2": self.feature_map(op, b[0], b[1], b[2], b_shape),
            "ofm": self.feature_map(op, op.output, q["output_scale"], op.output_zp),
            "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
        }
        if swap:
            props["reversed_operands"] = UnitAttr()
        act = (
            self.activation(op, props["ofm"])  # type: ignore[arg-type]
            if "act_min" in op.PARAM_KINDS
            else None
        )
        if act is not None:
            props["activation"] = act
        return [self.block_config(npu.ElementwiseOp.create(properties=props))]

    def lookup(self, op: LookupOp | LogisticOp, seg: Segment) -> list[Operation]:
        """An int8 table op (output = table[input + 128]): the table DMA'd
        into a lookup-table slot (unless the slot still holds it), then the
        lookup as the activation of the NPU op before it when that op's
        output is read by nothing else (`_fuse_table`), else of a 1×1
        identity pool (IFM and OFM quantized alike, so no rescale)."""
        src = self.byte_range(op, op.table, 0, 256)
        if src.address % 16:
            raise StaysOnCpu(f"its table at byte {src.address} is not 16-aligned")
        slot, dma = self._table_slot(seg, src)
        act = npu.ActivationAttr.make(kind="table", slot=slot)
        fused = self._fuse_table(op, seg, act, dma)
        if fused:
            return []
        shape = _btype(op.input).get_shape()
        if hwc(shape) is None:  # batch > 1: fold it into the height
            dims = pointwise_hwc(shape)
            dense = all(
                self.place(op, v).strides is None for v in (op.input, op.output)
            )
            if dims is None or not dense:
                raise StaysOnCpu(f"shape {list(shape)} is not an NPU feature map")
            shape = (1, *dims)
        fm_in = self.feature_map(op, op.input, None, 0, shape)
        fm_out = self.feature_map(op, op.output, None, 0, shape)
        props = {
            "pool_type": StringAttr("average"),
            "ifm": fm_in,
            "ofm": fm_out,
            "kernel": npu.KernelAttr.make(size=(1, 1)),
            "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
            "activation": act,
        }
        return [*dma, self.block_config(npu.PoolingOp.create(properties=props))]

    def _table_slot(
        self, seg: Segment, src: npu.AddressRangeAttr
    ) -> tuple[int, list[Operation]]:
        """The LUT slot for the table at `src` and the DMA that loads it
        (none when the slot still holds it: only where the table memory is
        apart from the accumulators, hardware.LUT_APART)."""
        key = (src.region, src.address)
        seg.uses_lut = True
        if self.accelerator in LUT_APART and key in seg.tables:
            return seg.tables[key], []
        slot = seg.slots % LUT_SLOTS
        seg.slots += 1
        seg.tables = {k: v for k, v in seg.tables.items() if v != slot}
        seg.tables[key] = slot
        dest = npu.AddressRangeAttr.make(
            region=npu.LUT_REGION,
            address=LUT_ADDRESS[self.accelerator] + slot * LUT_SLOT_BYTES,
            length=256,
        )
        return slot, [npu.DmaOp.create(properties={"src": src, "dest": dest})]

    def _fuse_table(
        self,
        op: LookupOp | LogisticOp,
        seg: Segment,
        act: npu.ActivationAttr,
        dma: list[Operation],
    ) -> bool:
        """Make the table the activation of the NPU op that wrote `op`'s
        input, writing `op`'s output directly (Vela's
        fuse_activation_function_with_prev): the op before in the segment
        (past copies lowered to DMAs that touch neither the input nor the
        output: tir-stage-weights issues a later op's weight copy there),
        lowered to one block op without an activation, whose output is a
        workspace only it and `op` touch (and `op`'s output, if the plan
        put it in place), and only where the table memory
        is apart from the accumulators (LUT_APART). Its OFM keeps its
        quantization (the table's input); only where it is stored changes,
        so the result is the same bytes. Not when the output's bytes
        overlap what that op reads (the plan may have reused a dead input
        there, which the op would then overwrite while reading it)."""
        if self.accelerator not in LUT_APART or not seg.ops or not seg.npu_ops:
            return False
        mid = op.input
        found = _producer_past_copies(seg, (_span(mid), _span(op.output)))
        if found is None:
            return False
        prev, last = found
        if getattr(prev, "output", None) is not mid or not _unread_after(mid, prev, op):
            return False
        # Besides the two, only the view the plan made of `op`'s output when
        # it gave it the input's bytes (in place) may use the input.
        out_view = op.output.owner
        if {u.operation for u in mid.uses} - {out_view} != {prev, op}:
            return False
        block = (npu.Conv2DOp, npu.DepthwiseConv2DOp, npu.PoolingOp, npu.ElementwiseOp)
        if not isinstance(last, block) or "activation" in last.properties:
            return False
        if seg.lowered_by.get(last) is not prev:
            return False
        out = _span(op.output)
        for v in prev.input_values():
            if _overlap(_span(v), out) and not _in_place(last, v, op.output):
                return False
        ofm = last.properties["ofm"]
        assert isinstance(ofm, npu.FeatureMapAttr)
        shape = (1, *ofm.shape)
        p = self.place(op, op.output)
        if p.strides is not None and hwc(_btype(op.output).get_shape()) != tuple(
            ofm.shape
        ):
            return False
        fm = self.feature_map(op, op.output, ofm.scale, ofm.zero_point, shape)
        last.properties["ofm"] = fm
        last.properties["activation"] = act
        fuse_into(last, op)  # the model operator it absorbs
        if isinstance(last, npu.PoolingOp | npu.ElementwiseOp):
            self.block_config(last)
        at = seg.npu_ops.index(last)
        if TFLITE_INDEX in last.attributes:  # the table's load feeds `last`
            set_source(dma, last)
        seg.npu_ops[at:at] = dma
        return True

    def softmax(self, op: SoftmaxOp, seg: Segment) -> list[Operation]:
        """Vela's int8 softmax sequence (its legacy `softmax.py`, the register
        semantics of docs/npu.md), which computes TFLite's integer softmax
        exactly as tir.softmax's kernel does, per row of C channels:

        the 1024-byte exp table DMA'd into four lookup-table slots; the row
        max (a 1×C max pool over the row laid out as width; over 256
        channels a pool per window of 256 and one of their maxima); x − max
        as an int32 OFM with zero point 127 through the 32-bit table (the table's
        index is x − max + 255): e; e >> 12 (natural) summed over the
        channels (reduce_sum); clz of the sum; 35 − clz, the final shift;
        (sum << (clz − 1)) − 2^30, << 1, + (2^31 − 1) with OFM scale (1, 1)
        (RoundingHalfSum): the half denominator d; x = 48/17 − 32/17·d and
        three Newton steps x += 4·x·(1 − d·x) (int32 MULs with (2^30, 31)
        are SRDHM; ×4 and ×2 with (1, 0) saturate); then e · 2x (SRDHM)
        >> (35 − clz) (natural) + output zero point, to int8. From 512
        channels, where the shift can pass 31 (LiteRT asserts), x is first
        multiplied by min(clz >> 2, 1), so such a row is the zero point, as
        in tir.softmax's kernel.

        The int32 intermediates live in the op's workspace, placed by the
        memory planner; the constants follow the exponentials in the table
        (tir-legalize-npu put both there)."""
        rows, c = softmax_rows(op)
        offsets, size = softmax_workspace(rows, c)
        ws, tab = self._sequence_buffers(op, size)
        # four slots, 1 KiB aligned; a table loaded there is gone
        base = (seg.slots + 3) // 4 * 4 % LUT_SLOTS
        seg.slots = base + 4
        seg.uses_lut = True
        seg.tables = {k: v for k, v in seg.tables.items() if not base <= v < base + 4}
        dma = npu.DmaOp.create(
            properties={
                "src": self.byte_range(op, op.table, 0, 1024),
                "dest": npu.AddressRangeAttr.make(
                    region=npu.LUT_REGION,
                    address=LUT_ADDRESS[self.accelerator] + base * LUT_SLOT_BYTES,
                    length=1024,
                ),
            }
        )

        scratch = self._scratch_maps(ws, offsets)

        def const(value: int) -> npu.FeatureMapAttr:
            k = SOFTMAX_CONSTANTS.index(value)
            return npu.FeatureMapAttr.make(
                dtype="int32", shape=(1, 1, 1), region=self.regions[tab.pool],
                address=tab.offset + 4 * (256 + k), zero_point=0,
            )  # fmt: skip

        ew = self._integer_step
        zp = op.input_zp or 0
        row, col = (rows, 1, 1), (rows, 1, c)
        mx = scratch("max", row, "int8", zp)

        x_rows = self.feature_map(op, op.input, None, zp, (rows, c, 1))
        maxima = self._row_max(x_rows, mx, ws, offsets)
        x_in = self.feature_map(op, op.input, None, zp, col)
        exp = scratch("exp", col)
        sums, clz = scratch("sum", row), scratch("clz", row)
        shift, head = scratch("right_shift", row), scratch("headroom", row)
        half, x = scratch("half_denominator", row), scratch("x", row)
        a, b = scratch("a", row), scratch("b", row)
        q31 = (2**30, 31)  # SRDHM of two int32 operands
        ops: list[Operation] = [
            dma,
            *maxima,
            ew("sub", x_in, mx, scratch("exp", col, zero_point=127),
               activation=npu.ActivationAttr.make(kind="table", slot=base)),
            ew("shr", exp, const(12), scratch("scaled", col), rounding="natural"),
            self._pool_step("reduce_sum", scratch("scaled", col), sums, 1),
            ew("clz", sums, None, clz),
            ew("sub", clz, const(35), shift, reversed_operands=UnitAttr()),
            ew("sub", clz, const(1), head),
            ew("shl", sums, head, a),
            ew("sub", a, const(2**30), a),
            ew("shl", a, const(1), a),
            ew("add", a, const(2**31 - 1), half, scale=(1, 1)),
            ew("mul", half, const(-1010580540), a, scale=q31),
            ew("add", a, const(1515870810), x),
        ]  # fmt: skip
        for _ in range(3):
            ops += [
                ew("mul", half, x, a, scale=q31),
                ew("sub", a, const(2**29), a, reversed_operands=UnitAttr()),
                ew("mul", x, a, b, scale=q31),
                ew("mul", b, const(4), b),
                ew("add", x, b, x),
            ]
        if c >= SOFTMAX_SHIFT_CHANNELS:
            # A row whose sum reached 2^28 (clz < 4) has a final shift over
            # 31, where tir.softmax's row is its zero point (LiteRT asserts):
            # its reciprocal times min(clz >> 2, 1) = 0 makes it so, whatever
            # the hardware does with such a shift; other rows are unchanged.
            ops += [
                ew("shr", clz, const(2), a, rounding="truncate"),
                ew("min", a, const(1), a),
                ew("mul", x, a, x),
            ]
        out = self.feature_map(op, op.output, None, op.output_zp, col)
        ops += [
            ew("mul", x, const(2), x),
            ew("mul", exp, x, scratch("scaled", col), scale=q31),
            ew("shr", scratch("scaled", col), shift, out, rounding="natural"),
        ]
        assert len(ops) == 1 + softmax_block_ops(c)  # the DMA, then block ops
        return ops

    def _row_max(
        self,
        x_rows: npu.FeatureMapAttr,
        mx: npu.FeatureMapAttr,
        ws: Place,
        offsets: dict[str, int],
    ) -> list[Operation]:
        """A softmax's row maximum of `x_rows` (rows × C, the channels laid
        out as width) into `mx` (rows × 1): one 1×C pool, or over 256
        channels (a window's limit) the maxima of windows of 256 into a row
        of k at the workspace's `partial`, then their maximum
        (softmax_max_windows)."""
        rows, c, _ = x_rows.shape
        windows = softmax_max_windows(c)
        if len(windows) == 1:
            return [self._pool_step("max", x_rows, mx, c)]
        k, e = len(windows), DTYPES[x_rows.dtype]

        def partial(j: int, shape: tuple[int, int, int]) -> npu.FeatureMapAttr:
            return npu.FeatureMapAttr.make(
                dtype=x_rows.dtype, shape=shape, region=self.regions[ws.pool],
                address=ws.offset + offsets["partial"] + j * e,
                strides=(k * e, e, e), zero_point=x_rows.zero_point,
            )  # fmt: skip

        maxima = [
            self._pool_step(
                "max", _sub_map(x_rows, 0, at, rows, n), partial(j, (rows, 1, 1)), n
            )
            for j, (at, n) in enumerate(windows)
        ]
        maxima.append(self._pool_step("max", partial(0, (rows, k, 1)), mx, k))
        return maxima

    def _sequence_buffers(
        self, op: SoftmaxOp | SoftmaxInt16Op, size: int
    ) -> tuple[Place, Place]:
        """The placed workspace (of `size` bytes) and table of a softmax's
        NPU sequence, which reads them, its input and its output densely and
        16-aligned (else StaysOnCpu)."""
        what = op.name[4:]
        if op.workspace is None or _btype(op.workspace).num_elements != size:
            raise StaysOnCpu(f"{what}: no NPU workspace (run tir-legalize-npu)")
        ws = self.place(op, op.workspace)
        tab = self.place(op, op.table)
        if ws.strides is not None or tab.strides is not None:
            raise StaysOnCpu(f"{what}: a strided workspace or table")
        for v in (op.input, op.output):  # the sequence reads rows of channels
            if self.place(op, v).strides is not None:
                raise StaysOnCpu(f"{what}: a strided view (rows of channels)")
        if ws.offset % 16 or tab.offset % 16:
            raise StaysOnCpu(f"{what}: its workspace or table is not 16-aligned")
        return ws, tab

    def _scratch_maps(
        self, ws: Place, offsets: dict[str, int]
    ) -> Callable[..., npu.FeatureMapAttr]:
        """`scratch(name, shape, dtype="int32", zero_point=0)`: the feature
        map at `offsets[name]` in the placed workspace `ws`."""

        def scratch(name: str, shape: tuple[int, int, int], dtype: str = "int32",
                    zero_point: int = 0) -> npu.FeatureMapAttr:  # fmt: skip
            return npu.FeatureMapAttr.make(
                dtype=dtype, shape=shape, region=self.regions[ws.pool],
                address=ws.offset + offsets[name], zero_point=zero_point,
            )  # fmt: skip

        return scratch

    def _pool_step(
        self, kind: str, ifm: npu.FeatureMapAttr, ofm: npu.FeatureMapAttr, width: int
    ) -> Operation:
        """A 1×`width` pool of a softmax sequence (the row maximum; a
        reduce_sum over the channels)."""
        props = {
            "pool_type": StringAttr(kind),
            "ifm": ifm,
            "ofm": ofm,
            "kernel": npu.KernelAttr.make(size=(1, width)),
            "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
        }
        return self.block_config(npu.PoolingOp.create(properties=props))

    def _integer_step(  # type: ignore[no-untyped-def]
        self, kind, ifm, ifm2, ofm, scale=(1, 0), rounding="tfl", **extra
    ) -> Operation:
        """One elementwise op of a softmax sequence: OFM_SCALE `scale`
        (multiplier, shift), add/sub with unit operand scales."""
        props = {
            "op_type": StringAttr(kind),
            "ifm": ifm,
            "ofm": ofm,
            "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
            "ofm_scale": DenseArrayBase.from_list(i64, list(scale)),
            "rounding_mode": StringAttr(rounding),
            **extra,
        }
        if ifm2 is not None:
            props["ifm2"] = ifm2
        if kind in ("add", "sub"):
            props["operand_scales"] = DenseArrayBase.from_list(i64, [1, 0, 1, 0])
        return self.block_config(npu.ElementwiseOp.create(properties=props))

    def softmax_int16(self, op: SoftmaxInt16Op, seg: Segment) -> list[Operation]:
        """Vela's int16 softmax sequence (its `softmax.py`
        get_graph_int16, the register semantics of docs/npu.md), which
        computes LiteRT's SoftmaxInt16 exactly as tir.softmax_int16's kernel
        does, per row of C channels:

        the row max (a 1×C max pool; over 256 channels a pool per window of
        256 and one of their maxima, as the int8 sequence); x − max to
        int32, times 2^input_left_shift when that is positive (OFM_SCALE
        (2^shift, 0), natural: exact); times the input multiplier M (an
        int32 MUL with OFM_SCALE shift 31, or 31 − input_left_shift when
        that is negative: rounded half up at bit 31, then as TFLite past
        it, which is MultiplyByQuantizedMultiplier); + 32767 to int16 through
        the exp table (the 2048-byte interpolating table DMA'd into the
        eight lookup-table slots): e; the sum of e (reduce_sum, int32); its
        clz; 31 − clz, the final right shift r; ((sum − (1 << r)) << clz)
        >> 15 (natural) − 32768 to int16 through the 1 / (1 + x) table (the
        same slots): the reciprocal; e · reciprocal to int32, >> r
        (natural) to int16.

        The intermediates live in the op's workspace, placed by the memory
        planner; the tables and int32 words follow LiteRT's tables in the
        op's table (tir-legalize-npu put both there)."""
        rows, c = softmax_rows(op)
        offsets, size = softmax_int16_workspace(rows, c)
        ws, tab = self._sequence_buffers(op, size)
        # Each table fills the eight slots: whatever they held is gone.
        seg.uses_lut = True
        seg.slots, seg.tables = 0, {}

        def load(k: int) -> Operation:
            return npu.DmaOp.create(
                properties={
                    "src": self.byte_range(
                        op, op.table, SOFTMAX16_LUTS + 2048 * k, 2048
                    ),
                    "dest": npu.AddressRangeAttr.make(
                        region=npu.LUT_REGION,
                        address=LUT_ADDRESS[self.accelerator],
                        length=LUT_SLOTS * LUT_SLOT_BYTES,
                    ),
                }
            )

        scratch = self._scratch_maps(ws, offsets)

        def word(k: int) -> npu.FeatureMapAttr:  # 0: M, then SOFTMAX16_CONSTANTS
            return npu.FeatureMapAttr.make(
                dtype="int32", shape=(1, 1, 1), region=self.regions[tab.pool],
                address=tab.offset + SOFTMAX16_WORDS + 4 * k, zero_point=0,
            )  # fmt: skip

        def const(value: int) -> npu.FeatureMapAttr:
            return word(1 + SOFTMAX16_CONSTANTS.index(value))

        ew = self._integer_step
        # TFLite's (x − max) · 2^ls (exact: |x − max| · 2^15 < 2^31), then
        # SRDHM with M, which rounds half up at bit 31: a single rounding
        # below bit 31 would be TFL's half away from zero at negative ties.
        ls = op.input_left_shift
        row, col = (rows, 1, 1), (rows, 1, c)
        mx = scratch("max", row, "int16")
        x_rows = self.feature_map(op, op.input, None, 0, (rows, c, 1))
        table = npu.ActivationAttr.make(kind="table", slot=0)
        scaled, exp = scratch("scaled", col), scratch("exp", col, "int16")
        sums, clz = scratch("sum", row), scratch("clz", row)
        shift, norm = scratch("right_shift", row), scratch("norm", row)
        recip = scratch("recip", row, "int16")
        out = self.feature_map(op, op.output, None, 0, col)
        ops: list[Operation] = [
            *self._row_max(x_rows, mx, ws, offsets),
            ew("sub", self.feature_map(op, op.input, None, 0, col), mx, scaled,
               scale=(1 << max(ls, 0), 0), rounding="natural"),
            ew("mul", scaled, word(0), scaled, scale=(1, 31 - min(ls, 0))),
            load(0),
            ew("add", scaled, const(32767), exp, activation=table),
            self._pool_step("reduce_sum", exp, sums, 1),
            ew("clz", sums, None, clz),
            ew("sub", clz, const(31), shift, reversed_operands=UnitAttr()),
            ew("shl", shift, const(1), norm, reversed_operands=UnitAttr()),
            ew("sub", sums, norm, norm),
            ew("shl", norm, clz, norm),
            ew("shr", norm, const(15), norm, rounding="natural"),
            load(1),
            ew("sub", norm, const(32768), recip, activation=table),
            ew("mul", exp, recip, scaled),
            ew("shr", scaled, shift, out, rounding="natural"),
        ]  # fmt: skip
        assert len(ops) == 2 + softmax_int16_block_ops(c)  # two DMAs, block ops
        return ops

    def squared_difference(
        self, op: SquaredDifferenceOp, seg: Segment
    ) -> list[Operation]:
        """Vela's SQUARED_DIFFERENCE sequence (`convert_squared_difference`),
        which computes TFLite's integers exactly
        (`npu_support.squared_difference_plan`): per operand a MUL of
        (x − zp) by the scalar 128 (IFM2 zero point −128, stored 0) with
        OFM_SCALE (multiplier, 31 − shift) to int32, TFLite's
        MultiplyByQuantizedMultiplier of (x − zp) << 7; the int32 SUB of the
        two (the broadcasting one as IFM2), the int32 MUL of the difference
        by itself, and a 1×1 REDUCE_SUM of one channel with OFM_SCALE
        (output multiplier, 31 − output shift) plus the output zero point
        to int8. The int32 maps live in the op's workspace."""
        plan = squared_difference_plan(op)
        if isinstance(plan, str):
            raise StaysOnCpu(plan)
        offsets, size = plan.workspace()
        if op.workspace is None or _btype(op.workspace).num_elements != size:
            raise StaysOnCpu("squared_difference: no NPU workspace")
        ws = self.place(op, op.workspace)
        if ws.strides is not None or ws.offset % 16:
            raise StaysOnCpu("squared_difference: a strided or unaligned workspace")

        def scratch(name: str, dims: tuple[int, int, int]) -> npu.FeatureMapAttr:
            return npu.FeatureMapAttr.make(
                dtype="int32", shape=dims, region=self.regions[ws.pool],
                address=ws.offset + offsets[name], zero_point=0,
            )  # fmt: skip

        def props(kind, ifm, ifm2, ofm, scale, **extra):  # type: ignore[no-untyped-def]
            out = {
                "op_type": StringAttr(kind),
                "ifm": ifm,
                "ifm2": ifm2,
                "ofm": ofm,
                "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
                "ofm_scale": DenseArrayBase.from_list(i64, list(scale)),
                "rounding_mode": StringAttr("tfl"),
                **extra,
            }
            if kind == "sub":
                out["operand_scales"] = DenseArrayBase.from_list(i64, [1, 0, 1, 0])
            return self.block_config(npu.ElementwiseOp.create(properties=out))

        ops: list[Operation] = []
        for role, dims in (("lhs", plan.lhs), ("rhs", plan.rhs)):
            x = self.feature_map(
                op, getattr(op, role), None, getattr(op, f"{role}_zp"), dims
            )
            times_128 = npu.FeatureMapAttr.make(
                dtype="int8", shape=(1, 1, 1), region=x.region, address=0,
                scale=1.0, zero_point=-128,
            )  # fmt: skip
            scale = (
                getattr(op, f"{role}_multiplier"),
                31 - getattr(op, f"{role}_shift"),
            )
            ops.append(
                props("mul", x, times_128, scratch(role, dims), scale,
                      ifm2_scalar=FloatAttr(128.0, f64))
            )  # fmt: skip
        a, b = scratch("lhs", plan.lhs), scratch("rhs", plan.rhs)
        extra = {}
        if plan.swap:
            a, b = b, a
            extra["reversed_operands"] = UnitAttr()
        diff = scratch("diff", plan.out)
        ops.append(props("sub", a, b, diff, (1, 0), **extra))
        ops.append(props("mul", diff, diff, diff, (1, 0)))
        out = self.feature_map(op, op.output, None, op.output_zp, plan.flat)
        reduce = npu.PoolingOp.create(
            properties={
                "pool_type": StringAttr("reduce_sum"),
                "ifm": scratch("diff", plan.flat),
                "ofm": out,
                "kernel": npu.KernelAttr.make(size=(1, 1)),
                "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
                "rescale": DenseArrayBase.from_list(
                    i64, [op.output_multiplier, 31 - op.output_shift]
                ),
                "rounding_mode": StringAttr("tfl"),
            }
        )
        ops.append(self.block_config(reduce))
        assert len(ops) == SQUARED_DIFFERENCE_BLOCK_OPS
        return ops

    def batch_matmul(self, op: BatchMatmulOp, seg: Segment) -> list[Operation]:
        """BATCH_MATMUL (lhs [..., M, K], rhs [..., N, K]: tir-legalize-npu
        made the depth last) as `npu_support.batch_matmul_plan` says: per
        output batch and output row i (M <= N) an int32 MUL of rhs's N×K
        matrix (1×N pixels of K channels) by lhs's row i (IFM2, broadcast
        along the width), each minus its zero point, then a 1×1
        REDUCE_SUM of the K channels with OFM_SCALE (multiplier, 31 −
        shift) plus the output zero point into output row i; per output
        column j (M > N) likewise with lhs's matrix (M×1 pixels) by rhs's
        row j, into column j (a strided view of the output). The products
        live in the op's workspace."""
        plan = batch_matmul_plan(op)
        if isinstance(plan, str):
            raise StaysOnCpu(plan)
        if op.workspace is None or plan.transpose_lhs or plan.transpose_rhs:
            raise StaysOnCpu("batch_matmul: not in its NPU form (tir-legalize-npu)")
        ws = self.place(op, op.workspace)
        lhs, rhs, out = (self.place(op, v) for v in (op.lhs, op.rhs, op.output))
        for p in (ws, lhs, rhs, out):
            if p.strides is not None:
                raise StaysOnCpu("batch_matmul: a strided operand or workspace")
        if ws.offset % 16:
            raise StaysOnCpu("batch_matmul: its workspace is not 16-aligned")
        m, n, k = plan.m, plan.n, plan.k

        def fm(place, at: int, shape, zero_point: int, dtype: str = "int8",
               strides=()) -> npu.FeatureMapAttr:  # type: ignore[no-untyped-def]  # fmt: skip
            return npu.FeatureMapAttr.make(
                dtype=dtype, shape=shape, region=self.regions[place.pool],
                address=place.offset + at, strides=strides, zero_point=zero_point,
            )  # fmt: skip

        lz, rz, oz = op.lhs_zp, op.rhs_zp, op.output_zp
        steps = m if plan.rows else n
        ops: list[Operation] = []
        for lo, ro, oo in plan.batches:
            for i in range(steps):
                if plan.rows:  # output row i: rhs rows times lhs row i
                    ifm = fm(rhs, ro, (1, n, k), rz)
                    ifm2 = fm(lhs, lo + i * k, (1, 1, k), lz)
                    prod = fm(ws, 0, (1, n, k), 0, "int32")
                    ofm = fm(out, oo + i * n, (1, n, 1), oz)
                else:  # output column j: lhs rows times rhs row j
                    ifm = fm(lhs, lo, (m, 1, k), lz)
                    ifm2 = fm(rhs, ro + i * k, (1, 1, k), rz)
                    prod = fm(ws, 0, (m, 1, k), 0, "int32")
                    ofm = fm(out, oo + i, (m, 1, 1), oz, strides=(n, 1, 1))
                mul = npu.ElementwiseOp.create(
                    properties={
                        "op_type": StringAttr("mul"),
                        "ifm": ifm,
                        "ifm2": ifm2,
                        "ofm": prod,
                        "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
                        "ofm_scale": DenseArrayBase.from_list(i64, [1, 0]),
                        "rounding_mode": StringAttr("tfl"),
                    }
                )
                total = npu.PoolingOp.create(
                    properties={
                        "pool_type": StringAttr("reduce_sum"),
                        "ifm": prod,
                        "ofm": ofm,
                        "kernel": npu.KernelAttr.make(size=(1, 1)),
                        "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
                        "rescale": DenseArrayBase.from_list(
                            i64, [op.multiplier, 31 - op.shift]
                        ),
                        "rounding_mode": StringAttr("tfl"),
                    }
                )
                ops += [self.block_config(mul), self.block_config(total)]
        assert len(ops) == plan.block_ops
        return ops

    def arg_max(self, op: ArgMaxOp, seg: Segment) -> list[Operation]:
        """ARG_MAX along the depth (`npu_support.arg_max_plan`), Vela's idea
        with elementwise steps, exact: per row of C <= 127 channels (the
        input seen as (rows, 1, C), raw values) a MUL by the scalar 128 to
        int16 (t = 128·x), a max pool of t's channels seen as width (128·m,
        m the row's largest value), an ADD of the `indices` constant
        (keys = 128·x + 127 − c: the low 7 bits break ties towards the first
        channel), a max pool of the keys (128·m + 127 − c*, c* the first
        channel holding m) and a SUB of the two maxima with the keys' zero
        point 127: 128·m − (128·m + 127 − c* − 127) = c*, to int32. An int64
        output takes it in its low words (a strided view) and a SUB of a
        maximum from itself gives the zero high words. The int16 maps live
        in the op's workspace; `indices` is the constant tir-legalize-npu
        added."""
        plan = arg_max_plan(op)
        if isinstance(plan, str):
            raise StaysOnCpu(plan)
        offsets, size = plan.workspace()
        if (
            op.workspace is None
            or op.indices is None
            or _btype(op.workspace).num_elements != size
        ):
            raise StaysOnCpu("arg_max: no NPU workspace (run tir-legalize-npu)")
        ws = self.place(op, op.workspace)
        idx = self.place(op, op.indices)
        out = self.place(op, op.output)
        for p in (ws, idx, out):
            if p.strides is not None:
                raise StaysOnCpu("arg_max: a strided workspace, constant or output")
        if ws.offset % 16 or idx.offset % 16:
            raise StaysOnCpu("arg_max: its workspace or indices are not 16-aligned")
        r, c = plan.rows, plan.depth

        def fm(place: Place, at: int, shape: tuple[int, int, int], dtype: str,
               zero_point: int = 0, strides: tuple[int, ...] = ()
               ) -> npu.FeatureMapAttr:  # fmt: skip
            return npu.FeatureMapAttr.make(
                dtype=dtype, shape=shape, region=self.regions[place.pool],
                address=place.offset + at, strides=strides, zero_point=zero_point,
            )  # fmt: skip

        ew = self._integer_step

        def max_pool(ifm: npu.FeatureMapAttr, ofm: npu.FeatureMapAttr) -> Operation:
            return self._pool_step("max", ifm, ofm, c)

        x = self.feature_map(op, op.input, None, 0, (r, 1, c))
        times_128 = npu.FeatureMapAttr.make(
            dtype="int8", shape=(1, 1, 1), region=x.region, address=0,
            scale=1.0, zero_point=-128,
        )  # fmt: skip
        keys = fm(ws, offsets["keys"], (r, 1, c), "int16")
        as_width = fm(ws, offsets["keys"], (r, c, 1), "int16")
        high = fm(ws, offsets["high"], (r, 1, 1), "int16")
        ops = [
            ew("mul", x, times_128, keys, ifm2_scalar=FloatAttr(128.0, f64)),
            max_pool(as_width, high),
            ew("add", keys, fm(idx, 0, (1, 1, c), "int16"), keys),
            max_pool(as_width, fm(ws, offsets["max"], (r, 1, 1), "int16")),
        ]
        top = fm(ws, offsets["max"], (r, 1, 1), "int16", zero_point=127)
        wide = str(_btype(op.output).dtype) == "int64"
        if not wide:
            ops.append(ew("sub", high, top, fm(out, 0, (r, 1, 1), "int32")))
        else:  # the index in the low words, zeros in the high ones
            words = (8, 8, 4)
            low = fm(out, 0, (r, 1, 1), "int32", strides=words)
            ops.append(ew("sub", high, top, low))
            ops.append(ew("sub", high, high, fm(out, 4, (r, 1, 1), "int32",
                                                strides=words)))  # fmt: skip
        assert len(ops) == ARG_MAX_BLOCK_OPS + wide
        return ops

    def prelu(self, op: PreluOp, seg: Segment) -> list[Operation]:
        """PRELU as `npu_support.prelu_plan` says, in the op's workspace:
        xn = min(x, zp) and xp = max(x, zp) (elementwise with the scalar
        zp, raw values); A = xn·alpha with OFM_SCALE (alpha multiplier,
        31 − alpha shift) plus the output zero point (TFLite's negative
        branch; the zero point where x >= zp); B = xp by a 1×1 average pool
        with rescale (identity multiplier, 31 − identity shift) (the
        positive branch; the zero point where x < zp); out = (A − zo) +
        (B − zo) + zo, a raw ADD."""
        plan = prelu_plan(op)
        if isinstance(plan, str):
            raise StaysOnCpu(plan)
        dims, alpha = plan
        n = int(np.prod(_btype(op.output).get_shape()))
        step = -(-n // 16) * 16
        if op.workspace is None or _btype(op.workspace).num_elements != 4 * step:
            raise StaysOnCpu("prelu: no NPU workspace")
        ws = self.place(op, op.workspace)
        if ws.strides is not None or ws.offset % 16:
            raise StaysOnCpu("prelu: a strided or unaligned workspace")
        zp, zo = op.input_zp, op.output_zp

        def scratch(k: int, zero_point: int) -> npu.FeatureMapAttr:
            return npu.FeatureMapAttr.make(
                dtype="int8", shape=dims, region=self.regions[ws.pool],
                address=ws.offset + k * step, zero_point=zero_point,
            )  # fmt: skip

        def ew(kind, ifm, ifm2, ofm, **extra):  # type: ignore[no-untyped-def]
            props = {
                "op_type": StringAttr(kind),
                "ifm": ifm,
                "ifm2": ifm2,
                "ofm": ofm,
                "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
                "rounding_mode": StringAttr("tfl"),
                **extra,
            }
            return self.block_config(npu.ElementwiseOp.create(properties=props))

        x = self.feature_map(op, op.input, None, zp, dims)
        scalar = npu.FeatureMapAttr.make(
            dtype="int8", shape=(1, 1, 1), region=x.region, address=0,
            scale=1.0, zero_point=0,
        )  # fmt: skip
        at_zp = {"ifm2_scalar": FloatAttr(float(zp), f64)}
        xn, xp, neg, pos = (
            scratch(0, zp),
            scratch(1, zp),
            scratch(2, zo),
            scratch(3, zo),
        )
        a = self.feature_map(op, op.alpha, None, op.alpha_zp, alpha)
        scale = (op.alpha_multiplier, 31 - op.alpha_shift)
        requant = npu.PoolingOp.create(
            properties={
                "pool_type": StringAttr("average"),
                "ifm": xp,
                "ofm": pos,
                "kernel": npu.KernelAttr.make(size=(1, 1)),
                "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
                "rescale": DenseArrayBase.from_list(
                    i64, [op.identity_multiplier, 31 - op.identity_shift]
                ),
                "rounding_mode": StringAttr("tfl"),
            }
        )
        out = self.feature_map(op, op.output, None, zo, dims)
        ops: list[Operation] = [
            ew("min", x, scalar, xn, **at_zp),
            ew("max", x, scalar, xp, **at_zp),
            ew("mul", xn, a, neg, ofm_scale=DenseArrayBase.from_list(i64, list(scale))),
            self.block_config(requant),
            ew("add", neg, pos, out, ofm_scale=DenseArrayBase.from_list(i64, [1, 0]),
               operand_scales=DenseArrayBase.from_list(i64, [1, 0, 1, 0])),
        ]  # fmt: skip
        assert len(ops) == PRELU_BLOCK_OPS
        return ops

    def copy(self, op: CopyOp, seg: Segment) -> list[Operation]:
        """A DMA when both sides are dense, 16-byte aligned and a multiple of
        16 bytes long; otherwise, between feature maps of one shape (strided
        views: a slice of a concatenation, a split's part), a 1×1 max pool,
        which is the identity on int8 and int16 (Vela copies with a 1×1
        pool likewise)."""
        n = _btype(op.input).size_in_bytes
        try:
            src = self.byte_range(op, op.input, 0, n)
            dest = self.byte_range(op, op.output, 0, n)
            for what, r in (("source", src), ("destination", dest)):
                if r.address % 16 or n % 16:
                    raise StaysOnCpu(
                        f"DMA {what} at byte {r.address} of {n} bytes: the NPU's "
                        "DMA needs 16-byte aligned addresses and lengths"
                    )
            return [npu.DmaOp.create(properties={"src": src, "dest": dest})]
        except StaysOnCpu as dma:
            why = str(dma)
        shape: tuple[int, ...] | None = tuple(_btype(op.output).get_shape())
        if tuple(_btype(op.input).get_shape()) != shape or not hwc(shape):
            # dense on both sides (a RESHAPE into a model output): the same
            # bytes seen as one feature map shape
            dense = all(self.place(op, v).strides is None for v in op.operands)
            shapes: list[tuple[int, ...]] = []
            for t in (_btype(op.output), _btype(op.input)):
                dims = tuple(t.get_shape())
                shapes.append(dims)  # either side's shape, or rows of its last
                if dims:
                    shapes.append((t.num_elements // dims[-1], dims[-1]))
            shape = next((tuple(s) for s in shapes if hwc(s)), None)
            if not dense or shape is None:
                raise StaysOnCpu(f"{why}; and the shapes differ (no pooling copy)")
        if str(_btype(op.input).dtype) not in ("int8", "int16"):
            raise StaysOnCpu(f"{why}; and a pooling copy takes int8 or int16")
        props = {
            "pool_type": StringAttr("max"),
            "ifm": self.feature_map(op, op.input, None, 0, shape),
            "ofm": self.feature_map(op, op.output, None, 0, shape),
            "kernel": npu.KernelAttr.make(size=(1, 1)),
            "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
        }
        return [self.block_config(npu.PoolingOp.create(properties=props))]

    # -- segments ----------------------------------------------------------

    def run(self, func: FuncOp) -> None:
        seg = Segment()
        for op in list(func.body.block.ops):
            if transparent(op):
                if seg.ops and isinstance(op, AllocateOp | AllocateConstOp):
                    seg.late_allocs.append(op)
                if model_operators(op):
                    seg.views.append(op)
                continue
            if not isinstance(op, OperatorOp):
                self.close(func, seg)
                seg = Segment()
                continue
            reason = npu_reason(op)
            lowered: list[Operation] = []
            if reason is None:
                try:
                    lowered = self.lower(op, seg)
                except StaysOnCpu as e:
                    reason = str(e)
            if reason is not None:
                for v in op.operands:
                    if isinstance(v.type, BufferType) and layout_of(v) == "nhcwb16":
                        raise fail(
                            op,
                            f"stays on the CPU ({reason}) but %{v.name_hint} is "
                            "an NHCWB16 feature map (tir-feature-layouts)",
                        )
                self.close(func, seg)
                seg = Segment()
                op.attributes[CPU_ATTR] = StringAttr(reason)
                self.remarks.append(f"{describe(op)} stays on the CPU: {reason}")
                continue
            origin = _origin(op)
            if origin is not None:  # provenance: which model operator it is
                set_source(lowered, origin, self.parts[origin])
            seg.ops.append(op)
            seg.npu_ops += lowered
            seg.lowered_by.update((n, op) for n in lowered)
        self.close(func, seg)

    def close(self, func: FuncOp, seg: Segment) -> None:
        if not seg.ops:
            return
        in_seg = set(seg.ops)
        written: list[SSAValue] = []
        ins: list[SSAValue] = []
        for op in seg.ops:
            effects = op.effects()
            for v, e in effects:  # a workspace is only written
                root = place_of(v).root  # type: ignore[union-attr]
                if e & Effect.READ and root not in written and root not in ins:
                    ins.append(root)
            for v, e in effects:
                root = place_of(v).root  # type: ignore[union-attr]
                if e & Effect.WRITE and root not in written:
                    written.append(root)
        outs = [r for r in written if _used_outside(r, in_seg)]
        internal = [r for r in written if r not in outs]
        # An allocation among the run's ops that stays runs before the invoke
        # and marks its bytes undefined: an input whose bytes it reuses (a
        # plan reusing a dead input) is still read by the stream, where it
        # lies, but cannot be an operand the interpreter checks as defined.
        clobbered = [  # (constants are read-only: allocating one clobbers nothing)
            (a.results[0], _span(a.results[0]))
            for a in seg.late_allocs
            if isinstance(a, AllocateOp) and a.results[0] not in internal
        ]
        ins = [
            r
            for r in ins
            if not any(v is not r and _overlap(_span(r), c) for v, c in clobbered)
        ]
        pools = {self._pool_of(r) for r in ins + outs}
        for r in internal:  # a region must be reachable through an operand
            if self._pool_of(r) not in pools:
                outs.append(r)
                pools.add(self._pool_of(r))
        internal = [r for r in internal if r not in outs]
        used = {r for op in seg.npu_ops for r in _regions_of(op)}
        for p in list(self.regions):
            if self.regions[p] in used and p not in pools:
                raise fail(seg.ops[0], f"no operand buffer lies in pool '{p}'")
        k = len(self.streams)
        name = f"{func.sym_name.data}_npu{k}"
        regions: list[Operation] = []
        for pool, index in sorted(self.regions.items(), key=lambda kv: kv[1]):
            if index in used:
                regions.append(
                    npu.RegionOp(
                        index,
                        self.kinds[pool],
                        self.sizes[pool],
                        streams=seg.streams.get(pool) or None,
                        pool=pool,
                    )
                )
        if seg.uses_lut:
            regions.append(
                npu.RegionOp(npu.LUT_REGION, "lut", SHRAM_BYTES[self.accelerator])
            )
        stream = npu.CommandStreamOp(
            name, self.accelerator, Region(Block([*regions, *seg.npu_ops]))
        )
        if seg.uses_lut:  # table loads where the ops before their lookups hide them
            from tirconst.transforms.table_loads import schedule_table_loads

            schedule_table_loads(stream, self.system)
        self.streams.append(stream)
        last = seg.ops[-1]
        invoke = InvokeOp(name, ins, outs)
        set_operators(invoke, [*seg.ops, *seg.views])
        last.parent_block().insert_op_after(invoke, last)  # type: ignore[union-attr]
        for op in seg.ops:
            op.detach()
            op.erase()
        for r in internal:
            _erase_unused(r)

    def _pool_of(self, root: SSAValue) -> str:
        p = place_of(root)
        assert p is not None
        return p.pool


def _producer_past_copies(
    seg: Segment, spans: tuple[tuple[str, int, int], ...]
) -> tuple[OperatorOp, Operation] | None:
    """The segment's last tir op that is not a copy lowered to DMAs alone
    touching none of `spans`, and the last npu op it lowers to (the npu
    ops after it are those DMAs); None if there is none."""
    k, n = len(seg.ops) - 1, len(seg.npu_ops)
    while k >= 0 and isinstance(seg.ops[k], CopyOp):
        copy = seg.ops[k]
        dmas = [o for o in seg.npu_ops if seg.lowered_by.get(o) is copy]
        if not dmas or any(not isinstance(o, npu.DmaOp) for o in dmas):
            return None
        if seg.npu_ops[n - len(dmas) : n] != dmas:
            return None
        if any(_overlap(_span(v), s) for v in copy.operands for s in spans):
            return None
        k, n = k - 1, n - len(dmas)
    if k < 0 or n == 0:
        return None
    return seg.ops[k], seg.npu_ops[n - 1]


def _unread_after(mid: SSAValue, prev: Operation, op: Operation) -> bool:
    """Whether `prev`'s output `mid` is a workspace nothing but `op` reads
    once `prev` wrote it: a `tir.allocate`, or a view the plan made of one
    (`prev` in place on a dead input) whose bytes no op after `prev` uses
    but through `mid`."""
    root = mid.owner
    while isinstance(root, Operation) and is_view(root):
        root = root.operands[0].owner
    if not isinstance(root, AllocateOp):
        return False
    if root.buffer is mid:
        return True
    for user, seen in users(root.buffer):
        if seen is mid or user is prev:
            continue
        if user.parent_block() is not prev.parent_block():
            return False
        if prev.is_before_in_block(user):
            return False
    return True


def _span(v: SSAValue) -> tuple[str, int, int]:
    p = place_of(v)
    assert p is not None
    if layout_of(v) == "nhcwb16":
        return p.pool, p.offset, p.offset + stored_bytes(p.root)
    return p.pool, p.offset, p.offset + _btype(v).size_in_bytes


def _overlap(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def _real_bound(q: int, ofm: npu.FeatureMapAttr) -> float:
    """A real value that Vela's re-quantization (zp + round(value / scale))
    maps back to q."""
    scale = np.float32(1.0 if ofm.scale is None else ofm.scale)
    zp = ofm.zero_point
    value = np.float32(q - zp) * scale
    for cand in (
        value,
        np.nextafter(value, np.float32(np.inf)),
        np.nextafter(value, np.float32(-np.inf)),
    ):
        x = np.float32(cand) / scale
        back = zp + int(np.sign(x) * np.floor(np.abs(x) + np.float32(0.5)))
        if back == q:
            return float(cand)
    raise StaysOnCpu(f"the clamp bound {q} has no real value Vela maps back to it")


def _sub_map(
    fm: npu.FeatureMapAttr, y: int, x: int, h: int, w: int
) -> npu.FeatureMapAttr:
    """Rows [y, y + h) and columns [x, x + w) of a feature map, all
    channels, as a strided feature map of its own (in NHCWB16 a column
    is 16 elements apart and the bricks keep their stride)."""
    _, _, depth = fm.shape
    e = DTYPES[fm.dtype]
    strides = fm.byte_strides()
    step_x = BRICK * e if fm.layout == "nhcwb16" else strides[1]
    return npu.FeatureMapAttr.make(
        dtype=fm.dtype,
        shape=(h, w, depth),
        region=fm.region,
        address=fm.address + y * strides[0] + x * step_x,
        layout=fm.layout,
        strides=strides,
        scale=fm.scale,
        zero_point=fm.zero_point,
    )


def _in_place(op: Operation, src: SSAValue, dst: SSAValue) -> bool:
    """Whether `op` may write `dst` over its input `src`: the same bytes
    (place and shape), and each output element reads only the input element
    at its place (an elementwise op, a 1×1 unpadded pool of stride 1)."""
    a, b = place_of(src), place_of(dst)
    if (
        a is None
        or b is None
        or (a.pool, a.offset, a.strides)
        != (
            b.pool,
            b.offset,
            b.strides,
        )
    ):
        return False
    if _btype(src) != _btype(dst):
        return False
    if isinstance(op, npu.ElementwiseOp):
        return True
    if isinstance(op, npu.PoolingOp):
        return (
            op.kernel.size == (1, 1)
            and op.kernel.stride == (1, 1)
            and "padding" not in op.properties
        )
    return False


def _regions_of(op: Operation) -> set[int]:
    out: set[int] = set()
    for attr in op.properties.values():
        items = attr.data if isinstance(attr, ArrayAttr) else (attr,)
        for a in items:
            if isinstance(a, npu.FeatureMapAttr | npu.AddressRangeAttr):
                out.add(a.region)
    out.discard(npu.LUT_REGION)
    return out


Lowering = Callable[[Lowerer, Any, Segment], list[Operation]]
LOWERINGS: dict[type[OperatorOp], Lowering] = {
    Conv2DOp: Lowerer.weighted,
    DepthwiseConv2DOp: Lowerer.weighted,
    FullyConnectedOp: Lowerer.weighted,
    MaxPool2DOp: Lowerer.pool,
    AvgPool2DOp: Lowerer.pool,
    RequantizeOp: Lowerer.requantize,
    AddOp: Lowerer.elementwise,
    SubOp: Lowerer.elementwise,
    MulOp: Lowerer.elementwise,
    MaximumOp: Lowerer.elementwise,
    MinimumOp: Lowerer.elementwise,
    LogisticOp: Lowerer.lookup,
    LookupOp: Lowerer.lookup,
    SoftmaxOp: Lowerer.softmax,
    SoftmaxInt16Op: Lowerer.softmax_int16,
    CopyOp: Lowerer.copy,
    ResizeNearestOp: Lowerer.resize_nearest,
    MeanOp: Lowerer.mean,
    SquaredDifferenceOp: Lowerer.squared_difference,
    BatchMatmulOp: Lowerer.batch_matmul,
    PreluOp: Lowerer.prelu,
    ArgMaxOp: Lowerer.arg_max,
}
"""Operator op class -> how it lowers: `(lowerer, op, segment) -> npu ops`,
raising StaysOnCpu when this op cannot go (analysis.npu_support's SUPPORT
says which ops may). A user's pass registers its own operator here."""


def lower_sequence_lstm(
    lowerer: Lowerer, op: SequenceLstmOp, seg: Segment
) -> list[Operation]:
    """LiteRT's integer LSTM as one unrolled op sequence (`npu.lstm`,
    docs/lowering.md): the input terms of up to 8 steps as one 1x1 conv to
    int16 into the workspace; per step the recurrent 1x1 conv of the
    previous output step, the saturated add, gemmlowp's logistic (input,
    forget and output gates side by side) and tanh (cell gate, then the
    cell state) as int16 elementwise sequences, int32 cell products with TFL
    shifts, the clip, and MBQM(o·tanh(c)) + zp into the output step. The
    encoded convs are `npu_weights` (tir-encode-weights); every
    intermediate lives in the workspace, one step's reusing the last's."""
    if op.npu_weights is None or op.npu_encoding is None:
        raise fail(
            op,
            "its weights are not encoded (run tir-encode-weights first: the "
            "NPU reads encoded weight streams)",
        )
    size = sequence_lstm_workspace(op)
    if op.workspace is None or _btype(op.workspace).num_elements != size:
        raise StaysOnCpu("sequence_lstm: no NPU workspace (run tir-legalize-npu)")
    ws = lowerer.place(op, op.workspace)
    for v in (op.input, op.output, op.workspace):
        if lowerer.place(op, v).strides is not None or layout_of(v) != "nhwc":
            raise StaysOnCpu("sequence_lstm: a strided or NHCWB16 map")
    if ws.offset % 16:
        raise StaysOnCpu("sequence_lstm: its workspace is not 16-aligned")
    convs = []
    for enc in op.npu_encoding.data:
        pool = lowerer.place(op, op.npu_weights).pool
        declared = seg.streams.setdefault(pool, [])
        weights, biases = [], []
        for core in enc.cores:  # one stream and records per core
            w = lowerer.byte_range(
                op, op.npu_weights, core.weight_offset, core.weight_length
            )
            b = lowerer.byte_range(
                op, op.npu_weights, core.bias_offset, core.records_length
            )
            stream = npu.WeightStreamAttr.make(
                address=w.address, length=w.length, encoding=core.encoding
            )
            if stream not in declared:
                declared.append(stream)
            weights.append(w)
            biases.append(b)
        traversal = enc.cores[0].stream_encoding.traversal
        convs.append(ConvWeights(tuple(weights), tuple(biases), enc.block, traversal))
    shape = lstm_shape(op)
    x = lowerer.feature_map(op, op.input, None, shape.input_zp)
    y = lowerer.feature_map(op, op.output, None, 0)
    em = Emitter(lowerer.accelerator, lowerer.regions[ws.pool], ws.offset)
    emit_sequence_lstm(em, shape, x, y, (convs[0], convs[1]))
    if em.workspace_bytes > size:
        raise fail(op, f"the NPU sequence needs {em.workspace_bytes} bytes of "
                   f"workspace, it has {size}")  # fmt: skip
    return list(em.ops)


LOWERINGS[SequenceLstmOp] = lower_sequence_lstm


def _used_outside(root: SSAValue, ops: set[Operation]) -> bool:
    if isinstance(root, BlockArgument):
        return True  # a parameter: its contents are the function's result
    for v in views_of(root):
        for use in v.uses:
            user = use.operation
            if user not in ops and not is_view(user):
                return True
    return False


def _erase_unused(root: SSAValue) -> None:
    """Erase an allocation only the lowered ops used, with its views."""
    views = views_of(root)
    for v in reversed(views):
        if not v.uses and isinstance(v.owner, Operation):
            v.owner.detach()
            v.owner.erase()


def _pool_layout(
    module: ModuleOp,
) -> tuple[dict[str, int], dict[str, str], dict[str, int]]:
    """Region per pool (read-only pools from 0, then read-write ones), region
    kinds, and each pool's size (declared, or the furthest placed byte)."""
    pools = [op for op in module.ops if isinstance(op, PoolOp)]
    ordered = [p for p in pools if p.read_only] + [p for p in pools if not p.read_only]
    if len(ordered) > 8:
        raise PassFailedException(
            f"{NAME}: {len(ordered)} pools, but the NPU has 8 regions"
        )
    regions = {p.sym_name.data: i for i, p in enumerate(ordered)}
    kinds = {p.sym_name.data: "constant" if p.read_only else "scratch" for p in pools}
    reach: dict[str, int] = {}
    for op in module.walk():
        values: list[SSAValue] = []
        if isinstance(op, ConstantOp) and op.placement is not None:
            end = op.placement.byte_offset + op.data.nbytes
            name = op.placement.pool_name
            reach[name] = max(reach.get(name, 0), end)
        elif isinstance(op, AllocateOp | AllocateConstOp):
            values = [op.results[0]]
        elif isinstance(op, FuncOp):
            values = list(op.args)
        for v in values:
            p = place_of(v)
            if p is not None:
                end = p.offset + stored_bytes(v)
                reach[p.pool] = max(reach.get(p.pool, 0), end)
    sizes = {
        p.sym_name.data: p.size_bytes
        if p.size_bytes is not None
        else reach.get(p.sym_name.data, 0)
        for p in pools
    }
    return regions, kinds, sizes


@dataclass(frozen=True)
class ConvertTirToNpuPass(SystemOptions, ModulePass):
    """Lowers every tir operator op the NPU can run exactly to npu ops at the
    planned addresses (conv and depthwise with TFL rounding, fully connected
    as a 1×1 conv with NATURAL rounding, pools, requantize as a 1×1 average
    pool with an explicit scale, logistic as a table DMA plus a lookup, add,
    sub and mul with their float scales, copy as a DMA; reshape and views are
    addresses). Each contiguous run becomes an `npu.command_stream` run by an
    `npu.invoke` in its place; the rest stays tir on the CPU, marked
    `npu_cpu = "reason"` and listed on stderr (`remarks=false` to silence).
    Needs a memory plan (every buffer placed) and encoded weights for the
    weighted ops: a one-line error names the op otherwise. Why: the NPU
    computes on flat memory from encoded weights; keeping the CPU part as tir
    lets both interpreters check the lowering bit for bit. Block configs
    and table loads are chosen by the cycle model for the system
    `system-config`, `memory-mode` and `config` name (`SystemOptions`)."""

    name = NAME
    accelerator: str = "ethos-u55-128"
    remarks: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.accelerator not in ACCELERATORS:
            raise PassFailedException(
                f"{NAME}: unknown accelerator {self.accelerator!r} (known: "
                f"{', '.join(ACCELERATORS)})"
            )
        regions, kinds, sizes = _pool_layout(op)
        # Buffers only the NPU uses leave the tir function, so a pool without
        # a declared size would shrink: fix each to the plan's extent.
        for pool in op.ops:
            if isinstance(pool, PoolOp) and pool.size is None:
                pool.size = IntegerAttr(sizes[pool.sym_name.data], 64)
        cfg = self.system(self.accelerator, NAME)
        lowerer = Lowerer(op, self.accelerator, regions, kinds, sizes, cfg=cfg)
        lowerer.parts = parts(o for o in op.walk() if isinstance(o, OperatorOp))
        for func in [f for f in op.ops if isinstance(f, FuncOp)]:
            lowerer.run(func)
        for stream in lowerer.streams:
            op.body.block.add_op(stream)
        if self.remarks:
            for line in lowerer.remarks:
                print(f"{NAME}: remark: {line}", file=sys.stderr)


__all__ = ["CPU_ATTR", "ConvertTirToNpuPass", "Place", "place_of"]
