"""Recurrent TFLite operators as tir operator ops: UNIDIRECTIONAL_SEQUENCE_LSTM
with int8 activations (see `operators` for the conventions they share)."""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import ArrayAttr
from xdsl.irdl import (
    AttrSizedOperandSegments,
    operand_def,
    opt_operand_def,
    opt_prop_def,
)
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.encoded import EncodedWeightsAttr
from tirconst.dialects.tir.memory import Effect, Effects
from tirconst.dialects.tir.operators import (
    Int,
    Ints,
    OperatorOp,
    ZeroPoint,
    operator_op,
)
from tirconst.dialects.tir.types import BufferType
from tirconst.kernels.lstm import CELL_SCALE_LOG2

LSTM_GATES = ("input", "forget", "cell", "output")

_LSTM_INPUTS = (
    "input",
    *(f"input_to_{g}_weights" for g in LSTM_GATES),
    *(f"recurrent_to_{g}_weights" for g in LSTM_GATES),
    *(f"{g}_gate_bias" for g in LSTM_GATES),
    "npu_weights",
    "workspace",
)

_LSTM_PARAMS = {
    "time_major": Int,
    "input_zp": ZeroPoint,
    "output_state_zp": ZeroPoint,
    "hidden_zp": ZeroPoint,
    "multiplier": Ints,
    "shift": Ints,
    "hidden_multiplier": Int,
    "hidden_shift": Int,
    "cell_scale_log2": Int,
    "cell_clip": Int,
}


