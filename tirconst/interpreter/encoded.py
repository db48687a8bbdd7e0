"""Running an op whose weights are Ethos-U encoded (`#tir.encoded_weights`).

The op's filter operand holds the bytes (a constant, or a copy of one): at
run time they are decoded with the same decoders the npu interpreter uses
(`tirconst.formats.ethos_u`): weights from each core's stream, bias from its
records, multiplier = record scale, shift = 31 - record shift. A decode
forks (Vela's C decoder exit()s on corrupt input), so results are cached by
(content hash, encoding).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from tirconst.dialects.tir import (
    EncodedWeightsAttr,
    WeightedOp,
)
from tirconst.formats.ethos_u import (
    ACCELERATORS,
    WeightFormatError,
    decode_weights,
)

__all__ = ["DecodedWeights", "decode_encoded"]


@dataclass(frozen=True)
class DecodedWeights:
    """The op's logical filter (int8), bias (int32; int64 for 16x8),
    multiplier and shift."""

    filter: np.ndarray
    bias: np.ndarray
    multiplier: np.ndarray
    shift: np.ndarray


_CACHE: dict[tuple[bytes, EncodedWeightsAttr, str], DecodedWeights] = {}
_CACHE_LIMIT = 4096


def decode_encoded(op: WeightedOp, data: np.ndarray) -> DecodedWeights:
    """Decode the bytes `data` the op reads; WeightFormatError if they do not
    decode to int8 weights and int32 biases the op's integers can hold."""
    attr = op.encoded_weights
    assert isinstance(attr, EncodedWeightsAttr)
    raw = np.ascontiguousarray(data, dtype=np.uint8).tobytes()
    key = (hashlib.sha256(raw).digest(), attr, op.name)
    hit = _CACHE.get(key)
    if hit is None:
        hit = _decode(op, raw, attr)
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[key] = hit
    return hit


def _decode(op: WeightedOp, raw: bytes, attr: EncodedWeightsAttr) -> DecodedWeights:
    cores = attr.cores
    first = attr.weight_encodings()[0]
    step = ACCELERATORS[first.accelerator].cores
    co = attr.channels
    _, kh, kw, ci = first.shape
    weights = np.zeros((co, kh, kw, ci), np.int16)
    records = attr.records(raw)
    for k, c in enumerate(cores):
        enc = c.stream_encoding
        stream = raw[c.weight_offset : c.weight_offset + c.weight_length]
        part = decode_weights(stream, enc)
        channels = slice(k, None, step)
        if weights[channels].shape != part.shape:
            raise WeightFormatError(
                f"core {k} holds {part.shape[0]} channels, expected "
                f"{weights[channels].shape[0]}"
            )
        weights[channels] = part
    bias, scale, shift = records.bias, records.scale, records.tflite_shift
    if weights.size and (weights.min() < -128 or weights.max() > 127):
        raise WeightFormatError("decoded weights lie outside int8")
    wide = op.ifm_bits() == 16  # 16x8: an int64 bias (40 bits in the records)
    if not wide and bias.size and (bias.min() < -(2**31) or bias.max() >= 2**31):
        raise WeightFormatError("a decoded bias does not fit int32")
    if op.reduced_scale(bias):  # 15-bit records: back to the op's Q0.31 form
        scale, shift = scale << 16, shift - 16
    if scale.size and scale.max() >= 2**31:
        raise WeightFormatError("a decoded scale does not fit int32")
    w8 = weights.astype(np.int8)
    logical = op.from_ohwi(w8)  # the op's own layout
    out = DecodedWeights(
        np.ascontiguousarray(logical),
        bias if wide else bias.astype(np.int32),
        scale.astype(np.int32),
        shift.astype(np.int32),
    )
    for a in (out.filter, out.bias, out.multiplier, out.shift):
        a.setflags(write=False)
    return out
