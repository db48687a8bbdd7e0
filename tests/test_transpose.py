"""TRANSPOSE on the NPU as copies between strided feature maps (issue 25):
the channel shuffle, H/W swaps and any permutation within
`transpose_copies`' bound, compiled from the file and equal to LiteRT;
outside the bound a CPU remark."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_device_bytes import (
    assert_device_exact,
    assert_program_equals_litert,
    compiled,
)
from tests.test_tflite_litert import Op, T, build_tflite
from tirconst.analysis.npu_support import MAX_TRANSPOSE_COPIES, transpose_copies

SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _model(shape: tuple[int, ...], perm: list[int], dtype: type) -> bytes:
    zp = 0 if dtype is np.int16 else 3
    tensors = [
        T(shape, dtype, 0.05, zp),
        T((len(shape),), np.int32, data=np.array(perm, np.int32)),
        T(tuple(shape[p] for p in perm), dtype, 0.05, zp),
    ]
    ops = [Op("TRANSPOSE", [0, 1], [2], ("TransposeOptions", {}))]
    return build_tflite(tensors, ops, [0], [2])


def _reference(shape: tuple[int, ...], perm: list[int]) -> np.ndarray:
    """The transpose by the plan's copies, on indices (the plan's meaning)."""
    x = np.arange(int(np.prod(shape))).reshape(shape)
    out = np.full(x.size, -1)
    plan = transpose_copies(shape, perm)
    assert not isinstance(plan, str), plan
    for c in plan:
        for idx in np.ndindex(*c.shape):
            s = c.src_offset + sum(
                i * k for i, k in zip(idx, c.src_strides, strict=True)
            )
            d = c.dest_offset + sum(
                i * k for i, k in zip(idx, c.dest_strides, strict=True)
            )
            assert out[d] == -1  # every output element written once
            out[d] = x.reshape(-1)[s]
    return out.reshape([shape[p] for p in perm])


@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=5),
    data=st.data(),
)
def test_plan_is_the_transpose(shape: list[int], data: st.DataObject) -> None:
    """Where a plan exists, its copies write every output element once with
    the transposed input element; every copy is an NPU feature map."""
    perm = data.draw(st.permutations(range(len(shape))))
    plan = transpose_copies(shape, perm)
    if isinstance(plan, str):
        return
    assert len(plan) <= MAX_TRANSPOSE_COPIES
    x = np.arange(int(np.prod(shape))).reshape(shape)
    assert np.array_equal(_reference(tuple(shape), perm), x.transpose(perm))


def _shuffle(g: int, n: int, h: int, w: int) -> tuple[tuple[int, ...], list[int]]:
    return (1, h, w, g, n), [0, 1, 2, 4, 3]


@SETTINGS
@given(
    case=st.one_of(
        st.builds(_shuffle, *(st.integers(1, 5),) * 4),
        st.builds(
            lambda h, w, c: ((1, h, w, c), [0, 2, 1, 3]), *(st.integers(1, 6),) * 3
        ),
        st.builds(lambda h, w: ((h, w), [1, 0]), *(st.integers(1, 9),) * 2),
        st.builds(
            lambda s, p: (tuple(s), p),
            st.lists(st.integers(1, 4), min_size=3, max_size=3).map(lambda s: [1, *s]),
            st.permutations([1, 2, 3]).map(lambda p: [0, *p]),
        ),
    ),
    dtype=st.sampled_from([np.int8, np.int16]),
)
def test_transpose_on_the_npu(
    tmp_path: Path, case: tuple[tuple[int, ...], list[int]], dtype: type
) -> None:
    """A TRANSPOSE within the bound compiles to NPU copies only, bit-exact
    from the written file and equal to LiteRT."""
    shape, perm = case
    plan = transpose_copies(shape, perm)
    assert not isinstance(plan, str), plan
    model, written, remarks = compiled(tmp_path, "t", _model(shape, perm, dtype))
    assert not remarks, remarks
    assert assert_device_exact(model, written, seeds=(0,)) == 1
    assert_program_equals_litert(model, 1)


def test_transpose_beyond_the_bound_stays_on_the_cpu(tmp_path: Path) -> None:
    """A transpose needing more than 64 copies stays on the CPU, with a
    remark saying why (4 axes of 9 reversed: 81 copies of one channel)."""
    shape, perm = (1, 9, 9, 9, 9), [0, 4, 3, 2, 1]
    assert isinstance(transpose_copies(shape, perm), str)
    _, _, remarks = compiled(tmp_path, "t", _model(shape, perm, np.int8))
    assert any("transpose" in r and "at most 64" in r for r in remarks), remarks
