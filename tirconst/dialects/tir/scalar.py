"""Scalar expressions where TIR's semantics differ from `arith`.

`arith` covers add/sub/mul, comparisons and bitwise ops with the same
wraparound semantics as TIR. These ops cover the rest: TIR's floor division and
floor modulo, min/max/select over any dtype (signedness from the type, so
`ui8` values compare unsigned), and `cast` between any two TIR dtypes.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import AnyFloat, IndexType, IntegerType
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import (
    AnyAttr,
    IRDLOperation,
    VarConstraint,
    irdl_op_definition,
    operand_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure, SameOperandsAndResultType
from xdsl.utils.exceptions import VerifyException


def _is_scalar(t: Attribute) -> bool:
    return isinstance(t, IntegerType | IndexType | AnyFloat)


class _BinaryOp(IRDLOperation):
    T: ClassVar = VarConstraint("T", AnyAttr())

    lhs = operand_def(T)
    rhs = operand_def(T)
    result = result_def(T)

    traits = traits_def(Pure(), SameOperandsAndResultType())

    assembly_format = "$lhs `,` $rhs attr-dict `:` type($result)"

    def __init__(self, lhs: SSAValue, rhs: SSAValue):
        super().__init__(operands=[lhs, rhs], result_types=[lhs.type])

    def verify_(self) -> None:
        if not _is_scalar(self.result.type):
            raise VerifyException(f"expected a scalar type, got {self.result.type}")


class _IntegerBinaryOp(_BinaryOp):
    def verify_(self) -> None:
        if not isinstance(self.result.type, IntegerType | IndexType):
            raise VerifyException(
                f"expected an integer or index type, got {self.result.type}"
            )


@irdl_op_definition
class FloorDivOp(_IntegerBinaryOp):
    """TIR `FloorDiv`: division rounding toward negative infinity (-7 / 2 = -4).
    An unsigned type divides unsigned. Division by zero and `MIN / -1` are
    undefined (TVM's code traps on them): an error here. Checked bit for bit
    against TVM 0.27's compiled code on every integer dtype, negative
    divisors and constant (strength-reduced) divisors included.

    Example:
        %a = arith.constant -7 : i32
        %b = arith.constant 2 : i32
        %q = tir.floordiv %a, %b : i32  // -4
    """

    name = "tir.floordiv"


@irdl_op_definition
class FloorModOp(_IntegerBinaryOp):
    """TIR `FloorMod`: the remainder of floordiv; it has the divisor's sign
    (-7 mod 2 = 1). A zero divisor is undefined (an error here); checked
    against TVM's compiled code as `tir.floordiv` is.

    Example:
        %a = arith.constant -7 : i32
        %b = arith.constant 2 : i32
        %r = tir.floormod %a, %b : i32  // 1
    """

    name = "tir.floormod"


@irdl_op_definition
class MinOp(_BinaryOp):
    """TIR `Min` of two scalars; integers compare by their type's signedness.
    Floats follow TVM's code, `a < b ? a : b`: min(nan, x) is x, min(x, nan)
    is nan, min(-0.0, 0.0) is 0.0 (checked against TVM's compiled code).

    Example:
        %a = arith.constant 1.5 : f32
        %b = arith.constant -2.0 : f32
        %m = tir.min %a, %b : f32  // -2.0
    """

    name = "tir.min"


@irdl_op_definition
class MaxOp(_BinaryOp):
    """TIR `Max` of two scalars; integers compare by their type's signedness.
    Floats follow TVM's code, `a > b ? a : b`: max(nan, x) is x, max(x, nan)
    is nan (checked against TVM's compiled code).

    Example:
        %a = arith.constant -3 : i8
        %b = arith.constant 5 : i8
        %m = tir.max %a, %b : i8  // 5
    """

    name = "tir.max"


@irdl_op_definition
class SelectOp(IRDLOperation):
    """TIR `Select`: `true_value` if the i1 condition holds, else `false_value`.
    Both values are evaluated (unlike `if_then_else`): TVM's rule is that
    Select may compute both, so an undefined operation in the branch not
    taken (a division by zero) is an error here, even where TVM's compiled
    code happens to branch around it.

    Example:
        %c = arith.constant true
        %a = arith.constant 1 : i16
        %b = arith.constant 2 : i16
        %r = tir.select %c, %a, %b : i16  // 1
    """

    name = "tir.select"

    T: ClassVar = VarConstraint("T", AnyAttr())

    cond = operand_def(IntegerType(1))
    true_value = operand_def(T)
    false_value = operand_def(T)
    result = result_def(T)

    traits = traits_def(Pure())

    assembly_format = (
        "$cond `,` $true_value `,` $false_value attr-dict `:` type($result)"
    )

    def __init__(self, cond: SSAValue, true_value: SSAValue, false_value: SSAValue):
        super().__init__(
            operands=[cond, true_value, false_value], result_types=[true_value.type]
        )


@irdl_op_definition
class CastOp(IRDLOperation):
    """TIR `Cast` between scalar dtypes, with C semantics as TVM generates them.

    Integer to integer wraps to the target width (sign- or zero-extending by the
    source's signedness); float to integer truncates toward zero and must be in
    range (out of range or nan is undefined: LLVM poison in TVM's code, which
    gives 44 for 300.0 to int8; an error here); integer to float rounds to
    nearest; float to float rounds to nearest; to `i1` means "!= 0", so nan is
    true. Every pair of TVM dtypes checked bit for bit against TVM 0.27.

    Example:
        %x = arith.constant 300 : i32
        %y = tir.cast %x : i32 to i8  // 44
        %f = tir.cast %y : i8 to f16  // 44.0
    """

    name = "tir.cast"

    input = operand_def()
    result = result_def()

    traits = traits_def(Pure())

    assembly_format = "$input attr-dict `:` type($input) `to` type($result)"

    def __init__(self, input: SSAValue, result_type: Attribute):
        super().__init__(operands=[input], result_types=[result_type])

    def verify_(self) -> None:
        for t in (self.input.type, self.result.type):
            if not _is_scalar(t):
                raise VerifyException(f"tir.cast needs scalar types, got {t}")
