"""Parameter reader of UNIDIRECTIONAL_SEQUENCE_LSTM with int8 activations,
as LiteRT's Prepare computes them (unidirectional_sequence_lstm.cc
`PopulateQuantizedLstmParams8x8_16`); see `tflite_params` for the
conventions and `operator_table` for the entry.

The operator's inputs, by TFLite's position: 0 input; 1-4 input-to-gate
weights (input, forget, cell, output gates); 5-8 recurrent-to-gate weights;
9-11 peephole weights; 12-15 gate biases; 16-17 projection weights and
bias; 18 output (hidden) state, 19 cell state (variable tensors); 20-23
layer-norm coefficients. Intermediate 4 holds the hidden state's
quantization (its scale and zero point requantize output gate × tanh(cell)).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tirconst.dialects.tir.quantization import quantize_multiplier
from tirconst.dialects.tir.sequence_ops import LSTM_GATES
from tirconst.formats.tflite.reader import TFLiteTensor
from tirconst.frontend.tflite_params import Ctx
from tirconst.kernels.lstm import CELL_SCALE_LOG2

LSTM_BUFFERS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15)
"""The operator inputs `tir.sequence_lstm` reads as buffers, in its order."""

_Q3_12 = np.float32(2.0**-12)  # the gates' intermediate scale without layer norm
_VARIANTS = {
    (9, 10, 11): "peephole connections",
    (16, 17): "projection",
    (20, 21, 22, 23): "layer normalization",
}


def _weights(ctx: Ctx, i: int, what: str, shape: tuple[int, int]) -> float:
    """A constant int8 (n_cell, k) weight tensor, symmetric, per tensor."""
    w = ctx.input(i)
    scale, zp = ctx.int8(w, what)
    if zp != 0:
        raise ctx.fail(f"{what} zero point must be 0, got {zp}", w)
    ctx.const(w, what)
    ctx.check_shape(w, shape)
    return scale


def _bias(ctx: Ctx, i: int, what: str, n_cell: int) -> None:
    b = ctx.input(i)
    if b.dtype != np.int32:
        raise ctx.fail(f"{what} must be int32, got {b.dtype}", b)
    ctx.const(b, what)
    ctx.check_shape(b, (n_cell,))


def _state(ctx: Ctx, i: int, what: str) -> TFLiteTensor:
    t = ctx.input(i)
    if not t.is_variable or t.data is not None:
        raise ctx.fail(f"{what} must be a variable tensor without data", t)
    return t


def _multiplier(real: np.float32) -> tuple[int, int]:
    """QuantizeMultiplier of a float32 effective scale (as double)."""
    return quantize_multiplier(float(real))


def lstm_params(ctx: Ctx) -> dict[str, Any]:
    """The integer LSTM's parameters (see `tir.sequence_lstm`): float32
    effective scales ``weight_scale * input_scale / 2^-12`` per gate matmul,
    ``2^-15 / hidden_scale * 2^-15`` for the hidden state (in double, stored
    as float32), each QuantizeMultiplier'd; the cell scale must be a power of
    two (CheckedLog2) in [2^-30, 2]; the cell clip is
    ``(int16) clamp(cell_clip / cell_scale)`` in float32."""
    o = ctx.op.options
    x, y = ctx.input(0), ctx.output()
    in_s, in_zp = ctx.int8(x, "input")
    if len(ctx.op.inputs) != 24:
        raise ctx.fail(f"expects 24 inputs, got {len(ctx.op.inputs)}")
    for positions, name in _VARIANTS.items():
        if any(ctx.optional_input(i) is not None for i in positions):
            raise ctx.fail(f"{name} is not supported")
    if ctx.optional_input(1) is None:
        raise ctx.fail("CIFG (no input gate) is not supported")
    if len(x.shape) != 3:
        raise ctx.fail(f"input must have rank 3, got {list(x.shape)}", x)
    time_major = int(bool(o.get("time_major", False)))
    n_input = x.shape[2]
    w_out = ctx.input(4)
    if len(w_out.shape) != 2:
        raise ctx.fail(f"weights must have rank 2, got {list(w_out.shape)}", w_out)
    n_cell = w_out.shape[0]
    w_in = [
        _weights(ctx, 1 + g, f"input_to_{name}_weights", (n_cell, n_input))
        for g, name in enumerate(LSTM_GATES)
    ]
    w_rec = [
        _weights(ctx, 5 + g, f"recurrent_to_{name}_weights", (n_cell, n_cell))
        for g, name in enumerate(LSTM_GATES)
    ]
    for g, name in enumerate(LSTM_GATES):
        _bias(ctx, 12 + g, f"{name}_gate_bias", n_cell)
    h, c = _state(ctx, 18, "output state"), _state(ctx, 19, "cell state")
    h_s, h_zp = ctx.int8(h, "output state")
    ctx.check_shape(h, (x.shape[1 if time_major else 0], n_cell))
    ctx.check_shape(c, tuple(h.shape))
    if c.dtype != np.int16 or c.quantization is None or c.quantization.per_axis:
        raise ctx.fail("cell state must be int16, quantized per tensor", c)
    cell_log2 = math.log2(float(c.quantization.scale))
    lo, hi = CELL_SCALE_LOG2
    if cell_log2 != round(cell_log2) or not lo <= cell_log2 <= hi:
        raise ctx.fail(
            f"cell state scale {c.quantization.scale} is not 2^k, {lo} <= k <= {hi}",
            c,
        )
    ctx.int8(y, "output")
    ctx.check_shape(y, (*x.shape[:2], n_cell))
    if len(ctx.op.intermediates) < 5:
        raise ctx.fail("needs 5 intermediate tensors (the hidden state's is the 5th)")
    hidden = ctx.model.tensor(ctx.op.intermediates[4])
    hid_s, hid_zp = ctx.int8(hidden, "hidden state intermediate")
    f32 = np.float32
    multipliers = [_multiplier(f32(w) * f32(in_s) / _Q3_12) for w in w_in] + [
        _multiplier(f32(w) * f32(h_s) / _Q3_12) for w in w_rec
    ]
    effective_hidden = f32(2.0**-15 / float(f32(hid_s)) * 2.0**-15)
    hm, hs = _multiplier(effective_hidden)
    clip = float(o.get("cell_clip", 0.0))
    cell_clip = 0
    if clip > 0.0:
        q = f32(clip) / f32(c.quantization.scale)
        cell_clip = int(min(max(q, f32(-32768.0)), f32(32767.0)))
    return {
        "time_major": time_major,
        "input_zp": in_zp,
        "output_state_zp": h_zp,
        "hidden_zp": hid_zp,
        "multiplier": tuple(m for m, _ in multipliers),
        "shift": tuple(s for _, s in multipliers),
        "hidden_multiplier": hm,
        "hidden_shift": hs,
        "cell_scale_log2": int(cell_log2),
        "cell_clip": cell_clip,
    }
