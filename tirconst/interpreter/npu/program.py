"""Running an npu command stream: fill the input tensors' bytes, run the ops
in order on the regions, read every tensor back. `NpuProgram` behaves like a
tir `Program` (functions by name, `params`, calling on numpy inputs), so
`check_equivalent` compares a tir program with its npu lowering."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from tirconst.core.diagnostics import error_line
from tirconst.dialects.npu import CommandStreamOp, TensorOp
from tirconst.dialects.tir import FuncOp
from tirconst.dialects.tir.types import BufferType
from tirconst.interpreter.errors import InterpreterError, op_failure
from tirconst.interpreter.npu.memory import Memory, MemoryFault
from tirconst.interpreter.npu.ops import OpError
from tirconst.interpreter.program import Program
from tirconst.interpreter.registry import execution_of


def holds_npu(module: ModuleOp) -> bool:
    """Whether the module is npu command streams only (no tir.func: a tir
    function that invokes streams runs as a tir Program)."""
    return any(isinstance(op, CommandStreamOp) for op in module.ops) and not any(
        isinstance(op, FuncOp) for op in module.ops
    )


class StreamFunction:
    """One command stream, callable on numpy inputs like a compiled tir.func:
    returns every tensor's final contents by name."""

    def __init__(self, stream: CommandStreamOp):
        self.stream = stream
        self.name = stream.sym_name.data
        self.tensors: list[TensorOp] = stream.tensors()
        self.params: list[tuple[str, BufferType]] = [
            (t.tensor_name.data, BufferType(t.shape, t.type.element_type))
            for t in self.tensors
        ]

    def _check(self, inputs: Mapping[str, Any]) -> dict[str, np.ndarray]:
        types = {t.tensor_name.data: t for t in self.tensors}
        out = {}
        for key, value in inputs.items():
            t = types.get(key)
            if t is None:
                raise InterpreterError(
                    error_line(
                        f"@{self.name} has no tensor {key!r} (its tensors: "
                        f"{', '.join(types) or 'none'})"
                    )
                )
            a = np.asarray(value)
            if a.dtype != t.dtype or a.shape != t.shape:
                raise InterpreterError(
                    error_line(
                        f"input {key!r} of @{self.name} is {a.dtype} "
                        f"{list(a.shape)}, but the tensor is {t.dtype} {list(t.shape)}"
                    )
                )
            out[key] = a
        return out

    def __call__(
        self, inputs: Mapping[str, Any], externs: object = None
    ) -> dict[str, np.ndarray]:
        arrays = self._check(inputs)
        mem = Memory(self.stream)
        for t in self.tensors:
            if t.tensor_name.data in arrays:
                data = np.ascontiguousarray(arrays[t.tensor_name.data]).view(np.uint8)
                buf = mem.regions[t.region.value.data]
                off = t.offset.value.data
                buf[off : off + t.nbytes] = data.reshape(-1)
        for op in self.stream.body.block.ops:
            impl = execution_of(op)
            if impl is None:
                continue  # regions and tensors: declarations
            try:
                impl(op, mem)
            except (OpError, MemoryFault) as e:
                raise op_failure(op, str(e)) from None
        result = {}
        for t in self.tensors:
            off = t.offset.value.data
            raw = mem.regions[t.region.value.data][off : off + t.nbytes]
            result[t.tensor_name.data] = raw.copy().view(t.dtype).reshape(t.shape)
        return result


class NpuProgram(Program):
    """A module of npu.command_streams, run like a tir Program."""

    def __init__(self, source: str | ModuleOp, name: str = "<string>"):
        super().__init__(source, name)
        self._streams: dict[str, StreamFunction] = {}

    def functions(self) -> list[CommandStreamOp]:  # type: ignore[override]
        return [op for op in self.module.ops if isinstance(op, CommandStreamOp)]

    def find_function(self, name: str) -> CommandStreamOp | None:  # type: ignore
        return next((f for f in self.functions() if f.sym_name.data == name), None)

    def function(self, name: str) -> StreamFunction:  # type: ignore[override]
        if name not in self._streams:
            found = self.find_function(name)
            if found is None:
                have = ", ".join("@" + f.sym_name.data for f in self.functions())
                raise InterpreterError(
                    error_line(
                        f"no npu.command_stream @{name} (it has {have or 'none'})",
                        self.name,
                    )
                )
            self._streams[name] = StreamFunction(found)
        return self._streams[name]


def program_of(source: str | ModuleOp, name: str = "<string>") -> Program:
    """A tir Program, or an NpuProgram if the module holds a command stream."""
    program = Program(source, name)
    if holds_npu(program.module):
        return NpuProgram(program.module, name)
    return program


def run_stream(
    source: str | ModuleOp | Program,
    inputs: Mapping[str, Any],
    stream: str = "main",
) -> dict[str, np.ndarray]:
    """Run `npu.command_stream @stream` on `inputs`; every tensor by name."""
    program = (
        source
        if isinstance(source, NpuProgram)
        else NpuProgram(source.module if isinstance(source, Program) else source)
    )
    return program.function(stream)(inputs)
