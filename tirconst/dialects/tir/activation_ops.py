"""TFLite activations and elementwise selections as tir operator ops: the
ReLU family, LEAKY_RELU, PRELU, HARD_SWISH, the lookup-table activations TANH,
EXP, LOG, GELU and ELU (as LOGISTIC), MAXIMUM and MINIMUM (see `operators`
for the conventions they share)."""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.irdl import operand_def, opt_operand_def, traits_def
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.elementwise_ops import _TableOp, _UnaryOp
from tirconst.dialects.tir.memory import Effect, Effects
from tirconst.dialects.tir.operators import (
    CLAMP,
    Float,
    Int,
    OperatorOp,
    Scale,
    ZeroPoint,
    operator_op,
)
from tirconst.dialects.tir.quantization import (
    hard_swish_integers,
    leaky_relu_integers,
    prelu_integers,
    relu_integers,
)
from tirconst.dialects.tir.traits import (
    Elementwise,
    Pointwise,
    PointwiseWhenUniform,
    RereadsOperand,
    WholeFeatureMaps,
)
from tirconst.dialects.tir.types import BufferType

_RELU = {
    "input_zp": ZeroPoint,
    "output_zp": ZeroPoint,
    "multiplier": Int,
    "shift": Int,
    **CLAMP,
}


@operator_op(("input",), _RELU, quant={"input_scale": Scale, "output_scale": Scale})
class ReluOp(_UnaryOp):
    """TFLite int8 RELU, RELU6, RELU_N1_TO_1 and RELU_0_TO_1 (ReluX):
    output = clamp(output_zp + MultiplyByQuantizedMultiplier(input - input_zp,
    multiplier, shift), act_min, act_max), the double-rounding fixed-point
    multiply (shift > 0 left). `multiplier`/`shift` are QuantizeMultiplier of
    input_scale / output_scale (float32 quotient); the clamp is
    output_zp + roundf(bound / output_scale) for the operator's real bounds
    (0/inf, 0/6, -1/1, 0/1), within int8.

    Example:
        tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi8>) {
          tir.relu ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xi8>)
              {input_zp = 3, output_zp = -128, multiplier = 1073741824,
               shift = 1, act_min = -128, act_max = 127,
               input_scale = 0.1 : f32, output_scale = 0.1 : f32}
        }
    """

    traits = traits_def(Pointwise())

    name = "tir.relu"

    def verify_(self) -> None:
        super().verify_()
        self.expect_clamp()

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        m, s = relu_integers(q["input_scale"], q["output_scale"])
        return {"multiplier": m, "shift": s}


_LEAKY = {
    "input_zp": ZeroPoint,
    "output_zp": ZeroPoint,
    "alpha_multiplier": Int,
    "alpha_shift": Int,
    "identity_multiplier": Int,
    "identity_shift": Int,
}


@operator_op(
    ("input",),
    _LEAKY,
    quant={"input_scale": Scale, "output_scale": Scale, "alpha": Float},
)
class LeakyReluOp(_UnaryOp):
    """TFLite int8 LEAKY_RELU (QuantizeLeakyRelu): with d = input - input_zp,
    output = output_zp + MultiplyByQuantizedMultiplier(d, identity_multiplier,
    identity_shift) for d >= 0, else with alpha_multiplier/alpha_shift,
    saturated to int8. The multipliers are QuantizeMultiplier of
    input_scale / output_scale and input_scale * alpha / output_scale
    (float32 arithmetic).

    Example:
        tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi8>) {
          tir.leaky_relu ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xi8>)
              {input_zp = 0, output_zp = 0, alpha_multiplier = 1717986944,
               alpha_shift = -2, identity_multiplier = 1073741824,
               identity_shift = 1}
        }
    """

    traits = traits_def(Pointwise())

    name = "tir.leaky_relu"

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        return leaky_relu_integers(q["input_scale"], q["alpha"], q["output_scale"])


