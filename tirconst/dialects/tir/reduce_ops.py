"""TFLite reductions other than MEAN as tir operator ops: REDUCE_MAX,
REDUCE_MIN, ARG_MAX (see `operators` for the conventions they share).

SUM is not imported: LiteRT's reference int8 SUM is not the sum (README,
"TFLite operators"; tests/test_importer_operators.py pins it)."""

from __future__ import annotations

from xdsl.ir import SSAValue
from xdsl.irdl import operand_def
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.operators import Int, Ints, OperatorOp, operator_op
from tirconst.dialects.tir.types import BufferType


def verify_reduced_shape(op: OperatorOp, x: SSAValue) -> None:
    """`axes` are axes of the input `x` (negative counting from the end); the
    output keeps them as extent 1 or drops them."""
    shape = op.shape(x)
    rank = len(shape)
    if any(not -rank <= a < rank for a in op.axes):
        raise VerifyException(f"axes {list(op.p('axes'))} out of range for rank {rank}")
    axes = {a % rank for a in op.axes} if rank else set()
    kept = [1 if i in axes else d for i, d in enumerate(shape)]
    dropped = [d for i, d in enumerate(shape) if i not in axes]
    if op.shape(op.output) not in (tuple(kept), tuple(dropped)):
        raise VerifyException(
            f"output must have shape {kept} or {dropped}, "
            f"got {list(op.shape(op.output))}"
        )


class _ExtremumOp(OperatorOp):
    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        self.expect_dtype("input", self.input, "int8", "int16")
        if (
            self.buffer_type(self.input).element_type
            != self.buffer_type(self.output).element_type
        ):
            raise VerifyException("input and output element types differ")
        verify_reduced_shape(self, self.input)


@operator_op(("input",), {"axes": Ints})
class ReduceMaxOp(_ExtremumOp):
    """TFLite REDUCE_MAX over `axes`: the largest stored value (TFLite
    requires the output's quantization to be the input's); the output keeps
    reduced axes as 1 or drops them.

    Example:
        tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2xi8>) {
          tir.reduce_max ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2xi8>)
              {axes = array<i64: 1>}
        }
    """

    name = "tir.reduce_max"


@operator_op(("input",), {"axes": Ints})
class ReduceMinOp(_ExtremumOp):
    """TFLite REDUCE_MIN over `axes`: as `tir.reduce_max`, the smallest.

    Example:
        tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2x1xi8>) {
          tir.reduce_min ins(%x : !tir.buffer<2x3xi8>)
              outs(%y : !tir.buffer<2x1xi8>) {axes = array<i64: -1>}
        }
    """

    name = "tir.reduce_min"


@operator_op(("input",), {"axis": Int})
class ArgMaxOp(OperatorOp):
    """TFLite ARG_MAX: along `axis` (0 <= axis < rank), the index of the
    first largest stored value, as int32 or int64; the axis is dropped.

    Example:
        tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2xi32>) {
          tir.arg_max ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2xi32>)
              {axis = 1}
        }
    """

    name = "tir.arg_max"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        self.expect_dtype("input", self.input, "int8")
        self.expect_dtype("output", self.output, "int32", "int64")
        shape = self.shape(self.input)
        axis = self.axis
        if not 0 <= axis < len(shape):
            raise VerifyException(f"axis {axis} is out of range for rank {len(shape)}")
        self.expect_shape(
            "output", self.output, [d for i, d in enumerate(shape) if i != axis]
        )
