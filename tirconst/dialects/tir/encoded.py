"""`#tir.encoded_weights`: how the bytes of an encoded weight constant are laid
out and were encoded (written by `tir-encode-weights`, read by the verifier of
the weighted ops, the interpreter and the lowering to npu).

The encoding of each stream is an opaque attribute (the npu dialect's
`#npu.weight_encoding`), so this dialect does not depend on npu; whoever
decodes reads its `.encoding` (a `tirconst.formats.ethos_u.WeightEncoding`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from xdsl.dialects.builtin import ArrayAttr, IntAttr
from xdsl.ir import Attribute, ParametrizedAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from tirconst.formats.ethos_u.bias import BiasRecords, decode_bias
from tirconst.formats.ethos_u.weights import (
    ACCELERATORS,
    WeightEncoding,
    WeightFormatError,
)

RECORD_BYTES = 10
"""One bias/scale record per output channel (`npu_encode_bias`)."""


def pad16(n: int) -> int:
    """`n` bytes rounded up to the 16-byte unit the sections are aligned to."""
    return -(-n // 16) * 16


@runtime_checkable
class StreamEncoding(Protocol):
    """What this dialect asks of a stream's encoding attribute (the npu
    dialect's `#npu.weight_encoding`): the `WeightEncoding` it holds."""

    @property
    def encoding(self) -> WeightEncoding: ...


@dataclass(frozen=True)
class CoreSection:
    """One core's share of the bytes: its bias/scale records at
    [bias_offset, bias_offset + bias_length) and its weight stream at
    [weight_offset, weight_offset + weight_length), and how the stream was
    encoded (`#npu.weight_encoding`)."""

    bias_offset: int
    bias_length: int
    weight_offset: int
    weight_length: int
    encoding: Attribute

    @property
    def records_length(self) -> int:
        """The records section padded to 16 bytes (`[records | pad to 16]`):
        the length of the NPU's scale range. The verifier keeps it off the
        weight stream."""
        return pad16(self.bias_length)

    @property
    def start(self) -> int:
        """Where the core's first section begins."""
        return min(self.bias_offset, self.weight_offset)

    @property
    def end(self) -> int:
        """Where the core's last section ends (records padded to 16)."""
        return max(
            self.weight_offset + self.weight_length,
            self.bias_offset + self.records_length,
        )

    @property
    def channels(self) -> int:
        """The output channels of this core (the encoder's O extent)."""
        return int(self.stream_encoding.shape[0])

    @property
    def stream_encoding(self) -> WeightEncoding:
        """How the stream was encoded (`#tir.encoded_weights` verifies that
        each core's encoding is a `#npu.weight_encoding`)."""
        enc = self.encoding
        if type(enc) not in _STREAM_ENCODINGS:  # a protocol check is slow
            assert isinstance(enc, StreamEncoding)
            _STREAM_ENCODINGS.add(type(enc))
        return enc.encoding  # type: ignore[attr-defined]


_STREAM_ENCODINGS: set[type] = set()
"""Attribute classes seen to be `StreamEncoding`s (the protocol's members
are the class's)."""


