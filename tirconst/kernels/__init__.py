"""Bit-exact numpy kernels for TFLite's int8 reference operators.

Each kernel computes exactly what the corresponding TFLite kernel computes
under LiteRT's ``BUILTIN_REF`` op resolver, with the integer parameters of
:mod:`tirconst.frontend.tflite_params` passed as keyword arguments.
"""

from .activations import logistic, softmax
from .conv import conv2d, depthwise_conv2d, fully_connected
from .elementwise import add, mul, sub
from .pooling import avg_pool2d, max_pool2d
from .quantize import dequantize, quantize
from .reduce import mean
from .shape import pad, reshape, squeeze

__all__ = [
    "add",
    "avg_pool2d",
    "conv2d",
    "depthwise_conv2d",
    "dequantize",
    "fully_connected",
    "logistic",
    "max_pool2d",
    "mean",
    "mul",
    "pad",
    "quantize",
    "reshape",
    "softmax",
    "squeeze",
    "sub",
]
