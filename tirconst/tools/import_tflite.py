"""`tirconst-import MODEL.tflite|PROGRAM.py [-o OUT.mlir] [--summary]`: import
an int8 TFLite model, or the TVMScript PrimFuncs and IRModules a `.py` file
defines (TVM 0.27), as a tir program, and show what it became."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.printer import Printer

from tirconst.core.diagnostics import ToolError, error_line, verify_after
from tirconst.core.files import atomic_output
from tirconst.dialects import tir
from tirconst.formats.tflite.reader import TFLiteImportError
from tirconst.frontend.importer import import_tflite
from tirconst.tools.driver import reading, reports_errors


def summary(module: ModuleOp, largest: int = 5) -> str:
    """The function signature, a constant report and operator counts."""
    lines: list[str] = []
    consts = [op for op in module.ops if isinstance(op, tir.ConstantOp)]
    for func in (op for op in module.ops if isinstance(op, tir.FuncOp)):
        args = zip(func.names, func.args, strict=True)
        params = ", ".join(f"{n}: {a.type}" for n, a in args)
        lines.append(f"function @{func.sym_name.data}({params})")
        ops = Counter(op.name for op in func.walk() if isinstance(op, tir.OperatorOp))
        lines.append(
            "operators: " + ", ".join(f"{name} x{n}" for name, n in sorted(ops.items()))
        )
        workspace = sum(
            op.buffer_type.size_in_bytes
            for op in func.walk()
            if isinstance(op, tir.AllocateOp)
        )
        lines.append(f"workspace: {workspace:,} bytes in intermediate buffers")
    sizes = sorted(((len(c.value.data.data), c) for c in consts), key=lambda x: -x[0])
    total = sum(n for n, _ in sizes)
    lines.append(f"constants: {len(consts)}, {total:,} bytes")
    for n, c in sizes[:largest]:
        shape = "x".join(str(d) for d in c.value.get_shape())
        dtype = np.dtype(tir.numpy_dtype(c.value.get_element_type())).name
        lines.append(f"  @{c.sym_name.data}: {dtype}[{shape}], {n:,} bytes")
    return "\n".join(lines)


@reports_errors("tirconst-import")
def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="tirconst-import", description=__doc__)
    ap.add_argument(
        "model", type=Path, help="an int8 .tflite model or a TVMScript .py file"
    )
    ap.add_argument("-o", "--output", type=Path, help="write the tir module here")
    ap.add_argument(
        "--summary",
        action="store_true",
        help="print the function, a constant report and operator counts",
    )
    args = ap.parse_args(argv)
    with reading(str(args.model)):
        _import(args)


def _import(args: argparse.Namespace) -> None:
    try:
        if args.model.suffix == ".py":
            from tirconst.frontend.tvm import TVMImportError, import_tvmscript

            try:
                module = import_tvmscript(args.model)
            except TVMImportError as e:
                raise ToolError(error_line(e, args.model)) from None
        else:
            module = import_tflite(args.model)
    except TFLiteImportError as e:
        raise ToolError(error_line(str(e), str(args.model))) from None
    # Never write IR the other tools would reject (a bug in the importer is a
    # one-line error, not a file that means something else).
    verify_after(module, "import", str(args.model))
    if args.output is not None:
        with atomic_output(args.output) as out:
            Printer(stream=out).print_op(module)
            out.write("\n")
    elif not args.summary:
        Printer(stream=sys.stdout).print_op(module)
        print()
    if args.summary:
        print(summary(module))


if __name__ == "__main__":
    main()
