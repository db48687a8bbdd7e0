"""The Ethos-U weight stream: encoding through Vela's public API, and decoding.

A stream is the "mlw" coding (`ethosu.mlw_codec`) of the weights reordered into
bricks. The brick order depends on the accelerator's micro-block depths, the
op's OFM block depth, the traversal (depth-first or part-kernel-first), the
dilation (sub-kernels are at most 8 // dilation wide and high) and whether the
op is depthwise; `WeightEncoding` records all of it, so a stream can always be
read back. Decoding inverts the brick order with a precomputed index map
(cached per shape and encoding), so it is one numpy gather.

Brick loop order, outermost first: OFM blocks of `block_depth`; IFM blocks of
32 (depth-first) or 16 (part-kernel-first), one for depthwise; sub-kernels
(rows, then columns); part-kernel-first only: IFM micro-blocks; OFM
micro-blocks; kernel elements of the sub-kernel, row-major, their count
rounded up to 4 for part-kernel-first and depthwise; depth-first only: IFM
micro-blocks; then the micro-block's OFM channels, then its IFM channels (one
for depthwise). Positions outside the tensor hold zero.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

import numpy as np

__all__ = [
    "stream_block_depth",
    "core_channels",
    "core_depths",
    "ACCELERATORS",
    "TRAVERSALS",
    "WeightEncoding",
    "WeightFormatError",
    "decode_stream_values",
    "decode_weights",
    "encode_weights",
    "stream_index_map",
]


class WeightFormatError(ValueError):
    """A weight volume that cannot be encoded, or a stream that cannot be read."""


@dataclass(frozen=True)
class Accelerator:
    """What of an Ethos-U configuration the weight format depends on."""

    vela_name: str  # the `NpuAccelerator` member
    ofm_ublock_depth: int
    ifm_ublock_depth: int
    cores: int


# The command-line names Vela uses (`--accelerator-config`).
ACCELERATORS: dict[str, Accelerator] = {
    "ethos-u55-32": Accelerator("Ethos_U55_32", 4, 8, 1),
    "ethos-u55-64": Accelerator("Ethos_U55_64", 8, 8, 1),
    "ethos-u55-128": Accelerator("Ethos_U55_128", 8, 8, 1),
    "ethos-u55-256": Accelerator("Ethos_U55_256", 8, 8, 1),
    "ethos-u65-256": Accelerator("Ethos_U65_256", 8, 8, 1),
    "ethos-u65-512": Accelerator("Ethos_U65_512", 8, 8, 2),
}

TRAVERSALS = ("depth_first", "part_kernel_first")

_SUB_KERNEL_MAX = 8


@dataclass(frozen=True)
class WeightEncoding:
    """How one weight stream was encoded (everything needed to decode it).

    `shape` is the OHWI volume given to the encoder (depthwise: (C, KH, KW, 1));
    the stream holds `weight - zero_point`. One stream is one core's share.
    """

    accelerator: str
    block_depth: int
    traversal: str
    dilation_x: int
    dilation_y: int
    is_depthwise: bool
    shape: tuple[int, int, int, int]
    zero_point: int = 0
    ifm_bitdepth: int = 8

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise WeightFormatError(f"invalid weight encoding: {problems[0]}")

    def problems(self) -> list[str]:
        """What is wrong with this description (empty if it is usable)."""
        out = []
        if self.accelerator not in ACCELERATORS:
            out.append(
                f"unknown accelerator {self.accelerator!r} "
                f"(known: {', '.join(ACCELERATORS)})"
            )
        if self.traversal not in TRAVERSALS:
            out.append(f"traversal must be one of {TRAVERSALS}, got {self.traversal!r}")
        if self.block_depth < 1 or self.block_depth % 8:
            out.append(
                f"block depth must be a positive multiple of 8, got {self.block_depth}"
            )
        if self.dilation_x not in (1, 2) or self.dilation_y not in (1, 2):
            out.append(
                f"dilation must be 1 or 2, got ({self.dilation_y}, {self.dilation_x})"
            )
        if len(self.shape) != 4 or any(d < 1 for d in self.shape):
            out.append(f"shape must be 4 positive extents (OHWI), got {self.shape}")
        elif self.is_depthwise and self.shape[3] != 1:
            out.append(f"depthwise weights must be (C, KH, KW, 1), got {self.shape}")
        if self.is_depthwise and self.traversal != "depth_first":
            out.append("depthwise weights are traversed depth first")
        if self.ifm_bitdepth not in (8, 16):
            out.append(f"IFM bit depth must be 8 or 16, got {self.ifm_bitdepth}")
        return out

    @property
    def part_kernel_first(self) -> bool:
        return self.traversal == "part_kernel_first"

    def with_shape(self, shape: tuple[int, ...]) -> WeightEncoding:
        """The same encoding for a volume of another shape."""
        return WeightEncoding(
            self.accelerator,
            self.block_depth,
            self.traversal,
            self.dilation_x,
            self.dilation_y,
            self.is_depthwise,
            tuple(int(d) for d in shape),  # type: ignore[arg-type]
            self.zero_point,
            self.ifm_bitdepth,
        )


def stream_block_depth(block_depth: int, channels: int) -> int | None:
    """The depth a stream of `channels` output channels read in OFM blocks
    of `block_depth` is encoded with: the block depth, or, where one block
    covers every channel, the smallest multiple of 8 that does (the same
    stream: the encoder takes multiples of 8 only); None where there is none
    (a depth that is no multiple of 8 and does not cover the channels)."""
    if block_depth >= channels:
        return -(-channels // 8) * 8
    return None if block_depth % 8 else block_depth


def core_depths(block_depth: int, cores: int) -> list[int]:
    """Vela's per-core block depth: core k gets ceil((depth - k) / cores)."""
    return [(block_depth + cores - 1 - k) // cores for k in range(cores)]


def core_channels(channels: int, cores: int) -> list[int]:
    """How many of `channels` output channels each core computes: core k
    the channels k, k + cores, ... (Vela's weight_compressor deals them so);
    a core with none has no stream (one channel on two cores: one)."""
    return [len(range(k, channels, cores)) for k in range(min(cores, channels))]


def _vela_accelerator(name: str):
    from ethosu.vela.api import NpuAccelerator

    return NpuAccelerator[ACCELERATORS[name].vela_name]


def encode_weights(weights: np.ndarray, encoding: WeightEncoding) -> bytes:
    """The stream of the OHWI `weights` (raw values; the zero point is subtracted
    here), through `ethosu.vela.api.npu_encode_weights`.

    Raises WeightFormatError where Vela would assert or silently corrupt: a
    shape other than `encoding.shape`, a non-integer volume, values outside
    ±255 once the zero point is subtracted.
    """
    from ethosu.vela.api import NpuBlockTraversal, npu_encode_weights

    w = np.asarray(weights)
    if w.shape != encoding.shape:
        raise WeightFormatError(
            f"weights of shape {w.shape} but the encoding is for {encoding.shape}"
        )
    if w.dtype.kind not in "iu":
        raise WeightFormatError(f"weights must be integers, got {w.dtype}")
    values = w.astype(np.int64) - encoding.zero_point
    if values.size and (values.min() < -255 or values.max() > 255):
        raise WeightFormatError(
            "weights minus their zero point must lie in [-255, 255], got "
            f"[{values.min()}, {values.max()}]"
        )
    stream = npu_encode_weights(
        _vela_accelerator(encoding.accelerator),
        values.astype(np.int16),
        (encoding.dilation_x, encoding.dilation_y),
        encoding.ifm_bitdepth,
        encoding.block_depth,
        encoding.is_depthwise,
        NpuBlockTraversal.PART_KERNEL_FIRST
        if encoding.part_kernel_first
        else NpuBlockTraversal.DEPTH_FIRST,
    )
    return bytes(stream)


def _grid(*sizes: int) -> list[np.ndarray]:
    return [g.reshape(-1) for g in np.meshgrid(*map(np.arange, sizes), indexing="ij")]


@functools.lru_cache(maxsize=256)
def stream_index_map(encoding: WeightEncoding) -> np.ndarray:
    """For each value of the decoded stream, the flat OHWI index it holds, or
    -1 for padding. Read-only and cached per encoding (shape included)."""
    acc = ACCELERATORS[encoding.accelerator]
    ofm_ub, ifm_ub = acc.ofm_ublock_depth, acc.ifm_ublock_depth
    o_depth, kh, kw, i_depth = encoding.shape
    depthwise, pkf = encoding.is_depthwise, encoding.part_kernel_first
    if depthwise:
        ifm_block, ifm_ub = 1, 1
    elif pkf or encoding.ifm_bitdepth == 16:
        ifm_block = 16
    else:
        ifm_block = 32
    sub_h = _SUB_KERNEL_MAX // encoding.dilation_y
    sub_w = _SUB_KERNEL_MAX // encoding.dilation_x
    pieces: list[np.ndarray] = []
    for ob in range(0, o_depth, encoding.block_depth):
        ob_depth = min(encoding.block_depth, o_depth - ob)
        for ib in range(0, i_depth, ifm_block):
            ib_depth = min(ifm_block, i_depth - ib)
            for y0 in range(0, kh, sub_h):
                sh = min(sub_h, kh - y0)
                for x0 in range(0, kw, sub_w):
                    sw = min(sub_w, kw - x0)
                    elements = sh * sw
                    if depthwise or (pkf and encoding.ifm_bitdepth == 8):
                        elements = -(-elements // 4) * 4
                    elif pkf:  # 16-bit IFM: part-kernel-first pads to pairs
                        elements = -(-elements // 2) * 2
                    outer = range(0, ib_depth, ifm_ub) if pkf else range(1)
                    inner_n = 1 if pkf else ifm_block // ifm_ub
                    for iu_outer in outer:
                        for ou in range(0, ob_depth, ofm_ub):
                            e, iu, oz, iz = _grid(elements, inner_n, ofm_ub, ifm_ub)
                            ofm = ob + ou + oz
                            ifm = ib + iu_outer + iu * ifm_ub + iz
                            ky, kx = y0 + e // sw, x0 + e % sw
                            inside = (
                                (e < sh * sw)
                                & (ofm < min(ob + ob_depth, o_depth))
                                & (ifm < min(ib + ib_depth, i_depth))
                            )
                            flat = ((ofm * kh + ky) * kw + kx) * i_depth + ifm
                            pieces.append(np.where(inside, flat, -1))
    index = np.concatenate(pieces) if pieces else np.zeros(0, np.int64)
    index.setflags(write=False)
    return index


def _decode_isolated(stream: bytes) -> np.ndarray:
    """`ethosu.mlw_codec.decode` in a forked child: on a truncated or corrupt
    stream the C codec calls exit(), which must not end this process."""
    from ethosu import mlw_codec

    if not hasattr(os, "fork"):
        return np.asarray(mlw_codec.decode(bytearray(stream)), dtype=np.int16)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: decode, send the values, never return
        status = 1
        try:
            os.close(read_fd)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            values = np.asarray(mlw_codec.decode(bytearray(stream)), dtype=np.int16)
            view = memoryview(values.tobytes())
            while view:
                view = view[os.write(write_fd, view) :]
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    chunks = []
    with os.fdopen(read_fd, "rb") as pipe:
        while chunk := pipe.read(1 << 20):
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise WeightFormatError(
            "weight stream does not decode (the codec stops: truncated or corrupt)"
        )
    return np.frombuffer(b"".join(chunks), dtype=np.int16)


def decode_stream_values(stream: bytes | bytearray, encoding: WeightEncoding):
    """The OHWI volume of the values the stream holds (`weight - zero_point`),
    as int16. Raises WeightFormatError if the stream does not decode or does
    not fit the encoding."""
    if len(stream) == 0 or len(stream) % 16:
        raise WeightFormatError(
            f"a weight stream is a non-empty multiple of 16 bytes, got {len(stream)}"
        )
    values = _decode_isolated(bytes(stream))
    index = stream_index_map(encoding)
    decoded = values
    if decoded.size < index.size:
        raise WeightFormatError(
            f"weight stream holds {decoded.size} values but the encoding of "
            f"{encoding.shape} needs {index.size}"
        )
    if decoded.size > index.size and np.any(decoded[index.size :]):
        raise WeightFormatError(
            f"weight stream holds {decoded.size} values, more than the "
            f"{index.size} of the encoding of {encoding.shape}"
        )
    decoded = decoded[: index.size]
    if np.any(decoded[index < 0]):
        raise WeightFormatError(
            "weight stream has non-zero values where the brick order pads: it was "
            "encoded with another block depth, traversal or shape"
        )
    out = np.zeros(int(np.prod(encoding.shape)), dtype=np.int16)
    keep = index >= 0
    out[index[keep]] = decoded[keep]
    return out.reshape(encoding.shape)


def decode_weights(stream: bytes | bytearray, encoding: WeightEncoding) -> np.ndarray:
    """The OHWI weights the stream was encoded from (zero point added back), as
    int16 (int8 weights come back with their values)."""
    values = decode_stream_values(stream, encoding)
    return (values.astype(np.int32) + encoding.zero_point).astype(np.int16)
