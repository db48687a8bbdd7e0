"""int8 SOFTMAX over more than 256 channels on the NPU: the row maximum is a
pool per window of 256 channels and a pool of their maxima; the rest is
Vela's sequence. Compiled, disassembled from the written file, run, equal
to LiteRT (BUILTIN_REF) on inputs where LiteRT returns; from 512 channels a
row whose sum of exponentials reaches 2^28 makes LiteRT's reference kernel
assert (its final shift passes 31), and there the lowered program equals
tir.softmax's kernel (the row is the output zero point). Over 4095 channels
(the int32 sum could wrap) the softmax stays on the CPU with a remark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_device_bytes import compiled, softmax_model
from tests.test_importer_litert import litert
from tests.test_npu_spatial import assert_stream_equals_litert
from tirconst.backend.ethos_u.containers import read_tflite_segments
from tirconst.frontend.importer import import_tflite
from tirconst.frontend.tflite_params import softmax_exp_table
from tirconst.interpreter import run_function
from tirconst.kernels.fixedpoint import rounding_divide_by_pot
from tirconst.tools.compile import Compiler


def litert_returns(x: np.ndarray, p: dict) -> bool:
    """Whether LiteRT's reference softmax returns on `x`: every row's sum
    of exponentials (Q12.19) stays below 2^28 (else gemmlowp asserts)."""
    s, beta = float(np.float32(p["scale"])), float(np.float32(p["beta"]))
    table = softmax_exp_table(s, beta).astype(np.int64)
    rows = x.reshape(-1, x.shape[-1]).astype(np.int64)
    e = table[rows - rows.max(axis=1, keepdims=True) + 255]
    return bool((rounding_divide_by_pot(e, 12).sum(axis=1) < 2**28).all())


def _inputs(shape: tuple[int, ...], zp: int, seed: int) -> list[np.ndarray]:
    """Over the whole int8 range; few distinct values (ties at the
    maximum); rows of one value (the largest sums)."""
    rng = np.random.default_rng(seed)
    full = rng.integers(-128, 128, shape)
    few = (rng.integers(-2, 3, shape) * 9 + zp).clip(-128, 127)
    flat = np.broadcast_to(rng.integers(-128, 128, (*shape[:-1], 1)), shape)
    return [a.astype(np.int8) for a in (full, few, flat)]


_WIDE = st.fixed_dictionaries(
    {
        "lead": st.lists(st.integers(1, 3), max_size=2).map(tuple),
        "c": st.one_of(
            st.integers(257, 2000), st.sampled_from([257, 511, 512, 513, 2000])
        ),
        "beta": st.one_of(st.floats(0.05, 3.0), st.sampled_from([1.0, 0.5])),
        "scale": st.floats(0.001, 1.0),
        "zp": st.integers(-128, 127),
    }
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(p=_WIDE, seed=st.integers(0, 2**16))
def test_random_wide_softmax_device_exact(tmp_path: Path, p: dict, seed: int) -> None:
    """257-2000 channels, rank 1-3, any beta, scale and zero point: one NPU
    segment; from the written file, equal to LiteRT on every input where
    LiteRT returns; the whole compiled program equal to LiteRT there and
    to the imported tir program on every input."""
    model, written, remarks = compiled(tmp_path, "wide", softmax_model(p))
    assert len(read_tflite_segments(written)) == 1 and not remarks, remarks
    source = import_tflite(model)
    lowered, _ = Compiler(model, "ethos-u55-128", None).run()
    shape = (*p["lead"], p["c"])
    for x in _inputs(shape, p["zp"], seed):
        want = run_function(source, {"input0": x})["output0"]
        got = run_function(lowered, {"input0": x})["output0"]
        assert np.array_equal(got, want)
        if litert_returns(x, p):
            assert_stream_equals_litert(model, written, x)
            interp = litert(model, {"input0": x})
            ref = interp.get_tensor(interp.get_output_details()[0]["index"])
            assert np.array_equal(got.reshape(ref.shape), ref)


def test_softmax_over_4095_channels_stays_on_the_cpu(tmp_path: Path) -> None:
    p = {"lead": (1,), "c": 4100, "beta": 1.0, "scale": 0.1, "zp": 0}
    model, written, remarks = compiled(tmp_path, "huge", softmax_model(p))
    assert len(read_tflite_segments(written)) == 0
    assert len(remarks) == 1 and "could pass int32" in remarks[0], remarks
