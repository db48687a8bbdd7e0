"""Whole networks of the kinds issue 25 lists (models/networks/, generated
by models/networks/generate.py; TensorFlow is not needed here).

Each network imports and its tir program equals LiteRT's reference kernels
(BUILTIN_REF) bit for bit; `compile_model` writes a file whose every NPU
segment, read back from the bytes, equals LiteRT (`verify_compiled`). A
network with an operator we do not import yet fails with the importer's
one-line error naming it (BLOCKED says which and why; the strict xfail
turns into a failure the day it imports, so this list has to shrink).
`test_cpu_operators_at_most_vela` compares the operators left on the CPU
with Vela 5.2's for the same network (issue 25's "Done when"); where we
keep more on the CPU today it is a strict xfail naming the missing NPU
lowerings.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from tests.test_importer_litert import litert
from tests.vela_compile import compile_model as vela_compile
from tests.vela_compile import cpu_operators
from tirconst.backend.ethos_u.verify import verify_compiled
from tirconst.core.diagnostics import ToolError
from tirconst.formats.tflite.reader import TFLiteImportError
from tirconst.frontend.importer import import_tflite
from tirconst.interpreter import random_inputs, run_function
from tirconst.tools import compile as compile_tool
from tirconst.tools.compile import compile_model

NETWORKS_DIR = Path(__file__).resolve().parent.parent / "models" / "networks"
NETWORKS = sorted(p.stem for p in NETWORKS_DIR.glob("*.tflite"))

BLOCKED: dict[str, str] = {}
"""Network -> the operator the importer refuses (its error names it)."""

MORE_CPU_THAN_VELA: dict[str, str] = {}
"""Network -> the NPU lowerings it still lacks to leave no more operators on
the CPU than Vela (the test computes the comparison; this only names why)."""

NO_NPU_SEGMENT: dict[str, str] = {}
"""Network -> the NPU lowerings it lacks to have any NPU segment at all."""


def _blocked(name: str) -> list:  # type: ignore[type-arg]
    if name not in BLOCKED:
        return []
    return [
        pytest.mark.xfail(
            raises=(TFLiteImportError, ToolError),
            strict=True,
            reason=f"{BLOCKED[name]} is not imported yet",
        )
    ]


def _param(name: str, extra: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    marks = _blocked(name)
    if not marks and extra and name in extra:
        marks = [
            pytest.mark.xfail(
                strict=True, reason=f"no NPU lowering yet of {extra[name]}"
            )
        ]
    return pytest.param(name, marks=marks, id=name)


@cache
def _compiled(name: str, root: str) -> Path:
    out = Path(root) / name
    compile_model(NETWORKS_DIR / f"{name}.tflite", out)
    return out / f"{name}_tirconst.tflite"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = str(tmp_path_factory.mktemp("networks"))
    return lambda name: _compiled(name, root)


def test_the_networks_are_there() -> None:
    assert len(NETWORKS) == 15, NETWORKS
    for name in NETWORKS:
        size = (NETWORKS_DIR / f"{name}.tflite").stat().st_size
        assert 4 * 1024 < size < 256 * 1024, f"{name}: {size} bytes"


@pytest.mark.parametrize("name", [_param(n) for n in NETWORKS])
def test_network_equals_litert(name: str) -> None:
    """The imported program, run by the tir interpreter, is LiteRT's."""
    path = NETWORKS_DIR / f"{name}.tflite"
    module = import_tflite(path)
    for seed in (0, 1):
        inputs = {
            k: v
            for k, v in random_inputs(module, seed=seed).items()
            if k.startswith("input")
        }
        ours = run_function(module, inputs)
        interp = litert(path, inputs)
        for i, d in enumerate(interp.get_output_details()):
            want = interp.get_tensor(d["index"])
            got = ours[f"output{i}"].reshape(want.shape)
            assert np.array_equal(got, want), f"{name} seed {seed} output{i}"


@pytest.mark.parametrize("name", [_param(n, NO_NPU_SEGMENT) for n in NETWORKS])
def test_network_device_exact(name: str, compiled) -> None:  # type: ignore[no-untyped-def]
    """Every NPU segment of the written file is LiteRT's, from the bytes."""
    written = compiled(name)
    for seed in (0,):
        checks = verify_compiled(NETWORKS_DIR / f"{name}.tflite", written, seed)
        assert checks, f"{name}: no NPU segment"
        for c in checks:
            assert c.exact, f"{name} seed {seed}: {c.line()}"


@pytest.mark.parametrize("name", sorted(BLOCKED))
def test_blocked_network_is_a_one_line_error(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """tirconst-compile refuses it with one line naming the operator."""
    path = NETWORKS_DIR / f"{name}.tflite"
    with pytest.raises(TFLiteImportError, match=BLOCKED[name]) as e:
        import_tflite(path)
    assert "\n" not in str(e.value)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_:
        compile_tool.main([str(path), "--output-dir", str(out)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and BLOCKED[name] in err, err
    assert err.startswith(f"{path}: error: ") and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("name", [_param(n, MORE_CPU_THAN_VELA) for n in NETWORKS])
def test_cpu_operators_at_most_vela(name: str, compiled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 25: no more operators on the CPU than Vela 5.2 leaves there."""
    ours = cpu_operators(compiled(name))
    theirs = vela_compile(NETWORKS_DIR / f"{name}.tflite", "regor", "tflite", tmp_path)
    assert theirs.path is not None, theirs.error
    vela = cpu_operators(theirs.path)
    assert len(ours) <= len(vela), f"{name}: ours {ours}, Vela's {vela}"
