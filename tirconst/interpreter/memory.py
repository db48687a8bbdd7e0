"""Buffers as the interpreter holds them: bytes, views, init tracking, pools.

Every buffer is a window onto a byte array (`raw`) with a parallel byte array
(`rawinit`) that says which bytes hold defined data (1) and which do not (0).
Views (`tir.decl_buffer`, `tir.reshape`) are windows onto the same two arrays,
so writes through a view are seen through its source, and the reverse. A
strided view (`tir.decl_buffer ... strides [...]`) is the window from its first
to its last element, with element strides: `array()` is then a numpy
`as_strided` view of the window, and init tracking touches only its elements.

Flat-memory mode: a buffer placed with `pool = "name", offset = N` (bytes) is a
window onto that pool's single byte array instead of storage of its own. Two
buffers whose byte ranges overlap share bytes, exactly as on the target: if a
memory plan lets a buffer write over one that is still live, the program
computes something else and the equivalence check reports it.

Generated code reads elements through `Buffer.data` (a typed memoryview: one
Python int or float per element, no numpy scalars) and checks initialization
through `Buffer.init`, the init bytes seen as one unsigned integer per element:
an element is defined iff that integer equals `Buffer.full` (all bytes 1).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

_DATA_FORMAT = {
    np.dtype(np.bool_): "?",
    np.dtype(np.int8): "b",
    np.dtype(np.uint8): "B",
    np.dtype(np.int16): "h",
    np.dtype(np.uint16): "H",
    np.dtype(np.int32): "i",
    np.dtype(np.uint32): "I",
    np.dtype(np.int64): "q",
    np.dtype(np.float32): "f",
    np.dtype(np.float64): "d",
}
_INIT_FORMAT = {1: "B", 2: "H", 4: "I", 8: "Q"}
FULL = {n: int.from_bytes(b"\x01" * n, "little") for n in _INIT_FORMAT}
"""Itemsize -> the init integer of a fully defined element."""

PARAM, WORKSPACE, CONSTANT = "parameter", "workspace", "constant"


def available_bytes() -> int:
    """Memory the machine can give now (Linux's MemAvailable, else free pages)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return 1 << 62  # unknown: let numpy decide


def storage_problem(nbytes: int) -> str | None:
    """Why `nbytes` of buffer cannot be held (data plus init bytes), or None.

    Checked before allocating, so a huge shape is an error naming its op
    rather than a MemoryError (or the machine swapping) in the middle."""
    need = 2 * nbytes
    have = available_bytes()
    if need <= have:
        return None
    return (
        f"needs {nbytes:,} bytes (twice that with init tracking), more than the "
        f"{have:,} bytes of memory available"
    )


class _HalfAccessor:
    """Element access to float16 data (memoryview has no 'e' cast)."""

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray):
        self.array = array

    def __getitem__(self, k: int) -> float:
        return float(self.array[k])

    def __setitem__(self, k: int, value: float) -> None:
        self.array[k] = value

    def __len__(self) -> int:
        return len(self.array)


def _element_access(raw: np.ndarray, dtype: np.dtype) -> Any:
    if dtype == np.float16:
        return _HalfAccessor(raw.view(np.float16))
    if raw.size == 0:
        return memoryview(np.zeros(0, dtype))
    return memoryview(raw).cast(_DATA_FORMAT[dtype])


