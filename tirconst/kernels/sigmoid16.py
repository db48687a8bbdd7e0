"""LiteRT's int16 LOGISTIC and TANH (reference_integer_ops Logistic/Tanh,
the kernels BUILTIN_REF runs for int16): a 256-entry table of sigmoid(i/24)
in unsigned 0.16, linearly interpolated on the input's low bits, with
tanh(x) = 2·sigmoid(2x) − 1 read from the same table.

The Ethos-U's int16 SIGMOID and TANH activation functions compute the same
(Vela relies on it: it scales their input to 1/(3·4096), the input
multiplier LiteRT's Prepare computes, see `input_scaling`); the npu
interpreter runs them with these functions.

The table was measured from LiteRT's int16 TANH (input scale 2/(3·4096),
inputs 128·i give entry i − 32768 exactly); tests/test_sigmoid16.py
measures it again and checks both functions on every int16 input.
"""

from __future__ import annotations

import math

import numpy as np

SIGMOID_TABLE = np.array(
    [
        32768,
        33451,
        34133,
        34813,
        35493,
        36169,
        36843,
        37513,
        38180,
        38841,
        39498,
        40149,
        40794,
        41432,
        42064,
        42688,
        43304,
        43912,
        44511,
        45102,
        45683,
        46255,
        46817,
        47369,
        47911,
        48443,
        48964,
        49475,
        49975,
        50464,
        50942,
        51409,
        51865,
        52311,
        52745,
        53169,
        53581,
        53983,
        54374,
        54755,
        55125,
        55485,
        55834,
        56174,
        56503,
        56823,
        57133,
        57433,
        57724,
        58007,
        58280,
        58544,
        58800,
        59048,
        59288,
        59519,
        59743,
        59959,
        60168,
        60370,
        60565,
        60753,
        60935,
        61110,
        61279,
        61441,
        61599,
        61750,
        61896,
        62036,
        62172,
        62302,
        62428,
        62549,
        62666,
        62778,
        62886,
        62990,
        63090,
        63186,
        63279,
        63368,
        63454,
        63536,
        63615,
        63691,
        63765,
        63835,
        63903,
        63968,
        64030,
        64090,
        64148,
        64204,
        64257,
        64308,
        64357,
        64405,
        64450,
        64494,
        64536,
        64576,
        64614,
        64652,
        64687,
        64721,
        64754,
        64786,
        64816,
        64845,
        64873,
        64900,
        64926,
        64950,
        64974,
        64997,
        65019,
        65039,
        65060,
        65079,
        65097,
        65115,
        65132,
        65149,
        65164,
        65179,
        65194,
        65208,
        65221,
        65234,
        65246,
        65258,
        65269,
        65280,
        65291,
        65301,
        65310,
        65319,
        65328,
        65337,
        65345,
        65352,
        65360,
        65367,
        65374,
        65381,
        65387,
        65393,
        65399,
        65404,
        65410,
        65415,
        65420,
        65425,
        65429,
        65433,
        65438,
        65442,
        65445,
        65449,
        65453,
        65456,
        65459,
        65462,
        65465,
        65468,
        65471,
        65474,
        65476,
        65479,
        65481,
        65483,
        65485,
        65488,
        65489,
        65491,
        65493,
        65495,
        65497,
        65498,
        65500,
        65501,
        65503,
        65504,
        65505,
        65507,
        65508,
        65509,
        65510,
        65511,
        65512,
        65513,
        65514,
        65515,
        65516,
        65517,
        65517,
        65518,
        65519,
        65520,
        65520,
        65521,
        65522,
        65522,
        65523,
        65523,
        65524,
        65524,
        65525,
        65525,
        65526,
        65526,
        65526,
        65527,
        65527,
        65528,
        65528,
        65528,
        65529,
        65529,
        65529,
        65529,
        65530,
        65530,
        65530,
        65530,
        65531,
        65531,
        65531,
        65531,
        65531,
        65532,
        65532,
        65532,
        65532,
        65532,
        65532,
        65533,
        65533,
        65533,
        65533,
        65533,
        65533,
        65533,
        65533,
        65534,
        65534,
        65534,
        65534,
        65534,
        65534,
        65534,
        65534,
        65534,
        65534,
        65535,
    ],
    dtype=np.int64,
)


def input_scaling(scale: float) -> tuple[int, int]:
    """(multiplier, left shift) of LiteRT's int16 Logistic/Tanh Prepare for
    an input scale: the table wants 1/(3·4096); scales 2^-12 and (tanh)
    2^-11 are exact as (3 << shift, 0)."""
    log2 = math.log2(scale)
    shift = round(log2) + 12
    if abs(log2 - round(log2)) < 1e-3 and shift in (0, 1):
        return 3 << shift, 0
    multiplier = scale * 4096.0 * 3.0
    shift = 0
    while multiplier <= 32767.0 / 2.0 and shift <= 30:
        shift += 1
        multiplier *= 2.0
    return int(multiplier), shift


def scale_input(x: np.ndarray, multiplier: int, shift: int) -> np.ndarray:
    """(x · multiplier + round) >> shift: the value on the table's scale."""
    rnd = (1 << (shift - 1)) if shift > 0 else 0
    return (np.asarray(x, dtype=np.int64) * multiplier + rnd) >> shift


def sigmoid16(v: np.ndarray) -> np.ndarray:
    """Logistic of `v` (on the 1/(3·4096) scale) in Q0.15, int64."""
    v = np.asarray(v, dtype=np.int64)
    a = np.abs(v)
    uh = np.minimum(a >> 9, 254)
    ua, ub = SIGMOID_TABLE[uh], SIGMOID_TABLE[uh + 1]
    res = np.where(a >> 9 >= 255, 0x7FFF << 10, (ua << 9) + (a & 0x1FF) * (ub - ua))
    res = np.where(v >= 0, res + (1 << 9), (1 << 25) - res + (1 << 9) - 1)
    return res >> 10


def tanh16(v: np.ndarray) -> np.ndarray:
    """Tanh of `v` (on the 1/(3·4096) scale) in Q0.15, int64."""
    v = np.asarray(v, dtype=np.int64)
    a = np.abs(v)
    uh = np.minimum(a >> 8, 254)
    ua, ub = SIGMOID_TABLE[uh], SIGMOID_TABLE[uh + 1]
    res = np.where(a >> 8 >= 255, 0xFFFF << 8, (ua << 8) + (a & 0xFF) * (ub - ua))
    res = np.where(v >= 0, res - (1 << 23) + (1 << 7), -res + (1 << 23) + (1 << 7) - 1)
    return res >> 8
