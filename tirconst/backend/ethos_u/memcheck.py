"""A memory check on a decoded command stream alone.

For each operation, the bytes it reads and writes, per region, from its
feature maps (shape, tiles, strides, layout), weights, biases and DMA ranges.
Replaying them in stream order finds, independently of the compiler that
planned the memory:

- `outside`: an access beyond a region's declared size, or to a region the
  container does not declare (the NPU's internal memory, regions >= 0x100,
  is not checked);
- `clobber`: op i overwrites bytes that op k wrote and no op has read yet,
  and a later op j (or the host, for an output) reads them in one access
  that also reads bytes op k wrote and nobody overwrote: op j reads op k's
  tensor, part of which op i destroyed. (An op that reads only op i's bytes
  is op i's consumer; unread values by themselves, such as the last row of
  a VALID-padded map a stride-2 op never reads, are not reported);
- `uninitialised`: an op reads bytes of a scratch region that no op wrote
  and no declared input holds.

The replay is sequential (stream order); DMA running beside the NPU is the
generator's business (its waits), not checked here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from ethosu.vela.api import (
    NpuBlockOperation,
    NpuDmaOperation,
    NpuFeatureMap,
    NpuLayout,
)

from tirconst.backend.ethos_u.containers import TensorPlacement
from tirconst.backend.ethos_u.decoder import DecodedOp

#: Regions at or above this are the NPU's internal memory (lookup tables).
INTERNAL_REGION = 0x100


@dataclass(frozen=True)
class Access:
    """Bytes [start, end) of `region` that op `op` reads or writes as `what`
    (ifm, ifm2, ofm, weights, biases, src, dst), as merged intervals."""

    op: int
    what: str
    write: bool
    region: int
    intervals: tuple[tuple[int, int], ...]

    @property
    def span(self) -> tuple[int, int]:
        return self.intervals[0][0], self.intervals[-1][1]

    @property
    def size(self) -> int:
        return sum(e - s for s, e in self.intervals)


@dataclass(frozen=True)
class Finding:
    """One problem the replay found (see the module docstring for `kind`)."""

    kind: str
    region: int
    start: int
    end: int
    ops: tuple[int, ...]
    message: str


def _merge(starts: np.ndarray, ends: np.ndarray) -> tuple[tuple[int, int], ...]:
    if len(starts) == 0:
        return ()
    order = np.argsort(starts, kind="stable")
    s, e = starts[order], ends[order]
    reach = np.maximum.accumulate(e)
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] > reach[:-1]
    firsts = np.flatnonzero(new)
    lasts = np.append(firsts[1:] - 1, len(s) - 1)
    return tuple(zip(s[firsts].tolist(), reach[lasts].tolist(), strict=True))


def feature_map_intervals(fm: NpuFeatureMap) -> tuple[tuple[int, int], ...]:
    """The bytes a feature map covers: its shape laid over its tiles with its
    strides (NHWC: a run of C elements per (y, x); NHCWB16: a run of up to 16
    channels per (y, x, 16-channel brick))."""
    h, w, c = fm.shape
    if h <= 0 or w <= 0 or c <= 0:
        return ()
    elem = fm.data_type.size_in_bytes()
    tiles = fm.tiles
    strides = fm.strides
    assert strides is not None
    ys, xs = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    ys, xs = ys.ravel(), xs.ravel()
    # Tile of each (y, x): 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right.
    right = xs >= tiles.width_0
    lx = np.where(right, xs - tiles.width_0, xs)
    split = np.where(right, tiles.height_1, tiles.height_0)
    below = ys >= split
    ly = np.where(below, ys - split, ys)
    t = right.astype(np.int64) + 2 * below.astype(np.int64)
    base = np.asarray(tiles.addresses, dtype=np.int64)[t] + ly * strides.height
    if fm.layout == NpuLayout.NHWC:
        starts = base + lx * strides.width
        ends = starts + c * elem
    else:
        bricks = np.arange((c + 15) // 16)
        starts = (
            (base + lx * 16 * elem)[:, None] + (bricks * strides.depth)[None, :]
        ).ravel()
        counts = np.minimum(16, c - 16 * bricks) * elem
        ends = starts + np.tile(counts, len(base))
    return _merge(starts.astype(np.int64), ends.astype(np.int64))


def op_accesses(d: DecodedOp) -> list[Access]:
    """Every byte range op `d` reads and writes."""
    op, out = d.op, []

    def add(what: str, write: bool, region: int, iv: tuple) -> None:  # type: ignore[type-arg]
        if iv:
            out.append(Access(d.index, what, write, region, iv))

    if isinstance(op, NpuDmaOperation):
        add(
            "src",
            False,
            op.src.region,
            ((op.src.address, op.src.address + op.src.length),),
        )
        add(
            "dst",
            True,
            op.dest.region,
            ((op.dest.address, op.dest.address + op.dest.length),),
        )
        return out
    assert isinstance(op, NpuBlockOperation) and op.ifm and op.ofm
    add("ifm", False, op.ifm.region, feature_map_intervals(op.ifm))
    if op.ifm2 is not None and op.ifm2_scalar is None:
        add("ifm2", False, op.ifm2.region, feature_map_intervals(op.ifm2))
    for kind, ranges in (("weights", op.weights), ("biases", op.biases)):
        for r in ranges:
            add(kind, False, r.region, ((r.address, r.address + r.length),))
    add("ofm", True, op.ofm.region, feature_map_intervals(op.ofm))
    return out


def _mask(size: int, intervals: Iterable[tuple[int, int]]) -> np.ndarray:
    delta = np.zeros(size + 1, dtype=np.int32)
    for s, e in intervals:
        delta[s] += 1
        delta[e] -= 1
    return np.cumsum(delta[:size]) > 0


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.view(np.int8), [0]))))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))


@dataclass
class MemoryReport:
    accesses: list[list[Access]]
    findings: list[Finding]


def check_memory(
    ops: Sequence[DecodedOp],
    region_sizes: dict[int, int] | None,
    inputs: Sequence[TensorPlacement] | None = (),
    outputs: Sequence[TensorPlacement] = (),
    flash_region: int | None = 0,
) -> MemoryReport:
    """Replay `ops` over the declared regions and report findings.

    `region_sizes` are the declared sizes; None (a bare payload declares
    none) sizes each region by its highest access and reports no `outside`
    finding. `inputs`/`outputs` with a region and offset count as written
    before the stream / read after it; `inputs` None (unknown) turns the
    `uninitialised` check off; `flash_region` is initialised (the
    constant blob)."""
    all_accesses = [op_accesses(d) for d in ops]
    if region_sizes is None:
        region_sizes = {}
        for accesses in all_accesses:
            for a in accesses:
                if a.region < INTERNAL_REGION:
                    end = max(a.span[1], region_sizes.get(a.region, 0))
                    region_sizes[a.region] = end
    writer = {r: np.full(n, -1, dtype=np.int32) for r, n in region_sizes.items()}
    read = {r: np.zeros(n, dtype=bool) for r, n in region_sizes.items()}
    victim = {r: np.full(n, -1, dtype=np.int32) for r, n in region_sizes.items()}
    clobberer = {r: np.full(n, -1, dtype=np.int32) for r, n in region_sizes.items()}
    init = {r: np.zeros(n, dtype=bool) for r, n in region_sizes.items()}
    if flash_region in init:
        init[flash_region][:] = True

    def placed(ts: Sequence[TensorPlacement]) -> list[tuple[int, int, int]]:
        out = []
        for t in ts:
            if t.region in region_sizes and t.offset is not None:
                n = int(np.prod(t.shape)) * t.elem_size
                out.append(
                    (t.region, t.offset, min(t.offset + n, region_sizes[t.region]))
                )
        return out

    for region, s, e in placed(inputs or ()):
        init[region][s:e] = True
    findings: list[Finding] = []

    def name(i: int) -> str:
        return "the host" if i >= len(ops) else f"op {i} ({ops[i].command.name[7:]})"

    def do_read(j: int, region: int, intervals: Iterable[tuple[int, int]]) -> None:
        m = _mask(len(writer[region]), intervals)
        hit = m & (clobberer[region] >= 0)
        if hit.any():
            pairs = {
                (int(victim[region][b]), int(clobberer[region][b]))
                for b in np.flatnonzero(hit)
            }
            for k, i in sorted(pairs):
                # Only a reader that also reads k's surviving bytes expected
                # k's value; one reading i's bytes alone is i's consumer.
                if not (m & (writer[region] == k)).any():
                    continue
                sel = hit & (victim[region] == k) & (clobberer[region] == i)
                a, b = _runs(sel)[0][0], _runs(sel)[-1][1]
                findings.append(
                    Finding(
                        "clobber",
                        region,
                        a,
                        b,
                        (k, i, j),
                        f"{name(i)} overwrites region {region} [{a:#x}, {b:#x}) "
                        f"written by {name(k)} before any read; {name(j)} reads it",
                    )
                )
            clobberer[region][hit] = -1
        cold = m & (writer[region] < 0) & ~init[region]
        if cold.any() and j < len(ops) and inputs is not None:
            runs = _runs(cold)
            findings.append(
                Finding(
                    "uninitialised",
                    region,
                    runs[0][0],
                    runs[-1][1],
                    (j,),
                    f"{name(j)} reads region {region} [{runs[0][0]:#x}, "
                    f"{runs[-1][1]:#x}) that no op wrote and no input holds",
                )
            )
            init[region][cold] = True  # report once
        read[region][m] = True

    def bounded(j: int, a: Access) -> list[tuple[int, int]]:
        if a.region >= INTERNAL_REGION:
            return []
        size = region_sizes.get(a.region)
        verb = "writes" if a.write else "reads"
        if size is None:
            s, e = a.span
            findings.append(
                Finding(
                    "outside",
                    a.region,
                    s,
                    e,
                    (j,),
                    f"{name(j)} {verb} {a.what} in undeclared region {a.region}",
                )
            )
            return []
        lo, hi = a.span
        if lo < 0 or hi > size:
            findings.append(
                Finding(
                    "outside",
                    a.region,
                    lo,
                    hi,
                    (j,),
                    f"{name(j)} {verb} {a.what} at region {a.region} "
                    f"[{lo:#x}, {hi:#x}) beyond its {size} bytes",
                )
            )
        return [(max(s, 0), min(e, size)) for s, e in a.intervals if s < size and e > 0]

    for j, accesses in enumerate(all_accesses):
        for a in accesses:
            if not a.write:
                iv = bounded(j, a)
                if iv:
                    do_read(j, a.region, iv)
        for a in accesses:
            if a.write:
                iv = bounded(j, a)
                if not iv:
                    continue
                r = a.region
                m = _mask(len(writer[r]), iv)
                dead = m & (writer[r] >= 0) & ~read[r]
                victim[r][dead] = writer[r][dead]
                clobberer[r][dead] = j
                clobberer[r][m & ~dead] = -1
                writer[r][m] = j
                read[r][m] = False
    for region, s, e in placed(outputs):
        do_read(len(ops), region, [(s, e)])
    return MemoryReport(all_accesses, findings)


def format_accesses(report: MemoryReport) -> str:
    """Per op, the ranges it reads and writes (span and byte count)."""
    lines = []
    for j, accesses in enumerate(report.accesses):
        parts = [
            f"{'W' if a.write else 'R'} {a.what} r{a.region} "
            f"[{a.span[0]:#x},{a.span[1]:#x}) {a.size}B"
            for a in accesses
        ]
        lines.append(f"op {j}: " + "; ".join(parts))
    return "\n".join(lines)
