"""TFLite int8 elementwise arithmetic, lookup-table activations,
quantization, pad, mean and copy as tir operator ops (see `operators` for the
conventions they share)."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from xdsl.irdl import operand_def, opt_operand_def, traits_def
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.memory import Effect, Effects
from tirconst.dialects.tir.operators import (
    CLAMP,
    Int,
    Ints,
    OperatorOp,
    Scale,
    ZeroPoint,
    operator_op,
)
from tirconst.dialects.tir.quantization import (
    add_sub_integers,
    mul_integers,
    relu_integers,
    rescale_integers,
    rsqrt_integers,
    squared_difference_integers,
)
from tirconst.dialects.tir.traits import (
    CopyLike,
    Elementwise,
    FlattenedFeatureMaps,
    Pointwise,
    WholeFeatureMaps,
    Windowed,
)
from tirconst.dialects.tir.types import BufferType

# ------------------------------------------------------------------ elementwise


class _UnaryOp(OperatorOp):
    """int8 `input` -> int8 `output` of the same shape."""

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        for role, v in (("input", self.input), ("output", self.output)):
            self.expect_dtype(role, v, "int8")
        self.expect_shape("output", self.output, self.shape(self.input))


class _BinaryElementwiseOp(OperatorOp):
    lhs = operand_def(BufferType)
    rhs = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        for role, v in (("lhs", self.lhs), ("rhs", self.rhs), ("output", self.output)):
            self.expect_dtype(role, v, "int8")
        out = self.shape(self.output)
        try:
            shape = np.broadcast_shapes(self.shape(self.lhs), self.shape(self.rhs))
        except ValueError:
            raise VerifyException(
                f"shapes {list(self.shape(self.lhs))} and {list(self.shape(self.rhs))} "
                "do not broadcast"
            ) from None
        if tuple(shape) != out:
            raise VerifyException(
                f"output must have the broadcast shape {list(shape)}, got {list(out)}"
            )
        self.expect_clamp()


BINARY_QUANT = {"lhs_scale": Scale, "rhs_scale": Scale, "output_scale": Scale}

_ADD_SUB = {
    "lhs_zp": ZeroPoint,
    "rhs_zp": ZeroPoint,
    "output_zp": ZeroPoint,
    "left_shift": Int,
    "lhs_multiplier": Int,
    "lhs_shift": Int,
    "rhs_multiplier": Int,
    "rhs_shift": Int,
    "output_multiplier": Int,
    "output_shift": Int,
    **CLAMP,
}


class _AddSubOp(_BinaryElementwiseOp):
    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        return add_sub_integers(q["lhs_scale"], q["rhs_scale"], q["output_scale"])


@operator_op(("lhs", "rhs"), _ADD_SUB, quant=BINARY_QUANT)
class AddOp(_AddSubOp):
    """TFLite int8 ADD with numpy broadcasting: both inputs are rescaled to a
    common scale (shifted left by `left_shift`), added, and requantized.

    Example:
        tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>,
                    %y : !tir.buffer<2x3xi8>) {
          tir.add ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>)
              outs(%y : !tir.buffer<2x3xi8>)
              {lhs_zp = -5, rhs_zp = 3, output_zp = 0, left_shift = 20,
               lhs_multiplier = 1073741824, lhs_shift = 0,
               rhs_multiplier = 1073741824, rhs_shift = 0,
               output_multiplier = 1073741824, output_shift = -19,
               act_min = -128, act_max = 127, lhs_scale = 0.5 : f32,
               rhs_scale = 0.5 : f32, output_scale = 1.0 : f32}
        }
    """

    traits = traits_def(Elementwise(("lhs", "rhs"), "add"), WholeFeatureMaps())

    name = "tir.add"


@operator_op(("lhs", "rhs"), _ADD_SUB, quant=BINARY_QUANT)
class SubOp(_AddSubOp):
    """TFLite int8 SUB: as `tir.add`, subtracting `rhs`.

    Example:
        tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>,
                    %y : !tir.buffer<2x3xi8>) {
          tir.sub ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>)
              outs(%y : !tir.buffer<2x3xi8>)
              {lhs_zp = -5, rhs_zp = 3, output_zp = 0, left_shift = 20,
               lhs_multiplier = 1073741824, lhs_shift = 0,
               rhs_multiplier = 1073741824, rhs_shift = 0,
               output_multiplier = 1073741824, output_shift = -19,
               act_min = -128, act_max = 127, lhs_scale = 0.5 : f32,
               rhs_scale = 0.5 : f32, output_scale = 1.0 : f32}
        }
    """

    traits = traits_def(Elementwise(("lhs", "rhs"), "sub"), WholeFeatureMaps())

    name = "tir.sub"


_MUL = {
    "lhs_zp": ZeroPoint,
    "rhs_zp": ZeroPoint,
    "output_zp": ZeroPoint,
    "output_multiplier": Int,
    "output_shift": Int,
    **CLAMP,
}


@operator_op(("lhs", "rhs"), _MUL, quant=BINARY_QUANT)
class MulOp(_BinaryElementwiseOp):
    """TFLite int8 MUL: (lhs - lhs_zp) * (rhs - rhs_zp), requantized.

    Example:
        tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>,
                    %y : !tir.buffer<2x3xi8>) {
          tir.mul ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>)
              outs(%y : !tir.buffer<2x3xi8>)
              {lhs_zp = 0, rhs_zp = 0, output_zp = 0,
               output_multiplier = 1073741824, output_shift = -6,
               act_min = -128, act_max = 127, lhs_scale = 0.5 : f32,
               rhs_scale = 0.25 : f32, output_scale = 16.0 : f32}
        }
    """

    traits = traits_def(Elementwise(("lhs", "rhs"), "mul"), WholeFeatureMaps())

    name = "tir.mul"

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        return mul_integers(q["lhs_scale"], q["rhs_scale"], q["output_scale"])


_SQUARED_DIFFERENCE = {k: v for k, v in _ADD_SUB.items() if k not in CLAMP}


@operator_op(
    ("lhs", "rhs", "workspace"),
    _SQUARED_DIFFERENCE,
    optional_last=True,
    quant=BINARY_QUANT,
)
class SquaredDifferenceOp(OperatorOp):
    """TFLite int8 SQUARED_DIFFERENCE with numpy broadcasting: each operand
    offset by its zero point, shifted left by `left_shift` (7) and rescaled
    with its multiplier to twice the larger input scale; the difference
    squared (int32), MultiplyByQuantizedMultiplier by the output multiplier,
    plus output_zp, saturated to int8.

    Example:
        tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>,
                    %y : !tir.buffer<2x3xi8>) {
          tir.squared_difference ins(%a, %b : !tir.buffer<2x3xi8>,
              !tir.buffer<3xi8>) outs(%y : !tir.buffer<2x3xi8>)
              {lhs_zp = 0, rhs_zp = 0, output_zp = -128, left_shift = 7,
               lhs_multiplier = 1073741824, lhs_shift = 0,
               rhs_multiplier = 1073741824, rhs_shift = 0,
               output_multiplier = 1073741824, output_shift = -11}
        }

    For the NPU, `tir-legalize-npu` adds `workspace`, an int8 buffer the op
    may write (the int32 intermediates of its NPU sequence): the memory
    planner places it like any buffer; its contents afterwards are
    unspecified.
    """

    name = "tir.squared_difference"

    lhs = operand_def(BufferType)
    rhs = operand_def(BufferType)
    workspace = opt_operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        for role, v in (("lhs", self.lhs), ("rhs", self.rhs), ("output", self.output)):
            self.expect_dtype(role, v, "int8")
        if self.workspace is not None:
            self.expect_dtype("workspace", self.workspace, "int8")
        try:
            shape = np.broadcast_shapes(self.shape(self.lhs), self.shape(self.rhs))
        except ValueError:
            raise VerifyException(
                f"shapes {list(self.shape(self.lhs))} and {list(self.shape(self.rhs))} "
                "do not broadcast"
            ) from None
        self.expect_shape("output", self.output, shape)

    def effects(self) -> Effects:
        """lhs and rhs are read; the output and the workspace (an operand of
        `ins`, but only written) are written."""
        written = [self.output] + ([self.workspace] if self.workspace else [])
        return [(self.lhs, Effect.READ), (self.rhs, Effect.READ)] + [
            (v, Effect.WRITE) for v in written
        ]

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        return squared_difference_integers(
            q["lhs_scale"], q["rhs_scale"], q["output_scale"]
        )


@operator_op(
    ("input",),
    {"input_zp": ZeroPoint, "output_zp": ZeroPoint, "multiplier": Int, "shift": Int},
    quant={"input_scale": Scale, "output_scale": Scale},
)
class AbsOp(_UnaryOp):
    """TFLite int8 ABS: clamp(MultiplyByQuantizedMultiplier(|input -
    input_zp|, multiplier, shift) + output_zp) to int8; multiplier/shift are
    QuantizeMultiplier of input_scale / output_scale (float32 quotient).

    Example:
        tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi8>) {
          tir.abs ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xi8>)
              {input_zp = 3, output_zp = -128, multiplier = 1073741824,
               shift = 1}
        }
    """

    traits = traits_def(Pointwise())

    name = "tir.abs"

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        m, s = relu_integers(q["input_scale"], q["output_scale"])
        return {"multiplier": m, "shift": s}


@operator_op(
    ("input",),
    {"input_zp": ZeroPoint, "output_zp": ZeroPoint, "multiplier": Int, "shift": Int},
    quant={"input_scale": Scale, "output_scale": Scale},
)
class RsqrtOp(_UnaryOp):
    """TFLite int8 RSQRT: with v = input - input_zp, 1/sqrt(v) by TFLite's
    fixed-point Newton-Raphson (GetInvSqrtQuantizedMultiplierExp, as a
    20-bit fraction), MultiplyByQuantizedMultiplier by multiplier /
    2^(20 - shift), plus output_zp, saturated to int8; v <= 0 gives 127
    (LiteRT gives it for v = 0 and refuses v < 0 at run time). multiplier
    and shift are QuantizeMultiplier of 1 / (sqrt(input_scale) *
    output_scale).

    Example:
        tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi8>) {
          tir.rsqrt ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xi8>)
              {input_zp = -128, output_zp = 0, multiplier = 1073741824,
               shift = 1}
        }
    """

    traits = traits_def(Pointwise())

    name = "tir.rsqrt"

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        m, s = rsqrt_integers(q["input_scale"], q["output_scale"])
        return {"multiplier": m, "shift": s}


@operator_op(("input",), {})
class NegOp(OperatorOp):
    """TFLite NEG: output = -input. On quantized data, the stored values
    negated, wrapped to the element type (int8: -(-128) is -128), no
    rescaling (LiteRT's reference Negate ignores the quantization); on
    float32 data, the float negation (a CPU op: the NPU has no float).

    Example:
        tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi8>) {
          tir.neg ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xi8>)
        }
    """

    traits = traits_def(Pointwise())

    name = "tir.neg"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        self.expect_dtype("input", self.input, "int8", "int16", "float32")
        if (
            self.buffer_type(self.input).element_type
            != self.buffer_type(self.output).element_type
        ):
            raise VerifyException("input and output element types differ")
        self.expect_shape("output", self.output, self.shape(self.input))


# ------------------------------------------------------------- shape and others


@operator_op(("input",), {"padding": Ints, "pad_value": Int})
class PadOp(OperatorOp):
    """TFLite PAD: copies the input into the middle of the output and fills the
    border with `pad_value`. `padding` is (before0, after0, before1, ...).

    Example:
        tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<4x4xi8>) {
          tir.pad ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<4x4xi8>)
              {padding = array<i64: 1, 1, 0, 1>, pad_value = -128}
        }
    """

    traits = traits_def(
        Windowed(kernel=None, padding="padding", top=2, bottom=3, depth_slices=False)
    )

    name = "tir.pad"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        shape = self.shape(self.input)
        self.expect_len("padding", 2 * len(shape))
        pads = self.padding
        if min(pads, default=0) < 0:
            raise VerifyException(f"padding must be >= 0, got {list(pads)}")
        if (
            self.buffer_type(self.input).element_type
            != self.buffer_type(self.output).element_type
        ):
            raise VerifyException("input and output element types differ")
        expect = [d + pads[2 * i] + pads[2 * i + 1] for i, d in enumerate(shape)]
        self.expect_shape("output", self.output, expect)
        info = (
            np.iinfo(self.buffer_type(self.output).dtype)
            if self.buffer_type(self.output).dtype.kind in "iu"
            else None
        )
        if info is not None and not info.min <= self.pad_value <= info.max:
            raise VerifyException(
                f"pad_value {self.pad_value} does not fit {info.dtype}"
            )


_MEAN = {
    "axes": Ints,
    "input_zp": ZeroPoint,
    "output_zp": ZeroPoint,
    "multiplier": Int,
    "shift": Int,
}


@operator_op(("input",), _MEAN, quant={"input_scale": Scale, "output_scale": Scale})
class MeanOp(OperatorOp):
    """TFLite int8 MEAN over `axes`, requantized from the input to the output
    quantization; the output keeps reduced axes as 1 or drops them. int16
    in and out alike (the same arithmetic, clamped to int16).

    Example:
        tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x8xi8>) {
          tir.mean ins(%x : !tir.buffer<1x4x4x8xi8>) outs(%y : !tir.buffer<1x8xi8>)
              {axes = array<i64: 1, 2>, input_zp = 0, output_zp = 0,
               multiplier = 1073741824, shift = -3, input_scale = 0.0625 : f32,
               output_scale = 1.0 : f32}
        }
    """

    name = "tir.mean"

    def macs(self) -> int:
        """One accumulate per input element (Vela runs a mean as a
        depthwise convolution over the reduced axes)."""
        return self.buffer_type(self.input).num_elements

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        m, s = rescale_integers(q["input_scale"], q["output_scale"])
        return {"multiplier": m, "shift": s}

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        for role, v in (("input", self.input), ("output", self.output)):
            self.expect_dtype(role, v, "int8", "int16")
        if self.buffer_type(self.input).dtype != self.buffer_type(self.output).dtype:
            raise VerifyException("input and output must have one element type")
        shape = self.shape(self.input)
        axes = sorted({a % len(shape) for a in self.axes}) if shape else []
        if any(not -len(shape) <= a < len(shape) for a in self.axes):
            raise VerifyException(
                f"axes {list(self.axes)} out of range for rank {len(shape)}"
            )
        kept = [1 if i in axes else d for i, d in enumerate(shape)]
        dropped = [d for i, d in enumerate(shape) if i not in axes]
        if self.shape(self.output) not in (tuple(kept), tuple(dropped)):
            raise VerifyException(
                f"output must have shape {kept} or {dropped}, "
                f"got {list(self.shape(self.output))}"
            )


class _TableOp(OperatorOp):
    """An int8 activation through a constant lookup table (a first-class constant
    buffer, so passes see, share and place it like any weight)."""

    input = operand_def(BufferType)
    table = operand_def(BufferType)
    output = operand_def(BufferType)

    TABLE_DTYPE: ClassVar[str] = "int8"

    def verify_(self) -> None:
        for role, v in (("input", self.input), ("output", self.output)):
            self.expect_dtype(role, v, "int8")
        self.expect_shape("output", self.output, self.shape(self.input))
        self.expect_dtype("table", self.table, self.TABLE_DTYPE)
        self.expect_shape("table", self.table, [256])


@operator_op(
    ("input", "table", "workspace"),
    {"output_scale": Scale, "output_zp": ZeroPoint},
    optional_last=True,
    quant={"input_scale": Scale, "input_zp": ZeroPoint},
)
class SoftmaxOp(OperatorOp):
    """TFLite int8 SOFTMAX along the last axis, as LiteRT's reference kernel
    computes it (TFLite's integer algorithm, gemmlowp fixed point):
    `table[i]` is exp((i − 255) · input_scale · beta) in Q0.31 (int32; 0
    below the reference's diff_min); per row, e = table[x − max + 255], the
    sum of e / 2^12 rounded (Q12.19), its fixed-point reciprocal, and
    out = round(reciprocal · e / 2^(35 − clz(sum) + 31)) + output_zp,
    saturated to int8 (kernels.softmax). TFLite requires output scale 1/256
    and zero point −128. The table is what Vela's NPU softmax looks up.

    For the NPU, `tir-legalize-npu` appends the int32 constants of the NPU
    sequence to the table (entries after the first 256; the result does not
    depend on them) and adds `workspace`, an int8 buffer the op may write
    (its int32 intermediates on the NPU): the memory planner places it like
    any buffer; its contents afterwards are unspecified.

    Example:
        tir.func @f(%x : !tir.buffer<1x10xi8>, %exp : !tir.buffer<256xi32>,
                    %y : !tir.buffer<1x10xi8>) {
          tir.softmax ins(%x, %exp : !tir.buffer<1x10xi8>, !tir.buffer<256xi32>)
              outs(%y : !tir.buffer<1x10xi8>)
              {output_scale = 0.00390625 : f32, output_zp = -128,
               input_scale = 0.1 : f32, input_zp = 0}
        }
    """

    traits = traits_def(FlattenedFeatureMaps())

    name = "tir.softmax"

    input = operand_def(BufferType)
    table = operand_def(BufferType)
    workspace = opt_operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        for role, v in (("input", self.input), ("output", self.output)):
            self.expect_dtype(role, v, "int8")
        self.expect_shape("output", self.output, self.shape(self.input))
        self.expect_dtype("table", self.table, self.TABLE_DTYPE)
        table = self.shape(self.table)
        if len(table) != 1 or table[0] < 256:
            raise VerifyException(
                f"table must have shape [n] with n >= 256, got {list(table)}"
            )
        if self.workspace is not None:
            self.expect_dtype("workspace", self.workspace, "int8")

    def macs(self) -> int:
        """Two per input element, as Vela counts its NPU softmax (the row
        maximum's pooling window and the sum over the channels)."""
        return 2 * self.buffer_type(self.input).num_elements

    def effects(self) -> Effects:
        """The input and table are read; the output and the workspace (an
        operand of `ins`, but only written) are written."""
        written = [self.output] + ([self.workspace] if self.workspace else [])
        return [(self.input, Effect.READ), (self.table, Effect.READ)] + [
            (v, Effect.WRITE) for v in written
        ]

    TABLE_DTYPE: ClassVar[str] = "int32"


SOFTMAX_INT16_TABLE = 2 * 513
"""Entries of `tir.softmax_int16`'s table: LiteRT's two 513-entry int16 LUTs."""


@operator_op(
    ("input", "table", "workspace"),
    {"input_multiplier": Int, "input_left_shift": Int},
    optional_last=True,
    quant={"input_scale": Scale, "output_scale": Scale},
)
class SoftmaxInt16Op(OperatorOp):
    """TFLite int16 SOFTMAX along the last axis (zero points 0), as LiteRT's
    `reference_ops::SoftmaxInt16` computes it (kernels.softmax_int16).

    `table` holds SoftmaxPrepare's two interpolated 513-entry int16 tables,
    exp on [-10, 0] then 1 / (1 + x) on [0, 1] (1026 entries); the
    difference of each element to its row maximum is scaled by
    `input_multiplier` / `input_left_shift` (QuantizeMultiplier of
    input_scale · beta · 65535 / 10) into the exp table's input, the row sum
    of exponentials normalized into the reciprocal table's, and each output
    is exp · reciprocal rounded to [0, 32767] (1.0 is 32768).

    For the NPU, `tir-legalize-npu` appends to the table what Vela's int16
    sequence needs (entries after the first 1026; the result does not
    depend on them: `npu_support.softmax_int16_npu_table`) and adds
    `workspace`, an int8 buffer the op may write (its intermediates on the
    NPU), placed by the memory planner; its contents afterwards are
    unspecified.

    Example:
        tir.func @f(%x : !tir.buffer<1x4xi16>, %t : !tir.buffer<1026xi16>,
                    %y : !tir.buffer<1x4xi16>) {
          tir.softmax_int16 ins(%x, %t : !tir.buffer<1x4xi16>,
              !tir.buffer<1026xi16>) outs(%y : !tir.buffer<1x4xi16>)
              {input_multiplier = 1717960704, input_left_shift = 0,
               input_scale = 0.0001 : f32, output_scale = 3.0517578125e-05 : f32}
        }
    """

    traits = traits_def(FlattenedFeatureMaps())

    name = "tir.softmax_int16"

    input = operand_def(BufferType)
    table = operand_def(BufferType)
    workspace = opt_operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        for role, v in (("input", self.input), ("output", self.output)):
            self.expect_dtype(role, v, "int16")
        self.expect_shape("output", self.output, self.shape(self.input))
        self.expect_dtype("table", self.table, "int16")
        table = self.shape(self.table)
        if len(table) != 1 or table[0] < SOFTMAX_INT16_TABLE:
            raise VerifyException(
                f"table must have shape [n] with n >= {SOFTMAX_INT16_TABLE}, "
                f"got {list(table)}"
            )
        if self.workspace is not None:
            self.expect_dtype("workspace", self.workspace, "int8")
        if not 0 <= self.input_multiplier < 2**31:
            raise VerifyException(
                f"input_multiplier {self.input_multiplier} is not a Q0.31 value"
            )
        if not -31 <= self.input_left_shift <= 30:
            raise VerifyException(
                f"input_left_shift {self.input_left_shift} is outside [-31, 30]"
            )

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        return {}  # beta is folded into the multiplier, not a property

    # as tir.softmax: two MACs an element (Vela's count), and the workspace
    # (an operand of `ins`, but only written) written
    macs = SoftmaxOp.macs
    effects = SoftmaxOp.effects


@operator_op(
    ("input", "table"),
    {},
    quant={
        "input_scale": Scale,
        "input_zp": ZeroPoint,
        "output_scale": Scale,
        "output_zp": ZeroPoint,
    },
)
class LogisticOp(_TableOp):
    """TFLite int8 LOGISTIC (sigmoid) through its 256-entry table:
    output = table[input + 128].

    Example:
        tir.func @f(%x : !tir.buffer<16xi8>, %sigmoid : !tir.buffer<256xi8>,
                    %y : !tir.buffer<16xi8>) {
          tir.logistic ins(%x, %sigmoid : !tir.buffer<16xi8>, !tir.buffer<256xi8>)
              outs(%y : !tir.buffer<16xi8>)
              {input_scale = 0.0625 : f32, input_zp = 0,
               output_scale = 0.00390625 : f32, output_zp = -128}
        }
    """

    traits = traits_def(Pointwise(), WholeFeatureMaps())

    name = "tir.logistic"


@operator_op(("input", "table"), {})
class LookupOp(_TableOp):
    """An int8 -> int8 function of each element given by its 256-entry int8
    table: output = table[input + 128]. What every int8 pointwise operator
    is (tir-tabulate makes it from any of them, the table their kernel on
    the 256 int8 values) and what the NPU runs as a table activation.

    Example:
        tir.func @f(%x : !tir.buffer<16xi8>, %t : !tir.buffer<256xi8>,
                    %y : !tir.buffer<16xi8>) {
          tir.lookup ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>)
              outs(%y : !tir.buffer<16xi8>)
        }
    """

    traits = traits_def(Pointwise(tabulated=True), WholeFeatureMaps())

    name = "tir.lookup"


@operator_op(
    ("input",),
    {
        "scale": Scale,
        "zero_point": ZeroPoint,
        "input_zp": ZeroPoint,
        "multiplier": Int,
        "shift": Int,
    },
    quant={"input_scale": Scale},
)
class RequantizeOp(_UnaryOp):
    """TFLite QUANTIZE from int8 or int16 to int8 or int16: rescales from the
    input quantization (`input_zp`) to the output's (`scale`, `zero_point`)
    with the fixed-point `multiplier`/`shift` of input_scale / scale.

    Example:
        tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi8>) {
          tir.requantize ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xi8>)
              {scale = 0.5 : f32, zero_point = -1, input_zp = 3,
               multiplier = 1073741824, shift = 1, input_scale = 0.5 : f32}
        }
    """

    traits = traits_def(Pointwise(), WholeFeatureMaps())

    name = "tir.requantize"

    def verify_(self) -> None:
        """int8 or int16 in and out (QUANTIZE int8 <-> int16 is one), one
        shape."""
        for role, v in (("input", self.input), ("output", self.output)):
            self.expect_dtype(role, v, "int8", "int16")
        self.expect_shape("output", self.output, self.shape(self.input))

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        m, s = rescale_integers(q["input_scale"], self.scale)
        return {"multiplier": m, "shift": s}


@operator_op(("input",), {"scale": Scale, "zero_point": ZeroPoint})
class QuantizeOp(OperatorOp):
    """TFLite QUANTIZE of float32 data: round(x / scale) + zero_point, saturated
    to int8.

    Example:
        tir.func @f(%x : !tir.buffer<8xf32>, %y : !tir.buffer<8xi8>) {
          tir.quantize ins(%x : !tir.buffer<8xf32>) outs(%y : !tir.buffer<8xi8>)
              {scale = 0.5 : f32, zero_point = -1}
        }
    """

    traits = traits_def(Elementwise())

    name = "tir.quantize"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        self.expect_dtype("input", self.input, "float32")
        self.expect_dtype("output", self.output, "int8")
        self.expect_shape("output", self.output, self.shape(self.input))


@operator_op(("input",), {"scale": Scale, "zero_point": ZeroPoint})
class DequantizeOp(OperatorOp):
    """TFLite DEQUANTIZE to float32: (x - zero_point) * scale.

    Example:
        tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xf32>) {
          tir.dequantize ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xf32>)
              {scale = 0.5 : f32, zero_point = -1}
        }
    """

    name = "tir.dequantize"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        self.expect_dtype("input", self.input, "int8")
        self.expect_dtype("output", self.output, "float32")
        self.expect_shape("output", self.output, self.shape(self.input))


@operator_op(("input",), {})
class CopyOp(OperatorOp):
    """Copies the input buffer into the output buffer, element by element in
    row-major order (TVM's ethosu_copy); shapes may differ if sizes agree.

    Example:
        tir.func @f(%x : !tir.buffer<2x8xi8>, %y : !tir.buffer<16xi8>) {
          tir.copy ins(%x : !tir.buffer<2x8xi8>) outs(%y : !tir.buffer<16xi8>)
        }
    """

    name = "tir.copy"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    traits = traits_def(CopyLike())

    def verify_(self) -> None:
        src, dst = self.buffer_type(self.input), self.buffer_type(self.output)
        if src.element_type != dst.element_type or src.num_elements != dst.num_elements:
            raise VerifyException(
                f"copy needs equal element types and sizes, got {src} and {dst}"
            )
