"""Block configs of a weighted Ethos-U op, from its geometry alone.

The weight stream depends on the OFM block depth and the traversal, so they
are chosen before encoding, where no npu op exists yet: `Geometry` is what
Vela needs of a conv, depthwise conv or fully connected op (a 1x1 conv on a
1 x rows x K input). `block_configs` lists every config
`ethosu.vela.api.npu_find_block_configs` accepts; `vela_choice` is what Vela's
own scheduler picks (`architecture_allocator.find_block_config` for the
block, the weight compressor's utilisation rule for the traversal).
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass

from tirconst.formats.ethos_u.weights import ACCELERATORS, TRAVERSALS

__all__ = [
    "Geometry",
    "block_configs",
    "find_block_configs",
    "largest",
    "vela_choice",
    "vela_traversal",
]

BlockConfig = tuple[int, int, int]


@dataclass(frozen=True)
class Geometry:
    """IFM (H, W, C), OFM (H, W, C), kernel (KH, KW), stride (y, x), dilation
    (y, x), pad (top, left, bottom, right) of one op; `depthwise` for a
    depthwise conv; `ifm_bits` 16 for int16 feature maps (16x8: int16 IFM
    and OFM, 40-bit accumulators), else 8."""

    ifm: tuple[int, int, int]
    ofm: tuple[int, int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int] = (1, 1)
    dilation: tuple[int, int] = (1, 1)
    pad: tuple[int, int, int, int] = (0, 0, 0, 0)
    depthwise: bool = False
    ifm_bits: int = 8


def _accelerator(name: str):
    from ethosu.vela.api import NpuAccelerator

    if name not in ACCELERATORS:
        raise ValueError(
            f"unknown accelerator {name!r} (known: {', '.join(ACCELERATORS)})"
        )
    return NpuAccelerator[ACCELERATORS[name].vela_name]


def _fm(shape: tuple[int, int, int], bits: int = 8):
    from ethosu.vela import api

    fm = api.NpuFeatureMap()
    fm.data_type = api.NpuDataType.INT16 if bits == 16 else api.NpuDataType.INT8
    h, w, c = shape
    fm.shape = api.NpuShape3D(height=h, width=w, depth=c)
    fm.quantization = api.NpuQuantization(scale_f32=1.0, zero_point=0)
    fm.layout = api.NpuLayout.NHWC
    return fm


def vela_operation(g: Geometry, traversal: str = "depth_first"):
    """The `ethosu.vela.api` operation of the geometry (no addresses)."""
    from ethosu.vela import api

    if g.depthwise:
        op = api.NpuConvDepthWiseOperation()
    else:
        op = api.NpuConv2DOperation()
        op.block_traversal = (
            api.NpuBlockTraversal.PART_KERNEL_FIRST
            if traversal == "part_kernel_first"
            else api.NpuBlockTraversal.DEPTH_FIRST
        )
    op.ifm, op.ofm = _fm(g.ifm, g.ifm_bits), _fm(g.ofm, g.ifm_bits)
    (kh, kw), (sy, sx), (dy, dx) = g.kernel, g.stride, g.dilation
    op.kernel = api.NpuKernel(kw, kh, sx, sy, dx, dy)
    top, left, bottom, right = g.pad
    op.padding = api.NpuPadding(top=top, left=left, bottom=bottom, right=right)
    return op


def find_block_configs(vela_op, accelerator: str) -> list[BlockConfig]:
    """(height, width, depth) of every block config
    `npu_find_block_configs` accepts for an `ethosu.vela.api` operation.

    Cached by what `npu_find_block_configs` reads of the operation (`_key`):
    the compile asks for the same geometry many times (each layout and
    block config costed, ops of one shape, probes and the ops they stand
    for), and each search tries every block shape."""
    key = (_key(vela_op), accelerator)
    found = _FOUND.get(key)
    if found is None:
        from ethosu.vela.api import npu_find_block_configs

        with contextlib.redirect_stdout(io.StringIO()):
            blocks = npu_find_block_configs(vela_op, _accelerator(accelerator))
        found = tuple((b.height, b.width, b.depth) for b in blocks)
        if len(_FOUND) >= _FOUND_LIMIT:
            _FOUND.clear()
        _FOUND[key] = found
    return list(found)


_FOUND: dict[tuple, tuple[BlockConfig, ...]] = {}
_FOUND_LIMIT = 4096


def _key(op) -> tuple:  # type: ignore[no-untyped-def]
    """What `npu_find_block_configs` reads of an operation: its kind,
    traversal and pooling type, the IFM, IFM2 and OFM shapes, the IFM
    upscaling and element type, the kernel, whether the activation is a
    table lookup, whether every feature map has a quantization, and whether
    IFM2 is a scalar."""
    fms = [op.ifm, getattr(op, "ifm2", None), op.ofm]
    k = getattr(op, "kernel", None)
    act = getattr(op, "activation", None)
    return (
        type(op).__name__,
        getattr(op, "block_traversal", None),
        getattr(op, "sub_op_type", None),
        *(None if f is None else _shape3d(f.shape) for f in fms),
        getattr(op, "ifm_upscale", None),
        op.ifm.data_type,
        None
        if k is None
        else (k.width, k.height, k.stride_x, k.stride_y, k.dilation_x, k.dilation_y),
        None if act is None else act.op_type,
        all(f is None or f.quantization is not None for f in fms),
        getattr(op, "ifm2_scalar", None) is not None,
    )


def _shape3d(s) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    return (s.height, s.width, s.depth)


def largest(
    configs: Sequence[BlockConfig], depth: int | None = None
) -> BlockConfig | None:
    """The largest config (by volume) of block depth `depth` if given."""
    fit = [c for c in configs if depth is None or c[2] == depth]
    return max(fit, key=lambda c: (c[0] * c[1] * c[2], c)) if fit else None


@functools.lru_cache(maxsize=1024)
def block_configs(
    g: Geometry, accelerator: str, traversal: str = "depth_first"
) -> tuple[BlockConfig, ...]:
    """Every (height, width, depth) block config Vela accepts for the op
    (cached: tiles of one op share their geometry)."""
    if traversal not in TRAVERSALS:
        raise ValueError(f"traversal must be one of {TRAVERSALS}")
    return tuple(find_block_configs(vela_operation(g, traversal), accelerator))


def vela_traversal(g: Geometry) -> str:
    """The traversal Vela's weight compressor encodes with: part-kernel-first
    when its DPU utilisation is at least depth-first's, or IFM depth <= 8
    (depthwise: depth first)."""
    if g.depthwise:
        return "depth_first"
    depth = g.ifm[2]
    kernel = g.kernel[0] * g.kernel[1]
    depth_util = depth / (-(-depth // 32) * 32)
    part_util = (depth / (-(-depth // 8) * 8)) * (kernel / (-(-kernel // 4) * 4))
    return (
        "part_kernel_first" if part_util >= depth_util or depth <= 8 else "depth_first"
    )


@functools.lru_cache(maxsize=8)
def _arch(accelerator: str):
    """Vela's default architecture (its "no configuration file" warnings, on
    stdout, silenced)."""
    from ethosu.vela.architecture_features import Accelerator, create_default_arch

    acc = Accelerator.from_npu_accelerator(_accelerator(accelerator))
    with (
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        return create_default_arch(acc)


@functools.lru_cache(maxsize=1024)
def vela_choice(g: Geometry, accelerator: str) -> tuple[BlockConfig, str] | None:
    """The block config and traversal Vela's scheduler would use for this op
    alone, or None if it finds none."""
    from ethosu.vela.api import NpuResamplingMode
    from ethosu.vela.architecture_allocator import find_block_config
    from ethosu.vela.operation import Kernel, NpuBlockType
    from ethosu.vela.register_command_stream_generator import resampling_mode_map
    from ethosu.vela.shape4d import Shape4D

    arch = _arch(accelerator)
    (kh, kw), (sy, sx), (dy, dx) = g.kernel, g.stride, g.dilation
    kernel = Kernel(kw, kh, sx, sy, dx, dy)
    block_type = (
        NpuBlockType.ConvolutionDepthWise
        if g.depthwise
        else NpuBlockType.ConvolutionMxN
    )
    found = find_block_config(
        arch,
        block_type,
        Shape4D(1, *g.ofm),
        Shape4D(1, *g.ifm),
        None,
        False,
        g.ifm_bits,
        kernel,
        0,
        True,
        resampling_mode_map[NpuResamplingMode.NONE],
    )
    if found is None:
        return None
    traversal = vela_traversal(g)
    b = found.ofm_block
    config = (b.height, b.width, b.depth)
    valid = block_configs(g, accelerator, traversal)
    if config not in valid:  # the scheduler's block must also pass the API check
        best = largest(valid, config[2]) or largest(valid)
        if best is None:
            return None
        config = best
    return config, traversal