_PRELU = {
    "input_zp": ZeroPoint,
    "alpha_zp": ZeroPoint,
    "output_zp": ZeroPoint,
    "identity_multiplier": Int,
    "identity_shift": Int,
    "alpha_multiplier": Int,
    "alpha_shift": Int,
}


@operator_op(
    ("input", "alpha", "workspace"),
    _PRELU,
    optional_last=True,
    quant={"input_scale": Scale, "alpha_scale": Scale, "output_scale": Scale},
)
class PreluOp(OperatorOp):
    """TFLite int8 PRELU, alpha broadcast against the input (numpy rules):
    with d = input - input_zp, output = output_zp +
    MultiplyByQuantizedMultiplier(d, identity_multiplier, identity_shift) for
    d >= 0, else MultiplyByQuantizedMultiplier(d * (alpha - alpha_zp),
    alpha_multiplier, alpha_shift), saturated to int8. The multipliers are
    QuantizeMultiplier of input_scale / output_scale and input_scale *
    alpha_scale / output_scale (float32 arithmetic).

    Example:
        tir.func @f(%x : !tir.buffer<1x2x2x3xi8>, %a : !tir.buffer<3xi8>,
                    %y : !tir.buffer<1x2x2x3xi8>) {
          tir.prelu ins(%x, %a : !tir.buffer<1x2x2x3xi8>, !tir.buffer<3xi8>)
              outs(%y : !tir.buffer<1x2x2x3xi8>)
              {input_zp = 0, alpha_zp = 0, output_zp = 0,
               identity_multiplier = 1073741824, identity_shift = 1,
               alpha_multiplier = 1073741824, alpha_shift = -6}
        }

    For the NPU, `tir-legalize-npu` adds `workspace`, an int8 buffer the op
    may write (the intermediates of its NPU sequence): the memory planner
    places it like any buffer; its contents afterwards are unspecified.
    """

    name = "tir.prelu"

    input = operand_def(BufferType)
    alpha = operand_def(BufferType)
    traits = traits_def(
        PointwiseWhenUniform(uniform=("alpha",)), RereadsOperand("alpha", "mul")
    )
    workspace = opt_operand_def(BufferType)
    output = operand_def(BufferType)

    def effects(self) -> Effects:
        """input and alpha are read; the output and the workspace (an
        operand of `ins`, but only written) are written."""
        written = [self.output] + ([self.workspace] if self.workspace else [])
        return [(self.input, Effect.READ), (self.alpha, Effect.READ)] + [
            (v, Effect.WRITE) for v in written
        ]

    def verify_(self) -> None:
        for role, v in (
            ("input", self.input),
            ("alpha", self.alpha),
            ("output", self.output),
        ):
            self.expect_dtype(role, v, "int8")
        if self.workspace is not None:
            self.expect_dtype("workspace", self.workspace, "int8")
        try:
            shape = np.broadcast_shapes(self.shape(self.input), self.shape(self.alpha))
        except ValueError:
            shape = None
        if shape != self.shape(self.input):
            raise VerifyException(
                f"alpha {list(self.shape(self.alpha))} must broadcast to the input "
                f"{list(self.shape(self.input))}"
            )
        self.expect_shape("output", self.output, self.shape(self.input))

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        return prelu_integers(q["input_scale"], q["alpha_scale"], q["output_scale"])


_HARD_SWISH = {
    "input_zp": ZeroPoint,
    "output_zp": ZeroPoint,
    "output_multiplier": Int,
    "output_shift": Int,
    "reluish_multiplier": Int,
    "reluish_shift": Int,
}


