"""Fuzz every tool with truncations and byte flips of the bundled examples
and models (issue 9): the answer is a clean one-line error, or success with
output that is right (it reads back, or agrees with a second route).

Bounded for CI: a few dozen derandomized examples per tool, each in-process;
`tests.tool_runner.call` fails a run that hangs."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tool_runner import assert_clean_error, call
from tirconst.planning import check_plan, read_csv

ROOT = Path(__file__).resolve().parent.parent
FILECHECK = ROOT / "tests" / "filecheck"
MLIR_SEEDS = sorted((ROOT / "examples").glob("*.mlir")) + [
    FILECHECK / "tools" / "tirconst-run.mlir",
    FILECHECK / "dialects" / "tir" / "roundtrip.mlir",
    FILECHECK / "transforms" / "tir-slice-constants.mlir",
]
PIPELINE = "tir-fold-constants,tir-slice-constants,tir-extract-constants"
MODEL_SEEDS = [
    ROOT / "models" / "tflite_micro_magic_wand.tflite",
    ROOT / "models" / "fingerprint_signature_generator.tflite",
]
CSV_SEED = b"id,lower,upper,size,alignment\na,0,3,16,4\nb,1,4,8,1\nc,3,6,32,8\n"

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("TIRCONST_FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed cut short, or with a few bytes flipped, inserted or deleted."""
    data = bytearray(draw(st.sampled_from(seeds)))
    if draw(st.booleans()):
        return bytes(data[: draw(st.integers(0, len(data)))])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete"]))
        byte = (
            draw(st.sampled_from(b'"[]{}()<>,:%@0x-9 \n\\\xff'))
            if draw(st.booleans())
            else draw(st.integers(0, 255))
        )
        if action == "flip":
            data[at] ^= byte or 1
        elif action == "insert":
            data.insert(at, byte)
        else:
            del data[at]
    return bytes(data)


def _check(status: int, err: str) -> None:
    if status != 0:
        assert_clean_error(status, err)
    else:
        assert "Traceback" not in err and "internal error" not in err, err


MLIR = [p.read_bytes() for p in MLIR_SEEDS]


@FUZZ
@given(data=mutated(MLIR), passes=st.booleans())
def test_fuzz_opt(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, passes: bool
) -> None:
    src = tmp_path_factory.mktemp("opt") / "f.mlir"
    src.write_bytes(data)
    status, out, err = call("tirconst-opt", str(src), *(["-p", PIPELINE] * passes))
    _check(status, err)
    if status == 0:
        # Success means the printed IR reads back and prints the same.
        again = src.with_name("again.mlir")
        again.write_text(out)
        status2, out2, err2 = call("tirconst-opt", str(again))
        assert status2 == 0, err2
        assert out2 == out


@FUZZ
@given(data=mutated(MLIR))
def test_fuzz_run(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    src = tmp_path_factory.mktemp("run") / "f.mlir"
    src.write_bytes(data)
    status, out, err = call("tirconst-run", str(src), "--random-inputs", "3")
    _check(status, err)
    if status == 0:
        # Success means the results are those of the program as tirconst-opt
        # reads it (a second route through print and parse).
        status2, printed, err2 = call("tirconst-opt", str(src))
        assert status2 == 0, err2
        again = src.with_name("again.mlir")
        again.write_text(printed)
        status3, out3, err3 = call("tirconst-run", str(again), "--random-inputs", "3")
        assert status3 == 0, err3
        assert out3 == out


MODELS = [p.read_bytes() for p in MODEL_SEEDS]


@FUZZ
@given(data=mutated(MODELS))
def test_fuzz_import(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    directory = tmp_path_factory.mktemp("import")
    model, out = directory / "m.tflite", directory / "m.mlir"
    model.write_bytes(data)
    status, _, err = call("tirconst-import", str(model), "-o", str(out))
    _check(status, err)
    if status == 0:
        status2, _, err2 = call("tirconst-opt", str(out))
        assert status2 == 0, err2
    else:
        assert not out.exists()


@FUZZ
@given(data=mutated([CSV_SEED]))
def test_fuzz_plan(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    directory = tmp_path_factory.mktemp("plan")
    csv, out = directory / "p.csv", directory / "o.csv"
    csv.write_bytes(data)
    status, _, err = call(
        "tirconst-plan", str(csv), "-o", str(out), "--time-limit", "1"
    )
    if status == 1:  # over capacity: an answer, and nothing is written
        assert "over capacity" in err and not out.exists()
        return
    _check(status, err)
    if status == 0:
        planned = read_csv(out)
        offsets = {
            line.split(",")[0]: int(line.split(",")[-1])
            for line in out.read_text().splitlines()[1:]
        }
        assert check_plan(planned, offsets) == []
    else:
        assert not out.exists()


def _npz_seed() -> bytes:
    import io

    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, input0=np.arange(4, dtype=np.int8))
    return buffer.getvalue()


@FUZZ
@given(data=mutated([_npz_seed()]))
def test_fuzz_run_inputs(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    inputs = tmp_path_factory.mktemp("inputs") / "in.npz"
    inputs.write_bytes(data)
    program = str(MLIR_SEEDS[0])  # examples/dense_layer.mlir: one input, int8[4]
    status, out, err = call("tirconst-run", program, "--inputs", str(inputs))
    _check(status, err)
    if status == 0:
        # The values run are those the archive holds.
        import numpy as np

        with np.load(inputs) as given:
            shown = ", ".join(str(v) for v in given["input0"].tolist())
        assert f"%input0 = [{shown}] : int8" in out
