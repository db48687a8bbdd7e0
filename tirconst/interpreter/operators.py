"""Operator ops and extern calls at run time.

tir's implementations in the interpreter's registry (`registry.implements`):
an operator op (`tir.conv2d ins(...) outs(%y)`) runs the numpy kernel of
`tirconst.kernels` that `KERNELS` binds to its class, on its input buffers,
with the op's parameters (`op.params()`) as keyword arguments, and writes the
result into its output buffer. `tir.copy` needs no kernel: it copies the elements in
row-major order. Definedness of inputs and outputs follows the ops' declared
effects (see `registry`).

`tir.call_extern "name"(...)` calls `externs["name"]` with numpy arrays for
buffer arguments (read-only for constants; writes go into the buffer) and
Python scalars for scalar arguments; the buffers count as written afterwards.
Without such an extern, a `tir.func @name` of the same module is called with
the buffers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.ir import Operation, SSAValue

from tirconst import kernels
from tirconst.dialects.tir import (
    AbsOp,
    AddOp,
    ArgMaxOp,
    AvgPool2DOp,
    BatchMatmulOp,
    BufferType,
    CallExternOp,
    ConcatenationOp,
    Conv2DOp,
    CopyOp,
    DepthwiseConv2DOp,
    DequantizeOp,
    EluOp,
    ExpOp,
    FullyConnectedOp,
    FuncOp,
    GeluOp,
    HardSwishOp,
    LeakyReluOp,
    LogisticOp,
    LogOp,
    LookupOp,
    MaximumOp,
    MaxPool2DOp,
    MeanOp,
    MinimumOp,
    MirrorPadOp,
    MulOp,
    NegOp,
    OperatorOp,
    PackOp,
    PadOp,
    PreluOp,
    QuantizeOp,
    ReduceMaxOp,
    ReduceMinOp,
    ReluOp,
    RequantizeOp,
    ResizeBilinearOp,
    ResizeNearestOp,
    ReverseOp,
    RsqrtOp,
    SequenceLstmOp,
    SoftmaxInt16Op,
    SoftmaxOp,
    SquaredDifferenceOp,
    StridedSliceOp,
    SubOp,
    SumOp,
    TanhOp,
    TFLiteOperatorOp,
    TileOp,
    TransposeConv2DOp,
    TransposeOp,
)
from tirconst.interpreter.errors import InterpreterError, format_index, op_failure
from tirconst.interpreter.interfaces import BufInfo, Functions
from tirconst.interpreter.memory import CONSTANT, Buffer, Frame
from tirconst.interpreter.registry import implements
from tirconst.interpreter.scalar import f16, f32, float_bits, int_type


@dataclass(frozen=True)
class Kernel:
    """How a tir operator op calls its kernel in `tirconst.kernels`: the op's
    inputs by position, except the last `keywords` ones, passed by those
    names; the op's parameters (`op.params()`, exactly the kernel's keyword
    arguments) as keywords; and `output_shape` / `output_dtype` where the
    kernel needs them."""

    fn: Callable[..., Any]
    keywords: tuple[str, ...] = ()
    output_shape: bool = False
    output_dtype: bool = False

    def call(self, op: OperatorOp, inputs: list[Any], params: dict[str, Any]) -> Any:
        n = len(inputs) - len(self.keywords)
        extra = dict(zip(self.keywords, inputs[n:], strict=True))
        if self.output_shape:
            extra["output_shape"] = op.shape(op.output)
        if self.output_dtype:
            extra["output_dtype"] = op.buffer_type(op.output).dtype
        return self.fn(*inputs[:n], **extra, **params)


KERNELS: dict[type[OperatorOp], Kernel] = {
    Conv2DOp: Kernel(kernels.conv2d),
    DepthwiseConv2DOp: Kernel(kernels.depthwise_conv2d),
    FullyConnectedOp: Kernel(kernels.fully_connected, output_shape=True),
    AddOp: Kernel(kernels.add),
    SubOp: Kernel(kernels.sub),
    MulOp: Kernel(kernels.mul),
    AvgPool2DOp: Kernel(kernels.avg_pool2d),
    MaxPool2DOp: Kernel(kernels.max_pool2d),
    PadOp: Kernel(kernels.pad),
    MeanOp: Kernel(kernels.mean, output_shape=True),
    # the NPU workspace, when present, goes to the kernel, which ignores it
    SoftmaxOp: Kernel(kernels.softmax, keywords=("exp_table", "workspace")),
    LogisticOp: Kernel(kernels.logistic, keywords=("table",)),
    SoftmaxInt16Op: Kernel(kernels.softmax_int16, keywords=("exp_table", "workspace")),
    QuantizeOp: Kernel(kernels.quantize),
    # int8/int16 -> int8/int16: TFLite's QUANTIZE
    RequantizeOp: Kernel(kernels.quantize, output_dtype=True),
    DequantizeOp: Kernel(kernels.dequantize),
    ConcatenationOp: Kernel(kernels.concatenation),
    PackOp: Kernel(kernels.pack),
    StridedSliceOp: Kernel(kernels.strided_slice, output_shape=True),
    TransposeOp: Kernel(kernels.transpose),
    ReluOp: Kernel(kernels.relu),
    LeakyReluOp: Kernel(kernels.leaky_relu),
    PreluOp: Kernel(kernels.prelu, keywords=("workspace",)),
    HardSwishOp: Kernel(kernels.hard_swish),
    TanhOp: Kernel(kernels.lookup, keywords=("table",)),
    ExpOp: Kernel(kernels.lookup, keywords=("table",)),
    LogOp: Kernel(kernels.lookup, keywords=("table",)),
    GeluOp: Kernel(kernels.lookup, keywords=("table",)),
    EluOp: Kernel(kernels.lookup, keywords=("table",)),
    LookupOp: Kernel(kernels.lookup, keywords=("table",)),
    MaximumOp: Kernel(kernels.maximum),
    MinimumOp: Kernel(kernels.minimum),
    AbsOp: Kernel(kernels.abs),
    NegOp: Kernel(kernels.neg),
    RsqrtOp: Kernel(kernels.rsqrt),
    # the NPU workspace, when present, goes to the kernel, which ignores it
    SquaredDifferenceOp: Kernel(kernels.squared_difference, keywords=("workspace",)),
    MirrorPadOp: Kernel(kernels.mirror_pad),
    TileOp: Kernel(kernels.tile),
    ReverseOp: Kernel(kernels.reverse),
    ReduceMaxOp: Kernel(kernels.reduce_max, output_shape=True),
    ReduceMinOp: Kernel(kernels.reduce_min, output_shape=True),
    SumOp: Kernel(kernels.reduce_sum, output_shape=True),
    ArgMaxOp: Kernel(
        kernels.arg_max,
        keywords=("indices", "workspace"),
        output_shape=True,
        output_dtype=True,
    ),
    ResizeNearestOp: Kernel(kernels.resize_nearest, output_shape=True),
    ResizeBilinearOp: Kernel(kernels.resize_bilinear, output_shape=True),
    TransposeConv2DOp: Kernel(kernels.transpose_conv2d, output_shape=True),
    BatchMatmulOp: Kernel(kernels.batch_matmul, keywords=("workspace",)),
    # the NPU's weights and workspace, when present, go to the kernel, which
    # ignores them
    SequenceLstmOp: Kernel(
        kernels.sequence_lstm, keywords=("npu_weights", "workspace")
    ),
}
"""Each tir operator op class and its kernel (registered below, by class)."""


def kernel_operator(op: OperatorOp) -> Callable[..., None]:
    """tir's operator ops: `run(*inputs, output)` calls the op's kernel."""
    kernel = KERNELS[type(op)]
    slots = (
        [True] * len(op.input_values())
        if op.VARIADIC
        else [getattr(op, n) is not None for n in op.INPUTS]
    )
    params = op.params()
    label = kernel.fn.__name__

    def run(*bufs: Buffer) -> None:
        *ins, out = bufs
        arrays = iter([b.array() for b in ins])
        args = [next(arrays) if present else None for present in slots]
        overrides = _decoded_weights(op, args)
        try:
            result = np.asarray(kernel.call(op, args, {**params, **(overrides or {})}))
        except (ValueError, TypeError, ArithmeticError, IndexError) as e:
            raise op_failure(op, f"kernel {label}: {e}") from None
        if result.dtype != out.dtype or result.size != out.size:
            raise op_failure(
                op,
                f"kernel {label} returned {result.dtype} {list(result.shape)}"
                f", but the output is {out.dtype} {list(out.shape)}",
            )
        out.array()[...] = result.reshape(out.shape)

    return run


for _cls in KERNELS:
    implements(_cls)(kernel_operator)


@implements(TFLiteOperatorOp)
def kept_operator(op: TFLiteOperatorOp) -> Callable[..., None]:
    """A TFLite operator tir does not model has no kernel here: running it
    is a one-line error naming it (LiteRT runs it; `--verify` checks the NPU
    segments around it)."""

    def run(*bufs: Buffer) -> None:
        raise op_failure(
            op,
            f"{op.opcode} is a TFLite operator tir does not model: the tir "
            "interpreter cannot run it (LiteRT does)",
        )

    return run


def _decoded_weights(op: OperatorOp, args: list[Any]) -> dict[str, Any] | None:
    """For an op with encoded weights: decode the bytes it reads into its
    filter and bias (in `args`) and the multiplier and shift to use."""
    if getattr(op, "encoded_weights", None) is None:
        return None
    from tirconst.formats.ethos_u import WeightFormatError
    from tirconst.interpreter.encoded import decode_encoded

    try:
        d = decode_encoded(op, args[1])
    except WeightFormatError as e:
        raise op_failure(op, f"encoded weights: {e}") from None
    args[1], args[2] = d.filter, d.bias
    return {"multiplier": d.multiplier, "shift": d.shift}


@implements(CopyOp)
def copy_operator(op: CopyOp) -> Callable[..., None]:
    """`tir.copy`: the elements in row-major order (a copy first: in flat
    memory the two may overlap; a strided view is written through, not
    through a flattened copy of it)."""

    def run(src: Buffer, dst: Buffer) -> None:
        out = dst.array()
        out[...] = src.array().reshape(-1).copy().reshape(out.shape)

    return run


def check_defined(op: Operation, buf: Buffer) -> None:
    """Fail (naming `op`) unless every element of `buf` is defined."""
    idx = buf.first_undefined()
    if idx is not None:
        raise op_failure(
            op,
            f"reads {format_index(idx)} of {buf.describe()}, which has not "
            "been written",
        )


# ---------------------------------------------------------------- call_extern


def make_extern_call(
    program: Functions, op: CallExternOp, bufs: Mapping[SSAValue, BufInfo]
) -> Callable[..., Any]:
    """The run-time function of a `tir.call_extern`: `call(frame, *args)`."""
    callee = op.callee.data
    is_buffer = [isinstance(a.type, BufferType) for a in op.args]
    result_types = [r.type for r in op.res]

    def call(frame: Frame, *args: Any) -> Any:
        fn = frame.externs.get(callee)
        if fn is None:
            return _call_function(program, op, frame, list(args), is_buffer)
        py_args = [
            _extern_view(a) if buf else (bool(a) if isinstance(a, bool) else a)
            for a, buf in zip(args, is_buffer, strict=True)
        ]
        try:
            out = fn(*py_args)
        except InterpreterError:
            raise
        except Exception as e:  # noqa: BLE001 - the extern's own failure
            raise op_failure(
                op, f"extern {callee!r} failed: {type(e).__name__}: {e}"
            ) from None
        for a, buf in zip(args, is_buffer, strict=True):
            if buf and a.kind != CONSTANT:
                a.mark_initialized()
        return _results(op, out, result_types)

    return call


def _extern_view(buf: Buffer) -> np.ndarray:
    a = buf.array()
    if buf.kind == CONSTANT:
        a = a.view()
        a.flags.writeable = False
    return a


def _results(op: CallExternOp, out: Any, types: list[Any]) -> tuple[Any, ...]:
    if not types:
        return ()
    values = (out,) if len(types) == 1 else tuple(out if out is not None else ())
    if len(values) != len(types):
        raise op_failure(
            op, f"extern returned {len(values)} values, expected {len(types)}"
        )
    converted = []
    for v, t in zip(values, types, strict=True):
        it, bits = int_type(t), float_bits(t)
        if it is not None:
            if not isinstance(v, int | np.integer | bool | np.bool_) or not (
                it.lo <= int(v) <= it.hi
            ):
                raise op_failure(op, f"extern returned {v!r}, which is not a {t} value")
            converted.append(int(v))
        elif bits is not None:
            x = float(v)
            converted.append(f32(x) if bits == 32 else f16(x) if bits == 16 else x)
        else:
            raise op_failure(op, f"extern results of type {t} are not supported")
    return tuple(converted)


def _call_function(
    program: Functions,
    op: CallExternOp,
    frame: Frame,
    args: list[Any],
    is_buffer: list[bool],
) -> tuple[Any, ...]:
    target = program.find_function(op.callee.data)
    if target is None:
        raise op_failure(
            op,
            f"no extern {op.callee.data!r} was given (externs=...) and the module "
            f"has no tir.func @{op.callee.data}",
        )
    if op.res or not all(is_buffer) or len(args) != len(target.args):
        raise op_failure(
            op,
            f"@{op.callee.data} takes {len(target.args)} buffers and returns nothing",
        )
    _check_types(op, target, args)
    for name, buf in zip(target.names, args, strict=True):
        if buf.strides is not None:
            raise op_failure(
                op,
                f"argument for {name!r} of @{op.callee.data} is a strided view; "
                "a tir.func takes contiguous buffers",
            )
    program.function(op.callee.data).invoke_with(frame, args)
    return ()


def _check_types(op: CallExternOp, target: FuncOp, args: list[Buffer]) -> None:
    for name, param, buf in zip(target.names, target.args, args, strict=True):
        t = param.type
        assert isinstance(t, BufferType)
        if t.get_shape() != buf.shape or t.dtype != buf.dtype:
            raise op_failure(
                op,
                f"argument for {name!r} of @{target.sym_name.data} is {buf.dtype} "
                f"{list(buf.shape)}, expected {t.dtype} {list(t.get_shape())}",
            )