@operator_op(
    ("input",), _HARD_SWISH, quant={"input_scale": Scale, "output_scale": Scale}
)
class HardSwishOp(_UnaryOp):
    """TFLite int8 HARD_SWISH, x * relu6(x + 3) / 6, in TFLite's 16-bit fixed
    point (reference_ops::HardSwish): v = (input - input_zp) * 128 (int16);
    p = SaturatingRoundingDoublingHighMul16(v, output_multiplier); the
    "reluish" factor r = v rescaled by reluish_multiplier * 2^reluish_shift
    with saturating left shifts (all but the last bit before the multiply) or
    a rounding right shift, mapped from [-1, 1] to [0, 1] as (r + 2^15) >> 1;
    output = RoundingDivideByPOT(SaturatingDoublingHighMul16(r, p),
    -output_shift) + output_zp, saturated to int8. The Q15 multipliers are
    QuantizeMultiplier of (input_scale / 128) / output_scale and of
    (input_scale / 128) / (3 / 32768), rounded to 16 bits; output_shift <= 0.

    Example:
        tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi8>) {
          tir.hard_swish ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xi8>)
              {input_zp = 0, output_zp = 0, output_multiplier = 16384,
               output_shift = -6, reluish_multiplier = 21845,
               reluish_shift = -5}
        }
    """

    traits = traits_def(Pointwise())

    name = "tir.hard_swish"

    def verify_(self) -> None:
        super().verify_()
        if self.output_shift > 0:
            raise VerifyException(f"output_shift {self.p('output_shift')} must be <= 0")
        for name in ("output_multiplier", "reluish_multiplier"):
            if not 0 <= self.p(name) < 2**15:
                raise VerifyException(f"{name} must be a Q15 value in [0, 2^15)")

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        return hard_swish_integers(q["input_scale"], q["output_scale"])


_LUT_QUANT = {
    "input_scale": Scale,
    "input_zp": ZeroPoint,
    "output_scale": Scale,
    "output_zp": ZeroPoint,
}


@operator_op(("input", "table"), {}, quant=_LUT_QUANT)
class TanhOp(_TableOp):
    """TFLite int8 TANH through its 256-entry table: output = table[input +
    128], where table[i] = clamp(round(tanhf(input_scale * (i - 128 -
    input_zp)) / output_scale) + output_zp) in float32 (LiteRT's int8 TANH,
    also under the reference resolver, is this table).

    Example:
        tir.func @f(%x : !tir.buffer<16xi8>, %tanh : !tir.buffer<256xi8>,
                    %y : !tir.buffer<16xi8>) {
          tir.tanh ins(%x, %tanh : !tir.buffer<16xi8>, !tir.buffer<256xi8>)
              outs(%y : !tir.buffer<16xi8>)
              {input_scale = 0.0625 : f32, input_zp = 0,
               output_scale = 0.0078125 : f32, output_zp = 0}
        }
    """

    traits = traits_def(Pointwise())

    name = "tir.tanh"


@operator_op(("input", "table"), {}, quant=_LUT_QUANT)
class ExpOp(_TableOp):
    """TFLite int8 EXP through its 256-entry table: output = table[input +
    128], table[i] = clamp(round(expf(input_scale * (i - 128 - input_zp)) /
    output_scale) + output_zp) in float32 (exp.cc's LUTPopulate).

    Example:
        tir.func @f(%x : !tir.buffer<16xi8>, %t : !tir.buffer<256xi8>,
                    %y : !tir.buffer<16xi8>) {
          tir.exp ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>)
              outs(%y : !tir.buffer<16xi8>)
        }
    """

    traits = traits_def(Pointwise())

    name = "tir.exp"


@operator_op(("input", "table"), {}, quant=_LUT_QUANT)
class LogOp(_TableOp):
    """TFLite int8 LOG through its 256-entry table of logf, built as
    `tir.exp`'s.

    Example:
        tir.func @f(%x : !tir.buffer<16xi8>, %t : !tir.buffer<256xi8>,
                    %y : !tir.buffer<16xi8>) {
          tir.log ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>)
              outs(%y : !tir.buffer<16xi8>)
        }
    """

    traits = traits_def(Pointwise())

    name = "tir.log"


