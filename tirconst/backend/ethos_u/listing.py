"""A readable listing of decoded operations: one line per op, every field.

This is `tirconst-disasm`'s default output until the `npu` dialect prints
the same operations as IR.
"""

from __future__ import annotations

import hashlib

from ethosu.vela.api import (
    NpuActivationOp,
    NpuAddressRange,
    NpuBlockOperation,
    NpuConv2DOperation,
    NpuDmaOperation,
    NpuElementWiseOperation,
    NpuFeatureMap,
    NpuPoolingOperation,
)

from tirconst.backend.ethos_u.containers import StreamFile
from tirconst.backend.ethos_u.decoder import DecodedOp


def _region(region: int) -> str:
    return f"r{region:#x}" if region >= 0x100 else f"r{region}"


def _range(r: NpuAddressRange) -> str:
    return f"{_region(r.region)}[{r.address:#x}+{r.length}]"


def _fmap(fm: NpuFeatureMap | None) -> str:
    if fm is None:
        return "none"
    h, w, c = fm.shape
    t = fm.tiles
    s = fm.strides
    zp = fm.quantization.zero_point if fm.quantization else 0
    bases = ",".join(f"{a:#x}" for a in t.addresses)
    stride = f"{s.height}/{s.width}/{s.depth}" if s is not None else "default"
    return (
        f"{fm.data_type} {fm.layout} {h}x{w}x{c} r{fm.region} base=[{bases}] "
        f"tiles=h0:{t.height_0},h1:{t.height_1},w0:{t.width_0} "
        f"strides(y/x/c)={stride} zp={zp}"
    )


def format_operation(d: DecodedOp) -> str:
    """One decoded op as `index @word KIND key=value ...`."""
    op = d.op
    head = f"{d.index:>4} @{d.offset:<6}"
    waits = "".join(f" wait={n[7:].lower()}:{p}" for n, p in d.waits)
    if isinstance(op, NpuDmaOperation):
        return (
            f"{head} dma src={_range(op.src)} dst={_range(op.dest)} "
            f"channel={op.channel} mode={op.mode}{waits}"
        )
    assert isinstance(op, NpuBlockOperation)
    kind = {
        "Conv2D": "conv2d",
        "ConvDepthWise": "depthwise",
        "Pooling": "pool",
        "ElementWise": "elementwise",
    }[op.op_type.name]
    parts = [f"{head} {kind}"]
    if isinstance(op, (NpuPoolingOperation, NpuElementWiseOperation)):
        parts.append(op.sub_op_type.name.lower())
    parts.append(f"ifm=({_fmap(op.ifm)})")
    if op.ifm2 is not None:
        if op.ifm2_scalar is not None:
            parts.append(
                f"ifm2=scalar({d.ifm2_scalar} {op.ifm2.data_type} "
                f"zp={op.ifm2.quantization.zero_point})"  # type: ignore[union-attr]
            )
        else:
            parts.append(f"ifm2=({_fmap(op.ifm2)})")
    parts.append(f"ofm=({_fmap(op.ofm)})")
    if op.kernel is not None:
        k = op.kernel
        parts.append(
            f"kernel={k.height}x{k.width} stride={k.stride_y},{k.stride_x} "
            f"dilation={k.dilation_y},{k.dilation_x}"
        )
    if op.padding is not None:
        p = op.padding
        parts.append(f"pad(t,l,b,r)={p.top},{p.left},{p.bottom},{p.right}")
    if op.weights:
        parts.append("weights=" + ",".join(_range(r) for r in op.weights))
    if op.biases:
        parts.append("biases=" + ",".join(_range(r) for r in op.biases))
    if isinstance(op, NpuConv2DOperation):
        parts.append(f"traversal={op.block_traversal.name.lower()}")
    if isinstance(op, NpuElementWiseOperation) and op.reversed_operands:
        parts.append("reversed")
    act = op.activation
    assert act is not None
    name = act.op_type.name.lower()
    if act.op_type == NpuActivationOp.TABLE_LOOKUP:
        name += f"[{act.lookup_table_index}]"
    parts.append(f"act={name} clamp=[{d.activation_min},{d.activation_max}]")
    if d.activation_clip:
        parts.append(f"clip_range={d.activation_clip}")
    if d.ofm_scale is not None and (
        d.global_scale or isinstance(op, NpuElementWiseOperation)
    ):
        parts.append(f"ofm_scale={d.ofm_scale[0]}>>{d.ofm_scale[1]}")
    if d.opa_scale is not None:
        parts.append(
            f"opa_scale={d.opa_scale[0]}>>{d.opa_scale[1]} opb_scale={d.opb_scale} "
            f"op_to_scale={d.op_to_scale}"
        )
    bc = op.block_config
    parts.append(f"block={bc.height}x{bc.width}x{bc.depth}")
    parts.append(f"rounding={op.rounding_mode.name.lower()}")
    if op.ifm_upscale.name != "NONE":
        parts.append(f"upscale={op.ifm_upscale.name.lower()}")
    parts.append(f"acc={d.acc_format}")
    parts.append(
        "shram="
        + ",".join(f"{k}:{v}" for k, v in d.shram.items())
        + f" blockdep={d.blockdep}"
    )
    return " ".join(parts) + waits


def constant_ranges(
    ops: list[DecodedOp], flash_region: int = 0
) -> list[NpuAddressRange]:
    """The flash ranges the ops read (weights, biases, DMA sources), sorted
    and deduplicated: the encoded constants of the stream."""
    seen: set[NpuAddressRange] = set()
    for d in ops:
        op = d.op
        if isinstance(op, NpuDmaOperation):
            ranges = [op.src]
        elif isinstance(op, NpuBlockOperation):
            ranges = list(op.weights) + list(op.biases)
        else:  # the decoder reads DMA and block operations only
            raise TypeError(f"unexpected NPU operation {op!r}")
        seen.update(r for r in ranges if r.region == flash_region)
    return sorted(seen, key=lambda r: (r.address, r.length))


def format_operations(ops: list[DecodedOp], stream: StreamFile | None = None) -> str:
    """The whole listing: a header with the container facts, the encoded
    constants (flash ranges with a digest of their bytes), then the ops."""
    lines = []
    if stream is not None:
        acc = stream.accelerator.name if stream.accelerator else "unknown"
        regions = " ".join(f"r{r}:{n}" for r, n in sorted(stream.region_sizes.items()))
        lines.append(
            f"// {stream.kind}: {len(stream.words)} words, {len(ops)} ops, "
            f"accelerator {acc}, regions {regions}"
        )
        for label, ts in (("input", stream.inputs), ("output", stream.outputs)):
            for t in ts:
                where = f"r{t.region}[{t.offset:#x}]" if t.offset is not None else "?"
                lines.append(f"// {label} {t.name} {list(t.shape)} at {where}")
        for r in constant_ranges(ops):
            blob = stream.flash[r.address : r.address + r.length]
            digest = hashlib.sha256(blob).hexdigest()[:16]
            short = "" if len(blob) == r.length else f" (flash holds {len(blob)})"
            lines.append(f"// const {_range(r)} sha256:{digest}{short}")
    lines.extend(format_operation(d) for d in ops)
    return "\n".join(lines)
