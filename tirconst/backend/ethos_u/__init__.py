"""Ethos-U command streams: containers, word decoding, register state
machine back to `ethosu.vela.api` operations, and a memory-access check."""

from tirconst.backend.ethos_u.commands import (
    Command,
    StreamError,
    decode_words,
    format_listing,
)
from tirconst.backend.ethos_u.containers import (
    StreamFile,
    TensorPlacement,
    read_npz,
    read_payload,
    read_stream_file,
    read_tflite,
    read_tflite_segments,
    tflite_flash_bytes,
)
from tirconst.backend.ethos_u.decoder import (
    DecodedOp,
    Disassembly,
    decode_operations,
    disassemble,
    disassemble_segments,
)

__all__ = [
    "Command",
    "DecodedOp",
    "Disassembly",
    "StreamError",
    "StreamFile",
    "TensorPlacement",
    "decode_operations",
    "decode_words",
    "disassemble",
    "disassemble_segments",
    "format_listing",
    "read_npz",
    "read_payload",
    "read_stream_file",
    "read_tflite",
    "read_tflite_segments",
    "tflite_flash_bytes",
]
