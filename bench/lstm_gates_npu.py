"""Feasibility of an exact NPU form of the integer LSTM's gate functions.

LiteRT's integer LSTM (tirconst/kernels/lstm.py) computes its gates with
gemmlowp's int16 fixed point: logistic of Q3.12 and tanh of Q(k).(15-k),
k = 0..6, to Q0.15. This script writes each as a sequence of Ethos-U
elementwise ops (npu.elementwise: add, sub, mul, min, max, shl, shr with
int16 feature maps, OFM scale, zero point, rounding mode and clamp), runs the
stream in the npu interpreter on all 65536 int16 inputs and compares with
`sigmoid_q3_12` / `tanh_int16`:

    python bench/lstm_gates_npu.py

prints, per function, the op count and the number of inputs that differ.
Measured: logistic 76 ops, tanh of Q0..Q6 60, 67, 74, 81, 88, 90, 90 ops,
each equal on all 65536 inputs (also after the round trip through Vela's
register writer and tirconst-disasm: tests/test_lstm_gates_npu.py). The
count does not depend on the vector's length: one sequence serves every
gate of a step laid out side by side.

How the gemmlowp primitives map (every intermediate an int16 map, so the OFM
saturates as gemmlowp's saturating ops do):

- SaturatingRoundingDoublingHighMul(a, b): MUL, OFM scale (1, 15), natural
  rounding. gemmlowp's nudge (2^14, or 1 - 2^14 for a negative product) then
  a division toward zero rounds half toward +inf for either sign, which is
  natural rounding; (-32768)^2 saturates to 32767 in the int16 OFM.
- RoundingDivideByPOT: SHR with TFL rounding (half away from zero).
- SaturatingRoundingMultiplyByPOT with a positive exponent: SHL (the OFM
  saturates), an added constant as the OFM zero point.
- the constant term of an affine step (c + SRDHM(a, b)): the MUL's OFM zero
  point (the sum saturates as gemmlowp's SaturatingAdd does).
- RoundingHalfSum(a, One): ADD, OFM scale (1, 1), natural rounding.
- masks and selects: the barrel shifter's `SelectUsingMask(bit, a·c, a)` is
  MIN(a, a·c + 32767·(1 − bit)) (a·c <= a since c < 1 and a >= 0); the bit
  of the remainder from truncating SHRs of the complemented quarter count;
  the sign selects are MULs by a sign map made by one op's clamp.
"""

from __future__ import annotations

import argparse
import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from xdsl.dialects.builtin import (
    DenseArrayBase,
    FloatAttr,
    StringAttr,
    UnitAttr,
    f64,
    i64,
)

from tirconst.dialects.npu import ActivationAttr, ElementwiseOp, FeatureMapAttr
from tirconst.dialects.npu.build import StreamBuilder
from tirconst.dialects.npu.vela_api import pick_block_config
from tirconst.interpreter.npu import run_stream
from tirconst.kernels.fixedpoint import rounding_divide_by_pot
from tirconst.kernels.lstm import sigmoid_q3_12, tanh_int16

EVERY = np.arange(-32768, 32768).astype(np.int16).reshape(1, 64, 64, 16)
"""Every int16 value, as a feature map."""

Operand = FeatureMapAttr | int
_BARREL = (  # exp(-1/4 · 2^e) in Q0.31, e = -2..4 (gemmlowp)
    1672461947,
    1302514674,
    790015084,
    290630308,
    39332535,
    720401,
    242,
)


def _q15(raw32: int) -> int:
    """gemmlowp's RescaleConstantInitializer: a Q0.31 constant to 16 bits."""
    return int(rounding_divide_by_pot(np.int64(raw32), 16))


