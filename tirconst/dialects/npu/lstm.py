"""The int8 UNIDIRECTIONAL_SEQUENCE_LSTM as Ethos-U ops, exact against
LiteRT's integer kernel (`tirconst.kernels.lstm`, EvalInteger8x8_16).

LiteRT computes the gates with gemmlowp's int16 fixed point: logistic of
Q3.12 and tanh of Q(k).(15-k), k = 0..6, to Q0.15. Each is a sequence of
elementwise ops (npu.elementwise: add, sub, mul, min, max, shl, shr with
int16 feature maps, OFM scale, zero point, rounding mode and clamp), equal
on all 65536 int16 inputs (tests/test_lstm_npu.py): logistic 76 ops, tanh
of Q0..Q6 60, 67, 74, 81, 88, 90, 90 ops. The count does not depend on the
vector's length: one logistic serves the input, forget and output gates of
a step laid out side by side.

How the gemmlowp primitives map (every intermediate an int16 map, so the
OFM saturates as gemmlowp's saturating ops do):

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

`emit_sequence_lstm` writes the whole LSTM, the time loop unrolled: the
input terms of `LstmShape.chunk` steps (up to 8) as one 1x1 conv to int16;
per step the recurrent
term (a 1x1 conv of the previous output step), their saturated int16 sum,
the gate sequences, the cell update with int32 products and TFL shifts, the
clip, tanh of the cell and the hidden state MBQM(o·tanh(c)) + zp to int8
straight into the output. Every intermediate is a map in one workspace,
addresses given by liveness (`Emitter.finish`), so a step's maps reuse the
previous step's bytes.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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

from tirconst.dialects.npu.attributes import (
    ActivationAttr,
    AddressRangeAttr,
    FeatureMapAttr,
    KernelAttr,
    PaddingAttr,
)
from tirconst.dialects.npu.ops import BlockOp, Conv2DOp, ElementwiseOp
from tirconst.kernels.fixedpoint import (
    multiply_by_quantized_multiplier,
    rounding_divide_by_pot,
)

Operand = FeatureMapAttr | int
VIRTUAL = 1 << 40
"""Scratch maps are emitted at addresses from here, one fresh block each;
`Emitter.finish` moves them into the workspace."""
_BARREL = (  # exp(-1/4 · 2^e) in Q0.31, e = -2..4 (gemmlowp)
    1672461947,
    1302514674,
    790015084,
    290630308,
    39332535,
    720401,
    242,
)

ORDER = (0, 1, 3, 2)
"""The gates' channel order in the NPU maps: input, forget, output (the
logistic ones, side by side), then cell (tanh); indices into the op's
(input, forget, cell, output)."""

CHUNK_STEPS = 8
"""At most this many steps' input terms come from one conv (`LstmShape.chunk`)."""

RECURRENT_LIMIT = 32767
"""The stream is exact when `recurrent_bound` is at most this."""


def _q15(raw32: int) -> int:
    """gemmlowp's RescaleConstantInitializer: a Q0.31 constant to 16 bits."""
    return int(rounding_divide_by_pot(np.int64(raw32), 16))


@functools.lru_cache(maxsize=4096)
def _make(
    dtype: str,
    shape: tuple[int, int, int],
    region: int,
    address: int,
    strides: tuple[int, ...] = (),
    zero_point: int = 0,
) -> FeatureMapAttr:
    """A feature map; the same one again for the same fields (a step's maps
    repeat, and building an attribute costs)."""
    return FeatureMapAttr.make(
        dtype=dtype, shape=shape, region=region, address=address,
        strides=strides, zero_point=zero_point,
    )  # fmt: skip


@functools.lru_cache(maxsize=256)
def _ints(values: tuple[int, ...]) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, list(values))


@functools.lru_cache(maxsize=256)
def _clamp(lo: float, hi: float) -> ActivationAttr:
    return ActivationAttr.make(kind="clamp", min=lo, max=hi)


def _fm(fm: FeatureMapAttr, **change: Any) -> FeatureMapAttr:
    """`fm` (unquantized, NHWC) with some fields changed."""
    fields = {
        "dtype": fm.dtype,
        "shape": tuple(fm.shape),
        "region": fm.region,
        "address": fm.address,
        "strides": tuple(fm.strides),
        "zero_point": fm.zero_point,
    }
    return _make(**(fields | change))


