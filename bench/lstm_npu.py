"""Feasibility of an exact NPU form of the int8 UNIDIRECTIONAL_SEQUENCE_LSTM.

LiteRT's integer LSTM (tirconst/kernels/lstm.py) computes its gates with
gemmlowp's int16 fixed point: logistic of Q3.12 and tanh of Q(k).(15-k),
k = 0..6, to Q0.15. This script writes each as a sequence of Ethos-U
elementwise ops (npu.elementwise: add, sub, mul, min, max, shl, shr with
int16 feature maps, OFM scale, zero point, rounding mode and clamp), runs it
in the npu interpreter on all 65536 int16 inputs and compares with
`sigmoid_q3_12` / `tanh_int16`; then the whole LSTM of a model as one
command stream (`lstm_stream`: gate matmuls as 1x1 convs to int16, the time
loop unrolled) against the kernel on a random input:

    python bench/lstm_npu.py [--models M.tflite ...]

prints, per function, the op count and the inputs that differ; per LSTM of
the models (default: the bundled LSTM models), NPU ops, the performance
model's cycles and the outputs that differ.

Measured (U55-128, Ethos_U55_High_End_Embedded / Shared_Sram): logistic 76
ops, tanh of Q0..Q6 60, 67, 74, 81, 88, 90, 90 ops, each equal on all 65536
inputs, also after the round trip through Vela's register writer and
tirconst-disasm (tests/test_lstm_npu.py). The count does not depend on the
vector's length: one logistic serves the input, forget and output gates of
a step laid out side by side. models/networks/lstm.tflite (49 steps, 32
cells): 11022 NPU ops, 838712 cycles (1.68 ms), every output equal; Vela
5.2 unrolls it into 1109 ops of 492587 cycles (its summary), not LiteRT's
arithmetic. models/lstm/*: 1572, 2148, 2697 + 2013 ops, equal.

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
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseArrayBase,
    FloatAttr,
    StringAttr,
    UnitAttr,
    f64,
    i64,
)

from tirconst.analysis.performance import estimate
from tirconst.dialects.npu import (
    ActivationAttr,
    AddressRangeAttr,
    Conv2DOp,
    ElementwiseOp,
    FeatureMapAttr,
    KernelAttr,
    PaddingAttr,
)
from tirconst.dialects.npu.build import StreamBuilder
from tirconst.dialects.npu.ops import BlockOp
from tirconst.dialects.npu.vela_api import pick_block_config
from tirconst.formats.ethos_u import WeightEncoding
from tirconst.formats.tflite.reader import TFLiteModel, TFLiteOperator, read_tflite
from tirconst.frontend.operator_table import op_params
from tirconst.interpreter.npu import run_stream
from tirconst.kernels.fixedpoint import (
    multiply_by_quantized_multiplier,
    rounding_divide_by_pot,
)
from tirconst.kernels.lstm import sequence_lstm, sigmoid_q3_12, tanh_int16

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
    """Appends elementwise ops to a StreamBuilder, each into a fresh scratch
    map of the first operand's shape (int16 unless told)."""

    builder: StreamBuilder
    ops: list[BlockOp] = field(default_factory=list)

    def add_op(self, op: BlockOp, depth: int | None = None) -> None:
        """Append `op` with the largest block config Vela accepts."""
        with contextlib.redirect_stdout(io.StringIO()):  # Vela's config warnings
            config = pick_block_config(op, self.builder.accelerator, depth)
        op.properties["block_config"] = DenseArrayBase.from_list(i64, list(config))
        self.builder.add(op)
        self.ops.append(op)

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
        dtype: str = "int16",
        out: FeatureMapAttr | None = None,
    ) -> FeatureMapAttr:
        """`a kind b` (b an int: a scalar IFM2; `reverse`: `b kind a`),
        times `scale`, rounded, plus `zero_point`, clamped to `clamp`, into
        `out` or a fresh map of `dtype`; the result read as plain integers."""
        if out is None:
            out = self.builder.scratch_map(a.shape, dtype, zero_point=zero_point)
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
                dtype=a.dtype, shape=(1, 1, 1), region=a.region, address=0
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
        self.add_op(ElementwiseOp.create(properties=props))
        # read back as plain integers (a reader would take the zero point off)
        return FeatureMapAttr.make(
            dtype=out.dtype, shape=out.shape, region=out.region,
            address=out.address, strides=out.strides,
        )  # fmt: skip

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


