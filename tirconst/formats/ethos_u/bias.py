"""Ethos-U bias/scale records: 10 bytes per output channel.

Each record is, little-endian, a 40-bit signed bias, a 32-bit unsigned scale
and a 6-bit shift (the top two bits zero). Encoding goes through
`ethosu.vela.api.npu_encode_bias`; decoding is a numpy view of the bytes.
TFLite's (multiplier m, shift s), real ≈ m · 2^(s − 31), is the record
(m, 31 − s).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tirconst.formats.ethos_u.weights import WeightFormatError

__all__ = [
    "RECORD_BYTES",
    "BiasRecords",
    "decode_bias",
    "encode_bias",
    "record_scale",
]

RECORD_BYTES = 10


@dataclass(frozen=True)
class BiasRecords:
    """Decoded records: int64 bias, scale and shift per output channel."""

    bias: np.ndarray
    scale: np.ndarray
    shift: np.ndarray

    @property
    def tflite_shift(self) -> np.ndarray:
        """TFLite's shift of each record (31 - the record's shift)."""
        return 31 - self.shift


def record_scale(
    multiplier: np.ndarray, shift: np.ndarray, reduced: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The records' (scale, shift) of TFLite's per-channel (multiplier, shift):
    (m, 31 - s); for the 16x8 reduced scale (LiteRT's 64-bit
    MultiplyByQuantizedMultiplier, Vela's `reduced_quantise_scale`) the
    15-bit multiplier with a shift 16 less."""
    m = np.asarray(multiplier, np.int64)
    record_shift = 31 - np.asarray(shift, np.int64)
    if not reduced:
        return m, record_shift
    return np.where(m < 0x7FFF0000, (m + (1 << 15)) >> 16, 0x7FFF), record_shift - 16


def encode_bias(
    bias: Sequence[int] | np.ndarray,
    scale: Sequence[int] | np.ndarray,
    shift: Sequence[int] | np.ndarray,
) -> bytes:
    """The records of per-channel (bias, scale, shift), via `npu_encode_bias`.

    Raises WeightFormatError for values the 40/32/6-bit fields cannot hold
    (Vela would assert or truncate).
    """
    from ethosu.vela.api import npu_encode_bias

    b = np.asarray(bias, dtype=np.int64).reshape(-1)
    m = np.asarray(scale, dtype=np.int64).reshape(-1)
    s = np.asarray(shift, dtype=np.int64).reshape(-1)
    if not (b.size == m.size == s.size):
        raise WeightFormatError(
            f"bias, scale and shift have {b.size}, {m.size} and {s.size} entries"
        )
    if b.size and (b.min() < -(2**39) or b.max() >= 2**39):
        raise WeightFormatError("a bias does not fit in 40 signed bits")
    if m.size and (m.min() < 0 or m.max() >= 2**32):
        raise WeightFormatError("a scale does not fit in 32 unsigned bits")
    if s.size and (s.min() < 0 or s.max() > 63):
        raise WeightFormatError("a shift is outside 0..63")
    out = bytearray()
    for bi, mi, si in zip(b.tolist(), m.tolist(), s.tolist(), strict=True):
        out += npu_encode_bias(np.int64(bi), int(mi), int(si))
    return bytes(out)


def decode_bias(data: bytes | bytearray | np.ndarray, channels: int) -> BiasRecords:
    """The first `channels` records of `data` (which may be longer: padding)."""
    raw = np.frombuffer(bytes(data), dtype=np.uint8)
    if raw.size < channels * RECORD_BYTES:
        raise WeightFormatError(
            f"bias range of {raw.size} bytes holds fewer than {channels} records of "
            f"{RECORD_BYTES} bytes"
        )
    rec = (
        raw[: channels * RECORD_BYTES].reshape(channels, RECORD_BYTES).astype(np.int64)
    )
    weights = np.int64(1) << (8 * np.arange(5, dtype=np.int64))
    bias = rec[:, :5] @ weights
    bias = np.where(bias >= 2**39, bias - 2**40, bias)
    scale = rec[:, 5:9] @ weights[:4]
    if np.any(rec[:, 9] > 63):
        raise WeightFormatError("a bias record has its reserved top bits set")
    return BiasRecords(bias, scale, rec[:, 9].copy())
