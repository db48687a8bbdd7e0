"""Test-only: put weighted ops of a placed tir module into the encoded form of
ENCODED.md (what `tir-encode-weights` produces), so convert-tir-to-npu can be
tested before that pass exists.

Each conv2d / depthwise_conv2d / fully_connected gets one `tir.constant` of
`[bias/scale records | pad to 16 | weight stream]` (ui8, placed at the end
of the flash pool, 16-aligned), read through a `tir.allocate_const` in place
of its filter; the bias operand goes; the op carries `encoded_weights`
(`#tir.encoded_weights`, one core).
The block config is the largest Vela's `npu_find_block_configs` offers.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    DictionaryAttr,
    IntegerType,
    ModuleOp,
    Signedness,
    i32,
    i64,
)

from tirconst.analysis.npu_support import npu_reason
from tirconst.backend.ethos_u.vela_ops import pick_block_config
from tirconst.dialects import npu
from tirconst.dialects.npu.attributes import WeightEncodingAttr
from tirconst.dialects.tir import (
    AllocateConstOp,
    AllocateOp,
    ConstantOp,
    Conv2DOp,
    CopyOp,
    DepthwiseConv2DOp,
    FullyConnectedOp,
    FuncOp,
    PlacementAttr,
    PoolOp,
)
from tirconst.dialects.tir.encoded import CoreSection, EncodedWeightsAttr
from tirconst.dialects.tir.types import BufferType
from tirconst.formats.ethos_u.bias import encode_bias
from tirconst.formats.ethos_u.weights import WeightEncoding, encode_weights

ui8 = IntegerType(8, Signedness.UNSIGNED)


def _align(n: int) -> int:
    return -(-n // 16) * 16


def _hwc(shape) -> tuple[int, int, int]:
    full = (1,) * (4 - len(shape)) + tuple(shape)
    return tuple(full[1:])  # type: ignore[return-value]


def _block_config(op, ohwi_shape, accelerator: str) -> tuple[int, int, int]:
    """A provisional npu op of the same geometry, asked for its configs."""
    if isinstance(op, FullyConnectedOp):
        co, k = ohwi_shape[0], ohwi_shape[3]
        rows = op.input.type.num_elements // k
        ifm, ofm = (1, rows, k), (1, rows, co)
        kernel = npu.KernelAttr.make(size=(1, 1))
    else:
        ifm, ofm = _hwc(op.input.type.get_shape()), _hwc(op.output.type.get_shape())
        kernel = npu.KernelAttr.make(
            size=tuple(ohwi_shape[1:3]),
            stride=tuple(op.p("stride")),
            dilation=tuple(op.p("dilation")),
        )
    r = npu.AddressRangeAttr.make(region=0, address=0, length=16)
    props = {
        "ifm": npu.FeatureMapAttr.make(dtype="int8", shape=ifm, region=1),
        "ofm": npu.FeatureMapAttr.make(dtype="int8", shape=ofm, region=1),
        "kernel": kernel,
        "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
        "weights": ArrayAttr([r]),
        "biases": ArrayAttr([r]),
    }
    if not isinstance(op, FullyConnectedOp) and any(op.p("pad")):
        props["padding"] = npu.PaddingAttr.make(pad=tuple(op.p("pad")))
    cls = npu.DepthwiseConv2DOp if isinstance(op, DepthwiseConv2DOp) else npu.Conv2DOp
    built = cls.create(properties=props)
    with contextlib.redirect_stdout(io.StringIO()):
        return pick_block_config(built, accelerator)


def place_all(module: ModuleOp) -> ModuleOp:
    """A trivial memory plan (no reuse): pools @flash and @sram, every
    constant in flash and every workspace and parameter in SRAM, each
    16-aligned after the last. Stands in for tir-plan-memory in tests."""
    block = module.body.block
    first = block.first_op
    for pool in (
        PoolOp("flash", alignment=16, read_only=True),
        PoolOp("sram", alignment=16),
    ):
        block.insert_op_before(pool, first)  # type: ignore[arg-type]
    ends = {"flash": 0, "sram": 0}

    def take(pool: str, nbytes: int) -> PlacementAttr:
        at = _align(ends[pool])
        ends[pool] = at + nbytes
        return PlacementAttr(pool, at)

    for op in list(module.walk()):
        if isinstance(op, ConstantOp):
            op.placement = take("flash", op.data.nbytes)
        elif isinstance(op, AllocateOp):
            op.placement = take("sram", op.buffer.type.size_in_bytes)
        elif isinstance(op, FuncOp):
            op.param_placement = DictionaryAttr(
                {
                    n: take("sram", a.type.size_in_bytes)
                    for n, a in zip(op.names, op.args, strict=True)
                }
            )
    return module


def encode_module(module: ModuleOp, accelerator: str = "ethos-u55-128") -> ModuleOp:
    """Rewrite `module` in place into the encoded form; returns it."""
    flash = next(p for p in module.ops if isinstance(p, PoolOp) and p.read_only)
    pool = flash.sym_name.data
    end = 0
    for op in module.walk():
        if isinstance(op, ConstantOp | AllocateConstOp):
            p = op.placement if isinstance(op, ConstantOp) else None
            if p is not None and p.pool_name == pool:
                end = max(end, p.byte_offset + op.data.nbytes)  # type: ignore[union-attr]
    k = 0
    for op in list(module.walk()):
        if not isinstance(op, Conv2DOp | DepthwiseConv2DOp | FullyConnectedOp):
            continue
        if npu_reason(op) is not None:
            continue  # stays on the CPU with its raw weights
        w = op.filter.owner.data  # type: ignore[union-attr]
        co = w.shape[3] if isinstance(op, DepthwiseConv2DOp) else w.shape[0]
        bias = (
            op.bias.owner.data  # type: ignore[union-attr]
            if op.bias is not None
            else np.zeros(co, np.int64)
        )
        mult = np.broadcast_to(op.p("multiplier"), (co,))
        shift = np.broadcast_to(op.p("shift"), (co,))
        zp = 0
        if isinstance(op, DepthwiseConv2DOp):
            ohwi = np.transpose(w, (3, 1, 2, 0))
        elif isinstance(op, FullyConnectedOp):
            ohwi = w.reshape(w.shape[0], 1, 1, w.shape[1])
            zp = op.p("filter_zp")
        else:
            ohwi = w
        dy, dx = (1, 1) if isinstance(op, FullyConnectedOp) else op.p("dilation")
        block = _block_config(op, ohwi.shape, accelerator)
        enc = WeightEncoding(
            accelerator,
            block_depth=block[2],
            traversal="depth_first",
            dilation_x=dx,
            dilation_y=dy,
            is_depthwise=isinstance(op, DepthwiseConv2DOp),
            shape=tuple(ohwi.shape),
            zero_point=zp,
        )
        records = encode_bias(bias, mult, 31 - np.asarray(shift, np.int64))
        stream = encode_weights(ohwi, enc)
        rec_len = _align(len(records))
        data = records + b"\0" * (rec_len - len(records)) + stream
        data += b"\0" * (_align(len(data)) - len(data))
        section = CoreSection(
            0, rec_len, rec_len, len(stream), WeightEncodingAttr.of(enc)
        )
        attr = EncodedWeightsAttr.make(block, [section])
        end = _align(end)
        name = f"w_enc{k}"
        k += 1
        const = ConstantOp(name, np.frombuffer(data, np.uint8).copy())
        const.placement = PlacementAttr(pool, end)
        end += len(data)
        module.body.block.insert_op_before(const, flash.next_op or flash)
        alloc = AllocateConstOp(name, BufferType((len(data),), ui8), name=name)
        op.parent_block().insert_op_before(alloc, op)  # type: ignore[union-attr]
        old = [op.filter] + ([op.bias] if op.bias is not None else [])
        op.operands = [op.input, alloc.results[0], op.output]
        op.properties["operandSegmentSizes"] = DenseArrayBase.from_list(
            i32, [1, 1, 0, 1]
        )
        op.properties["encoded_weights"] = attr
        for v in old:
            if not v.uses and isinstance(v.owner, AllocateConstOp):
                v.owner.detach()  # type: ignore[union-attr]
                v.owner.erase()  # type: ignore[union-attr]
    return module


def stage_all(module: ModuleOp) -> ModuleOp:
    """Stage every encoded weight buffer into SRAM, as tir-stage-weights will:
    a `tir.allocate` (all at one SRAM offset past the plan, each its own
    allocation: a reused staging buffer) and a `tir.copy` just before the op,
    which then reads the copy."""
    end = 0
    for op in module.walk():
        if isinstance(op, AllocateOp) and op.placement is not None:
            end = max(end, op.placement.byte_offset + op.buffer.type.size_in_bytes)
        if isinstance(op, FuncOp):
            for n, p in op.placements().items():
                end = max(end, p.byte_offset + op.param(n).type.size_in_bytes)
    at = _align(end)
    for op in list(module.walk()):
        if "encoded_weights" not in op.properties:
            continue
        encoded = op.operands[1]
        staged = AllocateOp(encoded.type, "staged", PlacementAttr("sram", at))
        copy = CopyOp.create_op([encoded], staged.results[0])
        block = op.parent_block()
        block.insert_op_before(staged, op)
        block.insert_op_before(copy, op)
        op.operands = [op.operands[0], staged.results[0], *op.operands[2:]]
    return module
