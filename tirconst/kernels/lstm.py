"""UNIDIRECTIONAL_SEQUENCE_LSTM with int8 activations: LiteRT's integer
LSTM, 8x8 -> 16 (lstm_eval.cc `EvalInteger8x8_16`, the kernel LiteRT's
BUILTIN_REF resolver runs for an int8 input).

Per time step and batch row, with int8 input x, int8 hidden state h, int16
cell state c (Q(15 + cell_scale_log2) fixed point):

- each gate g in (input, forget, cell, output) is the int16 sum, saturated
  after each term, of ``MBQM(W_xg @ (x - input_zp) + b_g)`` and
  ``MBQM(W_hg @ (h - output_state_zp))`` (MBQM: TFLite's
  MultiplyByQuantizedMultiplier with the gate's multiplier and shift), read as
  Q3.12; sigmoid (cell gate: tanh) in gemmlowp's int16 fixed point gives Q0.15;
- ``c = sat16(rdpot(f * c, 15) + rdpot(i * g, 30 + cell_scale_log2))``
  clipped to ±cell_clip when cell_clip > 0 (rdpot: rounding divide by a
  power of two);
- ``h = sat8(MBQM(o * tanh(c), hidden multiplier) + hidden_zp)``, which is
  also the step's output. tanh reads c as Q(15 + cell_scale_log2); LiteRT
  has it for 0 to 6 integer bits only and otherwise leaves its scratch
  buffer as it was: the step's input gate, which then stands for tanh(c)
  (the converter does pick cell scales of 2^-16 for cells within ±0.5).

The states start at the output-state zero point and 0 (LiteRT resets its
variable tensors so), every invocation. No CIFG, peephole, projection or
layer normalization (the importer refuses those variants).
"""

from __future__ import annotations

import numpy as np

from .fixedpoint import (
    multiply_by_quantized_multiplier,
    rounding_divide_by_pot,
    wrap_int32,
)

__all__ = ["sequence_lstm", "sigmoid_q3_12", "tanh_int16"]

_I16_MIN, _I16_MAX = -(2**15), 2**15 - 1
CELL_SCALE_LOG2 = (-30, 1)
"""The cell state scales 2^k LiteRT's arithmetic is defined for: the cell
update divides by 2^(30 + k), a shift of 0 to 31 bits."""
GATES = ("input", "forget", "cell", "output")
"""The gate order of the multiplier and shift arrays (input weights, then
recurrent weights)."""


# ------------------------------------------ gemmlowp fixed point, int16 raw


def _w16(x: np.ndarray) -> np.ndarray:
    """C++'s conversion of an int result to int16_t (two's-complement wrap)."""
    return ((np.asarray(x, np.int64) + 2**15) & 0xFFFF) - 2**15


def _sat16(x: np.ndarray) -> np.ndarray:
    return np.clip(x, _I16_MIN, _I16_MAX)


def _mul(a: np.ndarray, b: np.ndarray | int) -> np.ndarray:
    """SaturatingRoundingDoublingHighMul<int16_t>."""
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    ab = a * b
    s = ab + np.where(ab >= 0, 1 << 14, 1 - (1 << 14))
    q = np.where(s >= 0, s >> 15, -((-s) >> 15))  # C++ division truncates
    return np.where((a == b) & (a == _I16_MIN), _I16_MAX, q)


def _pot(x: np.ndarray, exponent: int) -> np.ndarray:
    """SaturatingRoundingMultiplyByPOT<exponent> on int16."""
    if exponent <= 0:
        return _w16(rounding_divide_by_pot(x, -exponent))
    threshold = (1 << (15 - exponent)) - 1
    shifted = _w16(np.asarray(x, np.int64) << exponent)
    return np.where(
        x > threshold, _I16_MAX, np.where(x < -threshold, _I16_MIN, shifted)
    )


def _const(raw32: int) -> int:
    """RescaleConstantInitializer: a Q0.31 constant rounded to 16 bits."""
    return int(_w16(rounding_divide_by_pot(raw32, 16)))


def _one(integer_bits: int) -> int:
    return _I16_MAX if integer_bits == 0 else 1 << (15 - integer_bits)


