"""The problem model of static memory planning, and its CSV format.

A :class:`Buffer` is a block of bytes that must be live during the half-open
time interval ``[start, end)``; a :class:`Pool` is an address space with an
optional capacity. A plan gives every buffer an offset (and a pool), such that
no two buffers that are live at the same time overlap in the same pool.

The CSV format is MiniMalloc's: a header ``id,lower,upper,size`` and one buffer
per row, lifetime ``[lower, upper)``. Optional columns: ``alignment`` (a power
of two) and ``pools`` (candidate pool names, separated by ``;``). Any other
column (e.g. the ``offset`` of a written plan) is ignored on input.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tirconst.core.files import atomic_output

__all__ = [
    "Buffer",
    "Pool",
    "PlanningError",
    "capacity_from_filename",
    "check_unique_ids",
    "check_shares",
    "is_power_of_two",
    "read_csv",
    "parse_csv",
    "write_csv",
    "format_csv",
]

REQUIRED_COLUMNS = ("id", "lower", "upper", "size")


class PlanningError(ValueError):
    """Bad input to the planner; the message is one line naming the culprit."""


def is_power_of_two(value: int) -> bool:
    """True for 1, 2, 4, 8, ..."""
    return value > 0 and value & (value - 1) == 0


@dataclass(frozen=True)
class Buffer:
    """A block of ``size`` bytes, live during the half-open ``[start, end)``.

    ``alignment`` is a power of two that the buffer's offset must be a multiple
    of. ``pools`` optionally lists, in order of preference, the names of the
    pools the buffer may be placed in (empty: any pool).
    """

    id: str
    start: int
    end: int
    size: int
    alignment: int = 1
    pools: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.size < 0:
            raise PlanningError(f"buffer {self.id}: negative size {self.size}")
        if self.end <= self.start:
            raise PlanningError(
                f"buffer {self.id}: end {self.end} is not after start {self.start}"
            )
        if not is_power_of_two(self.alignment):
            raise PlanningError(
                f"buffer {self.id}: alignment {self.alignment} is not a power of two"
            )

    def lives_with(self, other: Buffer) -> bool:
        """True if the two lifetimes intersect (so the buffers must not overlap)."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Pool:
    """A named address space; ``capacity`` None means unbounded."""

    name: str
    capacity: int | None = None
    alignment: int = 1

    def __post_init__(self) -> None:
        if self.capacity is not None and self.capacity < 0:
            raise PlanningError(f"pool {self.name}: negative capacity")
        if not is_power_of_two(self.alignment):
            raise PlanningError(
                f"pool {self.name}: alignment {self.alignment} is not a power of two"
            )


def check_unique_ids(buffers: Sequence[Buffer]) -> None:
    """Raise :class:`PlanningError` if two buffers share an id."""
    seen: set[str] = set()
    for buffer in buffers:
        if buffer.id in seen:
            raise PlanningError(f"duplicate buffer id {buffer.id!r}")
        seen.add(buffer.id)


def check_shares(
    buffers: Sequence[Buffer], shares: Iterable[tuple[str, str]]
) -> tuple[tuple[str, str], ...]:
    """Validate in-place pairs ``(a, b)``: ``b`` may reuse ``a``'s bytes.

    Both ids must name buffers, and ``a`` must be born no later than ``b`` and
    die no later than ``b``, no earlier than ``b`` is born (``a``'s lifetime
    ends where ``b``'s begins, as for an op whose output reuses its input).
    Returns the pairs as a tuple; raises :class:`PlanningError` otherwise.
    """
    by_id = {b.id: b for b in buffers}
    pairs = []
    for pair in shares:
        if len(pair) != 2:
            raise PlanningError(f"share {pair!r}: expected a pair of buffer ids")
        a_id, b_id = pair
        where = f"share {a_id} -> {b_id}"
        if a_id == b_id:
            raise PlanningError(f"{where}: a buffer cannot share with itself")
        for name in (a_id, b_id):
            if name not in by_id:
                raise PlanningError(f"{where}: unknown buffer {name!r}")
        a, b = by_id[a_id], by_id[b_id]
        if not (a.start <= b.start <= a.end <= b.end):
            raise PlanningError(
                f"{where}: {a_id} [{a.start}, {a.end}) must end where "
                f"{b_id} [{b.start}, {b.end}) begins"
            )
        pairs.append((a_id, b_id))
    return tuple(pairs)


