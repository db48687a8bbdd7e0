"""Imported models compute exactly what LiteRT's reference kernels compute.

Each bundled model runs through LiteRT (BUILTIN_REF resolver, or the
`formats.tflite.oracle.oracle_interpreter`) and through the
tir interpreter on the imported program, on several seeded random inputs;
outputs must be equal bit for bit. On a mismatch the failure names the first
operator whose output differs, by comparing every intermediate tensor.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter
from xdsl.dialects.builtin import ModuleOp, StringAttr

from tests.tflite_patch import MODELS
from tirconst.dialects import tir
from tirconst.formats.tflite.oracle import oracle_interpreter
from tirconst.formats.tflite.reader import TFLiteModel, read_tflite
from tirconst.frontend.importer import import_tflite
from tirconst.interpreter import random_inputs, run_function

ALL_MODELS = sorted(p.stem for p in MODELS.glob("*.tflite"))
SEEDS = (0, 1, 2)


def litert(path, inputs: dict[str, np.ndarray]) -> Interpreter:
    interp = oracle_interpreter(path, preserve_all_tensors=True)
    for i, d in enumerate(interp.get_input_details()):
        interp.set_tensor(d["index"], inputs[f"input{i}"])
    interp.invoke()
    return interp


def expose_intermediates(module: ModuleOp) -> dict[str, int]:
    """Turn each operator's workspace output into a parameter `t<tensor index>`,
    so the interpreter returns it; returns parameter name -> operator index."""
    (func,) = [op for op in module.ops if isinstance(op, tir.FuncOp)]
    exposed: dict[str, int] = {}
    names = list(func.names)
    for op in list(func.walk()):
        if not isinstance(op, tir.OperatorOp) or "tflite.index" not in op.attributes:
            continue
        out = op.output  # type: ignore[attr-defined]
        alloc = out.owner
        if not isinstance(alloc, tir.AllocateOp):
            continue  # a model output: already a parameter
        name = f"op{op.attributes['tflite.index'].value.data}"  # type: ignore
        arg = func.body.block.insert_arg(out.type, len(names))
        out.replace_all_uses_with(arg)
        alloc.detach()
        alloc.erase()
        names.append(name)
        exposed[name] = int(name[2:])
    func.param_names = func.param_names.__class__([StringAttr(n) for n in names])
    return exposed


def first_difference(
    model: TFLiteModel,
    interp: Interpreter,
    ours: dict[str, np.ndarray],
    exposed: dict[str, int],
) -> str | None:
    for name, index in sorted(exposed.items(), key=lambda kv: kv[1]):
        op = model.operators[index]
        expected = interp.get_tensor(op.outputs[0])
        got = ours[name]
        if not np.array_equal(got, expected):
            where = np.argwhere(got != expected)[0]
            return (
                f"operator {index} ({op.opcode}, output "
                f"'{model.tensor(op.outputs[0]).name}') differs first at index "
                f"{tuple(int(i) for i in where)}: {got[tuple(where)]} != "
                f"{expected[tuple(where)]}"
            )
    return None


@pytest.mark.parametrize("name", ALL_MODELS)
def test_bit_exact_against_litert(name: str) -> None:
    path = MODELS / f"{name}.tflite"
    module = import_tflite(path)
    for seed in SEEDS:
        inputs = random_inputs(module, seed=seed)
        inputs = {k: v for k, v in inputs.items() if k.startswith("input")}
        interp = litert(path, inputs)
        outputs = run_function(module, inputs)
        for i, d in enumerate(interp.get_output_details()):
            expected = interp.get_tensor(d["index"])
            if np.array_equal(outputs[f"output{i}"], expected):
                continue
            # Find the operator that went wrong first.
            probe = import_tflite(path)
            exposed = expose_intermediates(probe)
            ours = run_function(probe, inputs)
            culprit = first_difference(read_tflite(path), interp, ours, exposed)
            pytest.fail(
                f"{name} seed {seed}: output{i} differs from LiteRT; "
                + (culprit or "no intermediate differs (final copy?)")
            )


def test_a_wrong_operator_is_named() -> None:
    """The mismatch report points at the operator that was changed."""
    path = MODELS / "tflite_micro_speech.tflite"
    module = import_tflite(path)
    inputs = {
        k: v for k, v in random_inputs(module, seed=0).items() if k.startswith("input")
    }
    interp = litert(path, inputs)
    exposed = expose_intermediates(module)
    (fc,) = [op for op in module.walk() if isinstance(op, tir.FullyConnectedOp)]
    fc.properties["output_zp"] = fc.properties["output_zp"].__class__(
        fc.params()["output_zp"] + 1, 64
    )
    ours = run_function(module, inputs)
    message = first_difference(read_tflite(path), interp, ours, exposed)
    assert message is not None and message.startswith("operator 2 (FULLY_CONNECTED")


@pytest.mark.parametrize("side", ["rhs", "lhs"])
@pytest.mark.parametrize("opcode", ["MUL", "ADD", "SUB"])
def test_rank0_constant_operand(opcode: str, side: str, tmp_path: Path) -> None:
    """A binary op with a rank-0 constant operand (a Keras `Rescaling`
    multiplier or offset): the imported text keeps shape [] for both data and
    buffer, so tirconst-import exits 0 with IR its own tools accept, and the
    program (imported, and compiled) equals LiteRT bit for bit."""
    from tests.test_tflite_litert import Op, T, build_tflite
    from tests.tool_runner import call
    from tirconst.core.context import context
    from tirconst.core.diagnostics import parse_module
    from tirconst.tools.compile import Compiler

    x = T((1, 4, 4, 8), np.int8, 0.05, -3)
    c = T((), np.int8, 0.02, 4, data=np.array(-77, np.int8))
    tensors = (
        [x, c, T((1, 4, 4, 8), np.int8, 0.07, 5)]
        if side == "rhs"
        else [
            c,
            x,
            T((1, 4, 4, 8), np.int8, 0.07, 5),
        ]
    )
    model_input = 0 if side == "rhs" else 1
    options = f"{opcode.capitalize()}Options", {"FusedActivationFunction": 0}
    path = tmp_path / "rank0.tflite"
    path.write_bytes(
        build_tflite(tensors, [Op(opcode, [0, 1], [2], options)], [model_input], [2])
    )
    out = tmp_path / "rank0.mlir"
    status, _, err = call("tirconst-import", str(path), "-o", str(out))
    assert status == 0, err
    text = out.read_text()
    assert "dense<-77> : tensor<i8>" in text
    status, _, err = call("tirconst-opt", str(out))
    assert status == 0, err
    module = parse_module(context(), text, str(out))
    module.verify()
    (const,) = [op for op in module.ops if isinstance(op, tir.ConstantOp)]
    assert const.data.shape == ()
    compiled, _ = Compiler(path, "ethos-u55-128", None).run()
    for seed in SEEDS:
        inputs = {
            k: v
            for k, v in random_inputs(module, seed=seed).items()
            if k.startswith("input")
        }
        want = litert(path, inputs)
        expected = want.get_tensor(want.get_output_details()[0]["index"])
        assert np.array_equal(run_function(module, inputs)["output0"], expected)
        got = run_function(compiled, inputs)["output0"]
        assert np.array_equal(got.reshape(expected.shape), expected), seed


def test_import_tool_writes_only_ir_that_verifies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tirconst-import verifies what it made before writing it: an importer
    bug (here the rank-0 one, data of another shape than its buffer) is one
    line naming the op, exit 1, and no file."""
    from tests.tool_runner import call
    from tirconst.tools import import_tflite as tool

    original = tool.import_tflite

    def broken(path: Path) -> ModuleOp:
        module = original(path)
        const = next(op for op in module.ops if isinstance(op, tir.ConstantOp))
        const.set_data(const.data.reshape(-1)[:1].copy())
        return module

    monkeypatch.setattr(tool, "import_tflite", broken)
    model = MODELS / "tflite_micro_speech.tflite"
    out = tmp_path / "m.mlir"
    status, _, err = call("tirconst-import", str(model), "-o", str(out))
    assert status == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(
        f"{model}: error: after import: 'tir.allocate_const' op in @main: "
    ), lines[0]
    assert "constant data has shape [1]" in lines[0]
    assert not out.exists()
