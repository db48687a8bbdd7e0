"""tir-feature-layouts: intermediate feature maps in NHCWB16 where legal,
bit-exact from the written file, sized with whole bricks, never a CPU
operand or a model tensor."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects.builtin import StringAttr

from tests.test_device_bytes import assert_device_exact, compiled
from tests.test_tflite_litert import Op, T, build_tflite
from tirconst.analysis.views import LAYOUT, stored_bytes
from tirconst.core.context import context
from tirconst.dialects import npu
from tirconst.dialects.tir import AllocateOp
from tirconst.formats.tflite.reader import read_tflite_bytes
from tirconst.frontend.importer import import_tflite
from tirconst.tools.compile import Compiler, _passes
from tirconst.transforms.feature_layouts import FeatureLayoutsPass, candidate


def _conv(rng, cin: int, cout: int, k: int, first: int, s_in: float) -> list[T]:
    fshape = (cout, k, k, cin)
    return [
        T(fshape, np.int8, 0.02, 0, data=rng.integers(-90, 90, fshape).astype(np.int8)),
        T(
            (cout,),
            np.int32,
            [float(np.float32(s_in * 0.02))] * cout,
            0,
            data=rng.integers(-3000, 3000, cout).astype(np.int32),
        ),
    ]


def chain_model(c1: int, tail: str = "conv", seed: int = 0) -> bytes:
    """conv(3 -> c1, 3x3) -> avg pool 3x3 same -> add of itself twice ->
    `tail` (a conv to 8 channels, or a reshape to rows: a view)."""
    rng = np.random.default_rng(seed)
    h = w = 12
    tensors = [T((1, h, w, 3), np.int8, 0.05, 3)]  # 0
    tensors += _conv(rng, 3, c1, 3, 1, 0.05)  # 1, 2
    tensors.append(T((1, h, w, c1), np.int8, 0.1, -5))  # 3
    tensors.append(T((1, h, w, c1), np.int8, 0.1, -5))  # 4 pool
    tensors.append(T((1, h, w, c1), np.int8, 0.15, 2))  # 5 add
    conv = {
        "Padding": 0,
        "StrideW": 1,
        "StrideH": 1,
        "FusedActivationFunction": 0,
        "DilationWFactor": 1,
        "DilationHFactor": 1,
    }
    pool = {
        "Padding": 0,
        "StrideW": 1,
        "StrideH": 1,
        "FilterWidth": 3,
        "FilterHeight": 3,
        "FusedActivationFunction": 0,
    }
    ops = [
        Op("CONV_2D", [0, 1, 2], [3], ("Conv2DOptions", conv)),
        Op("AVERAGE_POOL_2D", [3], [4], ("Pool2DOptions", pool)),
        Op("ADD", [4, 3], [5], ("AddOptions", {"FusedActivationFunction": 0})),
    ]
    if tail == "conv":
        tensors += _conv(rng, c1, 8, 1, 6, 0.15)  # 6, 7
        tensors.append(T((1, h, w, 8), np.int8, 0.2, 1))  # 8
        ops.append(Op("CONV_2D", [5, 6, 7], [8], ("Conv2DOptions", conv)))
    else:
        tensors.append(T((h * w, c1), np.int8, 0.15, 2))  # 6
        tensors.append(T((2,), np.int32, data=np.array([h * w, c1], np.int32)))  # 7
        ops.append(Op("RESHAPE", [5, 7], [6]))
        tensors[-1], tensors[-2] = tensors[-2], tensors[-1]
        ops[-1] = Op("RESHAPE", [5, 6], [7])
    return build_tflite(tensors, ops, [0], [len(tensors) - 1])


def _layouts(tmp: Path, data: bytes, optimise: str = "Performance") -> dict:
    model = tmp / "m.tflite"
    model.write_bytes(data)
    module, _ = Compiler(model, "ethos-u55-128", None, optimise=optimise).run()
    out: dict[str, set[str]] = {}
    for op in module.walk():
        if isinstance(op, npu.BlockOp):
            for key in ("ifm", "ifm2", "ofm"):
                fm = op.properties.get(key)
                if isinstance(fm, npu.FeatureMapAttr):
                    out.setdefault(key, set()).add(fm.layout)
    return out


@pytest.mark.parametrize("c1", [16, 24, 8])
def test_chain_device_exact_with_nhcwb16(tmp_path: Path, c1: int) -> None:
    """Intermediates of 16 channels are NHCWB16, others in Performance mode
    where the SRAM peak allows; every written program exact."""
    data = chain_model(c1)
    model, written, remarks = compiled(tmp_path, f"chain{c1}", data)
    assert not remarks
    assert assert_device_exact(model, written) == 1
    seen = _layouts(tmp_path, data)
    if c1 % 16 == 0:
        assert "nhcwb16" in seen["ofm"] and "nhcwb16" in seen["ifm"]
    # the model's input and output stay NHWC: the first op reads NHWC, the
    # last writes it
    assert "nhwc" in seen["ifm"] and "nhwc" in seen["ofm"]


def test_size_mode_keeps_bytes(tmp_path: Path) -> None:
    """Size mode stores in bricks only what takes no more bytes."""
    assert "nhcwb16" in _layouts(tmp_path, chain_model(16), "Size")["ofm"]
    assert "nhcwb16" not in _layouts(tmp_path, chain_model(24), "Size")["ofm"]


def run_pipeline_text(module, text: str) -> None:
    ctx = context()
    for p in _passes(text):
        p.apply(ctx, module)


def _pass_module(data: bytes, **opts: object):
    module = import_tflite(read_tflite_bytes(data))
    run_pipeline_text(module, "tir-tabulate,tir-legalize-npu,tir-data-views")
    FeatureLayoutsPass(**opts).apply(None, module)  # type: ignore[arg-type]
    return module


def _allocs(module) -> dict[str, AllocateOp]:
    return {
        o.buffer.name_hint or "": o for o in module.walk() if isinstance(o, AllocateOp)
    }


def test_views_and_outputs_stay_nhwc() -> None:
    """A buffer read through a reshape (a view) is not a candidate; the
    function's parameters are never allocations; 24 channels round up to 32
    in the stored size."""
    allocs = _allocs(
        _pass_module(chain_model(16, "reshape"), grow=True, keep_peak=False)
    )
    laid = {n for n, a in allocs.items() if LAYOUT in a.attributes}
    add = next(a for n, a in allocs.items() if "add" in n)
    assert LAYOUT not in add.attributes and not candidate(add)
    assert laid  # the conv's and the pool's outputs
    allocs = _allocs(_pass_module(chain_model(24), grow=True, keep_peak=False))
    conv = next(a for n, a in allocs.items() if "conv_2d" in n)
    assert conv.attributes[LAYOUT] == StringAttr("nhcwb16")
    assert stored_bytes(conv.buffer) == 12 * 12 * 32


def test_cpu_operand_in_bricks_is_an_error(tmp_path: Path) -> None:
    """Should an op stay on the CPU with an NHCWB16 operand, the lowering
    fails naming it rather than let the CPU read bricks as rows."""
    from xdsl.utils.exceptions import PassFailedException

    from tirconst.analysis.npu_support import SUPPORT
    from tirconst.dialects.tir import AddOp

    module = _pass_module(chain_model(16))
    run_pipeline_text(
        module,
        "tir-encode-weights{accelerator=ethos-u55-128},tir-plan-memory",
    )
    saved = SUPPORT[AddOp]
    SUPPORT[AddOp] = lambda op: "forced onto the CPU"
    try:
        with pytest.raises(PassFailedException, match="NHCWB16 feature map"):
            run_pipeline_text(module, "convert-tir-to-npu{accelerator=ethos-u55-128}")
    finally:
        SUPPORT[AddOp] = saved