class Buffer:
    """One buffer at run time: a typed window onto bytes, with init tracking.

    `kind` is PARAM, WORKSPACE or CONSTANT (constants are read-only). `origin`
    says where it came from, for error messages.
    """

    __slots__ = (
        "name",
        "shape",
        "dtype",
        "kind",
        "origin",
        "raw",
        "rawinit",
        "data",
        "init",
        "full",
        "pool",
        "offset",
        "strides",
    )

    def __init__(
        self,
        name: str,
        shape: Sequence[int],
        dtype: np.dtype,
        raw: np.ndarray,
        rawinit: np.ndarray,
        *,
        kind: str,
        origin: str,
        pool: str | None = None,
        offset: int = 0,
        strides: tuple[int, ...] | None = None,
    ):
        self.name = name
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.kind = kind
        self.origin = origin
        self.raw = raw
        self.rawinit = rawinit
        self.data = _element_access(raw, self.dtype)
        size = self.dtype.itemsize
        if rawinit.size:
            self.init = memoryview(rawinit).cast(_INIT_FORMAT[size])
        else:
            self.init = memoryview(np.zeros(0, np.uint8))
        self.full = FULL[size]
        self.pool = pool
        self.offset = offset
        self.strides = strides
        """Element strides of a strided view; None: row-major, contiguous."""

    @classmethod
    def fresh(
        cls, name: str, shape: Sequence[int], dtype: np.dtype, kind: str, origin: str
    ) -> Buffer:
        """A buffer with storage of its own, all undefined."""
        nbytes = int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
        return cls(
            name,
            shape,
            dtype,
            np.zeros(nbytes, np.uint8),
            np.zeros(nbytes, np.uint8),
            kind=kind,
            origin=origin,
        )

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def _shaped(self, flat: np.ndarray) -> np.ndarray:
        """`flat` (one item per storage element) seen with the buffer's shape."""
        if self.strides is None:
            return flat.reshape(self.shape)
        step = flat.itemsize
        return np.lib.stride_tricks.as_strided(
            flat, self.shape, tuple(s * step for s in self.strides)
        )

    def _init_words(self) -> np.ndarray:
        return self._shaped(self.rawinit.view(np.dtype(f"<u{self.dtype.itemsize}")))

    def array(self) -> np.ndarray:
        """The contents as a writable numpy array of the buffer's shape (a view)."""
        return self._shaped(self.raw.view(self.dtype))

    def initialized(self) -> np.ndarray:
        """Per element: does it hold defined data? (bool array of the shape)."""
        return self._init_words() == self.full

    def first_undefined(self) -> tuple[int, ...] | None:
        """The row-major first element without defined data, or None."""
        if self.rawinit.all():
            return None
        flat = np.flatnonzero(~self.initialized().reshape(-1))
        if flat.size == 0:
            return None
        return tuple(int(i) for i in np.unravel_index(int(flat[0]), self.shape))

    def unravel(self, linear: int) -> tuple[int, ...]:
        """The index of storage element `linear` (the generated code's index)."""
        if not self.shape:
            return ()
        if self.strides is None:
            return tuple(int(i) for i in np.unravel_index(linear, self.shape))
        index = [0] * len(self.shape)
        for k in sorted(range(len(self.shape)), key=lambda k: -self.strides[k]):
            if self.strides[k]:
                index[k], linear = divmod(linear, self.strides[k])
        return tuple(index)

    def mark_initialized(self) -> None:
        if self.strides is None:
            self.rawinit[:] = 1
        else:
            self._init_words()[...] = self.full

    def fill(self, array: np.ndarray) -> None:
        """Copy `array` (same dtype and size) in and mark it all defined."""
        self.array()[...] = np.asarray(array).reshape(self.shape)
        self.mark_initialized()

    def view(
        self,
        elem_offset: int,
        shape: Sequence[int],
        name: str,
        strides: tuple[int, ...] | None = None,
    ) -> Buffer:
        """A window onto this buffer's bytes from element `elem_offset` on;
        with `strides`, a strided view (elements apart by `strides`)."""
        assert strides is None or self.strides is None  # the verifier's rule
        start = elem_offset * self.dtype.itemsize
        n = int(np.prod(shape, dtype=np.int64))
        if strides is not None and n:
            n = 1 + sum((d - 1) * s for d, s in zip(shape, strides, strict=True))
        end = start + n * self.dtype.itemsize
        return Buffer(
            name,
            shape,
            self.dtype,
            self.raw[start:end],
            self.rawinit[start:end],
            kind=self.kind,
            origin=self.origin,
            pool=self.pool,
            offset=self.offset + start,
            strides=strides,
        )

    def describe(self) -> str:
        """`%t (workspace allocated at f.mlir:4:5)` for error messages."""
        where = f" in pool '{self.pool}' at byte {self.offset}" if self.pool else ""
        return f"%{self.name} ({self.kind} {self.origin}{where})"


class Pool:
    """One flat memory: a byte array and its init bytes."""

    def __init__(self, name: str, size: int):
        self.name = name
        self.size = size
        self.raw = np.zeros(size, np.uint8)
        self.rawinit = np.zeros(size, np.uint8)

    def place(
        self,
        name: str,
        shape: Sequence[int],
        dtype: np.dtype,
        offset: int,
        *,
        kind: str,
        origin: str,
        fresh: bool,
    ) -> Buffer:
        """The buffer at byte `offset`; `fresh` marks its bytes undefined."""
        nbytes = int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
        end = offset + nbytes
        if fresh:
            self.rawinit[offset:end] = 0
        return Buffer(
            name,
            shape,
            dtype,
            self.raw[offset:end],
            self.rawinit[offset:end],
            kind=kind,
            origin=origin,
            pool=self.name,
            offset=offset,
        )


class Frame:
    """The state of one run: its pools (made on first use) and its externs."""

    def __init__(self, pool_sizes: dict[str, int], externs: dict[str, Any]):
        self.pool_sizes = pool_sizes
        self.pools: dict[str, Pool] = {}
        self.externs = externs

    def pool(self, name: str) -> Pool:
        if name not in self.pools:
            self.pools[name] = Pool(name, self.pool_sizes[name])
        return self.pools[name]
