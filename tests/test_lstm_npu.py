"""The NPU form of the int8 LSTM's gate functions (tirconst.dialects.npu.lstm,
issue 25): gemmlowp's int16 logistic of Q3.12 and tanh of Q0..Q6 as Ethos-U
elementwise sequences equal LiteRT's kernels (tirconst.kernels.lstm) on
every int16 input, also after the round trip through Vela's register writer
and our disassembler; the workspace planner reuses a step's bytes. Whole
LSTMs compiled and checked from the written bytes: tests/test_lstm.py,
tests/test_networks.py."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_disasm_npu import roundtrip
from tirconst.dialects.npu.build import SCRATCH, StreamBuilder
from tirconst.dialects.npu.lstm import (
    GATE_FUNCTIONS,
    Emitter,
    LstmShape,
    workspace_and_ops,
)
from tirconst.interpreter.npu import run_stream
from tirconst.kernels.lstm import sigmoid_q3_12, tanh_int16

EVERY = np.arange(-32768, 32768).astype(np.int16).reshape(1, 64, 64, 16)
"""Every int16 value, as a feature map."""

REFERENCE = {
    "logistic_q3_12": sigmoid_q3_12,
    **{f"tanh_q{k}": (lambda x, k=k: tanh_int16(x, k)) for k in range(7)},
}
OP_COUNTS = {
    "logistic_q3_12": 76,
    **{f"tanh_q{k}": n for k, n in enumerate((60, 67, 74, 81, 88, 90, 90))},
}
"""The op counts docs/lowering.md gives."""


def gate_stream(name: str):  # type: ignore[no-untyped-def]
    """The command stream of GATE_FUNCTIONS[name] over EVERY's shape (its
    intermediates in a workspace from the scratch region's start), and its
    op count."""
    b = StreamBuilder()
    x = b.tensor("x", "input", EVERY.shape, "int16")
    y = b.tensor("y", "output", EVERY.shape, "int16")
    em = Emitter(b.accelerator, region=SCRATCH)
    with em.step():
        em.op("add", GATE_FUNCTIONS[name](em, x), 0, out=y)  # into the output
    b.space(SCRATCH, em.workspace_bytes)
    for op in em.ops:
        b.add(op)
    return b.module(), len(em.ops) - 1  # not counting the copy


@pytest.mark.parametrize("name", list(GATE_FUNCTIONS))
def test_gate_function_is_exact_on_every_int16(name: str) -> None:
    module, count = gate_stream(name)
    module.verify()
    assert count == OP_COUNTS[name]
    got = run_stream(module, {"x": EVERY})["y"].reshape(-1)
    want = REFERENCE[name](EVERY.reshape(-1).astype(np.int64))
    wrong = np.flatnonzero(got != want)
    assert wrong.size == 0, (name, EVERY.reshape(-1)[wrong[:8]])


@pytest.mark.parametrize("name", ["logistic_q3_12", "tanh_q6"])
def test_gate_function_survives_the_register_round_trip(name: str) -> None:
    module, _ = gate_stream(name)
    got = run_stream(roundtrip(module), {"x": EVERY})["y"].reshape(-1)
    want = REFERENCE[name](EVERY.reshape(-1).astype(np.int64))
    np.testing.assert_array_equal(got, want)


def test_workspace_reuses_a_steps_bytes() -> None:
    """models/networks/lstm.tflite's shape: the workspace is 7 steps' input
    terms (one conv each 7 steps), the cell state twice and one step's maps,
    so 49 steps need no more than 7."""
    shape = LstmShape(0, (1, 49, 10), 32, 0, -5, -5, 1 << 30, -20, -15, 0)
    seven = LstmShape(0, (1, 7, 10), 32, 0, -5, -5, 1 << 30, -20, -15, 0)
    assert shape.chunk == seven.chunk == 7
    (size, ops), (size7, ops7) = workspace_and_ops(shape), workspace_and_ops(seven)
    assert size == size7 < 7 * 128 * 2 + 4096
    assert ops == 11028  # docs/lowering.md
    assert (ops - ops7 - 6) % 42 == 0  # 6 more input convs, 42 steps alike