def capacity_from_filename(path: str | Path) -> int | None:
    """The capacity encoded in a MiniMalloc file name such as ``A.1048576.csv``."""
    match = re.fullmatch(r".*\.([0-9]+)\.csv", Path(path).name)
    return int(match.group(1)) if match else None


# Plain ASCII decimal integers only: Python's int() also takes `1_0` (as 10)
# and non-ASCII digits, which would read a different number than was written.
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)


def _int_field(row: Mapping[str, str], column: str, where: str) -> int:
    text = (row.get(column) or "").strip()
    if not _INTEGER.fullmatch(text):
        raise PlanningError(f"{where}: malformed {column} {text!r}")
    return int(text)


def parse_csv(text: str, name: str = "<input>") -> list[Buffer]:
    """Parse MiniMalloc CSV text into buffers.

    Every error is a :class:`PlanningError` whose message names the file and
    line (``name:line: ...``).
    """
    # A UTF-8 byte-order mark (spreadsheet exports) is not part of the header.
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise PlanningError(f"{name}:1: empty file, expected a header") from None
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise PlanningError(f"{name}:1: missing column(s) {', '.join(missing)}")
    buffers: list[Buffer] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        where = f"{name}:{line}"
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            # Too few or too many: a field would be read from the wrong column
            # or silently dropped.
            raise PlanningError(
                f"{where}: expected {len(header)} columns, found {len(cells)}"
            )
        row = dict(zip(header, cells, strict=False))
        buffer_id = row["id"].strip()
        if not buffer_id:
            raise PlanningError(f"{where}: empty id")
        if buffer_id in seen:
            raise PlanningError(
                f"{where}: duplicate id {buffer_id!r} (first on line {seen[buffer_id]})"
            )
        seen[buffer_id] = line
        lower = _int_field(row, "lower", where)
        upper = _int_field(row, "upper", where)
        size = _int_field(row, "size", where)
        alignment = 1
        if (row.get("alignment") or "").strip():
            alignment = _int_field(row, "alignment", where)
        pools = tuple(p.strip() for p in (row.get("pools") or "").split(";"))
        try:
            buffers.append(
                Buffer(
                    buffer_id,
                    lower,
                    upper,
                    size,
                    alignment,
                    tuple(p for p in pools if p),
                )
            )
        except PlanningError as error:
            raise PlanningError(f"{where}: {error}") from None
    return buffers


def read_csv(path: str | Path) -> list[Buffer]:
    """Read a MiniMalloc CSV file (see :func:`parse_csv`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise PlanningError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise PlanningError(f"{path}: not a text file") from None
    return parse_csv(text, str(path))


def format_csv(
    buffers: Iterable[Buffer],
    offsets: Mapping[str, int],
    pools: Mapping[str, str] | None = None,
) -> str:
    """MiniMalloc CSV text of a plan: the input rows plus an ``offset`` column.

    A ``pool`` column is added too when ``pools`` (buffer id -> pool) is given.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["id", "lower", "upper", "size"]
    buffers = list(buffers)
    if any(b.alignment != 1 for b in buffers):
        header.append("alignment")
    header.append("offset")
    if pools is not None:
        header.append("pool")
    writer.writerow(header)
    for b in buffers:
        row: list[object] = [b.id, b.start, b.end, b.size]
        if "alignment" in header:
            row.append(b.alignment)
        row.append(offsets[b.id])
        if pools is not None:
            row.append(pools[b.id])
        writer.writerow(row)
    return out.getvalue()


def write_csv(
    path: str | Path,
    buffers: Iterable[Buffer],
    offsets: Mapping[str, int],
    pools: Mapping[str, str] | None = None,
) -> None:
    """Write :func:`format_csv` to ``path`` atomically (whole, or not at all)."""
    with atomic_output(path) as out:
        out.write(format_csv(buffers, offsets, pools))
