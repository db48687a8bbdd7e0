"""Bit-exact numpy kernels for TFLite's int8 reference operators.

Each kernel computes exactly what the corresponding TFLite kernel computes
under LiteRT's ``BUILTIN_REF`` op resolver, with the integer parameters of
:mod:`tirconst.frontend.tflite_params` passed as keyword arguments.
"""

from .activations import (
    hard_swish,
    leaky_relu,
    logistic,
    lookup,
    prelu,
    relu,
    softmax,
    softmax_int16,
)
from .conv import (
    batch_matmul,
    conv2d,
    depthwise_conv2d,
    fully_connected,
    transpose_conv2d,
)
from .elementwise import (
    abs,
    add,
    maximum,
    minimum,
    mul,
    neg,
    rsqrt,
    squared_difference,
    sub,
)
from .lstm import sequence_lstm
from .pooling import avg_pool2d, max_pool2d
from .quantize import dequantize, quantize
from .reduce import arg_max, mean, reduce_max, reduce_min, reduce_sum
from .shape import (
    concatenation,
    mirror_pad,
    pack,
    pad,
    reshape,
    resize_bilinear,
    resize_nearest,
    reverse,
    squeeze,
    strided_slice,
    tile,
    transpose,
)

__all__ = [
    "batch_matmul",
    "sequence_lstm",
    "transpose_conv2d",
    "prelu",
    "resize_bilinear",
    "resize_nearest",
    "arg_max",
    "reduce_max",
    "reduce_sum",
    "reduce_min",
    "mirror_pad",
    "reverse",
    "tile",
    "abs",
    "neg",
    "rsqrt",
    "squared_difference",
    "add",
    "avg_pool2d",
    "concatenation",
    "pack",
    "conv2d",
    "depthwise_conv2d",
    "dequantize",
    "fully_connected",
    "hard_swish",
    "leaky_relu",
    "logistic",
    "max_pool2d",
    "maximum",
    "mean",
    "minimum",
    "mul",
    "pad",
    "quantize",
    "relu",
    "reshape",
    "softmax",
    "softmax_int16",
    "squeeze",
    "strided_slice",
    "sub",
    "lookup",
    "transpose",
]