ORDER = (0, 1, 3, 2)
"""The gates' channel order in the NPU maps: input, forget, output (the
logistic ones, side by side), then cell (tanh)."""


def _fc(
    em: Emitter,
    ifm: FeatureMapAttr,
    w: np.ndarray,
    bias: np.ndarray,
    multiplier: np.ndarray,
    shift: np.ndarray,
    ofm: FeatureMapAttr,
) -> None:
    """ofm = sat16(MBQM(w @ (ifm - zp) + bias)): a 1x1 conv, per channel,
    its weights encoded for the block depth of the largest block config."""
    b = em.builder
    ohwi = w.reshape(w.shape[0], 1, 1, w.shape[1])
    props = {
        "ifm": ifm,
        "ofm": ofm,
        "kernel": KernelAttr.make(size=(1, 1)),
        "padding": PaddingAttr.make(pad=(0, 0, 0, 0)),
        "block_config": DenseArrayBase.from_list(i64, [1, 1, 16]),
        "weights": ArrayAttr([AddressRangeAttr.make(region=0, address=0, length=16)]),
        "biases": ArrayAttr([b.biases(bias, multiplier, [31 - int(v) for v in shift])]),
        "block_traversal": StringAttr("depth_first"),
    }
    with contextlib.redirect_stdout(io.StringIO()):  # Vela's config warnings
        depth = pick_block_config(Conv2DOp.create(properties=props), b.accelerator)[2]
    enc = WeightEncoding(b.accelerator, depth, "depth_first", 1, 1, False, ohwi.shape)
    props["weights"] = ArrayAttr([b.weights(ohwi, enc)])
    em.add_op(Conv2DOp.create(properties=props), depth=depth)


def recurrent_bound(w_rec: np.ndarray, multiplier, shift, p: dict) -> int:
    """The largest |MBQM(W_h @ (h - output_state_zp))| a hidden state can
    give (multiplier and shift per row of W_h; `p` the op's parameters): h
    is the initial zero point or sat8(MBQM(o·t) + hidden_zp) with o in
    [0, 32767] and t in [-32768, 32767]. The recurrent term's int16 map
    saturates only beyond 32767, where LiteRT adds the unsaturated term to
    the saturated input term."""
    state_zp = p["output_state_zp"]
    hidden = multiply_by_quantized_multiplier(
        np.int64(32767 * 32768), p["hidden_multiplier"], p["hidden_shift"]
    )
    reach = min(
        max(abs(-128 - state_zp), abs(127 - state_zp)),
        int(hidden) + abs(p["hidden_zp"] - state_zp),
    )
    acc = np.abs(w_rec.astype(np.int64)).sum(axis=1) * reach
    m, s = np.asarray(multiplier, np.int64), np.asarray(shift, np.int64)
    return int(np.abs(multiply_by_quantized_multiplier(acc, m, s)).max())


RECURRENT_LIMIT = 32767
"""The stream is exact when `recurrent_bound` is at most this."""


def _view(fm: FeatureMapAttr, channels: tuple[int, int], rows: int, **extra):  # type: ignore[no-untyped-def]
    """Channels [lo, hi) of a (rows, 1, C) map, as a strided view."""
    lo, hi = channels
    e = fm.element_size
    row = fm.byte_strides()[0]
    return FeatureMapAttr.make(
        dtype=fm.dtype, shape=(rows, 1, hi - lo), region=fm.region,
        address=fm.address + lo * e, strides=(row, row, e), **extra,
    )  # fmt: skip