@operator_op(("input", "table"), {}, quant=_LUT_QUANT)
class GeluOp(_TableOp):
    """TFLite int8 GELU through its 256-entry table of 0.5 x (1 + erf(x /
    sqrt 2)) (or, for the operator's `approximate` option, the tanh form),
    in float32 as reference_ops::GeluTransform computes it, built as
    `tir.exp`'s.

    Example:
        tir.func @f(%x : !tir.buffer<16xi8>, %t : !tir.buffer<256xi8>,
                    %y : !tir.buffer<16xi8>) {
          tir.gelu ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>)
              outs(%y : !tir.buffer<16xi8>)
        }
    """

    traits = traits_def(Pointwise())

    name = "tir.gelu"


@operator_op(("input", "table"), {}, quant=_LUT_QUANT)
class EluOp(_TableOp):
    """TFLite int8 ELU through its 256-entry table: output = table[input +
    128], table[i] = clamp(round(f(input_scale * (i - 128 - input_zp)) /
    output_scale) + output_zp) in float32 with f(x) = expm1f(x) for x < 0,
    x otherwise (EluPrepare's LUTPopulate), built as `tir.exp`'s. LiteRT's
    reference resolver (BUILTIN_REF) registers no ELU: the oracle is its
    default (optimized) kernel, which is this table.

    Example:
        tir.func @f(%x : !tir.buffer<16xi8>, %t : !tir.buffer<256xi8>,
                    %y : !tir.buffer<16xi8>) {
          tir.elu ins(%x, %t : !tir.buffer<16xi8>, !tir.buffer<256xi8>)
              outs(%y : !tir.buffer<16xi8>)
        }
    """

    traits = traits_def(Pointwise())

    name = "tir.elu"


class _MinMaxOp(OperatorOp):
    lhs = operand_def(BufferType)
    rhs = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        for role, v in (("lhs", self.lhs), ("rhs", self.rhs), ("output", self.output)):
            self.expect_dtype(role, v, "int8", "int16")
        if len({str(self.buffer_type(v).dtype) for v in self.operands}) != 1:
            raise VerifyException("operands must have one element type")
        try:
            shape = np.broadcast_shapes(self.shape(self.lhs), self.shape(self.rhs))
        except ValueError:
            raise VerifyException(
                f"shapes {list(self.shape(self.lhs))} and {list(self.shape(self.rhs))} "
                "do not broadcast"
            ) from None
        self.expect_shape("output", self.output, shape)


_MIN_MAX_QUANT = {
    "lhs_scale": Scale,
    "lhs_zp": ZeroPoint,
    "rhs_scale": Scale,
    "rhs_zp": ZeroPoint,
    "output_scale": Scale,
    "output_zp": ZeroPoint,
}


@operator_op(("lhs", "rhs"), {}, quant=_MIN_MAX_QUANT)
class MaximumOp(_MinMaxOp):
    """TFLite MAXIMUM: the elementwise larger of the two quantized values
    (numpy broadcasting), compared as stored, no rescaling (LiteRT's kernel
    compares raw values). The optional quantization (int8 operands' and
    output's scales and zero points) says whether that is also the larger
    real value: the NPU runs the op when all three are equal.

    Example:
        tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>,
                    %y : !tir.buffer<2x3xi8>) {
          tir.maximum ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>)
              outs(%y : !tir.buffer<2x3xi8>)
        }
    """

    traits = traits_def(Elementwise(("lhs", "rhs"), "max"), WholeFeatureMaps())

    name = "tir.maximum"


@operator_op(("lhs", "rhs"), {}, quant=_MIN_MAX_QUANT)
class MinimumOp(_MinMaxOp):
    """TFLite MINIMUM: as `tir.maximum`, the smaller value.

    Example:
        tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>,
                    %y : !tir.buffer<2x3xi8>) {
          tir.minimum ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>)
              outs(%y : !tir.buffer<2x3xi8>)
        }
    """

    traits = traits_def(Elementwise(("lhs", "rhs"), "min"), WholeFeatureMaps())

    name = "tir.minimum"