@dataclass
class Emitter:
    """Appends int16 elementwise ops over one shape to a StreamBuilder, each
    into a fresh scratch map."""

    builder: StreamBuilder
    shape: tuple[int, int, int]
    ops: list[ElementwiseOp] = field(default_factory=list)

    def op(
        self,
        kind: str,
        a: FeatureMapAttr,
        b: Operand,
        *,
        scale: tuple[int, int] = (1, 0),
        rounding: str = "tfl",
        zero_point: int = 0,
        clamp: tuple[int, int] | None = None,
        reverse: bool = False,
    ) -> FeatureMapAttr:
        """`a kind b` (b an int: a scalar IFM2; `reverse`: `b kind a`),
        times `scale`, rounded, plus `zero_point`, clamped to `clamp`."""
        out = self.builder.scratch_map(self.shape, "int16", zero_point=zero_point)
        props: dict = {
            "op_type": StringAttr(kind),
            "ifm": a,
            "ofm": out,
            "block_config": DenseArrayBase.from_list(i64, [1, 1, 8]),
            "ofm_scale": DenseArrayBase.from_list(i64, list(scale)),
            "rounding_mode": StringAttr(rounding),
        }
        if isinstance(b, int):
            props["ifm2"] = FeatureMapAttr.make(
                dtype="int16", shape=(1, 1, 1), region=a.region, address=0
            )
            props["ifm2_scalar"] = FloatAttr(float(b), f64)
        else:
            props["ifm2"] = b
        if kind in ("add", "sub"):
            props["operand_scales"] = DenseArrayBase.from_list(i64, [1, 0, 1, 0])
        if reverse:
            props["reversed_operands"] = UnitAttr()
        if clamp is not None:  # real bounds, re-quantized with the OFM zero point
            lo, hi = clamp
            props["activation"] = ActivationAttr.make(
                kind="clamp", min=float(lo - zero_point), max=float(hi - zero_point)
            )
        op = ElementwiseOp.create(properties=props)
        with contextlib.redirect_stdout(io.StringIO()):  # Vela's config warnings
            config = pick_block_config(op, self.builder.accelerator)
        op.properties["block_config"] = DenseArrayBase.from_list(i64, list(config))
        self.builder.add(op)
        self.ops.append(op)
        # read back as plain integers (a reader would take the zero point off)
        return FeatureMapAttr.make(
            dtype="int16", shape=self.shape, region=out.region, address=out.address
        )

    # gemmlowp's primitives
    def srdhm(self, a: FeatureMapAttr, b: Operand, plus: int = 0) -> FeatureMapAttr:
        """plus + SaturatingRoundingDoublingHighMul(a, b), saturated."""
        return self.op("mul", a, b, scale=(1, 15), rounding="natural", zero_point=plus)

    def add(self, a: FeatureMapAttr, b: Operand) -> FeatureMapAttr:
        return self.op("add", a, b)

    def shl(self, a: FeatureMapAttr, bits: int, plus: int = 0) -> FeatureMapAttr:
        """plus + SaturatingRoundingMultiplyByPOT<bits>(a), saturated."""
        return self.op("shl", a, bits, zero_point=plus)


def exp_on_negative_values(em: Emitter, a: FeatureMapAttr, k: int) -> FeatureMapAttr:
    """gemmlowp's exp_on_negative_values of the Q(k).(15-k) value -|a|
    (min(a, -a) with gemmlowp's wrap at -32768), Q0.15."""
    frac = 15 - k
    s = frac - 2  # a quarter is 2^s
    # P = -(n + 1) with n = -|a|: max(-1 - a, a - 1), no wrap at -32768
    p = em.op("max", em.op("sub", a, -1, reverse=True), em.op("sub", a, 1))
    g = em.op("shr", p, s, rounding="truncate")  # quarters in the remainder
    a_mod_plus_1 = em.op("sub", em.shl(g, s), p)  # a_mod + 1, in [1 - 2^s, 0]
    # exp_on_interval_between_negative_one_quarter_and_0_excl
    x = em.shl(a_mod_plus_1, k, plus=(1 << 12) - (1 << k))
    x2 = em.srdhm(x, x)
    x3 = em.srdhm(x2, x)
    x4 = em.srdhm(x2, x2)
    x4_over_4 = em.op("shr", x4, 2)
    poly_third = em.srdhm(em.add(x4_over_4, x3), _q15(715827883))
    poly = em.op("add", poly_third, x2, scale=(1, 1), rounding="natural")  # >= 0
    constant_term = _q15(1895147668)
    result = em.srdhm(em.add(x, poly), constant_term, plus=constant_term)
    # the barrel shifter over the bits of the quarter count g
    multipliers = _BARREL[: min(k + 2, len(_BARREL))]  # exponents -2.. below k
    high = em.op("sub", g, (1 << len(multipliers)) - 1, reverse=True)  # bits of ~g
    for multiplier in multipliers:
        low = high
        high = em.op("shr", low, 1, rounding="truncate")
        not_bit = em.op("sub", em.op("sub", low, high), high)
        keep = em.shl(not_bit, 15)  # 32767 where the bit is clear
        scaled = em.srdhm(result, _q15(multiplier))
        result = em.op("min", result, em.add(scaled, keep))
    if k > 5:
        clamp = _q15(-(1 << (36 - k)))  # a < clamp -> 0; a = -1 - p
        mask = em.op("sub", p, -clamp - 1, reverse=True, clamp=(0, 1))
        result = em.op("mul", result, mask)
    # a == 0 (p == -1) -> One
    one = em.op("mul", p, -32767, clamp=(0, 32767))
    return em.op("max", result, one)


