# ruff: noqa: E501  (the tir text templates hold long lines)
"""Build the same operator as a tir kernel call and as an npu command stream
(weights encoded through Vela's API), for the npu interpreter's tests."""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import ArrayAttr, DenseArrayBase, StringAttr, i64

from tirconst.dialects.npu import (
    Conv2DOp,
    DepthwiseConv2DOp,
    KernelAttr,
    PaddingAttr,
    PoolingOp,
)
from tirconst.dialects.npu.build import StreamBuilder
from tirconst.formats.ethos_u import WeightEncoding
from tirconst.formats.ethos_u.weights import ACCELERATORS, core_depths


def block(h: int, w: int, c: int) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, [h, w, c])


def conv_stream(
    x_shape, w, bias, multiplier, shift, *, stride=(1, 1), dilation=(1, 1),
    pad=(0, 0, 0, 0), input_zp=0, output_zp=0, depthwise=False, rounding="tfl",
    block_depth=16, traversal="depth_first", act=None, accelerator="ethos-u55-128",
):  # fmt: skip
    """A conv (OHWI `w`) or depthwise (`w` as (C, KH, KW, 1)) stream."""
    from tirconst.dialects.npu import ActivationAttr  # noqa: F401
    from tirconst.dialects.npu.geometry import window_output

    b = StreamBuilder(accelerator)
    _, h, wd, c = x_shape
    co, kh, kw, _ = w.shape
    kernel = KernelAttr.make(size=(kh, kw), stride=stride, dilation=dilation)
    oh, ow = window_output((h, wd), kernel, pad)
    ifm = b.tensor("input0", "input", x_shape, zero_point=input_zp)
    ofm = b.tensor("output0", "output", (1, oh, ow, co), zero_point=output_zp)
    # One stream and records per core: core k computes channels k, k + n,
    # ... in its share of the block depth (ethos-u65-512: two cores).
    n = ACCELERATORS[accelerator].cores
    wrs, brs = [], []
    for k, depth in enumerate(core_depths(block_depth, n)[: min(n, co)]):
        part = np.ascontiguousarray(w[k::n])
        enc = WeightEncoding(
            accelerator, depth, traversal, dilation[1], dilation[0], depthwise,
            tuple(part.shape),
        )  # fmt: skip
        wrs.append(b.weights(part, enc))
        brs.append(
            b.biases(bias[k::n], multiplier[k::n], [31 - int(s) for s in shift[k::n]])
        )
    props = {
        "ifm": ifm,
        "ofm": ofm,
        "kernel": kernel,
        "padding": PaddingAttr.make(pad=pad),
        "block_config": block(1, 1, block_depth),
        "rounding_mode": StringAttr(rounding),
        "weights": ArrayAttr(wrs),
        "biases": ArrayAttr(brs),
    }
    if act is not None:
        props["activation"] = act
    if depthwise:
        op = DepthwiseConv2DOp.create(properties=props)
    else:
        props["block_traversal"] = StringAttr(traversal)
        op = Conv2DOp.create(properties=props)
    _fit_block(op, accelerator, block_depth)
    b.add(op)
    return b.module()


def _fit_block(op, accelerator: str, depth: int | None) -> None:
    """Give the op a block config Vela accepts, of the encoded depth when
    there is one (an OFM shallower than the block depth keeps the encoded
    depth: the interpreter does not care, and the weights need it)."""
    from tirconst.dialects.npu.vela_api import pick_block_config

    try:
        h, w, c = pick_block_config(op, accelerator, depth)
    except ValueError:
        return
    op.properties["block_config"] = block(h, w, c)


def pool_stream(
    x_shape, kind, window, stride, pad=(0, 0, 0, 0), zp=0, scale=0.5, rounding="tfl"
):
    b = StreamBuilder()
    _, h, wd, c = x_shape
    kernel = KernelAttr.make(size=window, stride=stride)
    from tirconst.dialects.npu.geometry import window_output

    oh, ow = window_output((h, wd), kernel, pad)
    ifm = b.tensor("input0", "input", x_shape, scale=scale, zero_point=zp)
    ofm = b.tensor("output0", "output", (1, oh, ow, c), scale=scale, zero_point=zp)
    op = PoolingOp.create(
        properties={
            "pool_type": StringAttr(kind),
            "ifm": ifm,
            "ofm": ofm,
            "kernel": kernel,
            "padding": PaddingAttr.make(pad=pad),
            "block_config": block(1, 1, 16),
            "rounding_mode": StringAttr(rounding),
        }
    )
    _fit_block(op, "ethos-u55-128", None)
    b.add(op)
    return b.module()


