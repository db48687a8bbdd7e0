"""tir-pair-columns: a stride-2 conv over one input channel (or more of the
function's own input) as a stride-1 conv over column pairs, the same bits
in the tir interpreter and on the device (the compiled file's NPU program
against LiteRT)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import assert_equivalent
from tests.npu_cases import random_conv, tir_conv_text
from tests.test_device_bytes import (
    assert_device_exact,
    assert_program_equals_litert,
    compiled,
)
from tests.test_npu_spatial import conv_bias
from tests.test_tflite_litert import Op, T, build_tflite
from tirconst.core.context import context, load
from tirconst.dialects.tir import Conv2DOp
from tirconst.tools.compile import Compiler
from tirconst.transforms.pair_columns import PairColumnsPass, paired_filter


def _convs(module) -> list[Conv2DOp]:  # type: ignore[no-untyped-def]
    return [o for o in module.walk() if isinstance(o, Conv2DOp)]


def test_paired_filter_places_each_tap() -> None:
    for c in (1, 3):
        w = np.arange(1, 1 + 2 * 3 * 5 * c, dtype=np.int8).reshape(2, 3, 5, c)
        for lead in (0, 1):
            p = paired_filter(w, lead)
            assert p.shape == (2, 3, -(-(lead + 5) // 2), 2 * c)
            # column 2j + b of the pairs is pair j, channels b*c to b*c + c - 1
            cols = p.reshape(2, 3, -1, c)
            assert np.array_equal(cols[:, :, lead : lead + 5], w)
            assert not cols[:, :, :lead].any() and not cols[:, :, lead + 5 :].any()


@st.composite
def cases(draw):  # type: ignore[no-untyped-def]
    kh, kw = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    sy = draw(st.integers(1, 3))
    pad = tuple(draw(st.integers(0, k - 1)) for k in (kh, kw, kh, kw))
    h = draw(st.integers(kh, 12))
    w = 2 * draw(st.integers(max(1, -(-kw // 2)), 10))
    co = draw(st.integers(1, 20))
    ci = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    return kh, kw, sy, pad, h, w, co, ci, seed


@settings(max_examples=40, deadline=None)
@given(cases())
def test_pairing_keeps_the_bits(case) -> None:  # type: ignore[no-untyped-def]
    """Any stride-2 conv over the function's input of C channels the NPU
    runs is paired (stride 1 over (H, W/2, 2C)) and computes what it did,
    bit for bit."""
    kh, kw, sy, pad, h, w, co, ci, seed = case
    rng = np.random.default_rng(seed)
    wts, bias, m, s = random_conv(rng, co, kh, kw, ci)
    zp = int(rng.integers(-20, 20))
    text = "builtin.module {\n" + tir_conv_text(
        (1, h, w, ci), wts, bias, m, s, stride=(sy, 2), pad=pad, input_zp=zp,
        output_zp=int(rng.integers(-20, 20)),
    ) + "}\n"  # fmt: skip
    module = load(text)
    PairColumnsPass().apply(context(), module)
    module.verify()
    (conv,) = _convs(module)
    shape = conv.input.type.get_shape()  # type: ignore[union-attr]
    if tuple(shape) == (1, h, w // 2, 2 * ci):
        assert tuple(conv.params()["stride"]) == (sy, 1)
    else:  # left alone only where the paired form is not an NPU op
        assert tuple(shape) == (1, h, w, ci)
    assert_equivalent(text, module)


def strided_conv_model(
    rng: np.random.Generator,
    hw: tuple[int, int],
    co: int,
    k: tuple[int, int],
    stride: tuple[int, int],
    same: bool,
    ci: int = 1,
) -> bytes:
    """One CONV_2D over `ci` input channels with a bias and per-channel
    filter scales."""
    (h, w), (kh, kw), (sy, sx) = hw, k, stride
    if same:
        oh, ow = -(-h // sy), -(-w // sx)
    else:
        oh, ow = (h - kh) // sy + 1, (w - kw) // sx + 1
    wt = rng.integers(-127, 128, (co, kh, kw, ci)).astype(np.int8)
    fs = [float(np.float32(v)) for v in rng.uniform(0.002, 0.03, co)]
    s_in = float(np.float32(rng.uniform(0.01, 0.1)))
    tensors = [
        T((1, h, w, ci), np.int8, s_in, int(rng.integers(-20, 20))),
        T((co, kh, kw, ci), np.int8, fs, 0, 0, data=wt),
        conv_bias(rng, s_in, fs),
        T((1, oh, ow, co), np.int8, 0.3, int(rng.integers(-20, 20))),
    ]
    opts = {"Padding": 0 if same else 1, "StrideW": sx, "StrideH": sy}
    op = Op("CONV_2D", [0, 1, 2], [3], ("Conv2DOptions", opts))
    return build_tflite(tensors, [op], [0], [3])


def _paired(model: Path) -> bool:
    module, _ = Compiler(model, "ethos-u55-128", None).run()
    text = str(module)
    return "_pairs" in text


def test_fingerprint_like_conv_is_paired_and_exact(tmp_path: Path) -> None:
    """A 5x5 stride-2 conv over 40x40x1 (fingerprint's first conv, smaller):
    the cycle model pairs it in Performance mode, and the file is exact."""
    data = strided_conv_model(
        np.random.default_rng(3), (40, 40), 8, (5, 5), (2, 2), False
    )
    model, written, remarks = compiled(tmp_path, "pc", data)
    assert not remarks, remarks
    assert assert_device_exact(model, written) == 1
    assert_program_equals_litert(model, 0)
    assert _paired(model)


def test_rgb_input_conv_is_paired_and_exact(tmp_path: Path) -> None:
    """A 3x3 stride-2 conv over a 48x48x3 model input (a network's RGB
    input, smaller): paired (3x2 over 48x24x6) in Performance mode, as
    Vela's legacy core pairs a network's first op, and exact."""
    data = strided_conv_model(
        np.random.default_rng(5), (48, 48), 16, (3, 3), (2, 2), True, 3
    )
    model, written, remarks = compiled(tmp_path, "rgb", data)
    assert not remarks, remarks
    assert assert_device_exact(model, written) == 1
    assert_program_equals_litert(model, 0)
    assert _paired(model)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**16),
    hw=st.tuples(st.integers(4, 16), st.integers(2, 12).map(lambda v: 2 * v)),
    co=st.integers(1, 24),
    k=st.tuples(st.integers(1, 4), st.integers(1, 8)),
    sy=st.integers(1, 2),
    same=st.booleans(),
    ci=st.integers(1, 4),
)
def test_random_strided_conv_device_exact(
    tmp_path: Path, seed, hw, co, k, sy, same, ci
) -> None:  # type: ignore[no-untyped-def]
    """Stride-2 convs over a model's input of 1-4 channels, paired where
    the cycle model says so: exact from the file's bytes and equal to
    LiteRT."""
    if k[0] > hw[0] or k[1] > hw[1]:
        return
    data = strided_conv_model(np.random.default_rng(seed), hw, co, k, (sy, 2), same, ci)
    model, written, remarks = compiled(tmp_path, "sc", data)
    assert not remarks, remarks
    assert assert_device_exact(model, written, seeds=(0,)) == 1
    assert_program_equals_litert(model, 0)
