"""The TFLite operators the importer knows: one table entry per operator.

`OPERATORS` maps a TFLite builtin operator name to what the importer makes
of it (`TFLiteOp`): the tir operator op, the reader computing its integer
parameters as TFLite's Prepare does (`tflite_params` and the `params_*`
modules), which operator inputs are buffers (the rest, such as shapes and
axes, are parameters the reader folds in), the reader of its float32 scales,
and the parameter that is a lookup table becoming a constant buffer operand.
Adding an operator is one entry here (plus its op, kernel and reader);
the importer, the unsupported-operator listing and the test reference runner
read this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tirconst.dialects import tir
from tirconst.formats.tflite.reader import (
    TFLiteImportError,
    TFLiteModel,
    TFLiteOperator,
)
from tirconst.frontend import params_ops as po
from tirconst.frontend import tflite_params as tp
from tirconst.frontend.params_lstm import LSTM_BUFFERS, lstm_params
from tirconst.frontend.tflite_params import Ctx

Reader = Callable[[Ctx], Any]


@dataclass(frozen=True)
class TFLiteOp:
    """How one TFLite operator is imported.

    `op`: the tir operator op (None: a view of its input, as RESHAPE).
    `params`: its integer parameters, keyed by the op's property names.
    `buffers`: the operator input positions read as buffers, in the op's
    `ins` order (None: every input, for a variadic op).
    `scales`: its float32 quantization properties (None: it has none).
    `table`: the parameter that is a lookup table; it becomes a constant
    buffer, the op's last input.
    `variant`: picks the op class from the parameters (QUANTIZE int8->int8
    is `tir.requantize`, an int16 SOFTMAX `tir.softmax_int16`).
    `per_output`: the operator has several outputs; `params` returns one
    dict per output and the importer emits one op per output, each writing
    that output (SPLIT: one `tir.strided_slice` per part).
    The kernel the import equals bit for bit is LiteRT's reference kernel,
    or for SUM and ELU its optimized one (`formats.tflite.oracle`).
    """

    op: type[tir.OperatorOp] | None
    params: Reader
    buffers: tuple[int, ...] | None = (0,)
    scales: Reader | None = None
    table: str | None = None
    variant: Callable[[dict[str, Any]], type[tir.OperatorOp]] | None = None
    per_output: bool = False

    def op_class(self, params: dict[str, Any]) -> type[tir.OperatorOp] | None:
        return self.variant(params) if self.variant is not None else self.op


def _quantize_variant(params: dict[str, Any]) -> type[tir.OperatorOp]:
    return tir.RequantizeOp if "multiplier" in params else tir.QuantizeOp


def _softmax_variant(params: dict[str, Any]) -> type[tir.OperatorOp]:
    return tir.SoftmaxInt16Op if "input_multiplier" in params else tir.SoftmaxOp


OPERATORS: dict[str, TFLiteOp] = {
    "CONV_2D": TFLiteOp(tir.Conv2DOp, tp.conv2d_params, (0, 1, 2), tp.weighted_scales),
    "DEPTHWISE_CONV_2D": TFLiteOp(
        tir.DepthwiseConv2DOp, tp.depthwise_params, (0, 1, 2), tp.weighted_scales
    ),
    "FULLY_CONNECTED": TFLiteOp(
        tir.FullyConnectedOp, tp.fully_connected_params, (0, 1, 2), tp.weighted_scales
    ),
    "TRANSPOSE_CONV": TFLiteOp(
        tir.TransposeConv2DOp,
        tp.transpose_conv_params,
        (2, 1, 3),
        tp.transpose_conv_scales,
    ),
    "BATCH_MATMUL": TFLiteOp(
        tir.BatchMatmulOp, po.batch_matmul_params, (0, 1), tp.binary_scales
    ),
    "ADD": TFLiteOp(tir.AddOp, tp.add_sub_params, (0, 1), tp.binary_scales),
    "SUB": TFLiteOp(tir.SubOp, tp.add_sub_params, (0, 1), tp.binary_scales),
    "MUL": TFLiteOp(tir.MulOp, tp.mul_params, (0, 1), tp.binary_scales),
    "AVERAGE_POOL_2D": TFLiteOp(
        tir.AvgPool2DOp, tp.pool_params, scales=tp.in_out_quantization
    ),
    "MAX_POOL_2D": TFLiteOp(
        tir.MaxPool2DOp, tp.pool_params, scales=tp.in_out_quantization
    ),
    "PAD": TFLiteOp(tir.PadOp, tp.pad_params),
    "PADV2": TFLiteOp(tir.PadOp, po.padv2_params),
    "MIRROR_PAD": TFLiteOp(tir.MirrorPadOp, po.mirror_pad_params),
    "TILE": TFLiteOp(tir.TileOp, po.tile_params),
    "REVERSE_V2": TFLiteOp(tir.ReverseOp, po.reverse_params),
    "MEAN": TFLiteOp(tir.MeanOp, tp.mean_params, scales=tp.in_out_scales),
    "REDUCE_MAX": TFLiteOp(tir.ReduceMaxOp, po.reduce_extremum_params),
    "REDUCE_MIN": TFLiteOp(tir.ReduceMinOp, po.reduce_extremum_params),
    "SUM": TFLiteOp(tir.SumOp, po.sum_params, scales=tp.in_out_scales),
    "ARG_MAX": TFLiteOp(tir.ArgMaxOp, po.arg_max_params),
    "SOFTMAX": TFLiteOp(
        tir.SoftmaxOp,
        tp.softmax_params,
        scales=tp.softmax_scales,
        table="exp_table",
        variant=_softmax_variant,
    ),
    "LOGISTIC": TFLiteOp(
        tir.LogisticOp,
        tp.logistic_params,
        scales=tp.in_out_quantization,
        table="table",
    ),
    "QUANTIZE": TFLiteOp(
        tir.QuantizeOp,
        tp.quantize_params,
        scales=tp.requantize_scales,
        variant=_quantize_variant,
    ),
    "DEQUANTIZE": TFLiteOp(tir.DequantizeOp, tp.dequantize_params),
    "RESHAPE": TFLiteOp(None, tp.reshape_params),
    "SQUEEZE": TFLiteOp(None, tp.reshape_params),
    "EXPAND_DIMS": TFLiteOp(None, tp.reshape_params),
    "CONCATENATION": TFLiteOp(tir.ConcatenationOp, po.concatenation_params, None),
    "PACK": TFLiteOp(tir.PackOp, po.pack_params, None),
    "SPLIT": TFLiteOp(tir.StridedSliceOp, po.split_params, (1,), per_output=True),
    "SPLIT_V": TFLiteOp(tir.StridedSliceOp, po.split_v_params, per_output=True),
    "UNPACK": TFLiteOp(tir.StridedSliceOp, po.unpack_params, per_output=True),
    "SLICE": TFLiteOp(tir.StridedSliceOp, po.slice_params),
    "STRIDED_SLICE": TFLiteOp(tir.StridedSliceOp, po.strided_slice_params),
    "TRANSPOSE": TFLiteOp(tir.TransposeOp, po.transpose_params),
    "RESIZE_NEAREST_NEIGHBOR": TFLiteOp(tir.ResizeNearestOp, po.resize_params),
    "RESIZE_BILINEAR": TFLiteOp(tir.ResizeBilinearOp, po.resize_params),
    "RELU": TFLiteOp(tir.ReluOp, po.relu_params, scales=tp.in_out_scales),
    "RELU6": TFLiteOp(tir.ReluOp, po.relu_params, scales=tp.in_out_scales),
    "RELU_N1_TO_1": TFLiteOp(tir.ReluOp, po.relu_params, scales=tp.in_out_scales),
    "RELU_0_TO_1": TFLiteOp(tir.ReluOp, po.relu_params, scales=tp.in_out_scales),
    "LEAKY_RELU": TFLiteOp(
        tir.LeakyReluOp, po.leaky_relu_params, scales=po.leaky_relu_scales
    ),
    "PRELU": TFLiteOp(tir.PreluOp, po.prelu_params, (0, 1), po.prelu_scales),
    "HARD_SWISH": TFLiteOp(
        tir.HardSwishOp, po.hard_swish_params, scales=tp.in_out_scales
    ),
    "TANH": TFLiteOp(
        tir.TanhOp, po.tanh_params, scales=tp.in_out_quantization, table="table"
    ),
    "ABS": TFLiteOp(tir.AbsOp, po.abs_params, scales=tp.in_out_scales),
    "NEG": TFLiteOp(tir.NegOp, po.neg_params),
    "RSQRT": TFLiteOp(tir.RsqrtOp, po.rsqrt_params, scales=tp.in_out_scales),
    "SQUARED_DIFFERENCE": TFLiteOp(
        tir.SquaredDifferenceOp,
        po.squared_difference_params,
        (0, 1),
        tp.binary_scales,
    ),
    "EXP": TFLiteOp(
        tir.ExpOp, po.exp_params, scales=tp.in_out_quantization, table="table"
    ),
    "LOG": TFLiteOp(
        tir.LogOp, po.log_params, scales=tp.in_out_quantization, table="table"
    ),
    "GELU": TFLiteOp(
        tir.GeluOp, po.gelu_params, scales=tp.in_out_quantization, table="table"
    ),
    "ELU": TFLiteOp(
        tir.EluOp,
        po.elu_params,
        scales=tp.in_out_quantization,
        table="table",
    ),
    "MAXIMUM": TFLiteOp(
        tir.MaximumOp, po.min_max_params, (0, 1), po.min_max_quantization
    ),
    "MINIMUM": TFLiteOp(
        tir.MinimumOp, po.min_max_params, (0, 1), po.min_max_quantization
    ),
    "UNIDIRECTIONAL_SEQUENCE_LSTM": TFLiteOp(
        tir.SequenceLstmOp, lstm_params, LSTM_BUFFERS
    ),
}
"""TFLite builtin operator name -> how it is imported."""


def supported(opcode: str) -> bool:
    """Whether the importer knows the TFLite operator `opcode`."""
    return opcode in OPERATORS


def unsupported_operators(model: TFLiteModel) -> list[TFLiteOperator]:
    """The model's operators the table has no entry for, in model order."""
    return [op for op in model.operators if op.opcode not in OPERATORS]


