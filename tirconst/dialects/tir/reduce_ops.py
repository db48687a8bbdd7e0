"""TFLite reductions other than MEAN as tir operator ops: REDUCE_MAX,
REDUCE_MIN, SUM, ARG_MAX (see `operators` for the conventions they share)."""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.ir import SSAValue
from xdsl.irdl import (
    AttrSizedOperandSegments,
    operand_def,
    opt_operand_def,
    traits_def,
)
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.memory import Effect, Effects
from tirconst.dialects.tir.operators import (
    Float,
    Int,
    Ints,
    OperatorOp,
    Scale,
    ZeroPoint,
    operator_op,
)
from tirconst.dialects.tir.traits import FlattenedFeatureMaps
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


_SUM = {"axes": Ints, "input_zp": ZeroPoint, "output_zp": ZeroPoint, "scale": Float}


@operator_op(("input",), _SUM, quant={"input_scale": Scale, "output_scale": Scale})
class SumOp(OperatorOp):
    """TFLite int8 SUM over `axes` as LiteRT's default (optimized) kernel
    computes it: the int32 sum S of the raw values over n
    elements, then clamp(roundf(S · scale + (−input_zp · scale) · n) +
    output_zp) in float32, roundf half away from zero, with `scale` the
    float32 quotient input_scale / output_scale; the output keeps reduced
    axes as 1 or drops them. LiteRT's reference resolver (BUILTIN_REF) is
    no oracle for it (rescaled, it reads int8 data as uint8), so SUM is
    checked against LiteRT's default kernels (`kernels.reduce_sum`).

    Example:
        tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x8xi8>) {
          tir.sum ins(%x : !tir.buffer<1x4x4x8xi8>) outs(%y : !tir.buffer<1x8xi8>)
              {axes = array<i64: 1, 2>, input_zp = 3, output_zp = -4,
               scale = 0.25 : f32, input_scale = 0.0625 : f32,
               output_scale = 0.25 : f32}
        }
    """

    name = "tir.sum"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        for role, v in (("input", self.input), ("output", self.output)):
            self.expect_dtype(role, v, "int8")
        if not 0 < self.scale < float("inf"):
            raise VerifyException(f"scale {self.scale} must be finite and > 0")
        verify_reduced_shape(self, self.input)

    def macs(self) -> int:
        """One accumulate per input element (a depthwise sum on the NPU)."""
        return self.buffer_type(self.input).num_elements

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        s = np.float32(q["input_scale"]) / np.float32(q["output_scale"])
        return {"scale": float(s)}


@operator_op(("input", "indices", "workspace"), {"axis": Int}, optional_last=2)
class ArgMaxOp(OperatorOp):
    """TFLite ARG_MAX: along `axis` (0 <= axis < rank), the index of the
    first largest stored value, as int32 or int64; the axis is dropped.

    For the NPU, `tir-legalize-npu` adds `indices`, an int16 constant of
    127 − c for each channel c (the tie-breaking low bits of the NPU's
    keys), and `workspace`, an int8 buffer the op may write (the int16
    keys and row maxima of its NPU sequence), given together: the memory
    planner places them like any buffer; the result does not depend on
    them and the workspace's contents afterwards are unspecified.

    Example:
        tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<2xi32>) {
          tir.arg_max ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<2xi32>)
              {axis = 1}
        }
    """

    traits = traits_def(FlattenedFeatureMaps())

    name = "tir.arg_max"

    input = operand_def(BufferType)
    indices = opt_operand_def(BufferType)
    workspace = opt_operand_def(BufferType)
    output = operand_def(BufferType)

    irdl_options = (AttrSizedOperandSegments(as_property=True),)

    def effects(self) -> Effects:
        """The input and indices are read; the output and the workspace (an
        operand of `ins`, but only written) are written."""
        read = [self.input] + ([self.indices] if self.indices else [])
        written = [self.output] + ([self.workspace] if self.workspace else [])
        return [(v, Effect.READ) for v in read] + [(v, Effect.WRITE) for v in written]

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
        if (self.indices is None) != (self.workspace is None):
            raise VerifyException("indices and workspace are given together")
        if self.indices is not None:
            self.expect_dtype("indices", self.indices, "int16")
            self.expect_shape("indices", self.indices, [shape[axis]])
            self.expect_dtype("workspace", self.workspace, "int8")
