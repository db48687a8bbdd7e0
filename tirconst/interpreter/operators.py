"""Operator ops and extern calls at run time.

tir's implementations in the interpreter's registry (`registry.implements`):
an operator op (`tir.conv2d ins(...) outs(%y)`) runs its numpy kernel from
`tirconst.kernels` (the function named like the op) on its input
buffers (by position, or by keyword where the kernel takes them so), with the
op's parameters (`op.params()`) as keyword arguments, and writes the result
into its output buffer. `tir.copy` needs no kernel: it copies the elements in
row-major order. Definedness of inputs and outputs follows the ops' declared
effects (see `registry`).

`tir.call_extern "name"(...)` calls `externs["name"]` with numpy arrays for
buffer arguments (read-only for constants; writes go into the buffer) and
Python scalars for scalar arguments; the buffers count as written afterwards.
Without such an extern, a `tir.func @name` of the same module is called with
the buffers.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from xdsl.ir import Operation, SSAValue

from tirconst.dialects.tir import BufferType, CallExternOp, CopyOp, FuncOp, OperatorOp
from tirconst.interpreter.errors import InterpreterError, format_index, op_failure
from tirconst.interpreter.memory import CONSTANT, Buffer, Frame
from tirconst.interpreter.registry import implements
from tirconst.interpreter.scalar import f16, f32, float_bits, int_type

if TYPE_CHECKING:
    from tirconst.interpreter.compile import BufInfo
    from tirconst.interpreter.program import Program

KERNEL_MODULE = "tirconst.kernels"


_KERNEL_OF = {"tir.requantize": "quantize"}
"""Ops whose kernel is named otherwise (quantize also does int8 -> int8)."""


def kernel_name(op: OperatorOp) -> str:
    """`tir.conv2d` -> `conv2d`."""
    return _KERNEL_OF.get(op.name, op.name.split(".", 1)[1])


def _find_kernel(op: OperatorOp) -> Callable[..., Any]:
    name = kernel_name(op)
    try:
        kernels = importlib.import_module(KERNEL_MODULE)
    except ImportError as e:
        raise op_failure(op, f"cannot load the kernels ({e})") from None
    fn = getattr(kernels, name, None)
    if fn is None:
        raise op_failure(op, f"no kernel {KERNEL_MODULE}.{name} to run it")
    return fn


_INPUT_KEYWORD = {"tir.softmax": {"table": "exp_table"}}
"""Op input -> kernel keyword, where the kernel names an input differently."""


_ANY = inspect.Parameter("any", inspect.Parameter.KEYWORD_ONLY, default=None)


class _Binding:
    """How an op's inputs and parameters become a kernel call: the first
    `positional` inputs by position, the others by keyword (`input_keywords`),
    the parameters (and `output_shape`, for kernels that ask) as `kwargs`."""

    def __init__(self, op: OperatorOp, fn: Callable[..., Any]):
        sig = inspect.signature(fn)
        positional = [
            n for n, p in sig.parameters.items() if p.kind is p.POSITIONAL_OR_KEYWORD
        ]
        keyword = {n: p for n, p in sig.parameters.items() if p.kind is p.KEYWORD_ONLY}
        if any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()):
            keyword.update(
                (n, _ANY) for n in [*op.params(), *op.INPUTS, "output_shape"]
            )
        self.positional = min(len(positional), len(op.INPUTS))
        renames = _INPUT_KEYWORD.get(op.name, {})
        self.input_keywords = [renames.get(n, n) for n in op.INPUTS[self.positional :]]
        params = op.params()
        self.kwargs = {k: v for k, v in params.items() if k in keyword}
        if "output_shape" in keyword:
            self.kwargs["output_shape"] = op.shape(op.output)  # type: ignore[attr-defined]
        given = set(self.kwargs) | set(self.input_keywords)
        missing = [
            n for n, p in keyword.items() if p.default is p.empty and n not in given
        ]
        unused = [k for k in params if k not in keyword]
        unused += [k for k in self.input_keywords if k not in keyword]
        if missing or unused:
            raise op_failure(
                op,
                f"the kernel {kernel_name(op)} does not match the op (the kernel also "
                f"needs {', '.join(missing) or 'nothing'}; the op also has "
                f"{', '.join(unused) or 'nothing'})",
            )

    def call(
        self,
        fn: Callable[..., Any],
        inputs: list[np.ndarray | None],
        overrides: Mapping[str, Any] | None = None,
    ) -> Any:
        extra = dict(zip(self.input_keywords, inputs[self.positional :], strict=True))
        return fn(
            *inputs[: self.positional], **extra, **{**self.kwargs, **(overrides or {})}
        )


@implements(OperatorOp)
def kernel_operator(op: OperatorOp) -> Callable[..., None]:
    """tir's operator ops: `run(*inputs, output)` calls the op's kernel."""
    slots = [getattr(op, n) is not None for n in op.INPUTS]
    state: dict[str, Any] = {}

    def run(*bufs: Buffer) -> None:
        *ins, out = bufs
        if "fn" not in state:  # looked up at first use: kernels may be missing
            state["fn"] = _find_kernel(op)
            state["binding"] = _Binding(op, state["fn"])
        arrays = iter([b.array() for b in ins])
        args = [next(arrays) if present else None for present in slots]
        overrides = _decoded_weights(op, args)
        try:
            result = np.asarray(state["binding"].call(state["fn"], args, overrides))
        except (ValueError, TypeError, ArithmeticError, IndexError) as e:
            raise op_failure(op, f"kernel {kernel_name(op)}: {e}") from None
        if result.dtype != out.dtype or result.size != out.size:
            raise op_failure(
                op,
                f"kernel {kernel_name(op)} returned {result.dtype} {list(result.shape)}"
                f", but the output is {out.dtype} {list(out.shape)}",
            )
        out.array()[...] = result.reshape(out.shape)

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
    memory the two may overlap)."""

    def run(src: Buffer, dst: Buffer) -> None:
        dst.array().reshape(-1)[...] = src.array().reshape(-1).copy()

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
    program: Program, op: CallExternOp, bufs: Mapping[SSAValue, BufInfo]
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
    program: Program,
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