@dataclass
class Emitter:
    """Appends npu ops, each elementwise one into a fresh scratch map of its
    first operand's shape (int16 unless told). `accelerator` None: no block
    configs (for sizing the workspace only).

    The workspace from `base` in `region` holds first the maps `fixed`
    gives, then an arena: the fresh maps of one step (`step`) get addresses
    there by liveness when it ends, so every step reuses the same bytes."""

    accelerator: str | None
    region: int = 0
    base: int = 0
    ops: list[BlockOp] = field(default_factory=list)
    fixed_bytes: int = 0
    arena_bytes: int = 0
    _starts: list[int] = field(default_factory=list)
    _sizes: list[int] = field(default_factory=list)
    _first_op: int = 0
    _configs: dict[tuple, tuple[int, int, int]] = field(default_factory=dict)

    def fixed(
        self, shape: tuple[int, ...], dtype: str = "int16", zero_point: int = 0
    ) -> FeatureMapAttr:
        """A dense map at the next fixed place (live for the whole stream)."""
        h, w, c = shape
        at = self.base + self.fixed_bytes
        self.fixed_bytes += _pad16(h * w * c * np.dtype(dtype).itemsize)
        return _make(dtype, (h, w, c), self.region, at, (), zero_point)

    def scratch_map(
        self, shape: tuple[int, ...], dtype: str = "int16", zero_point: int = 0
    ) -> FeatureMapAttr:
        """A dense map in a fresh block of the step's arena (a virtual
        address until the step ends)."""
        h, w, c = shape
        size = _pad16(h * w * c * np.dtype(dtype).itemsize)
        start = VIRTUAL + (
            self._starts[-1] + self._sizes[-1] - VIRTUAL if self._starts else 0
        )
        self._starts.append(start)
        self._sizes.append(size)
        return _make(dtype, (h, w, c), self.region, start, (), zero_point)

    @contextlib.contextmanager
    def step(self):  # type: ignore[no-untyped-def]
        """The ops emitted inside are one step: their fresh maps get arena
        addresses at the end."""
        self._starts, self._sizes, self._first_op = [], [], len(self.ops)
        yield
        self._finish()

    def add_op(
        self,
        op: BlockOp,
        block_config: tuple[int, int, int] | None = None,
        key: tuple = (),
    ) -> None:
        """Append `op` with `block_config`, or the largest one Vela accepts
        (the same for ops of the same `key`: what the choice depends on,
        the op's kind and its maps' types and shapes, not their addresses)."""
        if block_config is None and self.accelerator is not None:
            block_config = self._configs.get(key)
            if block_config is None:
                from tirconst.dialects.npu.vela_api import pick_block_config

                with contextlib.redirect_stdout(io.StringIO()):  # Vela's warnings
                    block_config = pick_block_config(op, self.accelerator)
                self._configs[key] = block_config
        if block_config is not None:
            op.properties["block_config"] = _ints(tuple(block_config))
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
            out = self.scratch_map(a.shape, dtype, zero_point=zero_point)
        props: dict = {
            "op_type": StringAttr(kind),
            "ifm": a,
            "ofm": out,
            "block_config": _ints((1, 1, 8)),
            "ofm_scale": _ints(tuple(scale)),
            "rounding_mode": StringAttr(rounding),
        }
        if isinstance(b, int):
            props["ifm2"] = _make(a.dtype, (1, 1, 1), a.region, 0)
            props["ifm2_scalar"] = FloatAttr(float(b), f64)
        else:
            props["ifm2"] = b
        if kind in ("add", "sub"):
            props["operand_scales"] = _ints((1, 0, 1, 0))
        if reverse:
            props["reversed_operands"] = UnitAttr()
        if clamp is not None:  # real bounds, re-quantized with the OFM zero point
            lo, hi = clamp
            props["activation"] = _clamp(float(lo - zero_point), float(hi - zero_point))
        b_key = "scalar" if isinstance(b, int) else (b.dtype, tuple(b.shape))
        key = (kind, a.dtype, tuple(a.shape), b_key, out.dtype, clamp is not None)
        self.add_op(ElementwiseOp.create(properties=props), key=key)
        return _fm(out, zero_point=0)  # read back as plain integers

    # gemmlowp's primitives
    def srdhm(self, a: FeatureMapAttr, b: Operand, plus: int = 0) -> FeatureMapAttr:
        """plus + SaturatingRoundingDoublingHighMul(a, b), saturated."""
        return self.op("mul", a, b, scale=(1, 15), rounding="natural", zero_point=plus)

    def add(self, a: FeatureMapAttr, b: Operand) -> FeatureMapAttr:
        return self.op("add", a, b)

    def shl(self, a: FeatureMapAttr, bits: int, plus: int = 0) -> FeatureMapAttr:
        """plus + SaturatingRoundingMultiplyByPOT<bits>(a), saturated."""
        return self.op("shl", a, bits, zero_point=plus)

    def _finish(self) -> None:
        """Give the step's blocks addresses in the arena: blocks whose ops
        do not overlap share bytes (first fit in order of first use, a block
        live from the op that writes it to the last op that reads it)."""
        ops = self.ops[self._first_op :]
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        for k, op in enumerate(ops):
            for attr in op.properties.values():
                if isinstance(attr, FeatureMapAttr) and attr.address >= VIRTUAL:
                    b = bisect.bisect_right(self._starts, attr.address) - 1
                    first.setdefault(b, k)
                    last[b] = k
        offset: dict[int, int] = {}
        live: list[tuple[int, int, int]] = []  # (offset, end, last use)
        for b in sorted(first, key=first.__getitem__):
            live = sorted(s for s in live if s[2] >= first[b])
            at = 0
            for lo, hi, _ in live:
                if at + self._sizes[b] <= lo:
                    break
                at = max(at, hi)
            offset[b] = at
            live.append((at, at + self._sizes[b], last[b]))
            self.arena_bytes = max(self.arena_bytes, at + self._sizes[b])
        arena = self.base + self.fixed_bytes
        for op in ops:
            for name, attr in list(op.properties.items()):
                if isinstance(attr, FeatureMapAttr) and attr.address >= VIRTUAL:
                    b = bisect.bisect_right(self._starts, attr.address) - 1
                    moved = arena + offset[b] + attr.address - self._starts[b]
                    op.properties[name] = _fm(attr, address=moved)

    @property
    def workspace_bytes(self) -> int:
        return self.fixed_bytes + self.arena_bytes