def _exp_quarter(a: np.ndarray) -> np.ndarray:
    """exp_on_interval_between_negative_one_quarter_and_0_excl (Q0.15)."""
    constant_term, one_third = _const(1895147668), _const(715827883)
    x = _w16(a + (1 << 12))
    x2 = _mul(x, x)
    x3 = _mul(x2, x)
    x4 = _mul(x2, x2)
    x4_over_4 = _pot(x4, -2)
    poly = _pot(_w16(_mul(_w16(x4_over_4 + x3), one_third) + x2), -1)
    return _sat16(constant_term + _mul(constant_term, _w16(x + poly)))


_BARREL = (
    (-2, 1672461947),
    (-1, 1302514674),
    (0, 790015084),
    (1, 290630308),
    (2, 39332535),
    (3, 720401),
    (4, 242),
)


def _exp_negative(a: np.ndarray, k: int) -> np.ndarray:
    """exp_on_negative_values of Q(k).(15-k) values: Q0.15."""
    frac = 15 - k
    quarter = 1 << (frac - 2)
    a_mod = _w16((a & (quarter - 1)) - quarter)
    result = _exp_quarter(_pot(a_mod, k))
    remainder = _w16(a_mod - a)
    for exponent, multiplier in _BARREL:
        if k > exponent:
            bit = 1 << (frac + exponent)
            scaled = _mul(result, _const(multiplier))
            result = np.where(remainder & bit, scaled, result)
    if k > 5:
        clamp = _const(-(1 << (36 - k)))
        result = np.where(a < clamp, 0, result)
    return np.where(a == 0, _one(0), result)


def _newton(half_denominator: np.ndarray) -> np.ndarray:
    """The three Newton-Raphson steps of 1 / half_denominator, Q2.13."""
    c48, cn32 = _const(1515870810), _const(-1010580540)
    x = _w16(c48 + _mul(half_denominator, cn32))
    one2 = _one(2)
    for _ in range(3):
        t = _w16(one2 - _mul(half_denominator, x))
        x = _w16(x + _pot(_mul(x, t), 2))
    return x