@operator_op(_LSTM_INPUTS, _LSTM_PARAMS, optional_last=2)
class SequenceLstmOp(OperatorOp):
    """TFLite UNIDIRECTIONAL_SEQUENCE_LSTM with int8 activations (LiteRT's
    integer 8x8->16 LSTM; kernel `tirconst.kernels.lstm.sequence_lstm`).

    `input` is (batch, time, n_input), or (time, batch, n_input) when
    `time_major` is 1; the output is the hidden state after every step,
    int8, n_cell wide. Per gate (input, forget, cell, output): int8
    (n_cell, n_input) input weights, int8 (n_cell, n_cell) recurrent
    weights, an int32 bias. `multiplier` / `shift` are the eight gate
    matmuls' requantization (input weights of the four gates, then the
    recurrent weights) into Q3.12; `hidden_multiplier` / `hidden_shift`
    requantize output gate × tanh(cell) to the int8 hidden state, plus
    `hidden_zp`. The int16 cell state has scale 2^`cell_scale_log2` (in
    [-30, 1]; outside [-15, -9] LiteRT's tanh of it is the input gate, see
    the kernel) and is clipped to ±`cell_clip` when it is positive. The hidden
    state starts at `output_state_zp`, the cell state at 0, on every run (as
    LiteRT resets its variable tensors). No CIFG, peephole, projection or
    layer normalization.

    For the NPU (docs/lowering.md), `tir-legalize-npu` adds `workspace`, an
    int8 buffer the op may write (its int16 and int32 intermediates on the
    NPU; contents afterwards unspecified), and `tir-encode-weights` adds
    `npu_weights`, the 1-D ui8 bytes of the two Ethos-U encoded 1x1 convs
    the NPU runs (input weights with the gate biases, then recurrent
    weights; gates in the order input, forget, output, cell), described by
    `npu_encoding` (one `#tir.encoded_weights` per conv, offsets into
    `npu_weights`). The raw weights stay the op's semantics.

    Example:
        tir.func @f(%x : !tir.buffer<1x3x2xi8>, %w : !tir.buffer<4x2xi8>,
                    %r : !tir.buffer<4x4xi8>, %b : !tir.buffer<4xi32>,
                    %y : !tir.buffer<1x3x4xi8>) {
          tir.sequence_lstm ins(%x, %w, %w, %w, %w, %r, %r, %r, %r, %b, %b, %b, %b
              : !tir.buffer<1x3x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>,
                !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x4xi8>,
                !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>,
                !tir.buffer<4xi32>, !tir.buffer<4xi32>, !tir.buffer<4xi32>,
                !tir.buffer<4xi32>) outs(%y : !tir.buffer<1x3x4xi8>)
              {time_major = 0, input_zp = 0, output_state_zp = -5,
               hidden_zp = -5, multiplier = array<i64: 1073741824, 1073741824,
               1073741824, 1073741824, 1073741824, 1073741824, 1073741824,
               1073741824>, shift = array<i64: 3, 3, 3, 3, 3, 3, 3, 3>,
               hidden_multiplier = 1073741824, hidden_shift = -22,
               cell_scale_log2 = -15, cell_clip = 0}
        }
    """

    name = "tir.sequence_lstm"

    input = operand_def(BufferType)
    input_to_input_weights = operand_def(BufferType)
    input_to_forget_weights = operand_def(BufferType)
    input_to_cell_weights = operand_def(BufferType)
    input_to_output_weights = operand_def(BufferType)
    recurrent_to_input_weights = operand_def(BufferType)
    recurrent_to_forget_weights = operand_def(BufferType)
    recurrent_to_cell_weights = operand_def(BufferType)
    recurrent_to_output_weights = operand_def(BufferType)
    input_gate_bias = operand_def(BufferType)
    forget_gate_bias = operand_def(BufferType)
    cell_gate_bias = operand_def(BufferType)
    output_gate_bias = operand_def(BufferType)
    npu_weights = opt_operand_def(BufferType)
    workspace = opt_operand_def(BufferType)
    output = operand_def(BufferType)
    npu_encoding = opt_prop_def(ArrayAttr[EncodedWeightsAttr])

    irdl_options = (AttrSizedOperandSegments(as_property=True),)

    EXTRA_PROPS: ClassVar[tuple[str, ...]] = ("npu_encoding",)

    def effects(self) -> Effects:
        """The inputs are read; the output and the workspace (an operand of
        `ins`, but only written) are written."""
        ins = [v for v in self.input_values() if v is not self.workspace]
        written = [self.output] + ([self.workspace] if self.workspace else [])
        return [(v, Effect.READ) for v in ins] + [(v, Effect.WRITE) for v in written]

    def verify_(self) -> None:
        self.expect_dtype("input", self.input, "int8")
        self.expect_dtype("output", self.output, "int8")
        self.expect_rank("input", self.input, 3)
        n_input = self.shape(self.input)[2]
        n_cell = self.shape(self.input_to_output_weights)[0]
        for g in LSTM_GATES:
            for kind, cols in (("input", n_input), ("recurrent", n_cell)):
                role = f"{kind}_to_{g}_weights"
                self.expect_dtype(role, getattr(self, role), "int8")
                self.expect_shape(role, getattr(self, role), (n_cell, cols))
            role = f"{g}_gate_bias"
            self.expect_dtype(role, getattr(self, role), "int32")
            self.expect_shape(role, getattr(self, role), (n_cell,))
        self.expect_shape("output", self.output, (*self.shape(self.input)[:2], n_cell))
        if self.time_major not in (0, 1):
            raise VerifyException(f"time_major must be 0 or 1, got {self.time_major}")
        self.expect_len("multiplier", 8)
        self.expect_len("shift", 8)
        lo, hi = CELL_SCALE_LOG2
        if not lo <= self.cell_scale_log2 <= hi:
            raise VerifyException(
                f"cell_scale_log2 must be in [{lo}, {hi}], got {self.cell_scale_log2}"
            )
        if not 0 <= self.cell_clip <= 32767:
            raise VerifyException(
                f"cell_clip must be in [0, 32767], got {self.cell_clip}"
            )
        if self.workspace is not None:
            self.expect_dtype("workspace", self.workspace, "int8")
        if (self.npu_weights is None) != (self.npu_encoding is None):
            raise VerifyException("npu_weights and npu_encoding come together")
        if self.npu_weights is not None:
            self.expect_rank("npu_weights", self.npu_weights, 1)
            self.expect_dtype("npu_weights", self.npu_weights, "uint8")
            assert self.npu_encoding is not None
            if len(self.npu_encoding.data) != 2:
                raise VerifyException(
                    "npu_encoding must describe 2 convs (input, recurrent), got "
                    f"{len(self.npu_encoding.data)}"
                )
            end = max(
                c.weight_offset + c.weight_length
                for e in self.npu_encoding.data
                for c in e.cores
            )
            if self.shape(self.npu_weights)[0] < end:
                raise VerifyException(
                    f"npu_encoding spans {end} bytes, npu_weights has "
                    f"{self.shape(self.npu_weights)[0]}"
                )
