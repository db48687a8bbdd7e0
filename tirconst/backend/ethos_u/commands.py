"""Word-level decoding of an Ethos-U register command stream.

A command is one 32-bit word: bits 0-9 the opcode, bits 14-15 the payload
size (0: none, a `cmd0`; 1: one 32-bit word follows, a `cmd1`), bits 16-31 a
16-bit parameter. The opcodes and field layouts are the ones
`ethosu.vela.ethos_u55_regs` defines (U55 and U65 share them); nothing here
re-tabulates them.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from enum import Enum

import numpy as np
from ethosu.vela.ethos_u55_regs import ethos_u55_regs as regs
from ethosu.vela.ethos_u55_regs.ethos_u55_regs import cmd0, cmd1

_OPCODE_MASK = 0x3FF
_RESERVED_MASK = 0x3C00  # bits 10-13: must be zero in both word formats
_CMD0_BY_CODE = {c.value: c for c in cmd0}
_CMD1_BY_CODE = {c.value: c for c in cmd1}

#: The commands that start an operation (the register snapshot is taken there).
OPERATION_COMMANDS = frozenset(
    {
        cmd0.NPU_OP_CONV,
        cmd0.NPU_OP_DEPTHWISE,
        cmd0.NPU_OP_POOL,
        cmd0.NPU_OP_ELEMENTWISE,
        cmd0.NPU_OP_DMA_START,
    }
)


class StreamError(ValueError):
    """A malformed command stream or container. `word` is a word offset:
    in the command stream (`frame` "stream", the listing's offsets) or in
    the driver payload (`frame` "payload", for header errors)."""

    def __init__(
        self, message: str, word: int | None = None, frame: str = "stream"
    ) -> None:
        self.message = message
        self.word = word
        self.frame = frame
        super().__init__(f"{self.location}: {message}" if word is not None else message)

    @property
    def location(self) -> str:
        """`stream word 12` or `payload word 0` ('' without an offset)."""
        return f"{self.frame} word {self.word}" if self.word is not None else ""


@dataclass(frozen=True)
class Command:
    """One decoded command: its word offset in the stream, the `cmd0`/`cmd1`
    member, the 16-bit parameter and the payload word (None for a cmd0)."""

    offset: int
    command: cmd0 | cmd1
    param: int
    payload: int | None

    @property
    def name(self) -> str:
        return self.command.name

    @property
    def value(self) -> int:
        """The 64-bit value for address registers (param holds bits 32-47),
        the payload for other cmd1s, the parameter for a cmd0."""
        if self.payload is None:
            return self.param
        return self.payload | (self.param << 32)

    def fields(self) -> dict[str, int]:
        """The register's named fields, from the package's ctypes struct
        (`npu_set_ifm_precision_t`, ...); `{"param": ...}` when it has none."""
        struct = getattr(regs, f"{self.command.name.lower()}_t", None)
        if struct is None:
            return {"param": self.param}
        word = self.command.value | (self.param << 16)
        if self.payload is not None:
            word |= 0x4000
            raw = word.to_bytes(4, "little") + self.payload.to_bytes(4, "little")
        else:
            raw = word.to_bytes(4, "little")
        raw = raw.ljust(ctypes.sizeof(struct), b"\0")
        value = struct.from_buffer_copy(raw)
        skip = {"cmd_code", "must_be_zero", "must_be_zero0", "payload_size"}
        return {
            name: getattr(value, name)
            for name, *_ in struct._fields_
            if name not in skip and not name.startswith("reserved")
        }


def decode_words(words: np.ndarray | list[int]) -> list[Command]:
    """Decode command words into commands, checking the word format.

    Raises StreamError (with the word offset) on a reserved bit set, an
    unknown opcode, a payload running past the end, or a stream that does
    not end with NPU_OP_STOP."""
    data = [int(w) for w in np.asarray(words, dtype=np.uint32)]
    commands: list[Command] = []
    i, n = 0, len(data)
    while i < n:
        word = data[i]
        code, size, param = word & _OPCODE_MASK, (word >> 14) & 3, word >> 16
        if word & _RESERVED_MASK:
            raise StreamError(f"reserved bits set in command word 0x{word:08x}", i)
        if size == 0:
            command = _CMD0_BY_CODE.get(code)
            if command is None:
                raise StreamError(f"unknown cmd0 opcode 0x{code:03x}", i)
            commands.append(Command(i, command, param, None))
            i += 1
            if command is cmd0.NPU_OP_STOP:
                if i != n:
                    raise StreamError(f"{n - i} words after NPU_OP_STOP", i)
                return commands
        elif size == 1:
            command = _CMD1_BY_CODE.get(code)
            if command is None:
                raise StreamError(f"unknown cmd1 opcode 0x{code:03x}", i)
            if i + 1 >= n:
                raise StreamError(f"{command.name}: payload word missing", i)
            commands.append(Command(i, command, param, data[i + 1]))
            i += 2
        else:
            raise StreamError(f"unsupported payload size {size}", i)
    raise StreamError("stream ends without NPU_OP_STOP", n)


def _enum_name(value: int, enum: type[Enum]) -> str | None:
    for member in enum:
        if member.value == value:
            return member.name
    return None


def format_listing(commands: list[Command]) -> str:
    """The register-level listing: word offset, command, parameter, payload
    and the decoded fields, one command a line."""
    lines = [f"{'offset':>6}  {'command':<28} {'param':>6} {'payload':>10}  fields"]
    for c in commands:
        payload = f"0x{c.payload:08x}" if c.payload is not None else ""
        fields = c.fields()
        shown = (
            ""
            if list(fields) == ["param"]
            else " ".join(f"{k}={v}" for k, v in fields.items())
        )
        line = f"{c.offset:>6}  {c.name:<28} 0x{c.param:04x} {payload:>10}  {shown}"
        lines.append(line.rstrip())
    return "\n".join(lines)