def _newton_reciprocal_half(em: Emitter, e: FeatureMapAttr) -> FeatureMapAttr:
    """1 / ((1 + e) / 2) in Q2.13: RoundingHalfSum with One, then gemmlowp's
    three Newton-Raphson steps."""
    # RoundingHalfSum(e, One): e + 32767 >= 0, so half up is gemmlowp's rounding
    half = em.op("add", e, 32767, scale=(1, 1), rounding="natural")
    x = em.srdhm(half, _q15(-1010580540), plus=_q15(1515870810))
    for _ in range(3):
        t = em.op("sub", em.srdhm(half, x), 1 << 13, reverse=True)
        x = em.add(x, em.shl(em.srdhm(x, t), 2))
    return x


def logistic_q3_12(em: Emitter, a: FeatureMapAttr) -> FeatureMapAttr:
    """gemmlowp::logistic of Q3.12 raw values, Q0.15."""
    e = exp_on_negative_values(em, a, 3)
    positive = em.shl(_newton_reciprocal_half(em, e), 1)  # 1 / (1 + e)
    sign = em.op("mul", a, 2, zero_point=1, clamp=(-1, 1))  # a >= 0: 1, else -1
    signed = em.op("mul", positive, sign)
    # a < 0: One - positive. a == 0: gemmlowp returns a half, 16384, while
    # its Newton steps give 1 / (1 + One) = 16380: 4 more there.
    complement = em.op("mul", a, -32767, zero_point=4, clamp=(0, 32767))
    return em.add(signed, complement)


def tanh_q(em: Emitter, a: FeatureMapAttr, integer_bits: int) -> FeatureMapAttr:
    """gemmlowp::tanh of Q(integer_bits) raw values, Q0.15."""
    e = exp_on_negative_values(em, a, integer_bits + 1)
    x = _newton_reciprocal_half(em, e)
    magnitude = em.shl(x, 2, plus=-(1 << 15))  # (1 - e) / (1 + e)
    sign = em.op("mul", a, 1, clamp=(-1, 1))
    return em.op("mul", magnitude, sign)


FUNCTIONS: dict[str, tuple[Callable, Callable]] = {
    "logistic_q3_12": (logistic_q3_12, sigmoid_q3_12),
    **{
        f"tanh_q{k}": (
            lambda em, a, k=k: tanh_q(em, a, k),
            lambda x, k=k: tanh_int16(x, k),
        )
        for k in range(7)
    },
}


def stream(name: str):  # type: ignore[no-untyped-def]
    """The command stream of FUNCTIONS[name] over EVERY's shape, and its
    op count."""
    b = StreamBuilder()
    shape = EVERY.shape[1:]
    x = b.tensor("x", "input", EVERY.shape, "int16")
    y = b.tensor("y", "output", EVERY.shape, "int16")
    em = Emitter(b, shape)
    result = FUNCTIONS[name][0](em, x)
    em.op("add", result, 0)  # the result into the output tensor
    em.ops[-1].properties["ofm"] = y
    return b.module(), len(em.ops) - 1  # not counting the copy


def mismatches(name: str) -> tuple[int, int, np.ndarray]:
    """(op count, differing inputs, the first of them)."""
    module, count = stream(name)
    module.verify()
    got = run_stream(module, {"x": EVERY})["y"].reshape(-1)
    want = FUNCTIONS[name][1](EVERY.reshape(-1).astype(np.int64))
    wrong = np.flatnonzero(got != want)
    return count, wrong.size, EVERY.reshape(-1)[wrong[:8]]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", default=list(FUNCTIONS))
    args = p.parse_args(argv)
    bad = 0
    for name in args.names:
        count, wrong, first = mismatches(name)
        bad += wrong
        print(f"{name:16} {count:4d} ops  {wrong:6d} of 65536 differ  {first}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
