"""npu interpreter benchmarks: prints a table of figures against the targets.

    python bench/npu_interpreter.py [--repeat N]

1. One int8 `npu.conv2d` of ~21M MACs (1x48x48x32 input, 3x3x32x32 weights,
   the conv of bench/interpreter.py), weights an Ethos-U stream encoded by
   Vela's API (U55-128, block depth 16, depth first): a full run of the
   command stream, the weight stream decoded on every run (the decode cache
   is cleared), target <= 0.2 s. Side by side: the same conv as `tir.conv2d`.
2. Weight decoding throughput (weights/s) of `decode_weights` (mlw decode in
   an isolated child + inverse brick order), on a 3x3x256x256 volume, cold
   (index map built) and warm; anchors in the same run: Vela's
   `npu_encode_weights` on the same volume, and the bare `mlw_codec.decode`.

Figures are the best of N runs.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from ethosu import mlw_codec
from xdsl.dialects.builtin import ArrayAttr, DenseArrayBase, StringAttr, i64

from tirconst.dialects.npu import Conv2DOp, KernelAttr, PaddingAttr
from tirconst.dialects.npu.build import StreamBuilder
from tirconst.formats.ethos_u import (
    WeightEncoding,
    decode_weights,
    encode_weights,
    stream_index_map,
)
from tirconst.interpreter import Program
from tirconst.interpreter.npu import NpuProgram
from tirconst.interpreter.npu import ops as npu_ops

H = W = 48
C = CO = 32


def conv_programs(rng: np.random.Generator):
    w = rng.integers(-127, 128, (CO, 3, 3, C)).astype(np.int8)
    bias = rng.integers(-5000, 5000, CO).astype(np.int32)
    m = rng.integers(2**30, 2**31 - 1, CO)
    s = rng.integers(-10, -5, CO)
    b = StreamBuilder("ethos-u55-128")
    ifm = b.tensor("input", "input", (1, H, W, C), zero_point=-3)
    ofm = b.tensor("output", "output", (1, H, W, CO), zero_point=5)
    enc = WeightEncoding("ethos-u55-128", 16, "depth_first", 1, 1, False, w.shape)
    props = {
        "ifm": ifm,
        "ofm": ofm,
        "kernel": KernelAttr.make(size=(3, 3)),
        "padding": PaddingAttr.make(pad=(1, 1, 1, 1)),
        "block_config": DenseArrayBase.from_list(i64, [4, 8, 16]),
        "weights": ArrayAttr([b.weights(w, enc)]),
        "biases": ArrayAttr([b.biases(bias, m, [31 - int(v) for v in s])]),
        "block_traversal": StringAttr("depth_first"),
    }
    b.add(Conv2DOp.create(properties=props))
    arr = lambda kind, v: f"array<{kind}: " + ", ".join(map(str, v)) + ">"  # noqa: E731
    tir = f"""tir.func @main(%input : !tir.buffer<1x{H}x{W}x{C}xi8>,
               %output : !tir.buffer<1x{H}x{W}x{CO}xi8>) {{
  %w = tir.allocate_const dense<"0x{w.tobytes().hex()}"> : !tir.buffer<{CO}x3x3x{C}xi8>
  %b = tir.allocate_const dense<"0x{bias.tobytes().hex()}"> : !tir.buffer<{CO}xi32>
  tir.conv2d ins(%input, %w, %b : !tir.buffer<1x{H}x{W}x{C}xi8>,
                 !tir.buffer<{CO}x3x3x{C}xi8>, !tir.buffer<{CO}xi32>)
             outs(%output : !tir.buffer<1x{H}x{W}x{CO}xi8>)
      {{stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>,
       pad = array<i64: 1, 1, 1, 1>, input_zp = -3, output_zp = 5,
       multiplier = {arr("i32", m)}, shift = {arr("i32", s)},
       act_min = -128, act_max = 127}}
}}
"""
    return NpuProgram(b.module(), "npu"), Program(tir, "tir")


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    rng = np.random.default_rng(0)
    npu, tir = conv_programs(rng)
    x = rng.integers(-128, 128, (1, H, W, C)).astype(np.int8)
    fn_npu, fn_tir = npu.function("main"), tir.function("main")
    out_npu = fn_npu({"input": x})["output"]
    out_tir = fn_tir({"input": x})["output"]
    assert np.array_equal(out_npu, out_tir), "npu and tir convs differ"

    def run_npu():
        npu_ops._decoded.cache_clear()  # decode the weight stream every run
        fn_npu({"input": x})

    t_npu = best(run_npu, args.repeat)
    t_tir = best(lambda: fn_tir({"input": x}), args.repeat)
    macs = H * W * CO * 9 * C

    vol = rng.integers(-127, 128, (256, 3, 3, 256)).astype(np.int8)
    enc = WeightEncoding("ethos-u55-128", 16, "depth_first", 1, 1, False, vol.shape)
    stream = encode_weights(vol, enc)
    n = vol.size

    def cold():
        stream_index_map.cache_clear()
        decode_weights(stream, enc)

    t_cold = best(cold, args.repeat)
    t_warm = best(lambda: decode_weights(stream, enc), args.repeat)
    t_mlw = best(lambda: mlw_codec.decode(bytearray(stream)), args.repeat)
    t_enc = best(lambda: encode_weights(vol, enc), args.repeat)
    assert np.array_equal(decode_weights(stream, enc), vol)

    rows = [
        ("npu.conv2d 21M MACs, with weight decode (s)", f"{t_npu:.3f}", "<= 0.2",
         f"tir.conv2d {t_tir:.3f} s (npu/tir {t_npu / t_tir:.2f}x)"),
        ("  MAC/s", f"{macs / t_npu / 1e6:.0f} M", "", ""),
        ("decode_weights, cold index map (weights/s)", f"{n / t_cold / 1e6:.2f} M",
         "", f"{len(stream)} bytes for {n} weights"),
        ("decode_weights, warm (weights/s)", f"{n / t_warm / 1e6:.2f} M", "",
         f"bare mlw_codec.decode {n / t_mlw / 1e6:.2f} M/s "
         f"({t_mlw / t_warm:.2f}x of it)"),
        ("Vela npu_encode_weights (weights/s)", f"{n / t_enc / 1e6:.2f} M", "anchor",
         f"decode/encode speed {t_enc / t_warm:.2f}x"),
    ]  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    head = ("measure", "value", "target", "side by side")
    widths = [max(w, len(h)) for w, h in zip(widths, head, strict=True)]
    line = " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))
    print(line)
    print("-" * len(line))
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    main()