def lstm_stream(model: TFLiteModel, op: TFLiteOperator):  # type: ignore[no-untyped-def]
    """The command stream of one int8 UNIDIRECTIONAL_SEQUENCE_LSTM, the time
    loop unrolled: the input terms of every step as one 1x1 conv to int16;
    per step the recurrent term (a 1x1 conv of the previous output step),
    their saturated int16 sum, the logistic of the input, forget and output
    gates and the tanh of the cell gate (one sequence each), the cell update
    rdpot(f·c, 15) + rdpot(i·g, 30 + cell_log2) (int32 products, TFL shr,
    the int16 wrap LiteRT has when that shift is below 15), the clip, tanh of
    the cell and the hidden state MBQM(o·tanh(c)) + zp to int8 straight into
    the output. Returns (module, op count)."""
    p = op_params(model, op)
    t = [model.tensor(i) for i in op.inputs]
    x_t = t[0]
    w_in = [t[1 + g].data for g in ORDER]
    w_rec = [t[5 + g].data for g in ORDER]
    bias = np.concatenate([t[12 + g].data for g in ORDER])
    n = w_in[0].shape[0]
    mult = np.repeat([p["multiplier"][g] for g in ORDER], n)
    mult_rec = np.repeat([p["multiplier"][4 + g] for g in ORDER], n)
    shift = np.repeat([p["shift"][g] for g in ORDER], n)
    shift_rec = np.repeat([p["shift"][4 + g] for g in ORDER], n)
    bound = recurrent_bound(np.concatenate(w_rec), mult_rec, shift_rec, p)
    if bound > RECURRENT_LIMIT:
        raise ValueError(f"the recurrent term reaches {bound}: its int16 map saturates")
    tm = p["time_major"]
    steps, batch = x_t.shape[:2] if tm else x_t.shape[1::-1]
    b = StreamBuilder()
    em = Emitter(b)
    x = b.tensor("x", "input", (1, *x_t.shape), "int8", zero_point=p["input_zp"])
    y = b.tensor("y", "output", (1, *x_t.shape[:2], n), "int8")

    def at(fm: FeatureMapAttr, step: int, zero_point: int = 0) -> FeatureMapAttr:
        """Step `step` of a (.., .., C) sequence map: (batch, 1, C)."""
        e, c = fm.element_size, fm.shape[2]
        rows = (c * e, c * e, e) if tm else (steps * c * e, c * e, e)
        return FeatureMapAttr.make(
            dtype=fm.dtype, shape=(batch, 1, c), region=fm.region,
            address=fm.address + step * c * e * (batch if tm else 1),
            strides=rows, zero_point=zero_point,
        )  # fmt: skip

    terms = b.scratch_map((*x_t.shape[:2], 4 * n), "int16")
    _fc(em, x, np.concatenate(w_in), bias, mult, shift, terms)
    cell_shift = 30 + p["cell_scale_log2"]
    clip = p["cell_clip"]
    clamp = (-clip, clip) if clip > 0 else None
    tanh_bits = 15 + p["cell_scale_log2"]
    c = None
    for step in range(steps):
        gates = at(terms, step)
        if step:
            rec = b.scratch_map((batch, 1, 4 * n), "int16")
            h = at(y, step - 1, p["output_state_zp"])
            zeros = np.zeros(4 * n, np.int64)
            _fc(em, h, np.concatenate(w_rec), zeros, mult_rec, shift_rec, rec)
            gates = em.op("add", gates, rec)
        sig = logistic_q3_12(em, _view(gates, (0, 3 * n), batch))
        i, f, o = (_view(sig, (k * n, (k + 1) * n), batch) for k in range(3))
        g = tanh_q(em, _view(gates, (3 * n, 4 * n), batch), 3)
        ig = em.op("mul", i, g, dtype="int32")
        update = em.op(
            "shr", ig, cell_shift, dtype="int32" if cell_shift < 15 else "int16"
        )
        if cell_shift < 15:  # LiteRT's int16 conversion wraps
            wraps = em.op("shr", update, 16, rounding="natural", dtype="int32")
            update = em.op("sub", update, em.op("shl", wraps, 16, dtype="int32"))
        if c is None:
            c = em.op("add", update, 0, clamp=clamp)
        else:
            fc = em.op("shr", em.op("mul", f, c, dtype="int32"), 15)
            c = em.op("add", fc, update, clamp=clamp)
        tc = tanh_q(em, c, tanh_bits) if 0 <= tanh_bits <= 6 else i
        em.op(
            "mul", o, tc, scale=(p["hidden_multiplier"], 31 - p["hidden_shift"]),
            out=at(y, step, p["hidden_zp"]),
        )  # fmt: skip
    return b.module(), len(em.ops)


