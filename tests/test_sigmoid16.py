"""LiteRT's int16 LOGISTIC and TANH (tirconst.kernels.sigmoid16) against
LiteRT BUILTIN_REF on every int16 input, and the table measured again."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_tflite_litert import Op, T, _interpreter, build_tflite
from tirconst.kernels.sigmoid16 import (
    SIGMOID_TABLE,
    input_scaling,
    scale_input,
    sigmoid16,
    tanh16,
)

ALL = np.arange(-32768, 32768, dtype=np.int64)


def _litert(opcode: str, scale: float, x: np.ndarray) -> np.ndarray:
    n = x.size
    model = build_tflite(
        [T((1, n), np.int16, scale, 0), T((1, n), np.int16, 1 / 32768, 0)],
        [Op(opcode, [0], [1])],
        [0],
        [1],
    )
    it = _interpreter(model)
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x.reshape(1, n).astype(np.int16))
    it.invoke()
    return it.get_tensor(it.get_output_details()[0]["index"]).reshape(-1)


def test_table_measured_from_litert() -> None:
    # input scale 2/(3*4096): the table's scale is 2x, so 128*i reads entry i
    got = _litert("TANH", 2 / 12288, 128 * np.arange(255)).astype(np.int64) + 32768
    assert got.tolist() == SIGMOID_TABLE[:255].tolist()
    # the last entry through the interpolation toward it (65534 vs 65535)
    assert _litert("TANH", 2 / 12288, np.array([254 * 128 + 127]))[0] == 32767


@pytest.mark.parametrize(
    "scale", [2**-12, 2**-11, 2**-10, 1 / 12288, 3.1e-4, 1.7e-3, 9e-5]
)
@pytest.mark.parametrize("opcode", ["LOGISTIC", "TANH"])
def test_every_int16_input(opcode: str, scale: float) -> None:
    fn = sigmoid16 if opcode == "LOGISTIC" else tanh16
    m, s = input_scaling(scale)
    want = _litert(opcode, scale, ALL).astype(np.int64)
    got = fn(scale_input(ALL, m, s))
    wrong = np.flatnonzero(got != want)
    assert wrong.size == 0, (opcode, scale, ALL[wrong[:5]], got[wrong[:5]])