def op_params(model: TFLiteModel, op: TFLiteOperator) -> Any:
    """Integer parameters of one operator, keyed by the kernel keyword names
    (for a `per_output` operator, a list: one dict per output).

    Raises :class:`TFLiteImportError` naming the operator index, opcode and
    offending tensor for unsupported operators, types or quantization.
    """
    ctx = Ctx(model, op)
    entry = OPERATORS.get(op.opcode)
    if entry is None:
        raise ctx.fail("operator is not supported")
    return entry.params(ctx)


def op_quantization(model: TFLiteModel, op: TFLiteOperator) -> dict[str, Any]:
    """The float32 scales (and, where the kernel has none, zero points) of the
    tensors one operator touches, keyed by the IR op's quantization property
    names (``input_scale``, ``filter_scales``, ...). Call after :func:`op_params`
    succeeded for the operator (it checks the tensors)."""
    entry = OPERATORS.get(op.opcode)
    if entry is None or entry.scales is None:
        return {}
    return entry.scales(Ctx(model, op))


def table_value(params: dict[str, Any], entry: TFLiteOp) -> np.ndarray | None:
    """Remove and return the lookup-table parameter of `params` (None: none)."""
    if entry.table is None:
        return None
    return np.asarray(params.pop(entry.table))


__all__ = [
    "OPERATORS",
    "TFLiteImportError",
    "TFLiteOp",
    "op_params",
    "op_quantization",
    "supported",
    "table_value",
    "unsupported_operators",
]