def lstm_check(path: Path, seed: int = 0) -> list[tuple[int, float, int, int]]:
    """Per LSTM of the model: (NPU ops, estimated cycles, differing outputs,
    outputs) of `lstm_stream` on a random input against LiteRT's kernel
    (tirconst.kernels.lstm.sequence_lstm)."""
    model = read_tflite(path)
    rng = np.random.default_rng(seed)
    rows = []
    for op in model.operators:
        if not op.opcode.endswith("SEQUENCE_LSTM"):
            continue
        module, count = lstm_stream(model, op)
        module.verify()
        t = [model.tensor(i) for i in op.inputs]
        x = rng.integers(-128, 128, t[0].shape).astype(np.int8)
        got = run_stream(module, {"x": x[None]})["y"].reshape(-1)
        args = [t[i].data for i in (*range(1, 9), *range(12, 16))]
        want = sequence_lstm(x, *args, **op_params(model, op)).reshape(-1)
        cycles = estimate(module).cycles
        rows.append((count, cycles, int(np.count_nonzero(got != want)), got.size))
    return rows


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
    x = b.tensor("x", "input", EVERY.shape, "int16")
    y = b.tensor("y", "output", EVERY.shape, "int16")
    em = Emitter(b)
    result = FUNCTIONS[name][0](em, x)
    em.op("add", result, 0, out=y)  # the result into the output tensor
    return b.module(), len(em.ops) - 1  # not counting the copy


def mismatches(name: str) -> tuple[int, int, np.ndarray]:
    """(op count, differing inputs, the first of them)."""
    module, count = stream(name)
    module.verify()
    got = run_stream(module, {"x": EVERY})["y"].reshape(-1)
    want = FUNCTIONS[name][1](EVERY.reshape(-1).astype(np.int64))
    wrong = np.flatnonzero(got != want)
    return count, wrong.size, EVERY.reshape(-1)[wrong[:8]]


MODELS = Path(__file__).resolve().parent.parent / "models"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--functions", nargs="*", default=list(FUNCTIONS))
    p.add_argument(
        "--models",
        nargs="*",
        type=Path,
        default=[
            MODELS / "networks" / "lstm.tflite",
            *sorted(MODELS.glob("lstm/*.tflite")),
        ],
    )
    args = p.parse_args(argv)
    bad = 0
    for name in args.functions:
        count, wrong, first = mismatches(name)
        bad += wrong
        print(f"{name:24} {count:6d} ops  {wrong:6d} of 65536 differ  {first}")
    for path in args.models:
        for k, (count, cycles, wrong, size) in enumerate(lstm_check(path)):
            bad += wrong
            what = f"{path.stem}[{k}]"
            print(f"{what:24} {count:6d} ops  {wrong:6d} of {size} differ  "
                  f"{cycles:.0f} cycles")  # fmt: skip
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
