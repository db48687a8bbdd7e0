"""Programs and compiled functions: inputs in, outputs out.

`Program(module)` compiles each `tir.func` on first use; a `CompiledFunction`
runs it on a mapping of numpy inputs (keyed by parameter name) and returns the
final contents of every parameter. Compiled code is cached per set of
parameters given, so running many trials compiles once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from tirconst.core.context import load
from tirconst.dialects.tir import BufferType, FuncOp
from tirconst.interpreter.compile import CompiledCode, FunctionEmitter
from tirconst.interpreter.errors import InterpreterError, format_index, op_failure
from tirconst.interpreter.memory import PARAM, Buffer, Frame, storage_problem
from tirconst.interpreter.placement import param_placements, pool_sizes
from tirconst.interpreter.scalar import Fault

Externs = Mapping[str, Any]


class Program:
    """A module ready to run: its functions compile on first use."""

    def __init__(self, source: str | ModuleOp, name: str = "<string>"):
        self.module = load(source, name)
        self.name = name
        self._compiled: dict[str, CompiledFunction] = {}

    def functions(self) -> list[FuncOp]:
        return [op for op in self.module.ops if isinstance(op, FuncOp)]

    def find_function(self, name: str) -> FuncOp | None:
        return next((f for f in self.functions() if f.sym_name.data == name), None)

    def function(self, name: str) -> CompiledFunction:
        """The compiled `tir.func @name`; an error lists the functions there are."""
        if name not in self._compiled:
            func = self.find_function(name)
            if func is None:
                have = ", ".join("@" + f.sym_name.data for f in self.functions())
                raise InterpreterError(
                    f"{self.name}: error: no tir.func @{name} (it has "
                    f"{have or 'no functions'})"
                )
            self._compiled[name] = CompiledFunction(self, func)
        return self._compiled[name]


class CompiledFunction:
    """One `tir.func`, callable on numpy inputs."""

    def __init__(self, program: Program, func: FuncOp):
        self.program = program
        self.func = func
        self.name = func.sym_name.data
        self.params: list[tuple[str, BufferType]] = []
        for n, a in zip(func.names, func.args, strict=True):
            assert isinstance(a.type, BufferType)
            self.params.append((n, a.type))
        self.placements = param_placements(func)
        self.pool_sizes = pool_sizes(program.module, func)
        self._code: dict[frozenset[str], CompiledCode] = {}
        self._check_storage()

    def _check_storage(self) -> None:
        """Refuse parameters and pools larger than the machine's memory."""
        total = sum(self.pool_sizes.values())
        for n, t in self.params:
            if n not in self.placements:
                nbytes = t.size_in_bytes
                if problem := storage_problem(nbytes):
                    raise op_failure(self.func, f"parameter %{n} {problem}")
                total += nbytes
        if problem := storage_problem(total):
            raise op_failure(self.func, f"parameters and pools together {problem}")

    def code(self, tracked: frozenset[str]) -> CompiledCode:
        """The compiled code when the parameters in `tracked` are not given."""
        if tracked not in self._code:
            self._code[tracked] = FunctionEmitter(
                self.program, self.func, tracked
            ).compile()
        return self._code[tracked]

    def __call__(
        self, inputs: Mapping[str, Any], externs: Externs | None = None
    ) -> dict[str, np.ndarray]:
        """Run on `inputs`; return every parameter's final contents by name."""
        arrays = self.check_inputs(inputs)
        frame = Frame(self.pool_sizes, dict(externs or {}))
        buffers = [self._param_buffer(frame, n, t) for n, t in self.params]
        for buf, (n, _) in zip(buffers, self.params, strict=True):
            if n in arrays:
                buf.fill(arrays[n])
        self._check_overlap(arrays)
        tracked = frozenset(n for n, _ in self.params if n not in arrays)
        self._run(self.code(tracked), frame, buffers)
        return {
            n: self._result(n, b, n in arrays)
            for (n, _), b in zip(self.params, buffers, strict=True)
        }

    def invoke_with(self, frame: Frame, buffers: Sequence[Buffer]) -> None:
        """Run on buffers of a caller (for `tir.call_extern` of a tir.func)."""
        self._run(self.code(frozenset(self.func.names)), frame, buffers)

    # -- internals ---------------------------------------------------------------

    def _run(self, code: CompiledCode, frame: Frame, buffers: Sequence[Buffer]) -> None:
        try:
            code.fn(frame, *buffers)
        except Fault as f:
            raise op_failure(code.sites[f.k], f.message) from None
        except RecursionError:
            raise op_failure(self.func, "calls nest too deeply") from None

    def _param_buffer(self, frame: Frame, name: str, t: BufferType) -> Buffer:
        origin = f"of @{self.name}"
        placed = self.placements.get(name)
        if placed is None:
            return Buffer.fresh(name, t.get_shape(), t.dtype, PARAM, origin)
        pool, offset = placed
        return frame.pool(pool).place(
            name, t.get_shape(), t.dtype, offset, kind=PARAM, origin=origin, fresh=True
        )

    def check_inputs(self, inputs: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Inputs as arrays of exactly the parameters' dtypes and shapes."""
        types = dict(self.params)
        out: dict[str, np.ndarray] = {}
        for key, value in inputs.items():
            if key not in types:
                have = ", ".join(types) or "none"
                raise InterpreterError(
                    f"error: @{self.name} has no parameter {key!r} (its parameters: "
                    f"{have})"
                )
            t = types[key]
            a = np.asarray(value)
            if a.dtype != t.dtype:
                raise InterpreterError(
                    f"error: input {key!r} of @{self.name} has dtype {a.dtype}, but "
                    f"the parameter is {t.dtype}"
                )
            if a.shape != t.get_shape():
                raise InterpreterError(
                    f"error: input {key!r} of @{self.name} has shape {list(a.shape)}, "
                    f"but the parameter has shape {list(t.get_shape())}"
                )
            out[key] = a
        return out

    def _check_overlap(self, arrays: Mapping[str, np.ndarray]) -> None:
        spans = []
        for n, t in self.params:
            if n in arrays and n in self.placements:
                pool, off = self.placements[n]
                spans.append((pool, off, off + t.size_in_bytes, n))
        spans.sort()
        for (p1, _, e1, n1), (p2, s2, _, n2) in zip(spans, spans[1:], strict=False):
            if p1 == p2 and s2 < e1:
                raise InterpreterError(
                    f"error: parameters {n1!r} and {n2!r} of @{self.name} overlap in "
                    f"pool '{p1}'; give only one of them as an input"
                )

    def _result(self, name: str, buf: Buffer, given: bool) -> np.ndarray:
        if not given:
            idx = buf.first_undefined()
            if idx is not None:
                if not buf.rawinit.any():
                    raise InterpreterError(
                        f"error: parameter {name!r} of @{self.name} was neither given "
                        "as an input nor written"
                    )
                raise InterpreterError(
                    f"error: parameter {name!r} of @{self.name} was not given as an "
                    f"input, and {name}{format_index(idx)} was never written"
                )
        return buf.array().copy()


def random_inputs(
    source: str | ModuleOp | Program, function: str = "main", seed: int = 0
) -> dict[str, np.ndarray]:
    """Seeded random data for every parameter of `function`, of its dtype and
    shape: integers over the dtype's whole range, bools, and standard-normal
    floats. The same seed always gives the same data. A parameter placed on
    bytes an earlier one holds (a plan that reuses an input for an output)
    gets none: its contents are the earlier one's."""
    program = source if isinstance(source, Program) else Program(source)
    fn = program.function(function)
    data = inputs_for(fn.params, seed)
    placements = getattr(fn, "placements", {})  # npu streams have none
    taken: list[tuple[str, int, int]] = []
    for name, t in fn.params:
        if name not in placements:
            continue
        pool, start = placements[name]
        end = start + t.size_in_bytes
        if any(p == pool and s < end and start < e for p, s, e in taken):
            del data[name]
        else:
            taken.append((pool, start, end))
    return data


def inputs_for(
    params: Sequence[tuple[str, BufferType]], seed: int
) -> dict[str, np.ndarray]:
    """Random inputs for a parameter list (see `random_inputs`)."""
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {}
    for name, t in params:
        dt, shape = t.dtype, t.get_shape()
        if dt.kind == "b":
            out[name] = rng.integers(0, 2, size=shape).astype(np.bool_)
        elif dt.kind in "iu":
            info = np.iinfo(dt)
            out[name] = rng.integers(
                info.min, info.max, size=shape, dtype=dt, endpoint=True
            )
        else:
            out[name] = rng.standard_normal(size=shape).astype(dt)
    return out


def run_function(
    source: str | ModuleOp | Program,
    inputs: Mapping[str, Any],
    function: str = "main",
    externs: Externs | None = None,
) -> dict[str, np.ndarray]:
    """Run `function` of a module (text, ModuleOp or Program) on numpy inputs
    keyed by parameter name; return every parameter's final contents by name.

    Parameters not given start undefined: reading one before writing it is an
    error, and so is one left (partly) unwritten at the end.
    """
    program = source if isinstance(source, Program) else Program(source)
    return program.function(function)(inputs, externs)
