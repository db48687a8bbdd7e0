"""TFLite int8 model -> tir module, with weights as first-class constants.

Operators computable from static data alone (shape arithmetic feeding a
RESHAPE, ...) are evaluated first (`static_fold`). The module has one
function `@main(input0, ..., output0, ...)` in the model's input and output
order. Every constant tensor an operator reads as a buffer
(weights, biases, constant operands, lookup tables) becomes a module-level
`tir.constant`, read through one `tir.allocate_const` however many operators
share it. Intermediate tensors become `tir.allocate`; RESHAPE and SQUEEZE
become views. Each operator op carries TFLite's integer parameters and the
attributes `tflite.index` / `tflite.name` (operator index, output tensor
name), so IR maps back to the model, and the float32 scales of the tensors it
touches (`input_scale`, `filter_scales`, ...), which the verifier checks against
the integers.

An operator the table does not know (`operator_table.OPERATORS`: DEPTH_TO_SPACE,
GATHER, ...) is kept whole for the CPU, as Vela keeps it: one
`tir.tflite_operator` naming it, reading its tensor inputs that are neither
constants nor variable state and writing its one output (`kept_inputs`);
convert-tir-to-npu leaves it on the CPU with a remark, and the written model
keeps the operator.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import IntegerAttr, ModuleOp, StringAttr, i64
from xdsl.ir import Operation, SSAValue

from tirconst.dialects import tir
from tirconst.dialects.tir.provenance import TFLITE_INDEX, TFLITE_NAME
from tirconst.formats.tflite.reader import (
    TFLiteImportError,
    TFLiteModel,
    TFLiteOperator,
    TFLiteTensor,
    read_tflite,
)
from tirconst.frontend.graph_checks import check_graph
from tirconst.frontend.operator_table import (
    OPERATORS,
    op_params,
    op_quantization,
    supported,
    table_value,
    unsupported_operators,
)
from tirconst.frontend.static_fold import fold_static


def import_tflite(model: TFLiteModel | str | os.PathLike[str]) -> ModuleOp:
    """Import an int8 TFLite model; raises TFLiteImportError on anything
    unsupported, after checking the whole model (nothing is half-built).
    Operators the table does not know become `tir.tflite_operator`s."""
    if not isinstance(model, TFLiteModel):
        model = read_tflite(model)
    check_graph(model)
    model = fold_static(model)  # shape computations become constants
    check_supported(model)
    params = [
        _params(model, op) if supported(op.opcode) else None for op in model.operators
    ]
    return _Builder(model).build(params)


def _params(model: TFLiteModel, op: TFLiteOperator) -> list[dict]:
    """One parameter dict per op to emit: one per output of a `per_output`
    operator, else one (with the quantization properties)."""
    p = op_params(model, op)
    if OPERATORS[op.opcode].per_output:
        return [dict(d) for d in p]
    return [{**p, **op_quantization(model, op)}]


def output_buffer_name(index: int, opcode: str, position: int = 0) -> str:
    """The name of operator `index`'s output buffer `position`:
    `op3_conv_2d`, and `op5_split_out1` for a second output (the packager
    finds a tensor's buffer by it). xDSL's printer drops a trailing
    `_<number>` from names, hence `out1`."""
    stem = f"op{index}_{opcode.lower()}"
    return stem if position == 0 else f"{stem}_out{position}"


def kept_inputs(model: TFLiteModel, op: TFLiteOperator) -> list[int]:
    """The inputs of an operator kept whole for the CPU that its
    `tir.tflite_operator` reads: the tensors that are neither constants nor
    variable state (those stay the model's alone), in operator order."""
    return [
        t
        for t in op.inputs
        if t >= 0 and model.tensor(t).data is None and not model.tensor(t).is_variable
    ]


def check_supported(model: TFLiteModel) -> None:
    """Fail listing every operator the table does not know that cannot be
    kept whole for the CPU either (a `tir.tflite_operator` writes one output
    and reads at least one tensor; an `ethos-u` custom operator is a
    compiled NPU segment), with its index and name."""
    bad = []
    for op in unsupported_operators(model):
        outs = [o for o in op.outputs if o >= 0]
        if op.custom_code == "ethos-u":
            bad.append((op, "an NPU segment: the model is already compiled"))
        elif len(outs) != 1:
            bad.append((op, f"{len(outs)} outputs (a kept operator has one)"))
        elif not kept_inputs(model, op):
            bad.append((op, "constant inputs only (a kept operator reads a tensor)"))
    if bad:
        kinds = sorted({op.opcode for op, _ in bad})
        listing = ", ".join(
            f"#{op.index} {op.opcode} ({_output_name(model, op)}): {why}"
            for op, why in bad
        )
        raise TFLiteImportError(
            f"unsupported operator kind(s) {', '.join(kinds)}, not imported and "
            f"not kept for the CPU: {listing}"
        )
    for t in model.inputs + model.outputs:
        tensor = model.tensor(t)
        if tensor.data is not None:
            raise TFLiteImportError(
                f"model input/output tensor {t} '{tensor.name}' is a constant"
            )


def _output_name(model: TFLiteModel, op: TFLiteOperator) -> str:
    outs = [o for o in op.outputs if o >= 0]
    return model.tensor(outs[0]).name if outs else "no output"


def _buffer_type(t: TFLiteTensor) -> tir.BufferType:
    try:
        element = tir.element_type_of(t.dtype)
    except ValueError:
        raise TFLiteImportError(
            f"tensor {t.index} '{t.name}' has dtype {t.dtype}, which tir cannot hold"
        ) from None
    return tir.BufferType(t.shape, element)


def _identifier(name: str) -> str:
    ident = re.sub(r"\W+", "_", name).strip("_") or "t"
    return ident if not ident[0].isdigit() else f"t_{ident}"


class _Builder:
    def __init__(self, model: TFLiteModel):
        self.model = model
        self.values: dict[int, SSAValue] = {}  # tensor index -> buffer value
        self.constants: list[Operation] = []
        self.symbols: set[str] = set()
        self.body: list[Operation] = []

    def build(self, params: Sequence[list[dict] | None]) -> ModuleOp:
        m = self.model
        names = [(f"input{i}", t) for i, t in enumerate(m.inputs)]
        names += [(f"output{i}", t) for i, t in enumerate(m.outputs)]
        func = tir.FuncOp("main", [(n, _buffer_type(m.tensor(t))) for n, t in names])
        for arg, (_, t) in zip(func.args, names, strict=False):
            if t in self.values:  # a tensor that is both input and output
                raise TFLiteImportError(
                    f"tensor {t} '{m.tensor(t).name}' is both a model input and output"
                )
            self.values[t] = arg
        for op, ps in zip(m.operators, params, strict=False):
            if ps is None:  # not in the table: kept whole for the CPU
                self.emit_kept(op)
                continue
            for position, p in enumerate(ps):
                self.emit(op, dict(p), position)
        func.body.block.add_ops(self.body)
        return ModuleOp([*self.constants, func])

    def symbol(self, base: str) -> str:
        name, n = _identifier(base), 1
        while name in self.symbols:
            n += 1
            name = f"{_identifier(base)}_{n}"
        self.symbols.add(name)
        return name

    def constant(self, data: np.ndarray, name: str, tensor: int | None) -> SSAValue:
        """A module constant and the one allocate_const reading it."""
        if tensor is not None and tensor in self.values:
            return self.values[tensor]
        sym = self.symbol(name)
        # dense_from_numpy copies it contiguous; np.ascontiguousarray here
        # would make a rank-0 tensor (a Keras Rescaling scale) rank 1.
        const = tir.ConstantOp(sym, data)
        if tensor is not None:
            const.attributes["tflite.tensor"] = StringAttr(
                self.model.tensor(tensor).name
            )
        self.constants.append(const)
        bt = tir.BufferType(data.shape, tir.element_type_of(data.dtype))
        alloc = tir.AllocateConstOp(sym, bt, name=sym)
        self.body.append(alloc)
        if tensor is not None:
            self.values[tensor] = alloc.buffer
        return alloc.buffer

    def tensor_value(self, index: int, name: str) -> SSAValue:
        if index in self.values:
            return self.values[index]
        t = self.model.tensor(index)
        if t.data is not None:
            return self.constant(t.data, name, index)
        raise TFLiteImportError(
            f"tensor {index} '{t.name}' is read before any operator writes it"
        )

    def output_value(self, index: int, name: str) -> SSAValue:
        if index in self.values:  # a function parameter (model output)
            return self.values[index]
        alloc = tir.AllocateOp(_buffer_type(self.model.tensor(index)), name=name)
        self.body.append(alloc)
        self.values[index] = alloc.buffer
        return alloc.buffer

    def emit(self, op: TFLiteOperator, params: dict, position: int = 0) -> None:
        """The op writing output `position` of the operator `op`."""
        # `op3_conv_2d` names operator 3's output, `op3_conv_2d_filter` its weights
        # (xDSL's printer drops a trailing `_<number>` from names).
        stem = output_buffer_name(op.index, op.opcode, position)
        entry = OPERATORS[op.opcode]
        cls = entry.op_class(params)
        roles = cls.INPUTS if cls is not None else ("input",)
        positions = entry.buffers
        if positions is None:  # variadic: every input
            positions = tuple(range(len(op.inputs)))
            roles = tuple(f"{roles[0]}{i}" for i in range(len(positions)))
        inputs: list[SSAValue | None] = []
        for pos, role in zip(positions, roles, strict=False):
            idx = op.inputs[pos] if pos < len(op.inputs) else -1
            inputs.append(
                self.tensor_value(idx, f"{stem}_{role}") if idx >= 0 else None
            )
        out_index = op.outputs[position]
        attrs = {
            TFLITE_INDEX: IntegerAttr(op.index, i64),
            TFLITE_NAME: StringAttr(self.model.tensor(out_index).name),
        }
        if cls is None:
            self.emit_view(inputs[0], out_index, attrs, stem)
            return
        table = table_value(params, entry)
        if table is not None:
            inputs.append(self.constant(table, f"{stem}_table", None))
        kinds = {**cls.PARAM_KINDS, **cls.QUANT_KINDS}
        wanted = {k: v for k, v in params.items() if k in kinds}
        dropped = set(params) - set(wanted) - {"output_shape"}
        if dropped:  # never lose a parameter silently
            raise TFLiteImportError(
                f"operator {op.index} ({op.opcode}): {cls.name} cannot carry "
                f"parameters {sorted(dropped)}"
            )
        ir_op = cls.create_op(inputs, self.output_value(out_index, stem), **wanted)
        ir_op.attributes.update(attrs)
        self.body.append(ir_op)

    def emit_kept(self, op: TFLiteOperator) -> None:
        """The `tir.tflite_operator` of an operator the table does not know."""
        (out_index,) = [o for o in op.outputs if o >= 0]
        stem = output_buffer_name(op.index, op.opcode, op.outputs.index(out_index))
        inputs = [
            self.tensor_value(t, f"{stem}_input{i}")
            for i, t in enumerate(kept_inputs(self.model, op))
        ]
        ir_op = tir.TFLiteOperatorOp.create_op(
            inputs,
            self.output_value(out_index, stem),
            opcode=op.opcode,
            version=op.version,
        )
        ir_op.attributes.update(
            {
                TFLITE_INDEX: IntegerAttr(op.index, i64),
                TFLITE_NAME: StringAttr(self.model.tensor(out_index).name),
            }
        )
        self.body.append(ir_op)

    def emit_view(
        self, source: SSAValue | None, out_index: int, attrs: dict, stem: str
    ) -> None:
        assert source is not None
        bt = _buffer_type(self.model.tensor(out_index))
        if out_index in self.values:  # the model's output: copy into it
            view = tir.ReshapeOp(source, bt)
            copy = tir.CopyOp.create_op([view.view], self.values[out_index])
            copy.attributes.update(attrs)
            self.body += [view, copy]
            return
        view = tir.ReshapeOp(source, bt)
        view.attributes.update(attrs)
        view.view.name_hint = stem
        self.body.append(view)
        self.values[out_index] = view.view
