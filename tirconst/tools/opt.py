"""`tirconst-opt`: xdsl-opt with tirconst's dialects and passes, one-line
diagnostics, safe output, and an option to elide large constants.

It subclasses xDSL's driver (`xDSLOptMain`), so every xdsl-opt flag works;
what it changes: the whole input is read and every chunk handled before the
output file is replaced (atomically, and only on success), bad input gives a
one-line error naming the op and location, and targets that cannot print tir
ops refuse them instead of crashing or printing nothing.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import IO

from xdsl.dialects.builtin import ModuleOp
from xdsl.targets.mlir import MLIRTarget
from xdsl.utils.arg_spec import parse_spec
from xdsl.utils.exceptions import (
    DiagnosticException,
    ParseError,
    ShrinkException,
    VerifyException,
)
from xdsl.xdsl_opt_main import xDSLOptMain

from tirconst.core.diagnostics import (
    ToolError,
    diagnostic_line,
    error_line,
    first_line,
    location_of,
    parse_error_line,
    parse_module,
    verify_located,
)
from tirconst.core.files import atomic_output
from tirconst.dialects.tir.constant_data import eliding_constants, lift_hex
from tirconst.tools.driver import reading, reports_errors


def _byte_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"a byte count is not negative: {value}")
    return value


class TirconstOptMain(xDSLOptMain):
    """xdsl-opt's driver; the multiverse already holds tir and our passes."""

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.add_argument(
            "--elide-constants-above",
            type=_byte_count,
            metavar="BYTES",
            default=None,
            help="print constant data larger than BYTES as `elided<N bytes>` "
            "(for reading; such text is refused as input)",
        )

    def get_input_stream(self) -> tuple[IO[bytes], str]:
        try:
            return super().get_input_stream()
        except OSError as e:
            raise ToolError(
                error_line(f"cannot read: {e.strerror}", self.get_input_name())
            ) from None

    def parse_chunk(
        self, chunk: IO[bytes], file_extension: str, start_offset: int = 0
    ) -> ModuleOp | None:
        if file_extension != "mlir":
            return super().parse_chunk(chunk, file_extension, start_offset)
        # Large hex constants are decoded line by line as the text is read,
        # so the module's text is never held whole.
        try:
            with lift_hex(chunk) as text:
                return self._parse_text(text, start_offset)
        except UnicodeDecodeError as e:
            raise ToolError(
                error_line(f"not UTF-8 text: {e.reason}", self.get_input_name())
            ) from None

    def _parse_text(self, text: str, start_offset: int) -> ModuleOp:
        return parse_module(
            self.ctx,
            text,
            self.get_input_name(),
            start_offset,
            implicit_module=not self.args.no_implicit_module,
        )

    def apply_passes(self, prog: ModuleOp) -> None:
        try:
            super().apply_passes(prog)  # verifies before and after each pass
        except VerifyException as e:
            verify_located(prog)  # names the first bad op and its location
            raise ToolError(diagnostic_line(e)) from None
        except DiagnosticException as e:
            raise ToolError(diagnostic_line(e)) from None

    def output_resulting_program(self, prog: ModuleOp) -> str:
        limit = self.args.elide_constants_above
        with eliding_constants(limit) if limit is not None else nullcontext():
            return super().output_resulting_program(prog)

    def _emit_other_target(self, prog: ModuleOp, output: IO[str]) -> None:
        """A non-MLIR target: refused for tir ops (no target lowers them), and
        its own failures become one-line errors."""
        spec = parse_spec(self.args.target)
        name = spec.name
        if name == "tvmscript":
            self._emit_tvmscript(prog, output, spec.parameters.get("params"))
            return
        tir_op = next((op for op in prog.walk() if op.name.startswith("tir.")), None)
        if tir_op is not None:
            raise ToolError(
                error_line(
                    f"target '{name}' cannot emit '{tir_op.name}' (only -t mlir "
                    "prints tir ops)",
                    location_of(tir_op),
                )
            )
        try:
            text = self.output_resulting_program(prog)
        except (ToolError, DiagnosticException):
            raise
        except Exception as e:  # noqa: BLE001 - a target's own failure
            raise ToolError(
                error_line(
                    f"target '{name}' failed: {type(e).__name__}: {first_line(str(e))}",
                    self.get_input_name(),
                )
            ) from None
        if not text.strip() and any(True for _ in prog.body.walk()):
            raise ToolError(
                error_line(
                    f"target '{name}' emitted nothing for this module (it holds "
                    "no ops the target prints)",
                    self.get_input_name(),
                )
            )
        output.write(text)

    def _emit_tvmscript(self, prog: ModuleOp, output: IO[str], params) -> None:
        """`-t tvmscript`: TVMScript for TVM 0.27; constants' data goes to
        `tvmscript{params=F.npz}`, else beside `-o OUT.py` as `OUT.npz`."""
        from tirconst.backend.tvmscript import TVMScriptExportError, write_tvmscript

        path = str(params[0]) if params else None
        if path is None and self.args.output_file is not None:
            path = str(Path(self.args.output_file).with_suffix(".npz"))
        try:
            write_tvmscript(prog, output, path)
        except TVMScriptExportError as e:
            raise ToolError(error_line(e, self.get_input_name())) from None

    def write_resulting_program(self, prog: ModuleOp, output: IO[str]) -> None:
        """Print straight to `output`: the text of a module with large
        constants is never held in memory as one string."""
        if parse_spec(self.args.target).name != "mlir":
            self._emit_other_target(prog, output)
            return
        target = MLIRTarget(
            print_generic_format=self.args.print_op_generic,
            print_properties_as_attributes=self.args.print_no_properties,
            print_debuginfo=self.args.print_debuginfo,
            syntax_highlight=self.args.syntax_highlight,
        )
        limit = self.args.elide_constants_above
        with eliding_constants(limit) if limit is not None else nullcontext():
            target.emit(self.ctx, prog, output)

    def prepare_output(self) -> IO[str]:
        raise AssertionError("run() writes through atomic_output")

    def _run_chunks(self, output: IO[str]) -> None:
        chunks, file_extension = self.prepare_input()
        diagnostics_mode = self.args.verify_diagnostics or self.args.parsing_diagnostics
        try:
            for i, (chunk, offset) in enumerate(chunks):
                if i > 0:
                    output.write("// -----\n")
                try:
                    module = self.parse_chunk(chunk, file_extension, offset)
                    if module is not None:
                        self.apply_passes(module)
                        self.write_resulting_program(module, output)
                except ParseError as e:
                    if not diagnostics_mode:
                        raise
                    print(parse_error_line(e))
                except ToolError as e:
                    if not diagnostics_mode:
                        raise
                    print(e)
                output.flush()
        finally:
            for chunk, _ in chunks:
                chunk.close()

    def run(self) -> None:
        name = self.get_input_name()
        with reading(name):
            try:
                if self.args.output_file is None:
                    self._run_chunks(sys.stdout)
                else:
                    # Everything is read and done before the file is replaced:
                    # `-o` naming the input, or a failed run, loses nothing.
                    with atomic_output(self.args.output_file) as out:
                        self._run_chunks(out)
            except ShrinkException:
                # `--shrink` (for shrinkray): a pass found what it looks for.
                if not self.args.shrink:
                    raise
                print("Success, can shrink")
                sys.exit(0)
        if self.args.shrink:
            print("Failure, can't shrink")
            sys.exit(1)


@reports_errors("tirconst-opt")
def main(argv: list[str] | None = None) -> None:
    TirconstOptMain(args=argv).run()


if __name__ == "__main__":
    main()