def random_conv(rng: np.random.Generator, co, kh, kw, ci):
    w = rng.integers(-127, 128, (co, kh, kw, ci)).astype(np.int8)
    bias = rng.integers(-5000, 5000, co).astype(np.int32)
    multiplier = rng.integers(2**30, 2**31 - 1, co)
    shift = rng.integers(-10, -5, co)
    return w, bias, multiplier, shift


# ------------------------------------------------------------------ tir side


def _buf(shape, dtype="i8") -> str:
    return "!tir.buffer<" + "x".join(str(d) for d in shape) + f"x{dtype}>"


def _hex(a: np.ndarray) -> str:
    return 'dense<"0x' + a.tobytes().hex() + '">'


def _arr(kind: str, values) -> str:
    return f"array<{kind}: " + ", ".join(str(int(v)) for v in values) + ">"


def tir_conv_text(
    x_shape, w, bias, multiplier, shift, *, stride=(1, 1), dilation=(1, 1),
    pad=(0, 0, 0, 0), input_zp=0, output_zp=0, depthwise=False,
    act=(-128, 127),
):  # fmt: skip
    """The tir form of `conv_stream`'s op: @main(%input0, %output0)."""
    from tirconst.dialects.npu.geometry import window_output

    co, kh, kw, _ = w.shape
    kernel = KernelAttr.make(size=(kh, kw), stride=stride, dilation=dilation)
    oh, ow = window_output(tuple(x_shape[1:3]), kernel, pad)
    y_shape = (1, oh, ow, co)
    filt = w[..., 0].transpose(1, 2, 0)[None].copy() if depthwise else w
    b = np.asarray(bias, dtype=np.int32)
    op = "tir.depthwise_conv2d" if depthwise else "tir.conv2d"
    extra = "depth_multiplier = 1, " if depthwise else ""
    return f"""tir.func @main(%input0 : {_buf(x_shape)}, %output0 : {_buf(y_shape)}) {{
  %w = tir.allocate_const {_hex(filt)} : {_buf(filt.shape)}
  %b = tir.allocate_const {_hex(b)} : {_buf(b.shape, "i32")}
  {op} ins(%input0, %w, %b : {_buf(x_shape)}, {_buf(filt.shape)}, {_buf(b.shape, "i32")})
      outs(%output0 : {_buf(y_shape)})
      {{stride = {_arr("i64", stride)}, dilation = {_arr("i64", dilation)},
       pad = {_arr("i64", pad)}, {extra}input_zp = {input_zp}, output_zp = {output_zp},
       multiplier = {_arr("i32", multiplier)}, shift = {_arr("i32", shift)},
       act_min = {act[0]}, act_max = {act[1]}}}
}}
"""


def tir_fc_text(k, w, bias, multiplier, shift, *, input_zp=0, output_zp=0):
    """tir.fully_connected over a 1xK input, filter [Co, K]."""
    co = w.shape[0]
    b = np.asarray(bias, dtype=np.int32)
    return f"""tir.func @main(%input0 : {_buf((1, 1, 1, k))}, %output0 : {_buf((1, 1, 1, co))}) {{
  %w = tir.allocate_const {_hex(w)} : {_buf(w.shape)}
  %b = tir.allocate_const {_hex(b)} : {_buf(b.shape, "i32")}
  tir.fully_connected ins(%input0, %w, %b : {_buf((1, 1, 1, k))}, {_buf(w.shape)}, {_buf(b.shape, "i32")})
      outs(%output0 : {_buf((1, 1, 1, co))})
      {{input_zp = {input_zp}, filter_zp = 0, output_zp = {output_zp},
       multiplier = {_arr("i32", multiplier)}, shift = {_arr("i32", shift)},
       act_min = -128, act_max = 127}}
}}
"""


def tir_pool_text(x_shape, kind, window, stride, pad=(0, 0, 0, 0)):
    from tirconst.dialects.npu.geometry import window_output

    kernel = KernelAttr.make(size=window, stride=stride)
    oh, ow = window_output(tuple(x_shape[1:3]), kernel, pad)
    y_shape = (1, oh, ow, x_shape[3])
    op = "tir.max_pool2d" if kind == "max" else "tir.avg_pool2d"
    return f"""tir.func @main(%input0 : {_buf(x_shape)}, %output0 : {_buf(y_shape)}) {{
  {op} ins(%input0 : {_buf(x_shape)}) outs(%output0 : {_buf(y_shape)})
      {{window = {_arr("i64", window)}, stride = {_arr("i64", stride)},
       pad = {_arr("i64", pad)}, act_min = -128, act_max = 127}}
}}
"""
