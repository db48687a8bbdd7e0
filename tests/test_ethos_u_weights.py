"""The Ethos-U weight and bias codec against Vela's own encoder (the ground
truth): a stream decoded back to OHWI equals the volume encoded with
`ethosu.vela.api.npu_encode_weights`, for conv, depthwise and fully connected,
both traversals, block depths 8/16/32/64, dilation 1 and 2."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from ethosu import mlw_codec
from ethosu.vela.api import npu_encode_bias

from tirconst.formats.ethos_u import (
    ACCELERATORS,
    WeightEncoding,
    WeightFormatError,
    decode_bias,
    decode_stream_values,
    decode_weights,
    encode_bias,
    encode_weights,
    stream_index_map,
)

SHAPES = {
    "conv": [(5, 3, 3, 7), (40, 3, 5, 37), (17, 9, 10, 3)],
    "depthwise": [(20, 3, 3, 1), (33, 9, 10, 1)],
    "fc": [(19, 1, 1, 70), (8, 1, 1, 8)],
}
CASES = [
    (kind, traversal, depth, dilation)
    for kind, traversal, depth, dilation in itertools.product(
        SHAPES, ("depth_first", "part_kernel_first"), (8, 16, 32, 64), (1, 2)
    )
    if not (kind == "depthwise" and traversal == "part_kernel_first")
    and not (kind == "fc" and dilation == 2)
]


@pytest.mark.parametrize("bits", [8, 16])
@pytest.mark.parametrize("kind,traversal,depth,dilation", CASES)
def test_decode_inverts_vela_encoder(kind, traversal, depth, dilation, bits):
    """Every layout, for 8- and 16-bit IFMs (16-bit part-kernel-first pads
    the sub-kernel elements to pairs, not fours)."""
    rng = np.random.default_rng(depth * 7 + dilation)
    for shape in SHAPES[kind]:
        zp = 0 if kind == "depthwise" else 3
        w = rng.integers(-120, 120, shape).astype(np.int8)
        enc = WeightEncoding(
            "ethos-u55-128",
            depth,
            traversal,
            dilation,
            dilation,
            kind == "depthwise",
            shape,
            zp,
            bits,
        )
        stream = encode_weights(w, enc)
        assert len(stream) % 16 == 0
        np.testing.assert_array_equal(decode_weights(stream, enc), w)
        np.testing.assert_array_equal(decode_stream_values(stream, enc), w - zp)
        # the index map is the brick order itself, padding included
        values = np.asarray(mlw_codec.decode(bytearray(stream)))
        index = stream_index_map(enc)
        assert values.size == index.size
        expect = np.where(index >= 0, (w.astype(int) - zp).reshape(-1)[index], 0)
        np.testing.assert_array_equal(values, expect)


@pytest.mark.parametrize("accelerator", sorted(ACCELERATORS))
def test_every_accelerator_micro_block(accelerator):
    rng = np.random.default_rng(1)
    w = rng.integers(-127, 128, (21, 2, 3, 19)).astype(np.int8)
    for traversal in ("depth_first", "part_kernel_first"):
        enc = WeightEncoding(accelerator, 16, traversal, 1, 1, False, w.shape)
        np.testing.assert_array_equal(decode_weights(encode_weights(w, enc), enc), w)


def test_wrong_block_depth_is_detected():
    w = np.random.default_rng(2).integers(-127, 128, (40, 3, 3, 9)).astype(np.int8)
    enc = WeightEncoding("ethos-u55-128", 32, "depth_first", 1, 1, False, w.shape)
    stream = encode_weights(w, enc)
    other = WeightEncoding(
        "ethos-u55-128", 16, "part_kernel_first", 1, 1, False, w.shape
    )
    with pytest.raises(WeightFormatError):
        np.testing.assert_array_equal(decode_weights(stream, other), w)
        raise AssertionError("decoded with the wrong encoding but equal")


def test_bad_streams_and_volumes():
    enc = WeightEncoding("ethos-u55-128", 16, "depth_first", 1, 1, False, (8, 1, 1, 8))
    with pytest.raises(WeightFormatError, match="multiple of 16"):
        decode_weights(b"\x00\x01\x02", enc)
    stream = encode_weights(np.ones((8, 1, 1, 8), np.int8), enc)
    # cut short: the C codec would exit() the process; here it is an error
    with pytest.raises(WeightFormatError, match="does not decode"):
        decode_weights(bytes(16) + stream[:16], enc)
    with pytest.raises(WeightFormatError, match="holds 0 values"):
        decode_weights(b"\xff" * 32, enc)
    with pytest.raises(WeightFormatError, match=r"\[-255, 255\]"):
        shifted = WeightEncoding(
            "ethos-u55-128", 16, "depth_first", 1, 1, False, (8, 1, 1, 8), -100
        )
        encode_weights(np.full((8, 1, 1, 8), 200, np.int16), shifted)
    with pytest.raises(WeightFormatError, match="shape"):
        encode_weights(np.zeros((4, 1, 1, 8), np.int8), enc)
    with pytest.raises(WeightFormatError, match="block depth"):
        WeightEncoding("ethos-u55-128", 12, "depth_first", 1, 1, False, (8, 1, 1, 8))
    with pytest.raises(WeightFormatError, match="accelerator"):
        WeightEncoding("ethos-u99", 16, "depth_first", 1, 1, False, (8, 1, 1, 8))


def test_bias_records_match_vela():
    assert encode_bias([-1234], [1518500250], [38]).hex() == "2efbffffff9a79825a26"
    rng = np.random.default_rng(3)
    b = rng.integers(-(2**39), 2**39, 20)
    m = rng.integers(0, 2**32, 20)
    s = rng.integers(0, 64, 20)
    data = encode_bias(b, m, s)
    assert data == b"".join(
        npu_encode_bias(np.int64(x), int(y), int(z))
        for x, y, z in zip(b, m, s, strict=True)
    )
    rec = decode_bias(data + b"\xff" * 6, 20)
    np.testing.assert_array_equal(rec.bias, b)
    np.testing.assert_array_equal(rec.scale, m)
    np.testing.assert_array_equal(rec.shift, s)
    with pytest.raises(WeightFormatError, match="40 signed bits"):
        encode_bias([2**39], [0], [0])
    with pytest.raises(WeightFormatError, match="fewer than"):
        decode_bias(data[:15], 2)


def test_docs_example_runs():
    """The Python example of docs/npu.md runs as written."""
    import re
    from pathlib import Path

    text = (Path(__file__).parents[1] / "docs" / "npu.md").read_text()
    (code,) = re.findall(r"```python\n(.*?)```", text, re.S)
    w = np.random.default_rng(4).integers(-127, 128, (16, 3, 3, 8)).astype(np.int8)
    exec(compile(code, "docs/npu.md", "exec"), {"w": w})


def test_encoding_attribute_round_trips():
    from xdsl.utils.exceptions import VerifyException

    from tirconst.dialects.npu import WeightEncodingAttr

    enc = WeightEncoding(
        "ethos-u55-64", 32, "part_kernel_first", 2, 1, False, (9, 3, 3, 5), -4
    )
    attr = WeightEncodingAttr.of(enc)
    assert attr.encoding == enc
    assert attr.dilation == (1, 2)  # [y, x]
    with pytest.raises(VerifyException, match="block depth"):
        WeightEncodingAttr.make(
            accelerator="ethos-u55-64", shape=(9, 3, 3, 5), block_depth=12
        )
