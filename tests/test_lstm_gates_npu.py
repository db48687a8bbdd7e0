"""The integer LSTM's gate functions as Ethos-U elementwise sequences
(bench/lstm_gates_npu.py): gemmlowp's int16 logistic of Q3.12 and tanh of
Q0..Q6, run by the npu interpreter, equal LiteRT's kernels
(tirconst.kernels.lstm) on every int16 input, before and after the round
trip through Vela's register writer and our disassembler."""

from __future__ import annotations

import numpy as np
import pytest

from bench.lstm_gates_npu import EVERY, FUNCTIONS, mismatches, stream
from tests.test_disasm_npu import roundtrip
from tirconst.interpreter.npu import run_stream


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_gate_function_is_exact_on_every_int16(name: str) -> None:
    count, wrong, first = mismatches(name)
    assert wrong == 0, (name, first)
    assert count <= 90  # op counts of the sequences (docstring of the bench)


@pytest.mark.parametrize("name", ["logistic_q3_12", "tanh_q4", "tanh_q6"])
def test_gate_function_survives_the_register_round_trip(name: str) -> None:
    module, _ = stream(name)
    back = roundtrip(module)
    got = run_stream(back, {"x": EVERY})["y"].reshape(-1)
    want = FUNCTIONS[name][1](EVERY.reshape(-1).astype(np.int64))
    np.testing.assert_array_equal(got, want)
