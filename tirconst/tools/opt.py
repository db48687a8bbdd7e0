"""`tirconst-opt`: xdsl-opt with tirconst's dialects and passes, one-line
diagnostics, and an option to elide large constants when reading IR."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from typing import IO

from xdsl.dialects.builtin import ModuleOp
from xdsl.targets.mlir import MLIRTarget
from xdsl.utils.exceptions import DiagnosticException, ParseError, VerifyException
from xdsl.xdsl_opt_main import xDSLOptMain

from tirconst.core.diagnostics import (
    ToolError,
    first_line,
    parse_error_line,
    parse_module,
    verify_located,
)
from tirconst.dialects.tir.constant_data import eliding_constants, lift_hex
from tirconst.tools.driver import reports_errors


class TirconstOptMain(xDSLOptMain):
    """xdsl-opt's driver; the multiverse already holds tir and our passes."""

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.add_argument(
            "--elide-constants-above",
            type=int,
            metavar="BYTES",
            default=None,
            help="print constant data larger than BYTES as `elided<N bytes>` "
            "(for reading; such text is refused as input)",
        )

    def parse_chunk(
        self, chunk: IO[bytes], file_extension: str, start_offset: int = 0
    ) -> ModuleOp | None:
        if file_extension != "mlir":
            return super().parse_chunk(chunk, file_extension, start_offset)
        # Large hex constants are decoded line by line as the text is read,
        # so the module's text is never held whole.
        with lift_hex(chunk) as text:
            return parse_module(self.ctx, text, self.get_input_name(), start_offset)

    def apply_passes(self, prog: ModuleOp) -> None:
        try:
            super().apply_passes(prog)  # verifies before and after each pass
        except VerifyException as e:
            verify_located(prog)  # names the first bad op and its location
            raise ToolError(f"error: {first_line(str(e))}") from None
        except DiagnosticException as e:
            raise ToolError(f"error: {first_line(str(e))}") from None

    def output_resulting_program(self, prog: ModuleOp) -> str:
        limit = self.args.elide_constants_above
        with eliding_constants(limit) if limit is not None else nullcontext():
            return super().output_resulting_program(prog)

    def write_resulting_program(self, prog: ModuleOp, output: IO[str]) -> None:
        """Print straight to `output`: the text of a module with large
        constants is never held in memory as one string."""
        if self.args.target != "mlir":
            output.write(self.output_resulting_program(prog))
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

    def run(self) -> None:
        chunks, file_extension = self.prepare_input()
        output = self.prepare_output()
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
                finally:
                    chunk.close()
                output.flush()
        finally:
            if output is not sys.stdout:
                output.close()


@reports_errors("tirconst-opt")
def main() -> None:
    TirconstOptMain().run()


if __name__ == "__main__":
    main()