def _pad16(n: int) -> int:
    return -(-n // 16) * 16


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


GATE_FUNCTIONS: dict[str, Callable[[Emitter, FeatureMapAttr], FeatureMapAttr]] = {
    "logistic_q3_12": logistic_q3_12,
    **{f"tanh_q{k}": functools.partial(tanh_q, integer_bits=k) for k in range(7)},
}
"""The gate functions by name (tests check each on every int16 input)."""


# ------------------------------------------------------------ the whole LSTM


@dataclass(frozen=True)
class GateMatrices:
    """The LSTM's two matmuls as the NPU runs them, gates in `ORDER`: input
    weights (4n, n_input) with the gate biases, recurrent weights (4n, n)
    without; per row the requantization into Q3.12."""

    input_weights: np.ndarray
    recurrent_weights: np.ndarray
    bias: np.ndarray
    input_multiplier: np.ndarray
    input_shift: np.ndarray
    recurrent_multiplier: np.ndarray
    recurrent_shift: np.ndarray


def gate_matrices(
    input_weights: list[np.ndarray],
    recurrent_weights: list[np.ndarray],
    biases: list[np.ndarray],
    multiplier: tuple[int, ...],
    shift: tuple[int, ...],
) -> GateMatrices:
    """Stack the per-gate arrays (the op's order: input, forget, cell,
    output) in `ORDER`."""
    n = input_weights[0].shape[0]

    def per_row(values: tuple[int, ...], first: int) -> np.ndarray:
        return np.repeat(np.asarray([values[first + g] for g in ORDER], np.int64), n)

    return GateMatrices(
        np.concatenate([input_weights[g] for g in ORDER]),
        np.concatenate([recurrent_weights[g] for g in ORDER]),
        np.concatenate([biases[g] for g in ORDER]).astype(np.int64),
        per_row(multiplier, 0),
        per_row(shift, 0),
        per_row(multiplier, 4),
        per_row(shift, 4),
    )


def recurrent_bound(m: GateMatrices, p: dict[str, Any]) -> int:
    """The largest |MBQM(W_h @ (h - output_state_zp))| a hidden state can
    give (`p` the op's parameters): h is the initial zero point or
    sat8(MBQM(o·t) + hidden_zp) with o in [0, 32767] and t in [-32768,
    32767]. The recurrent term's int16 map saturates only beyond 32767,
    where LiteRT adds the unsaturated term to the saturated input term."""
    state_zp = p["output_state_zp"]
    hidden = multiply_by_quantized_multiplier(
        np.int64(32767 * 32768), p["hidden_multiplier"], p["hidden_shift"]
    )
    reach = min(
        max(abs(-128 - state_zp), abs(127 - state_zp)),
        int(hidden) + abs(p["hidden_zp"] - state_zp),
    )
    acc = np.abs(m.recurrent_weights.astype(np.int64)).sum(axis=1) * reach
    mbqm = multiply_by_quantized_multiplier(
        acc, m.recurrent_multiplier, m.recurrent_shift
    )
    return int(np.abs(mbqm).max()) if mbqm.size else 0


@dataclass(frozen=True)
class ConvWeights:
    """An encoded 1x1 conv's weight streams and bias/scale records, one of
    each per core (two on ethos-u65-512), and the block config they were
    encoded for."""

    weights: tuple[AddressRangeAttr, ...]
    biases: tuple[AddressRangeAttr, ...]
    block_config: tuple[int, int, int]
    traversal: str = "depth_first"


def conv_1x1(
    ifm: FeatureMapAttr, ofm: FeatureMapAttr, w: ConvWeights | None
) -> Conv2DOp:
    """A 1x1 conv (TFL rounding; the int16 OFM saturates); `w` None: a probe
    without weights, for choosing a block config."""
    w = w or ConvWeights(
        (AddressRangeAttr.make(region=0, address=0, length=16),),
        (AddressRangeAttr.make(region=0, address=0, length=16),),
        (1, 1, 16),
    )
    return Conv2DOp.create(
        properties={
            "ifm": ifm,
            "ofm": ofm,
            "kernel": KernelAttr.make(size=(1, 1)),
            "padding": PaddingAttr.make(pad=(0, 0, 0, 0)),
            "block_config": DenseArrayBase.from_list(i64, list(w.block_config)),
            "weights": ArrayAttr(list(w.weights)),
            "biases": ArrayAttr(list(w.biases)),
            "block_traversal": StringAttr(w.traversal),
        }
    )


@dataclass(frozen=True)
class LstmShape:
    """What the op sequence depends on besides addresses and weights."""

    time_major: int
    input_shape: tuple[int, int, int]
    n_cell: int
    input_zp: int
    output_state_zp: int
    hidden_zp: int
    hidden_multiplier: int
    hidden_shift: int
    cell_scale_log2: int
    cell_clip: int

    @staticmethod
    def of(input_shape: tuple[int, ...], n_cell: int, p: dict[str, Any]) -> LstmShape:
        return LstmShape(
            p["time_major"], tuple(int(d) for d in input_shape), n_cell,  # type: ignore[arg-type]
            p["input_zp"], p["output_state_zp"], p["hidden_zp"],
            p["hidden_multiplier"], p["hidden_shift"], p["cell_scale_log2"],
            p["cell_clip"],
        )  # fmt: skip

    @property
    def chunk(self) -> int:
        """Steps whose input terms one conv computes: the largest divisor of
        the step count up to `CHUNK_STEPS` (one conv per step costs its
        weight fetch each time; all steps at once an int16 map of all)."""
        steps = self.steps_batch[0]
        return max(k for k in range(1, CHUNK_STEPS + 1) if steps % k == 0)

    @property
    def steps_batch(self) -> tuple[int, int]:
        a, b, _ = self.input_shape
        return (a, b) if self.time_major else (b, a)

    def conv_maps(
        self,
    ) -> tuple[tuple[tuple[int, int, int], tuple[int, int, int]], ...]:
        """(IFM, OFM) shapes of the input conv (`chunk` steps) and of a
        step's recurrent conv."""
        n_input = self.input_shape[2]
        n4 = 4 * self.n_cell
        batch, k = self.steps_batch[1], self.chunk
        rows = (batch, 1) if k == 1 else (k, batch) if self.time_major else (batch, k)
        return ((*rows, n_input), (*rows, n4)), (
            (batch, 1, self.n_cell),
            (batch, 1, n4),
        )


def emit_sequence_lstm(
    em: Emitter,
    s: LstmShape,
    x: FeatureMapAttr,
    y: FeatureMapAttr,
    convs: tuple[ConvWeights | None, ConvWeights | None],
) -> None:
    """The LSTM's ops into `em`: `x` the dense input map, `y` the dense
    output map (their zero points ignored); `convs` the input and recurrent
    weights (None: probes, for sizing)."""
    steps, batch = s.steps_batch
    tm = s.time_major
    n = s.n_cell

    def at(
        fm: FeatureMapAttr, step: int, zero_point: int = 0, count: int = 1
    ) -> FeatureMapAttr:
        """Steps [step, step + count) of a (.., .., C) sequence map of
        `fm.shape`: (batch, count, C) batch-major, (count, batch, C)
        time-major."""
        e, c = fm.element_size, fm.shape[2]
        if tm:
            shape, rows = (count, batch, c), (batch * c * e, c * e, e)
            address = fm.address + step * batch * c * e
        else:
            shape, rows = (batch, count, c), (fm.shape[1] * c * e, c * e, e)
            address = fm.address + step * c * e
        if count == 1:  # one step: (batch, 1, C), rows apart
            shape, rows = (batch, 1, c), ((c * e if tm else rows[0]), c * e, e)
        return _make(fm.dtype, shape, fm.region, address, rows, zero_point)

    def view(fm: FeatureMapAttr, lo: int, hi: int) -> FeatureMapAttr:
        """Channels [lo, hi) of a (batch, 1, C) map."""
        e = fm.element_size
        row = fm.byte_strides()[0]
        address = fm.address + lo * e
        return _make(fm.dtype, (batch, 1, hi - lo), fm.region, address, (row, row, e))

    k = s.chunk
    terms = em.fixed(s.conv_maps()[0][1], "int16")  # `k` steps' input terms
    cells = [em.fixed((batch, 1, n), "int16") for _ in range(2 if steps > 1 else 1)]
    w_in, w_rec = convs
    c = None
    for step in range(steps):
        if step % k == 0:
            xs = at(x, step, s.input_zp, count=k)
            em.add_op(conv_1x1(xs, terms, w_in), w_in.block_config if w_in else None)
        with em.step():
            gates = at(terms, step % k)
            c = _step(em, s, (gates, y), step, at, view, w_rec, c, cells[step % 2])


def _step(em, s, gy, step, at, view, w_rec, c, cell):  # type: ignore[no-untyped-def]
    """One time step's ops from its input terms; the new cell state (in
    `cell`)."""
    batch, n = s.steps_batch[1], s.n_cell
    cell_shift = 30 + s.cell_scale_log2
    clamp = (-s.cell_clip, s.cell_clip) if s.cell_clip > 0 else None
    tanh_bits = 15 + s.cell_scale_log2
    gates, y = gy
    if step:
        rec = em.scratch_map((batch, 1, 4 * n), "int16")
        h = at(y, step - 1, s.output_state_zp)
        em.add_op(conv_1x1(h, rec, w_rec), w_rec.block_config if w_rec else None)
        gates = em.op("add", gates, rec)
    sig = logistic_q3_12(em, view(gates, 0, 3 * n))
    i, f, o = (view(sig, k * n, (k + 1) * n) for k in range(3))
    g = tanh_q(em, view(gates, 3 * n, 4 * n), 3)
    ig = em.op("mul", i, g, dtype="int32")
    update = em.op("shr", ig, cell_shift, dtype="int32" if cell_shift < 15 else "int16")
    if cell_shift < 15:  # LiteRT's int16 conversion wraps
        wraps = em.op("shr", update, 16, rounding="natural", dtype="int32")
        update = em.op("sub", update, em.op("shl", wraps, 16, dtype="int32"))
    if c is None:
        c = em.op("add", update, 0, clamp=clamp, out=cell)
    else:
        fc = em.op("shr", em.op("mul", f, c, dtype="int32"), 15)
        c = em.op("add", fc, update, clamp=clamp, out=cell)
    # outside Q0..Q6 LiteRT's "tanh of the cell" is the input gate
    tc = tanh_q(em, c, tanh_bits) if 0 <= tanh_bits <= 6 else i
    em.op(
        "mul", o, tc, scale=(s.hidden_multiplier, 31 - s.hidden_shift),
        out=at(y, step, s.hidden_zp),
    )  # fmt: skip
    return c


@functools.lru_cache(maxsize=64)
def workspace_and_ops(s: LstmShape) -> tuple[int, int]:
    """(workspace bytes, NPU ops) of `emit_sequence_lstm` for this shape."""
    em = Emitter(None)
    a, b, _ = s.input_shape
    x = FeatureMapAttr.make(dtype="int8", shape=s.input_shape, address=0)
    y = FeatureMapAttr.make(dtype="int8", shape=(a, b, s.n_cell), address=0)
    emit_sequence_lstm(em, s, x, y, (None, None))
    return em.workspace_bytes, len(em.ops)
