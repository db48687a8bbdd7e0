"""The command stream Vela generates from npu ops (mapped to
`ethosu.vela.api` objects by `tirconst.dialects.npu.vela_api`), and the
driver payload.

    words = register_command_stream(stream)            # Vela's generator
    payload = driver_payload(stream)                   # bytes for the driver

Vela raises (assertions or VelaError) on what it refuses; that is reported as
a one-line `VelaRefused` naming the op.
"""

from __future__ import annotations

from ethosu.vela import api

from tirconst.core.diagnostics import ToolError, describe, error_line
from tirconst.dialects.npu import CommandStreamOp
from tirconst.dialects.npu.vela_api import _OPS, accelerator, vela_operation


class VelaRefused(ToolError):
    """Vela's generator refused an op (the message names it)."""


def register_command_stream(stream: CommandStreamOp) -> list[int]:
    """Vela's register command stream of the stream's ops. Should Vela
    refuse the stream, it is generated again one op at a time, so that the
    refusal names the op (Vela's messages do not)."""
    acc = accelerator(stream)
    ours = [op for op in stream.body.block.ops if isinstance(op, _OPS)]
    ops = [vela_operation(op) for op in ours]
    keep_unused_strides(ops)
    try:
        return api.npu_generate_register_command_stream(ops, acc)
    except Exception:  # Vela raises VelaError and bare assertions
        pass
    for op in ours:
        try:
            api.npu_generate_register_command_stream([vela_operation(op)], acc)
        except Exception as e:
            reason = (
                str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            )
            raise VelaRefused(
                error_line(f"{describe(op)}: Vela refuses it: {reason}")
            ) from None
    ops = [vela_operation(op) for op in ours]  # no op alone: the stream's error
    keep_unused_strides(ops)
    return api.npu_generate_register_command_stream(ops, acc)


def keep_unused_strides(ops: list[api.NpuOperation]) -> None:
    """Give a feature map's y (x) stride the value its register already
    holds when the map is one row (column) high (wide): the NPU only reads
    coordinate 0 of such a dimension (padding is decided from the height
    and width), so the stride is never multiplied by anything but 0, and
    Vela's generator writes a register only when its value changes. This
    drops the stride writes between a chain of 1x1 maps (fully connected
    layers). Left alone: IFM2 and an elementwise IFM whose shape is not the
    OFM's (broadcast), and channel strides."""
    last: dict[str, api.NpuShape3D] = {}
    for op in ops:
        if not isinstance(op, api.NpuBlockOperation):
            continue
        for kind, fm in (("ifm", op.ifm), ("ofm", op.ofm)):
            broadcast = (
                kind == "ifm"
                and isinstance(op, api.NpuElementWiseOperation)
                and fm.shape != op.ofm.shape
            )
            prev = last.get(kind)
            # A stride must stay a multiple of the element size (an int32
            # map after an int8 one keeps its own).
            e = fm.data_type.size_in_bytes()
            if prev is not None and not broadcast and fm.layout == api.NpuLayout.NHWC:
                fm.strides = api.NpuShape3D(
                    height=prev.height
                    if fm.shape.height == 1 and prev.height % e == 0
                    else fm.strides.height,
                    width=prev.width
                    if fm.shape.width == 1 and prev.width % e == 0
                    else fm.strides.width,
                    depth=fm.strides.depth,
                )
            last[kind] = fm.strides


def driver_payload(stream: CommandStreamOp) -> bytes:
    """The driver payload ("COP1" ...) of the stream's command stream."""
    return api.npu_create_driver_payload(
        register_command_stream(stream), accelerator(stream)
    )
