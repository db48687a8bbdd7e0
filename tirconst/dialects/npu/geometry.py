"""Where a feature map's elements lie in its region, as the NPU addresses them
(Vela's `get_address`): tile, then row, column and channel steps. Shared by the
verifier (region bounds) and the interpreter (reads and writes)."""

from __future__ import annotations

import functools

import numpy as np

from tirconst.dialects.npu.attributes import FeatureMapAttr, KernelAttr
from tirconst.kernels._common import window_extent

BRICK = 16


@functools.lru_cache(maxsize=512)
def element_addresses(fm: FeatureMapAttr) -> np.ndarray:
    """Byte address of each element's first byte, an (H, W, C) int64 array
    (read-only, cached per attribute)."""
    h, w, c = fm.shape
    h0, h1, w0, bases = fm.tile_box()
    sy, sx, sc = fm.byte_strides()
    e = fm.element_size
    y = np.arange(h, dtype=np.int64)[:, None, None]
    x = np.arange(w, dtype=np.int64)[None, :, None]
    ch = np.arange(c, dtype=np.int64)[None, None, :]
    right = x >= w0
    split = np.where(right, h1, h0)
    bottom = y >= split
    tile = right.astype(np.int64) + 2 * bottom
    yy = y - np.where(bottom, split, 0)
    xx = x - np.where(right, w0, 0)
    base = np.asarray(bases, dtype=np.int64)[tile]
    if fm.layout == "nhwc":
        offset = yy * sy + xx * sx + ch * e
    else:
        offset = yy * sy + xx * (BRICK * e) + (ch // BRICK) * sc + (ch % BRICK) * e
    out = np.broadcast_to(base + offset, (h, w, c)).copy()
    out.setflags(write=False)
    return out


def byte_span(fm: FeatureMapAttr) -> tuple[int, int]:
    """[first, end) bytes the feature map touches."""
    a = element_addresses(fm)
    return int(a.min()), int(a.max()) + fm.element_size


def window_output(
    ifm: tuple[int, int], kernel: KernelAttr, pad: tuple[int, int, int, int]
) -> tuple[int, int]:
    """OFM (height, width) of a window op over an IFM of (height, width)."""
    (kh, kw), (sy, sx), (dy, dx) = (
        kernel.size,
        kernel.stride,
        kernel.dilation,
    )
    top, left, bottom, right = pad
    return (
        window_extent(ifm[0], kh, sy, dy, top, bottom),
        window_extent(ifm[1], kw, sx, dx, left, right),
    )