def _half_sum_with_one(a: np.ndarray) -> np.ndarray:
    """RoundingHalfSum<int16_t>(a, One) of Q0.15 values."""
    s = np.asarray(a, np.int64) + _I16_MAX
    sign = np.where(s >= 0, 1, -1)
    t = s + sign
    return _w16(np.where(t >= 0, t // 2, -((-t) // 2)))


def _one_minus_x_over_one_plus_x(a: np.ndarray) -> np.ndarray:
    x = _newton(_half_sum_with_one(a))
    return _pot(_w16(x - _one(2)), 2)


def _one_over_one_plus_x(a: np.ndarray) -> np.ndarray:
    return _pot(_newton(_half_sum_with_one(a)), 1)


def tanh_int16(raw: np.ndarray, integer_bits: int) -> np.ndarray:
    """gemmlowp::tanh of FixedPoint<int16_t, integer_bits> raw values: Q0.15."""
    a = np.asarray(raw, np.int64)
    negative = a < 0
    n = np.where(negative, a, _w16(-a))
    t = _one_minus_x_over_one_plus_x(_exp_negative(n, integer_bits + 1))
    return np.where(a == 0, 0, np.where(negative, _w16(-t), t))


def sigmoid_q3_12(raw: np.ndarray) -> np.ndarray:
    """gemmlowp::logistic of FixedPoint<int16_t, 3> raw values: Q0.15."""
    a = np.asarray(raw, np.int64)
    positive = a > 0
    absolute = np.where(positive, a, _w16(-a))
    if_positive = _one_over_one_plus_x(_exp_negative(_w16(-absolute), 3))
    if_negative = _w16(_one(0) - if_positive)
    half = _const(1 << 30)
    return np.where(a == 0, half, np.where(positive, if_positive, if_negative))


# ------------------------------------------------------------------ the LSTM


def _gate_term(
    x: np.ndarray, w: np.ndarray, bias: np.ndarray, multiplier: int, shift: int
) -> np.ndarray:
    """MBQM(W @ x + bias): x (rows, K) already offset by its zero point."""
    acc = wrap_int32(x @ w.astype(np.int64).T + bias)
    return multiply_by_quantized_multiplier(acc, multiplier, shift)


def sequence_lstm(
    input: np.ndarray,
    input_to_input_weights: np.ndarray,
    input_to_forget_weights: np.ndarray,
    input_to_cell_weights: np.ndarray,
    input_to_output_weights: np.ndarray,
    recurrent_to_input_weights: np.ndarray,
    recurrent_to_forget_weights: np.ndarray,
    recurrent_to_cell_weights: np.ndarray,
    recurrent_to_output_weights: np.ndarray,
    input_gate_bias: np.ndarray,
    forget_gate_bias: np.ndarray,
    cell_gate_bias: np.ndarray,
    output_gate_bias: np.ndarray,
    *,
    time_major: int,
    input_zp: int,
    output_state_zp: int,
    hidden_zp: int,
    multiplier: tuple[int, ...],
    shift: tuple[int, ...],
    hidden_multiplier: int,
    hidden_shift: int,
    cell_scale_log2: int,
    cell_clip: int,
    npu_weights: np.ndarray | None = None,
    workspace: np.ndarray | None = None,
) -> np.ndarray:
    """The int8 output sequence (input's shape with n_cell last) of LiteRT's
    integer UNIDIRECTIONAL_SEQUENCE_LSTM (module docstring). `multiplier` /
    `shift`: the eight gate matmuls' (input weights of the input, forget,
    cell, output gates, then the recurrent weights, in that order).
    `npu_weights` and `workspace` (the NPU's buffers) are ignored."""
    x = np.asarray(input)
    if x.dtype != np.int8 or x.ndim != 3:
        raise TypeError(f"input must be rank-3 int8, got {x.dtype}{list(x.shape)}")
    lo, hi = CELL_SCALE_LOG2
    if not lo <= cell_scale_log2 <= hi:
        raise ValueError(f"cell_scale_log2 {cell_scale_log2} is not in [{lo}, {hi}]")
    tanh_bits = 15 + cell_scale_log2
    w_in = (
        input_to_input_weights,
        input_to_forget_weights,
        input_to_cell_weights,
        input_to_output_weights,
    )
    w_rec = (
        recurrent_to_input_weights,
        recurrent_to_forget_weights,
        recurrent_to_cell_weights,
        recurrent_to_output_weights,
    )
    biases = (input_gate_bias, forget_gate_bias, cell_gate_bias, output_gate_bias)
    seq = np.swapaxes(x, 0, 1) if time_major else x  # (batch, time, n_input)
    batch, steps, _ = seq.shape
    n_cell = w_in[3].shape[0]
    h = np.full((batch, w_rec[3].shape[1]), output_state_zp, np.int64)
    c = np.zeros((batch, n_cell), np.int64)
    out = np.empty((batch, steps, n_cell), np.int8)
    xs = seq.astype(np.int64) - input_zp
    for t in range(steps):
        hx = h - output_state_zp
        gates = []
        for g in range(4):
            acc = _sat16(
                _gate_term(xs[:, t], w_in[g], biases[g], multiplier[g], shift[g])
            )
            rec = _gate_term(hx, w_rec[g], 0, multiplier[4 + g], shift[4 + g])
            acc = _sat16(rec + acc)
            gates.append(tanh_int16(acc, 3) if g == 2 else sigmoid_q3_12(acc))
        i, f, g_, o = gates
        forget = _w16(rounding_divide_by_pot(f * c, 15))
        update = _w16(rounding_divide_by_pot(i * g_, 30 + cell_scale_log2))
        c = _sat16(forget + update)
        if cell_clip > 0:
            c = np.clip(c, -cell_clip, cell_clip)
        # LiteRT's ApplyTanh dispatches 0..6 integer bits and otherwise
        # writes nothing: its output buffer still holds the input gate.
        t_c = tanh_int16(c, tanh_bits) if 0 <= tanh_bits <= 6 else i
        hidden = multiply_by_quantized_multiplier(
            o * t_c, hidden_multiplier, hidden_shift
        )
        h = np.clip(hidden + hidden_zp, -128, 127)
        out[:, t] = h
    return np.swapaxes(out, 0, 1).copy() if time_major else out
