"""`tirconst-disasm`: read an Ethos-U command stream back.

    tirconst-disasm FILE                 # npu dialect IR (runs in tirconst-run)
    tirconst-disasm FILE --listing       # one line per NPU operation
    tirconst-disasm FILE --registers     # offset, command, parameter, payload
    tirconst-disasm FILE --check-memory  # per-op byte ranges and findings

FILE is a driver payload (COP1), a Vela raw `.npz` or a `.tflite` holding
`ethos-u` custom operators: each is an NPU segment, printed in order (as
`npu.command_stream`s @main, @main_1, ... in the IR). A malformed file
prints one line naming the word offset and exits 1; `--check-memory` exits
1 when it finds a problem.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence

from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from tirconst.backend.ethos_u import (
    StreamError,
    decode_operations,
    decode_words,
    format_listing,
)
from tirconst.backend.ethos_u.containers import read_stream_files
from tirconst.backend.ethos_u.decoder import Disassembly
from tirconst.backend.ethos_u.disasm_ir import ConversionError, npu_segments_module
from tirconst.backend.ethos_u.listing import format_operations
from tirconst.backend.ethos_u.memcheck import check_memory, format_accesses
from tirconst.core.diagnostics import ToolError, error_line
from tirconst.core.files import atomic_output
from tirconst.tools.driver import reading, reports_errors

TOOL = "tirconst-disasm"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        print(error_line(message, TOOL), file=sys.stderr)
        sys.exit(2)


def _arguments() -> _Parser:
    p = _Parser(prog=TOOL, description=__doc__.split("\n\n")[0])
    p.add_argument("file", metavar="FILE", help="payload, .npz or .tflite")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--registers", action="store_true", help="print the register-level listing"
    )
    mode.add_argument(
        "--listing", action="store_true", help="print one line per NPU operation"
    )
    mode.add_argument(
        "--check-memory",
        action="store_true",
        help="print each op's byte ranges and check them (exit 1 on a finding)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write the listing to OUT")
    return p


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text + "\n")
        return
    # Atomic: a partial listing never replaces a previous one.
    with atomic_output(output) as f:
        f.write(text + "\n")


@reports_errors(TOOL)
def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments().parse_args(argv)
    with reading(args.file):
        return _disassemble(args)


def _disassemble(args: argparse.Namespace) -> int:
    try:
        streams = read_stream_files(args.file)
        if not streams:
            raise StreamError("no ethos-u custom operator in the model")
        segments = [(st, decode_words(st.words)) for st in streams]
        if args.registers:
            _write(_joined([format_listing(c) for _, c in segments]), args.output)
            return 0
        dis = [Disassembly(st, c, decode_operations(c)) for st, c in segments]
    except StreamError as e:
        where = f"{args.file}: {e.location}" if e.word is not None else args.file
        raise ToolError(error_line(e.message, where)) from None
    if args.check_memory:
        texts, found = zip(*(_memory_report(d) for d in dis), strict=True)
        _write(_joined(list(texts)), args.output)
        return 1 if any(found) else 0
    if args.listing:
        _write(_joined([format_operations(d.ops, d.stream) for d in dis]), args.output)
        return 0
    try:
        module = npu_segments_module(dis)
    except ConversionError as e:
        raise ToolError(f"{args.file}: {e}") from None
    try:
        module.verify()
    except VerifyException as e:
        first = str(e).strip().splitlines()[0]
        raise ToolError(
            error_line(f"decoded IR does not verify: {first}", args.file)
        ) from None
    text = io.StringIO()
    Printer(stream=text).print_op(module)
    _write(text.getvalue().rstrip("\n"), args.output)
    return 0


def _joined(texts: list[str]) -> str:
    """One text per NPU segment; several are headed by their number."""
    if len(texts) == 1:
        return texts[0]
    return "\n".join(f"// segment {k}\n{t}" for k, t in enumerate(texts))


def _memory_report(d: Disassembly) -> tuple[str, bool]:
    stream = d.stream
    # A bare payload declares no regions and no inputs: check overlaps,
    # not bounds or uninitialised reads.
    bare = not stream.region_sizes
    report = check_memory(
        d.ops,
        None if bare else stream.region_sizes,
        None if bare else stream.inputs,
        stream.outputs,
    )
    lines = [format_accesses(report)]
    if bare:
        lines.append(
            "// bare payload: no regions or inputs declared, "
            "bounds and uninitialised reads not checked"
        )
    lines += [f"{f.kind}: {f.message}" for f in report.findings]
    lines.append(f"// {len(report.findings)} findings")
    return "\n".join(lines), bool(report.findings)


if __name__ == "__main__":
    sys.exit(main())
