"""The bytes we ship, read back from the written file and run: every NPU
segment of every model the tests build (each single-operator case, pools of
every kind and size, a model split in two by a CPU operator) is compiled,
disassembled from `MODEL_tirconst.tflite`, run in the npu interpreter on
LiteRT's own input tensors and compared with LiteRT's outputs, bit for bit
(`tirconst.backend.ethos_u.verify`); `tirconst-compile --verify` says so per
segment. The bundled models get the same check in test_compile.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_compile import two_segment_model
from tests.test_importer_litert import litert
from tests.test_tflite_litert import CASES, Op, T, build_tflite, pack_case
from tirconst.backend.ethos_u import verify
from tirconst.backend.ethos_u.containers import read_tflite_segments
from tirconst.backend.ethos_u.verify import verify_compiled
from tirconst.formats.tflite.reader import read_tflite, read_tflite_bytes
from tirconst.frontend.importer import import_tflite
from tirconst.interpreter import random_inputs, run_function
from tirconst.tools import compile as compile_tool
from tirconst.tools.compile import Compiler, compile_model

SEEDS = (0, 1, 2)


def compiled(tmp: Path, name: str, data: bytes) -> tuple[Path, Path, list[str]]:
    """Write the model, compile it; (model, written file, CPU remarks)."""
    model = tmp / f"{name}.tflite"
    model.write_bytes(data)
    remarks: list[str] = []
    compile_model(model, tmp / "out", remark=remarks.append)
    return model, tmp / "out" / f"{name}_tirconst.tflite", remarks


def assert_device_exact(model: Path, written: Path, seeds=SEEDS) -> int:
    """Every segment exact on every seed; the number of segments."""
    for seed in seeds:
        checks = verify_compiled(model, written, seed)
        for c in checks:
            assert c.exact, f"{model.name} seed {seed}: {c.line()}"
    return len(read_tflite_segments(written))


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("case", sorted(CASES))
def test_built_model_device_exact(tmp_path: Path, case: str, seed: int) -> None:
    """Each single-operator case: on the NPU, exact from the file's bytes;
    else on the CPU with a remark, and no segment in the file."""
    rng = np.random.default_rng([seed, sorted(CASES).index(case), 7])
    model, written, remarks = compiled(tmp_path, case, build_tflite(*CASES[case](rng)))
    segments = assert_device_exact(model, written)
    if segments == 0:
        assert remarks, f"{case}: no NPU segment and no remark saying why"
    if case in ON_THE_NPU:
        assert segments == 1 and not remarks, f"{case}: {remarks}"
    assert_program_equals_litert(model, seed)


ON_THE_NPU = {"softmax"}
"""Cases that must run on the NPU, whole."""


def assert_program_equals_litert(model: Path, seed: int) -> None:
    """The whole compiled program (NPU part in the npu interpreter, CPU part
    in the tir interpreter, on the planned bytes) equals LiteRT."""
    module, _ = Compiler(model, "ethos-u55-128", None).run()
    inputs = {
        k: v
        for k, v in random_inputs(module, seed=seed).items()
        if k.startswith("input")
    }
    ours = run_function(module, inputs)
    interp = litert(model, inputs)
    for i, d in enumerate(interp.get_output_details()):
        want = interp.get_tensor(d["index"])
        got = ours[f"output{i}"].reshape(want.shape)
        assert np.array_equal(got, want), f"{model.name} output{i}"


def test_split_model_device_exact(tmp_path: Path) -> None:
    model, written, remarks = compiled(tmp_path, "split", two_segment_model(0))
    assert assert_device_exact(model, written) == 2
    assert any("not contiguous" in r for r in remarks)


def float_cpu_segment_model(seed: int) -> bytes:
    """ADD -> DEQUANTIZE -> NEG -> QUANTIZE -> ADD (as a TF layer norm has
    it): float32 tensors between two NPU segments, on the CPU."""
    rng = np.random.default_rng(seed)
    shape = (1, 4, 6, 8)
    q = [(float(np.float32(rng.uniform(0.01, 0.1))), int(rng.integers(-20, 20)))]
    q += [(float(np.float32(rng.uniform(0.01, 0.1))), int(rng.integers(-20, 20)))]
    (sa, za), (sb, zb) = q
    add = ("AddOptions", {"FusedActivationFunction": 0})
    tensors = [
        T(shape, np.int8, sa, za),
        T(shape, np.int8, sb, zb),
        T(shape, np.float32),
        T(shape, np.float32),
        T(shape, np.int8, sb, -zb),
        T(shape, np.int8, sa, za),
    ]
    ops = [
        Op("ADD", [0, 0], [1], add),
        Op("DEQUANTIZE", [1], [2]),
        Op("NEG", [2], [3]),
        Op("QUANTIZE", [3], [4]),
        Op("ADD", [4, 0], [5], add),
    ]
    return build_tflite(tensors, ops, [0], [5])


@pytest.mark.parametrize("seed", range(2))
def test_float_cpu_segment_device_exact(tmp_path: Path, seed: int) -> None:
    """float32 data crossing a CPU segment: two NPU segments, each exact
    from the bytes, the float32 tensors kept as the CPU operators' own
    (4-byte elements), the whole program equal to LiteRT."""
    model, written, remarks = compiled(tmp_path, "f", float_cpu_segment_model(seed))
    assert assert_device_exact(model, written) == 2
    assert sum("float data" in r for r in remarks) == 3, remarks
    out = read_tflite(written)
    cpu = [op.opcode for op in out.operators if op.opcode != "CUSTOM"]
    assert cpu == ["DEQUANTIZE", "NEG", "QUANTIZE"]
    floats = [t for t in out.tensors if t.dtype == np.float32]
    assert len(floats) == 2 and all(t.shape == (1, 4, 6, 8) for t in floats)
    assert_program_equals_litert(model, seed)


_POOL = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["AVERAGE_POOL_2D", "MAX_POOL_2D"]),
        "k": st.tuples(st.integers(1, 12), st.integers(1, 12)),
        "stride": st.tuples(st.integers(1, 3), st.integers(1, 3)),
        "same": st.booleans(),
        "hw": st.tuples(st.integers(1, 16), st.integers(1, 16)),
        "c": st.integers(1, 24),
        "zp": st.integers(-128, 127),
        "scale": st.floats(0.001, 1.0),
        "act": st.sampled_from([0, 1, 2, 3]),
    }
)


def pool_model(p: dict) -> bytes:
    (kh, kw), (sy, sx) = p["k"], p["stride"]
    h, w = p["hw"]
    if not p["same"]:
        h, w = max(h, kh), max(w, kw)
        oh, ow = (h - kh) // sy + 1, (w - kw) // sx + 1
    else:
        oh, ow = -(-h // sy), -(-w // sx)
    s = float(np.float32(p["scale"]))
    opts = {
        "Padding": 0 if p["same"] else 1,
        "StrideW": sx,
        "StrideH": sy,
        "FilterWidth": kw,
        "FilterHeight": kh,
        "FusedActivationFunction": p["act"],
    }
    tensors = [
        T((1, h, w, p["c"]), np.int8, s, p["zp"]),
        T((1, oh, ow, p["c"]), np.int8, s, p["zp"]),
    ]
    return build_tflite(
        tensors, [Op(p["kind"], [0], [1], ("Pool2DOptions", opts))], [0], [1]
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(p=_POOL)
def test_random_pool_device_exact(tmp_path: Path, p: dict) -> None:
    """Pools of every kind, padding and kernel size (1..12), any zero point:
    npu IR -> Vela -> payload in the file -> disassembled -> run, equal to
    LiteRT; what stays on the CPU says why."""
    model, written, remarks = compiled(tmp_path, "pool", pool_model(p))
    if assert_device_exact(model, written, seeds=(0,)) == 0:
        assert remarks


_SOFTMAX = st.fixed_dictionaries(
    {
        "lead": st.lists(st.integers(1, 4), min_size=0, max_size=3),
        "c": st.one_of(st.integers(1, 300), st.sampled_from([1, 16, 255, 256, 257])),
        "beta": st.one_of(st.floats(0.05, 3.0), st.sampled_from([1.0, 0.5, 2.0])),
        "scale": st.floats(0.001, 1.0),
        "zp": st.integers(-128, 127),
    }
)


def softmax_model(p: dict) -> bytes:
    shape = (*p["lead"], p["c"])
    s = float(np.float32(p["scale"]))
    tensors = [T(shape, np.int8, s, p["zp"]), T(shape, np.int8, 1 / 256, -128)]
    beta = float(np.float32(p["beta"]))
    op = Op("SOFTMAX", [0], [1], ("SoftmaxOptions", {"Beta": beta}))
    return build_tflite(tensors, [op], [0], [1])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(p=_SOFTMAX)
def test_random_softmax_device_exact(tmp_path: Path, p: dict) -> None:
    """int8 SOFTMAX of rank 1..4, 1..300 channels, any beta, input scale and
    zero point: on the NPU (Vela's integer sequence; over 256 channels the
    row maximum a pool of pools), compiled, disassembled from the written
    file, run, equal to LiteRT on 3 seeds; the whole compiled program equals
    LiteRT, and the tir program equals its lowering in the interpreters
    (wider rows: tests/test_softmax_wide_npu.py)."""
    model, written, remarks = compiled(tmp_path, "sm", softmax_model(p))
    segments = assert_device_exact(model, written)
    assert segments == 1 and not remarks, remarks
    assert_program_equals_litert(model, 0)
    source = import_tflite(model)
    lowered, _ = Compiler(model, "ethos-u55-128", None).run()
    inputs = random_inputs(source, seed=1)
    want, got = run_function(source, inputs), run_function(lowered, inputs)
    assert np.array_equal(want["output0"], got["output0"])


@settings(max_examples=20, deadline=None)
@given(
    s_in=st.floats(0.001, 1.0),
    s_out=st.floats(0.001, 1.0),
    z_in=st.integers(-128, 127),
    z_out=st.integers(-128, 127),
)
def test_random_requantize_device_exact(
    tmp_path_factory: pytest.TempPathFactory, s_in, s_out, z_in, z_out
) -> None:
    """int8 -> int8 QUANTIZE: a 1x1 average pool with an explicit OFM scale."""
    tmp = tmp_path_factory.mktemp("q")
    f32 = [float(np.float32(v)) for v in (s_in, s_out)]
    tensors = [T((3, 40), np.int8, f32[0], z_in), T((3, 40), np.int8, f32[1], z_out)]
    data = build_tflite(tensors, [Op("QUANTIZE", [0], [1])], [0], [1])
    model, written, _ = compiled(tmp, "q", data)
    assert assert_device_exact(model, written, seeds=(0,)) == 1


def test_a_difference_names_op_index_got_want(tmp_path: Path) -> None:
    """A segment output that is not LiteRT's reports where it first differs."""
    rng = np.random.default_rng(1)
    model, written, _ = compiled(
        tmp_path, "fc", build_tflite(*CASES["fully_connected"](rng))
    )
    (check,) = verify_compiled(model, written, 0)
    assert check.exact
    real = verify.litert_tensors

    def off_by_one(m, seed):
        out = real(m, seed)
        name = check.outputs[0].tensor
        out[name] = out[name].copy()
        out[name].reshape(-1)[3] += 1
        return out

    verify.litert_tensors = off_by_one
    try:
        (bad,) = verify_compiled(model, written, 0)
    finally:
        verify.litert_tensors = real
    assert not bad.exact
    assert bad.outputs[0].first is not None and bad.outputs[0].first[0] == 3
    line = bad.line()
    assert "FULLY_CONNECTED" in line and "element 3" in line and "1 of" in line


