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

from tirconst.core.diagnostics import ToolError, describe
from tirconst.dialects.npu import CommandStreamOp
from tirconst.dialects.npu.vela_api import _OPS, accelerator, vela_operation


class VelaRefused(ToolError):
    """Vela's generator refused an op (the message names it)."""


def register_command_stream(stream: CommandStreamOp) -> list[int]:
    """Vela's register command stream of the stream's ops, generated one op
    at a time first so that a refusal names the op."""
    acc = accelerator(stream)
    ops = []
    for op in stream.body.block.ops:
        if not isinstance(op, _OPS):
            continue
        vela_op = vela_operation(op)
        try:
            api.npu_generate_register_command_stream([vela_op], acc)
        except Exception as e:  # Vela raises VelaError and bare assertions
            reason = (
                str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            )
            raise VelaRefused(
                f"error: {describe(op)}: Vela refuses it: {reason}"
            ) from None
        ops.append(vela_op)
    return api.npu_generate_register_command_stream(ops, acc)


def driver_payload(stream: CommandStreamOp) -> bytes:
    """The driver payload ("COP1" ...) of the stream's command stream."""
    return api.npu_create_driver_payload(
        register_command_stream(stream), accelerator(stream)
    )
