"""TFLite operators tir has no op of its own for, kept whole for the CPU.

A model may hold operators the importer has no entry for (DEPTH_TO_SPACE,
GATHER, SPACE_TO_DEPTH, ...). Vela leaves such operators to the CPU; so
does tirconst: each becomes one `tir.tflite_operator`, which says which
buffers the operator reads and writes (so the memory plan keeps them, and
hands them over in the arena) and nothing of what it computes. See
`operators` for what every operator op shares.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.irdl import operand_def, traits_def, var_operand_def
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.operators import Int, Name, OperatorOp, operator_op
from tirconst.dialects.tir.traits import KeptAsIs
from tirconst.dialects.tir.types import BufferType


@operator_op(("inputs",), {"opcode": Name, "version": Int})
class TFLiteOperatorOp(OperatorOp):
    """A TFLite operator tir does not model, kept whole: the builtin
    operator `opcode` at `version` (>= 1) of the imported model, reading its
    `ins` (the operator's tensor inputs that are neither constants nor
    variable state, in operator order; at least one) and writing its one
    output. What it computes is TFLite's (LiteRT runs it); its options and
    constant inputs stay in the model, which the op's `tflite.index`
    attribute names.

    It never goes to the NPU: `npu_reason` says it stays on the CPU, naming
    `opcode`, so `convert-tir-to-npu` leaves it (with a remark) and ends the
    NPU segment around it, the memory plan places the buffers it reads and
    writes where the model's runtime hands them over (the arena), and the
    written `.tflite` keeps the model's operator as it was. The tir
    interpreter cannot run it (a one-line error naming `opcode`);
    `tirconst-compile --verify` checks the NPU segments around it against
    LiteRT.

    Example:
        tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x8x8x2xi8>) {
          tir.tflite_operator ins(%x : !tir.buffer<1x4x4x8xi8>)
              outs(%y : !tir.buffer<1x8x8x2xi8>)
              {opcode = "DEPTH_TO_SPACE", version = 1}
        }
    """

    name = "tir.tflite_operator"
    VARIADIC: ClassVar[bool] = True

    inputs = var_operand_def(BufferType)
    output = operand_def(BufferType)
    traits = traits_def(KeptAsIs())

    def verify_(self) -> None:
        if not self.input_values():
            raise VerifyException("needs at least one input")
        if self.version < 1:
            raise VerifyException(f"version must be >= 1, got {self.version}")


__all__ = ["TFLiteOperatorOp"]