@irdl_attr_definition
class EncodedWeightsAttr(ParametrizedAttribute):
    """An Ethos-U encoded weight constant: per core (one, or two on U65-512:
    core k holds output channels k, k + 2, ...), the byte ranges of its
    bias/scale records (10 bytes per output channel, padded to 16) and of its
    weight stream, and the `#npu.weight_encoding` of the stream; plus the block
    config [height, width, depth] the op must run with (the stream depends on
    its depth). Bytes per core are `[records | pad to 16 | weight stream]`,
    each section 16-aligned; a core's records may also follow its stream (ops
    sharing one weight stream share one constant, `[records a | ... | records
    y | weight stream | records z]`, each op reading a view of its own bytes),
    never overlap it.

    Syntax:
        #tir.encoded_weights<block_config = [H, W, D],
            core(bias = [OFFSET, LENGTH], weights = [OFFSET, LENGTH], ENCODING), ...>

    Example:
        #tir.encoded_weights<block_config = [8, 8, 16], core(bias = [0, 160],
            weights = [160, 448], #npu.weight_encoding<"ethos-u55-128",
            [16, 3, 3, 8], block_depth = 16, traversal = part_kernel_first>)>
    """

    name = "tir.encoded_weights"

    block_config: ArrayAttr[IntAttr]
    sections: ArrayAttr[ArrayAttr[IntAttr]]
    encodings: ArrayAttr[Attribute]

    @staticmethod
    def make(
        block_config: Sequence[int], cores: Sequence[CoreSection]
    ) -> EncodedWeightsAttr:
        return EncodedWeightsAttr(
            ArrayAttr([IntAttr(int(v)) for v in block_config]),
            ArrayAttr(
                [
                    ArrayAttr(
                        [
                            IntAttr(c.bias_offset),
                            IntAttr(c.bias_length),
                            IntAttr(c.weight_offset),
                            IntAttr(c.weight_length),
                        ]
                    )
                    for c in cores
                ]
            ),
            ArrayAttr([c.encoding for c in cores]),
        )

    @property
    def block(self) -> tuple[int, int, int]:
        h, w, d = (v.data for v in self.block_config.data)
        return h, w, d

    @property
    def cores(self) -> list[CoreSection]:
        return [
            CoreSection(*(v.data for v in s.data), e)  # type: ignore[arg-type]
            for s, e in zip(self.sections.data, self.encodings.data, strict=True)
        ]

    @property
    def channels(self) -> int:
        """Output channels over all cores."""
        return sum(c.channels for c in self.cores)

    @property
    def nbytes(self) -> int:
        """The bytes the sections span (the constant may be no shorter)."""
        return max(c.end for c in self.cores)

    @property
    def op_bytes(self) -> int:
        """The bytes this op reads: each core's records and stream, padded
        to 16 (less than `nbytes` when ops share a stream and the constant
        holds their records too)."""
        return sum(c.records_length + pad16(c.weight_length) for c in self.cores)

    def records(self, raw: bytes | np.ndarray) -> BiasRecords:
        """Every output channel's bias/scale record, in channel order, from
        the encoded bytes `raw` (core k holds channels k, k + cores, ...).
        Raises WeightFormatError if the bytes do not hold them."""
        step = ACCELERATORS[self.weight_encodings()[0].accelerator].cores
        co = self.channels
        bias, scale, shift = (np.zeros(co, np.int64) for _ in range(3))
        for k, c in enumerate(self.cores):
            channels = slice(k, None, step)
            if bias[channels].size != c.channels:
                raise WeightFormatError(
                    f"core {k} holds {c.channels} channels, expected "
                    f"{bias[channels].size}"
                )
            rec = decode_bias(
                raw[c.bias_offset : c.bias_offset + c.bias_length], c.channels
            )
            bias[channels], scale[channels], shift[channels] = (
                rec.bias,
                rec.scale,
                rec.shift,
            )
        return BiasRecords(bias, scale, shift)

    def weight_encodings(self) -> list[WeightEncoding]:
        """The `WeightEncoding` of each core's stream."""
        return [c.stream_encoding for c in self.cores]

    def verify(self) -> None:
        if len(self.block_config.data) != 3 or any(
            v.data < 1 for v in self.block_config.data
        ):
            raise VerifyException(
                "#tir.encoded_weights: block_config must be 3 positive ints"
            )
        if not self.sections.data or len(self.sections.data) != len(
            self.encodings.data
        ):
            raise VerifyException(
                "#tir.encoded_weights: one section and encoding per core"
            )
        for s, e in zip(self.sections.data, self.encodings.data, strict=True):
            if len(s.data) != 4 or any(v.data < 0 for v in s.data):
                raise VerifyException(
                    "#tir.encoded_weights: a section is 4 non-negative ints"
                )
            if not isinstance(e, StreamEncoding):
                raise VerifyException(
                    "#tir.encoded_weights: the encoding must be "
                    f"#npu.weight_encoding, got {e}"
                )
        previous = 0
        for c in self.cores:
            if c.bias_offset % 16 or c.weight_offset % 16 or c.start < previous:
                raise VerifyException(
                    "#tir.encoded_weights: sections must be 16-aligned and in order"
                )
            if c.bias_length < RECORD_BYTES * c.channels or (
                c.bias_offset < c.weight_offset + c.weight_length
                and c.weight_offset < c.bias_offset + c.records_length
            ):
                raise VerifyException(
                    f"#tir.encoded_weights: the bias records of {c.channels} "
                    f"channels need {RECORD_BYTES * c.channels} bytes beside the "
                    "weights (before or after them)"
                )
            if c.weight_length < 16 or c.weight_length % 16:
                raise VerifyException(
                    "#tir.encoded_weights: a weight stream is a non-empty "
                    "multiple of 16 bytes"
                )
            previous = c.end

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        def ints(n: int) -> list[int]:
            values = parser.parse_comma_separated_list(
                parser.Delimiter.SQUARE, lambda: parser.parse_integer(False)
            )
            if len(values) != n:
                parser.raise_error(f"expected {n} integers")
            return values

        with parser.in_angle_brackets():
            parser.parse_keyword("block_config")
            parser.parse_punctuation("=")
            block = ints(3)
            cores: list[CoreSection] = []
            while parser.parse_optional_punctuation(","):
                parser.parse_keyword("core")
                parser.parse_punctuation("(")
                parser.parse_keyword("bias")
                parser.parse_punctuation("=")
                bias = ints(2)
                parser.parse_punctuation(",")
                parser.parse_keyword("weights")
                parser.parse_punctuation("=")
                weights = ints(2)
                parser.parse_punctuation(",")
                encoding = parser.parse_attribute()
                parser.parse_punctuation(")")
                cores.append(CoreSection(*bias, *weights, encoding))
        made = cls.make(block, cores)
        return (made.block_config, made.sections, made.encodings)

    def print_parameters(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            printer.print_string(
                "block_config = [" + ", ".join(map(str, self.block)) + "]"
            )
            for c in self.cores:
                printer.print_string(
                    f", core(bias = [{c.bias_offset}, {c.bias_length}], "
                    f"weights = [{c.weight_offset}, {c.weight_length}], "
                )
                printer.print_attribute(c.encoding)
                printer.print_string(")")