def test_verify_option(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    model = tmp_path / "split.tflite"
    model.write_bytes(two_segment_model(1))
    out = tmp_path / "out"
    assert (
        compile_tool.main(
            [str(model), "--output-dir", str(out), "--verify", "--seed", "4"]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert text.count("verify (seed 4): segment") == 2 and "differs" not in text
    # A wrong answer from a segment is exit 1 and a line saying where.
    real = verify.litert_tensors

    def wrong(m, seed):
        out = real(m, seed)
        out["t8"] = out["t8"] ^ np.int8(1)  # the model's output (the 2nd conv's)
        return out

    monkeypatch.setattr(verify, "litert_tensors", wrong)
    assert compile_tool.main([str(model), "--output-dir", str(out), "--verify"]) == 1
    assert "differs at #2 CONV_2D" in capsys.readouterr().out


def test_verify_without_npu_segment(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    # Over 4095 channels the softmax stays on the CPU.
    tensors = [T((2, 4100), np.int8, 0.1, 0), T((2, 4100), np.int8, 1 / 256, -128)]
    model = tmp_path / "sm.tflite"
    model.write_bytes(
        build_tflite(
            tensors,
            [Op("SOFTMAX", [0], [1], ("SoftmaxOptions", {"Beta": 1.0}))],
            [0],
            [1],
        )
    )
    assert (
        compile_tool.main([str(model), "--output-dir", str(tmp_path), "--verify"]) == 0
    )
    assert "no NPU segment" in capsys.readouterr().out


def tile_v3_model(multiples: tuple[int, ...], shape: tuple[int, ...]) -> bytes:
    """An int8 TILE marked version 3, as TFLite's converter writes it (Keras
    3's UpSampling2D(nearest) is RESHAPE, TILE, RESHAPE)."""
    out = tuple(d * k for d, k in zip(shape, multiples, strict=True))
    m = np.array(multiples, np.int32)
    tensors = [
        T(shape, np.int8, 0.05, 3),
        T((len(shape),), np.int32, data=m),
        T(out, np.int8, 0.05, 3),
    ]
    return build_tflite(tensors, [Op("TILE", [0, 1], [2], version=3)], [0], [2])


def test_tile_version_3_is_checked_on_the_reference_kernel(tmp_path: Path) -> None:
    """BUILTIN_REF registers TILE up to version 2, the same kernel the
    default resolver registers up to 3: the oracle runs a version 3 TILE as
    version 2 (`oracle.REFERENCE_VERSIONS`, nothing else of the model
    changed), and its values are np.tile's and the default kernel's. Then
    the compiled TILE is exact from the file's bytes and --verify says so."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    from tirconst.formats.tflite.oracle import oracle_content, oracle_interpreter

    data = tile_v3_model((1, 2, 3, 1), (1, 3, 4, 8))
    with pytest.raises(ValueError, match="'TILE' version '3'"):
        Interpreter(
            model_content=data,
            experimental_op_resolver_type=OpResolverType.BUILTIN_REF,
        )
    lowered = oracle_content(data)
    assert len(lowered) == len(data)
    assert [op.version for op in read_tflite_bytes(lowered).operators] == [2]
    assert sum(a != b for a, b in zip(lowered, data, strict=True)) == 1
    assert oracle_content(data, "BUILTIN_WITHOUT_DEFAULT_DELEGATES") is data
    x = np.random.default_rng(0).integers(-128, 128, (1, 3, 4, 8), dtype=np.int8)

    def run(interp) -> np.ndarray:  # type: ignore[no-untyped-def]
        interp.allocate_tensors()
        interp.set_tensor(interp.get_input_details()[0]["index"], x)
        interp.invoke()
        return interp.get_tensor(interp.get_output_details()[0]["index"])

    reference = run(oracle_interpreter(data))
    assert np.array_equal(reference, np.tile(x, (1, 2, 3, 1)))
    default = Interpreter(
        model_content=data,
        experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
    )
    assert np.array_equal(reference, run(default))

    model, written, remarks = compiled(tmp_path, "tile3", data)
    assert assert_device_exact(model, written) == 1 and not remarks, remarks
    assert_program_equals_litert(model, 0)


def test_verify_names_an_operator_the_oracle_cannot_run(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """An operator version no LiteRT resolver registers (nor may be lowered:
    ADD is not in `REFERENCE_VERSIONS`) is one line naming it, never a
    traceback; the compile itself is unaffected."""
    tensors = [T((1, 2, 2, 8), np.int8, 0.05, 3) for _ in range(3)]
    model = tmp_path / "add9.tflite"
    model.write_bytes(
        build_tflite(tensors, [Op("ADD", [0, 1], [2], version=9)], [0, 1], [2])
    )
    with pytest.raises(SystemExit) as e:
        compile_tool.main([str(model), "--output-dir", str(tmp_path), "--verify"])
    assert e.value.code == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "cannot run ADD version 9 (#0 of add9.tflite)" in err, err
    assert err.startswith(str(model)), err
    assert (tmp_path / "add9_tirconst.tflite").exists()


def test_softmax_evicts_cached_tables(tmp_path: Path) -> None:
    """Five tables fill LUT slots 0-4, then a softmax loads its 1 KiB exp
    table into slots 0-3; a later lookup of the first table must load it
    again (its slot no longer holds it). The whole run is one NPU segment,
    exact from the file's bytes."""
    shape = (1, 4, 4, 8)
    x = T(shape, np.int8, 0.05, 3)
    tensors = [x]
    ops = []

    def unary(opcode: str, src: int, scale: float, zp: int, opts=None) -> int:  # type: ignore[no-untyped-def]
        tensors.append(T(shape, np.int8, scale, zp))
        ops.append(Op(opcode, [src], [len(tensors) - 1], opts))
        return len(tensors) - 1

    a = unary("TANH", 0, 1 / 128, 0)
    b = unary("HARD_SWISH", a, 0.01, -20)
    c = unary("EXP", b, 0.03, -100)
    d = unary("LOG", c, 0.02, 10)
    e = unary("LEAKY_RELU", d, 0.02, 5, ("LeakyReluOptions", {"Alpha": 0.2}))
    tensors.append(T(shape, np.int8, 1 / 256, -128))
    ops.append(
        Op("SOFTMAX", [e], [len(tensors) - 1], ("SoftmaxOptions", {"Beta": 1.0}))
    )
    f = len(tensors) - 1
    g = unary("TANH", 0, 1 / 128, 0)  # the first table again
    model, written, remarks = compiled(
        tmp_path, "evict", build_tflite(tensors, ops, [0], [f, g])
    )
    assert not remarks, remarks
    assert assert_device_exact(model, written) == 1
    assert_program_equals_litert(model, 0)


_SQUARED_DIFFERENCE = st.fixed_dictionaries(
    {
        "shape": st.lists(st.integers(1, 6), min_size=1, max_size=4),
        "broadcast": st.sampled_from(["none", "lhs", "rhs", "both"]),
        "scales": st.tuples(*[st.floats(0.001, 1.0)] * 3),
        "zps": st.tuples(*[st.integers(-128, 127)] * 3),
        "small_output": st.booleans(),
    }
)


def squared_difference_model(p: dict) -> bytes:
    shape = tuple(p["shape"])
    ones = tuple(1 if i % 2 == 0 else d for i, d in enumerate(shape))
    sa = ones if p["broadcast"] in ("lhs", "both") else shape
    sb = ones[1:] if p["broadcast"] in ("rhs", "both") else shape
    if p["broadcast"] == "both":
        sb = tuple(d if i % 2 == 0 else 1 for i, d in enumerate(shape))
    out = np.broadcast_shapes(sa, sb)
    s1, s2, so = (float(np.float32(s)) for s in p["scales"])
    if p["small_output"]:  # the output multiplier just below 1 (LiteRT's limit)
        so = float(np.float32(max(s1, s2) ** 2 / 4096 * 1.01))
    z1, z2, zo = p["zps"]
    tensors = [T(sa, np.int8, s1, z1), T(sb, np.int8, s2, z2), T(out, np.int8, so, zo)]
    op = Op("SQUARED_DIFFERENCE", [0, 1], [2])
    return build_tflite(tensors, [op], [0, 1], [2])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(p=_SQUARED_DIFFERENCE)
def test_random_squared_difference_device_exact(tmp_path: Path, p: dict) -> None:
    """int8 SQUARED_DIFFERENCE of rank 1..4, either operand (or none)
    broadcasting, any scales and zero points: on the NPU (Vela's int32
    sequence) when at most one operand broadcasts (batch 1 then), compiled,
    disassembled from the written file, run, equal to LiteRT on 3 seeds; the
    whole compiled program equals LiteRT; otherwise on the CPU with a
    remark saying why. (LiteRT aborts on an output multiplier of 1 or more,
    so the models stay below it; the rule keeps such ops on the CPU.)"""
    model, written, remarks = compiled(tmp_path, "sqd", squared_difference_model(p))
    segments = assert_device_exact(model, written)
    source = import_tflite(model)
    (sd,) = [o for o in source.walk() if o.name == "tir.squared_difference"]
    rank = len(sd.output.type.get_shape())
    full = [(1,) * (rank - len(s)) + tuple(s) for s in (sd.lhs.type.get_shape(),
            sd.rhs.type.get_shape())]  # fmt: skip
    broadcast = full[0] != full[1]
    if all(f != tuple(sd.output.type.get_shape()) for f in full):
        assert segments == 0 and any("both operands broadcast" in r for r in remarks)
    elif broadcast and rank == 4 and sd.output.type.get_shape()[0] > 1:
        assert segments == 0 and any(
            "not a dense NPU feature map" in r for r in remarks
        )
    else:
        assert segments == 1 and not remarks, remarks
    assert_program_equals_litert(model, 0)


_BOTH_BROADCAST = st.fixed_dictionaries(
    {
        "opcode": st.sampled_from(["ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM"]),
        "shape": st.lists(st.integers(2, 6), min_size=2, max_size=3),
        "axes": st.permutations([0, 1, 2]),
        "third": st.sampled_from(["lhs", "rhs", "neither", "both"]),
        "batch1": st.booleans(),
        "drop": st.booleans(),
        "scales": st.tuples(*[st.floats(0.001, 1.0)] * 3),
        "zps": st.tuples(*[st.integers(-128, 127)] * 3),
        "act": st.sampled_from([0, 1, 3]),
    }
)


def both_broadcast_model(p: dict) -> bytes:
    """An elementwise op whose lhs broadcasts along one axis and rhs along
    another (extent 1 there), a third axis as `third` says, with a leading
    axis of 1 or not; the rhs without its leading 1s when `drop`."""
    shape = tuple(p["shape"])
    rank = len(shape)
    la, ra, third = (a for a in p["axes"])
    bcast_a = {la % rank} | ({third} if p["third"] in ("lhs", "both") else set())
    bcast_b = {ra % rank} | ({third} if p["third"] in ("rhs", "both") else set())
    if ra % rank == la % rank:
        bcast_b = {(la + 1) % rank}
    sa = (1,) * p["batch1"] + tuple(
        1 if i in bcast_a else d for i, d in enumerate(shape)
    )
    sb = (1,) * p["batch1"] + tuple(
        1 if i in bcast_b else d for i, d in enumerate(shape)
    )
    while p["drop"] and len(sb) > 1 and sb[0] == 1:
        sb = sb[1:]
    out = np.broadcast_shapes(sa, sb)
    s1, s2, so = (float(np.float32(s)) for s in p["scales"])
    z1, z2, zo = p["zps"]
    if p["opcode"] in ("MAXIMUM", "MINIMUM"):  # one scale and zero point
        s2 = so = s1
        z2 = zo = z1
        opts: tuple | None = ("MaximumMinimumOptions", {})
    else:
        cls = p["opcode"].capitalize() + "Options"
        opts = (cls, {"FusedActivationFunction": p["act"]})
    tensors = [T(sa, np.int8, s1, z1), T(sb, np.int8, s2, z2)]
    tensors.append(T(out, np.int8, so, zo))
    return build_tflite(tensors, [Op(p["opcode"], [0, 1], [2], opts)], [0, 1], [2])


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(p=_BOTH_BROADCAST)
def test_random_both_broadcast_device_exact(tmp_path: Path, p: dict) -> None:
    """int8 ADD, SUB, MUL, MAXIMUM, MINIMUM of rank 1..4 (batch 1) with
    both operands broadcasting along any axes: on the NPU whole
    (both broadcasting, tir-legalize-npu tiles one to the output shape with
    NPU copies first), compiled, disassembled from the written file, run,
    equal to LiteRT on 3 seeds; the whole compiled program equals LiteRT."""
    model, written, remarks = compiled(tmp_path, "bb", both_broadcast_model(p))
    assert not remarks, remarks
    assert assert_device_exact(model, written) == 1
    assert_program_equals_litert(model, 0)


def test_both_broadcast_too_many_copies_stays_on_cpu(tmp_path: Path) -> None:
    """Both operands broadcast, each only tiling with 70 copies along an
    axis (over the 64 the NPU copies take): on the CPU, the remark says
    why, the program still equals LiteRT."""
    tensors = [T((70, 1), np.int8, 0.05, 3), T((1, 70), np.int8, 0.02, -5)]
    tensors.append(T((70, 70), np.int8, 0.04, 1))
    op = Op("MUL", [0, 1], [2], ("MulOptions", {"FusedActivationFunction": 0}))
    model, written, remarks = compiled(
        tmp_path, "bb70", build_tflite(tensors, [op], [0, 1], [2])
    )
    assert assert_device_exact(model, written) == 0
    assert any(
        "both operands broadcast and neither tiles" in r and "70 copies" in r
        for r in remarks
    ), remarks
    assert_program_equals_litert(model, 0)


_BATCH_MATMUL = st.fixed_dictionaries(
    {
        "mkn": st.tuples(*[st.integers(1, 20)] * 3),
        "batch": st.lists(st.integers(1, 3), min_size=0, max_size=2),
        "broadcast": st.tuples(st.integers(0, 3), st.integers(0, 3)),
        "adj": st.tuples(st.booleans(), st.booleans()),
        "const_rhs": st.booleans(),
        "scales": st.tuples(*[st.floats(0.005, 0.1)] * 2, st.floats(0.05, 2.0)),
        "zps": st.tuples(*[st.integers(-128, 127)] * 3),
        "large_multiplier": st.booleans(),
    }
)


def batch_matmul_model(p: dict) -> bytes:
    m, k, n = p["mkn"]
    batch = tuple(p["batch"])
    ba = tuple(1 if p["broadcast"][0] >> i & 1 else d for i, d in enumerate(batch))
    bb = tuple(1 if p["broadcast"][1] >> i & 1 else d for i, d in enumerate(batch))
    adj_x, adj_y = p["adj"]
    sa = ba + ((k, m) if adj_x else (m, k))
    sb = bb + ((n, k) if adj_y else (k, n))
    out = np.broadcast_shapes(ba, bb) + (m, n)
    s1, s2, so = (float(np.float32(s)) for s in p["scales"])
    if p["large_multiplier"]:
        so = float(np.float32(s1 * s2 / 3))
    z1, z2, zo = p["zps"]
    rng = np.random.default_rng(sum(p["mkn"]))
    data = rng.integers(-128, 128, sb).astype(np.int8) if p["const_rhs"] else None
    tensors = [
        T(sa, np.int8, s1, z1),
        T(sb, np.int8, s2, z2, data=data),
        T(out, np.int8, so, zo),
    ]
    opts = ("BatchMatMulOptions", {"AdjX": adj_x, "AdjY": adj_y})
    inputs = [0] if p["const_rhs"] else [0, 1]
    return build_tflite(tensors, [Op("BATCH_MATMUL", [0, 1], [2], opts)], inputs, [2])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(p=_BATCH_MATMUL)
def test_random_batch_matmul_device_exact(tmp_path: Path, p: dict) -> None:
    """int8 BATCH_MATMUL of 1..20 rows, columns and depth, up to two batch
    axes (either operand broadcasting), any adj_x / adj_y, the rhs dynamic
    or constant, any scales and zero points: on the NPU (products and
    channel sums, transposes as NPU copies or new constants), compiled,
    disassembled from the written file, run, equal to LiteRT on 3 seeds;
    the whole compiled program equals LiteRT, and the tir program equals
    its lowering in the interpreters. An output multiplier above 1 stays on
    the CPU with a remark saying why."""
    model, written, remarks = compiled(tmp_path, "bmm", batch_matmul_model(p))
    segments = assert_device_exact(model, written)
    if p["large_multiplier"]:
        assert segments == 0 and any("output multiplier" in r for r in remarks)
    else:
        assert segments == 1 and not remarks, remarks
    assert_program_equals_litert(model, 0)
    source = import_tflite(model)
    lowered, _ = Compiler(model, "ethos-u55-128", None).run()
    inputs = {
        k: v for k, v in random_inputs(source, seed=1).items() if k.startswith("input")
    }
    want, got = run_function(source, inputs), run_function(lowered, inputs)
    assert np.array_equal(want["output0"], got["output0"])


_PACK = st.fixed_dictionaries(
    {
        "shape": st.lists(st.integers(1, 6), min_size=1, max_size=3),
        "n": st.integers(1, 4),
        "axis": st.integers(-4, 3),
        "int16": st.booleans(),
        "scale": st.floats(0.001, 1.0),
        "zp": st.integers(-128, 127),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(p=_PACK)
def test_random_pack_device_exact(tmp_path: Path, p: dict) -> None:
    """int8/int16 PACK of 1..4 inputs of rank 1..3 along any axis: a
    concatenation of the inputs seen with the new axis (tir-legalize-npu),
    then addressing or NPU copies (tir-data-views); compiled, disassembled
    from the written file, run, equal to LiteRT on 3 seeds, and the whole
    program equals LiteRT. A pack whose output of rank <= 3 keeps the
    channels of each input contiguous (the new axis is not the last) runs
    on the NPU whole; other packs may stay on the CPU, with a remark."""
    shape = tuple(p["shape"])
    rank = len(shape)
    axis = max(-rank - 1, min(rank, p["axis"]))
    dt = np.int16 if p["int16"] else np.int8
    zp = 0 if p["int16"] else p["zp"]
    s = float(np.float32(p["scale"]))
    model, written, remarks = compiled(
        tmp_path, "pack", build_tflite(*pack_case(shape, p["n"], axis, dt, s, zp))
    )
    segments = assert_device_exact(model, written)
    last = axis % (rank + 1) == rank
    if rank + 1 <= 3 and not (last and p["n"] > 1):
        assert segments == 1 and not remarks, remarks
    elif segments == 0:
        assert any("concatenation" in r for r in remarks), remarks
    assert_program_equals_litert(model, 0)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    opcode=st.sampled_from(["REVERSE_V2", "TILE", "MIRROR_PAD"]),
)
def test_random_gather_device_exact(tmp_path: Path, seed: int, opcode: str) -> None:
    """int8/int16 REVERSE_V2, TILE and MIRROR_PAD of rank 1..4, any axis,
    multiples, padding and mode (the single-operator cases' generator): on
    the NPU as slices and concatenations per axis (tir-legalize-npu, then
    tir-data-views), compiled, disassembled from the written file, run,
    equal to LiteRT on 3 seeds, the whole program equal to LiteRT; with a
    batch over 1 wholly on the CPU with one remark (never split)."""
    from tests.test_tflite_litert import _pad_like_case

    case = _pad_like_case(np.random.default_rng(seed), opcode)
    model, written, remarks = compiled(tmp_path, "gather", build_tflite(*case))
    segments = assert_device_exact(model, written)
    shapes = (case[0][0].shape, case[0][-1].shape)  # input and output
    if all(len(s) <= 3 or s[0] == 1 for s in shapes):
        assert segments == 1 and not remarks, remarks
    else:  # all or nothing: no operator is split between NPU and CPU
        assert segments == 0 and len(remarks) == 1, remarks
        assert "not a dense NPU feature map" in remarks[0]
    assert_program_equals_litert(model, 0)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 2**32 - 1), alpha_scale=st.floats(0.001, 0.1))
def test_random_prelu_device_exact(
    tmp_path: Path, seed: int, alpha_scale: float
) -> None:
    """int8 PRELU of rank 1..4 with a constant alpha broadcast along any
    axes (the single-operator cases' generator), alpha of any scale: on the
    NPU (min/max with the zero point, the two branches, a raw add),
    compiled, disassembled from the written file, run, equal to LiteRT on 3
    seeds, the whole program equal to LiteRT; where alpha broadcasts over a
    batch over 1, on the CPU with one remark, unless its elements are all
    equal (a shared alpha: tir-tabulate's lookup, on the NPU)."""
    from tests.test_tflite_litert import _prelu_case

    tensors, ops, ins, outs = _prelu_case(np.random.default_rng(seed))
    a = tensors[1]
    tensors[1] = T(a.shape, np.int8, float(np.float32(alpha_scale)), a.zp,
                   data=a.data)  # fmt: skip
    model, written, remarks = compiled(
        tmp_path, "prelu", build_tflite(tensors, ops, ins, outs)
    )
    segments = assert_device_exact(model, written)
    x, alpha = tensors[0].shape, tensors[1].shape
    full = (1,) * (len(x) - len(alpha)) + tuple(alpha)
    shared = bool(np.all(a.data == a.data.reshape(-1)[0]))
    if full == tuple(x) or len(x) < 4 or x[0] == 1 or shared:
        assert segments == 1 and not remarks, remarks
    else:
        assert segments == 0 and len(remarks) == 1, remarks
    assert_program_equals_litert(model, 0)


def test_depthwise_multiplier_over_several_channels_on_the_npu(
    tmp_path: Path,
) -> None:
    """DEPTHWISE_CONV_2D with a depth multiplier over several input channels
    (the single-operator cases' generator: any window, stride, dilation,
    padding and quantization) is a plain conv on the NPU (tir-legalize-npu:
    each output channel's weights on its own input channel, zeros elsewhere),
    exact from the file's bytes and as a whole program."""
    from tests.test_tflite_litert import _conv_case

    done = 0
    for seed in range(40):
        tensors, ops, ins, outs = _conv_case(np.random.default_rng(seed), "depthwise")
        c, dm = tensors[0].shape[-1], ops[0].options[1]["DepthMultiplier"]
        if c == 1 or dm == 1 or tensors[0].shape[0] != 1:  # batch 1 on the NPU
            continue
        (tmp_path / str(seed)).mkdir()
        model, written, remarks = compiled(
            tmp_path / str(seed), "dw", build_tflite(tensors, ops, ins, outs)
        )
        assert assert_device_exact(model, written) == 1 and not remarks, remarks
        assert_program_equals_litert(model, 0)
        done += 1
    assert done >= 5, done


def _window_case(
    rng: np.random.Generator,
    depthwise: bool,
    channels: tuple[int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    dilation: tuple[int, int],
    size: tuple[int, int],
    padding: int,
) -> bytes:
    """A CONV_2D (or DEPTHWISE_CONV_2D) model of this geometry, SAME (0) or
    VALID (1), random per-channel quantization and weights."""
    from tests.test_tflite_litert import _f32, _i8, _q

    (c, co), (kh, kw), (sy, sx), (dy, dx), (h, w) = (
        channels, kernel, stride, dilation, size,
    )  # fmt: skip
    dkh, dkw = (kh - 1) * dy + 1, (kw - 1) * dx + 1
    oh = -(-h // sy) if padding == 0 else (h - dkh) // sy + 1
    ow = -(-w // sx) if padding == 0 else (w - dkw) // sx + 1
    in_s, in_zp = _q(rng)
    out_s, out_zp = _q(rng, 0.02, 0.5)
    fshape = (1, kh, kw, co) if depthwise else (co, kh, kw, c)
    fs = [_f32(v) for v in rng.uniform(0.001, 0.05, co)]
    tensors = [
        T((1, h, w, c), np.int8, in_s, in_zp),
        T(fshape, np.int8, fs, 0, 3 if depthwise else 0, data=_i8(rng, fshape)),
        T((co,), np.int32, [_f32(in_s * s) for s in fs], 0,
          data=rng.integers(-5000, 5000, co).astype(np.int32)),
        T((1, oh, ow, co), np.int8, out_s, out_zp),
    ]  # fmt: skip
    common = {
        "Padding": padding, "StrideW": sx, "StrideH": sy,
        "FusedActivationFunction": 0, "DilationWFactor": dx, "DilationHFactor": dy,
    }  # fmt: skip
    if depthwise:
        options = ("DepthwiseConv2DOptions", {**common, "DepthMultiplier": 1})
        op = Op("DEPTHWISE_CONV_2D", [0, 1, 2], [3], options)
    else:
        op = Op("CONV_2D", [0, 1, 2], [3], ("Conv2DOptions", common))
    return build_tflite(tensors, [op], [0], [3])


@pytest.mark.parametrize("seed", range(4))
def test_dilation_over_two_on_the_npu(tmp_path: Path, seed: int) -> None:
    """CONV_2D and DEPTHWISE_CONV_2D with dilations 3..8 (a TCN's dilated
    Conv1D, an atrous conv) run on the NPU: the filter spread out with zeros
    to the same dilated extent, read with dilation 2 or 1 (tir-legalize-npu),
    exact from the file's bytes and as a whole program."""
    rng = np.random.default_rng(seed)
    depthwise = bool(seed % 2)
    dy, dx = (int(v) for v in rng.integers(1, 9, 2))
    dy = max(dy, 3)
    kh, kw = (int(v) for v in rng.integers(2, 4, 2))
    c = int(rng.integers(1, 5))
    co = c if depthwise else int(rng.integers(1, 5))
    h = (kh - 1) * dy + int(rng.integers(1, 5))
    w = (kw - 1) * dx + int(rng.integers(1, 5))
    padding = int(rng.integers(0, 2))  # SAME, VALID
    data = _window_case(
        rng, depthwise, (c, co), (kh, kw), (1, 1), (dy, dx), (h, w), padding
    )
    model, written, remarks = compiled(tmp_path, "dil", data)
    assert assert_device_exact(model, written) == 1 and not remarks, remarks
    assert_program_equals_litert(model, 0)


@pytest.mark.parametrize("seed", range(3))
def test_causal_conv1d_pads_fold_on_the_npu(tmp_path: Path, seed: int) -> None:
    """Keras' causal Conv1D: PAD of (1, W, C) at the start of W, RESHAPE to
    (1, 1, W', C), CONV_2D 1xK (dilated on odd seeds). The pad folds into
    the conv's padding through the reshape (tir-legalize-npu): one NPU
    segment, no CPU op, exact from the file's bytes and as a whole
    program."""
    from tests.test_tflite_litert import _f32, _i8, _q

    rng = np.random.default_rng(seed)
    w, c, co = (
        int(rng.integers(4, 12)),
        int(rng.integers(1, 6)),
        int(rng.integers(1, 6)),
    )
    k, d = int(rng.integers(2, 4)), 1 + 3 * (seed % 2)
    lead = (k - 1) * d
    s, zp = _q(rng)
    out_s, out_zp = _q(rng, 0.02, 0.5)
    fs = [_f32(v) for v in rng.uniform(0.001, 0.05, co)]
    tensors = [
        T((1, w, c), np.int8, s, zp),  # 0
        T((3, 2), np.int32, data=np.array([[0, 0], [lead, 0], [0, 0]], np.int32)),
        T((1, w + lead, c), np.int8, s, zp),  # 2 padded
        T((4,), np.int32, data=np.array([1, 1, w + lead, c], np.int32)),
        T((1, 1, w + lead, c), np.int8, s, zp),  # 4 reshaped
        T((co, 1, k, c), np.int8, fs, 0, 0, data=_i8(rng, (co, 1, k, c))),
        T((co,), np.int32, [_f32(s * f) for f in fs], 0,
          data=rng.integers(-5000, 5000, co).astype(np.int32)),
        T((1, 1, w, co), np.int8, out_s, out_zp),  # 7
    ]  # fmt: skip
    conv = {
        "Padding": 1, "StrideW": 1, "StrideH": 1, "FusedActivationFunction": 0,
        "DilationWFactor": d, "DilationHFactor": 1,
    }  # fmt: skip
    ops = [
        Op("PAD", [0, 1], [2]),
        Op(
            "RESHAPE",
            [2, 3],
            [4],
            ("ReshapeOptions", {"NewShape": [1, 1, w + lead, c]}),
        ),
        Op("CONV_2D", [4, 5, 6], [7], ("Conv2DOptions", conv)),
    ]
    model, written, remarks = compiled(
        tmp_path, "tcn", build_tflite(tensors, ops, [0], [7])
    )
    assert assert_device_exact(model, written) == 1 and not remarks, remarks
    assert_program_equals_litert(model, 0)


@pytest.mark.parametrize("seed", range(6))
def test_stride_over_three_on_the_npu(tmp_path: Path, seed: int) -> None:
    """CONV_2D and DEPTHWISE_CONV_2D with strides 4, 6 or 9 (a patch
    embedding, a large first stride) run on the NPU: at a stride up to 3,
    then a 1x1 max pool keeping every 2nd or 3rd output (tir-legalize-npu),
    SAME and VALID, exact from the file's bytes and as a whole program."""
    rng = np.random.default_rng(seed)
    depthwise = bool(seed % 2)
    sy, sx = (int(rng.choice([1, 4, 6, 9])) for _ in range(2))
    sy = max(sy, 4)
    kh, kw = (int(v) for v in rng.integers(1, 6, 2))
    c = int(rng.integers(1, 5))
    co = c if depthwise else int(rng.integers(1, 5))
    h = kh + sy * int(rng.integers(1, 4)) + int(rng.integers(0, sy))
    w = kw + sx * int(rng.integers(1, 4)) + int(rng.integers(0, sx))
    padding = int(rng.integers(0, 2))  # SAME, VALID
    data = _window_case(
        rng, depthwise, (c, co), (kh, kw), (sy, sx), (1, 1), (h, w), padding
    )
    model, written, remarks = compiled(tmp_path, "strided", data)
    assert assert_device_exact(model, written) == 1 and not remarks, remarks
    assert_program_equals_litert(model, 0)


@pytest.mark.parametrize("seed", range(3))
def test_keras_nearest_upsampling_tiles_on_the_npu(tmp_path: Path, seed: int) -> None:
    """Keras 3's UpSampling2D(nearest): RESHAPE to (1, H, 1, W, C), TILE
    (1, 1, f, 1, 1), RESHAPE to (1, H·f, W, 1, C), TILE (1, 1, 1, f, 1),
    RESHAPE to (1, H·f, W·f, C). Each 5-D TILE is seen with its untiled axes
    merged (a 4-D tile of contiguous rows or elements, tir-legalize-npu):
    all on the NPU, exact from the file's bytes and as a whole program."""
    from tests.test_tflite_litert import _q

    rng = np.random.default_rng(seed)
    h, w, c, f = (
        int(v) for v in (*rng.integers(2, 7, 2), rng.integers(1, 9), 2 + seed % 2)
    )
    s, zp = _q(rng)
    i32 = np.int32
    tensors = [
        T((1, h, w, c), np.int8, s, zp),  # 0
        T((5,), i32, data=np.array([1, h, 1, w, c], i32)),
        T((1, h, 1, w, c), np.int8, s, zp),  # 2
        T((5,), i32, data=np.array([1, 1, f, 1, 1], i32)),
        T((1, h, f, w, c), np.int8, s, zp),  # 4
        T((5,), i32, data=np.array([1, h * f, w, 1, c], i32)),
        T((1, h * f, w, 1, c), np.int8, s, zp),  # 6
        T((5,), i32, data=np.array([1, 1, 1, f, 1], i32)),
        T((1, h * f, w, f, c), np.int8, s, zp),  # 8
        T((4,), i32, data=np.array([1, h * f, w * f, c], i32)),
        T((1, h * f, w * f, c), np.int8, s, zp),  # 10
    ]

    def reshape(src: int, shape_t: int, out: int) -> Op:
        new = [int(v) for v in tensors[shape_t].data]
        return Op(
            "RESHAPE", [src, shape_t], [out], ("ReshapeOptions", {"NewShape": new})
        )

    ops = [
        reshape(0, 1, 2),
        Op("TILE", [2, 3], [4]),
        reshape(4, 5, 6),
        Op("TILE", [6, 7], [8]),
        reshape(8, 9, 10),
    ]
    model, written, remarks = compiled(
        tmp_path, "up", build_tflite(tensors, ops, [0], [10])
    )
    assert assert_device_exact(model, written) == 1 and not remarks, remarks
    assert_program_equals_litert(model, 0)


def test_stride_without_factors_up_to_three_stays_on_the_cpu(tmp_path: Path) -> None:
    """A stride of 5 has no factors up to 3 (`split_stride`): the conv stays
    on the CPU with one remark naming the stride, and the program still
    equals LiteRT."""
    data = _window_case(
        np.random.default_rng(0), False, (2, 3), (3, 3), (5, 5), (1, 1), (16, 16), 1
    )
    model, written, remarks = compiled(tmp_path, "s5", data)
    assert assert_device_exact(model, written) == 0
    assert (
        len(remarks) == 1
        and "stride [5, 5] exceeds the NPU's limit of 3" in (remarks[0])
    ), remarks
    assert_program_equals_litert(model, 0)
