"""Generate the dialect reference, `dialects/<name>.md`, from the op definitions.

    python -m tirconst.tools.dialect_docs [--check] [--output-dir DIR] [NAME ...]

With no NAME, every dialect tirconst registers with `xdsl-opt` is written. Per op
the reference gives its name, meaning, syntax, operands, results, properties,
regions, traits and one example. Meaning and example come from the op class's
docstring: the example is an indented block after a line `Example:`, and ops with
a hand-written parser also carry their syntax in a `Syntax:` block; everything
else is read from the IRDL definition. `--check` writes nothing and exits 1 if a
file is missing or differs from what would be generated.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xdsl.dialects.builtin import (
    ArrayOfConstraint,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IndexType,
    IntAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
    SymbolRefAttr,
)
from xdsl.ir import Attribute, Dialect, Operation, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import (
    AllOf,
    AnyAttr,
    AnyOf,
    AttrConstraint,
    BaseAttr,
    EqAttrConstraint,
    IRDLOperation,
    OpDef,
    OptionalDef,
    ParamAttrConstraint,
    RangeConstraint,
    RangeLengthConstraint,
    RangeOf,
    VarConstraint,
    VariadicDef,
)
from xdsl.irdl.operations import (
    OptSingleBlockRegionDef,
    SingleBlockRegionDef,
    VarSingleBlockRegionDef,
)

from tirconst.core.diagnostics import ToolError, error_line
from tirconst.core.files import atomic_output
from tirconst.dialects.npu.fields import Field, StructAttr
from tirconst.dialects.tir.operators import Ints, OperatorOp, Scales
from tirconst.tools.driver import reports_errors
from tirconst.universe import get_all_dialects

DEFAULT_OUTPUT_DIR = Path(__file__).resolve().parents[2] / "dialects"
COMMAND = "python -m tirconst.tools.dialect_docs"

_SECTION = re.compile(r"^(Syntax|Example):\s*$")

# How builtin attribute and type classes read in the reference.
_CLASS_TEXT: dict[type[Attribute], str] = {
    StringAttr: "string",
    SymbolRefAttr: "symbol reference (`@name`)",
    DenseIntOrFPElementsAttr: "dense elements (`dense<...> : tensor<...>`)",
    DenseArrayBase: "dense array (`array<i64: ...>`)",
    IntegerAttr: "integer",
    FloatAttr: "float",
    IntAttr: "integer",
    IndexType: "`index`",
    IntegerType: "integer type",
}


@dataclass(frozen=True)
class Docstring:
    """An op's docstring split into its meaning and its `Syntax:`/`Example:`."""

    meaning: str
    syntax: str | None
    example: str | None


def split_docstring(cls: type) -> Docstring:
    """Split the class's own docstring (not an inherited one)."""
    doc = cls.__dict__.get("__doc__")
    lines = inspect.cleandoc(doc).splitlines() if doc else []
    meaning: list[str] = []
    sections: dict[str, str] = {}
    i = 0
    while i < len(lines):
        match = _SECTION.match(lines[i])
        if match is None:
            meaning.append(lines[i])
            i += 1
            continue
        i += 1
        block: list[str] = []
        while i < len(lines) and (not lines[i].strip() or lines[i][0].isspace()):
            block.append(lines[i])
            i += 1
        sections[match.group(1)] = textwrap.dedent("\n".join(block)).strip("\n")
    return Docstring(
        "\n".join(meaning).strip(),
        sections.get("Syntax") or None,
        sections.get("Example") or None,
    )


# ----------------------------------------------------------------- constraints


def _class_text(cls: type[Attribute]) -> str:
    if cls in _CLASS_TEXT:
        return _CLASS_TEXT[cls]
    name = getattr(cls, "name", None)
    if isinstance(name, str) and issubclass(cls, ParametrizedAttribute):
        prefix = "!" if issubclass(cls, TypeAttribute) else "#"
        return f"`{prefix}{name}`"
    return f"`{cls.__name__}`"


def constraint_text(constr: AttrConstraint | RangeConstraint) -> str:
    """A short reading of an IRDL constraint, e.g. "`!tir.buffer`"."""
    match constr:
        case RangeLengthConstraint(constraint=inner):
            return constraint_text(inner)
        case RangeOf(constr=inner):
            return constraint_text(inner)
        case AnyAttr():
            return "any"
        case VarConstraint(name=name, constraint=inner):
            return f"`{name}`: {constraint_text(inner)} (the same for every `{name}`)"
        case EqAttrConstraint(attr=attr):
            return f"`{attr}`"
        case BaseAttr(attr=cls):
            return _class_text(cls)
        case AnyOf(attr_constrs=options):
            return " or ".join(constraint_text(c) for c in options)
        case AllOf(attr_constrs=parts):
            return " and ".join(constraint_text(c) for c in parts)
        case ArrayOfConstraint(elem_range_constraint=elements):
            return f"array of {constraint_text(elements)}"
        case ParamAttrConstraint(base_attr=base, param_constrs=params) if (
            base is IntegerAttr
            and len(params) == 2
            and isinstance(params[1], EqAttrConstraint)
        ):
            return f"integer (`{params[1].attr}`)"
        case ParamAttrConstraint(base_attr=cls):
            return _class_text(cls)
        case _:
            return f"`{constr}`"


def _arity(definition: object) -> str:
    if isinstance(definition, OptionalDef):
        return " (optional)"
    if isinstance(definition, VariadicDef):
        return " (variadic)"
    return ""


# ---------------------------------------------------------------------- syntax


def _operator_syntax(cls: type[OperatorOp]) -> str:
    names, types = [], []
    if cls.VARIADIC:
        (name,) = cls.INPUTS
        names, types = [f"%{name}0, ..."], [f"type(%{name}0), ..."]
    for i, name in enumerate(() if cls.VARIADIC else cls.INPUTS):
        optional = i >= len(cls.INPUTS) - int(cls.OPTIONAL_LAST)
        sep = ", " if i else ""
        names.append(f"[{sep}%{name}]" if optional else f"{sep}%{name}")
        types.append(f"[{sep}type(%{name})]" if optional else f"{sep}type(%{name})")
    lines = [
        f"{cls.name} ins({''.join(names)} : {''.join(types)})",
        "    outs(%output : type(%output))",
    ]
    params = [f"{name} = {_param_kind(cls, name)[0]}" for name in cls.PARAM_KINDS]
    params += [f"[{name} = {_param_kind(cls, name)[0]}]" for name in cls.QUANT_KINDS]
    line = "    {"
    for i, param in enumerate(params):
        item = param + (", " if i < len(params) - 1 else "}")
        if len(line) + len(item.rstrip()) > 80 and line.strip() != "{":
            lines.append(line.rstrip())
            line = "     "
        line += item
    if params:
        lines.append(line)
    return "\n".join(lines)


def _format_syntax(op_def: OpDef) -> str:
    assert op_def.assembly_format is not None
    text = re.sub(r"`([^`]*)`", r"\1", op_def.assembly_format)
    text = re.sub(r"\s+([,\]\)])", r"\1", text)
    text = re.sub(r"([\[\(])\s+", r"\1", text)
    results = [
        f"%{name}" + ("..." if isinstance(d, VariadicDef) else "")
        for name, d in op_def.results
    ]
    prefix = f"{', '.join(results)} = " if results else ""
    return f"{prefix}{op_def.name} {text}"


def _generic_syntax(op_def: OpDef) -> str:
    operands = ", ".join(f"%{name}" for name, _ in op_def.operands)
    props = ", ".join(f"{name} = ..." for name in op_def.properties)
    regions = ", ".join("{...}" for _ in op_def.regions)
    text = f'"{op_def.name}"({operands})'
    text += f" <{{{props}}}>" if props else ""
    text += f" ({regions})" if regions else ""
    return text + " : (...) -> (...)"


def op_syntax(cls: type[IRDLOperation], doc: Docstring) -> str:
    """The op's syntax: its `Syntax:` block, assembly format or generic form."""
    op_def = cls.get_irdl_definition()
    if doc.syntax is not None:
        return doc.syntax
    if issubclass(cls, OperatorOp):
        return _operator_syntax(cls)
    if op_def.assembly_format is not None:
        return _format_syntax(op_def)
    if cls.parse.__func__ is Operation.parse.__func__:  # pyright: ignore
        return _generic_syntax(op_def)
    raise ToolError(
        error_line(
            f"{cls.name} ({cls.__name__}) has a custom parser but no `Syntax:` "
            "block in its docstring"
        )
    )


# ---------------------------------------------------------------------- render


def _param_kind(cls: type[OperatorOp], name: str) -> tuple[str, str]:
    """How an operator parameter is written, and what it must be."""
    kind = {**cls.PARAM_KINDS, **cls.QUANT_KINDS}[name]
    attr = kind.build([0.5] if issubclass(kind, Ints | Scales) else 0.5)
    if isinstance(attr, DenseArrayBase):
        written = f"array<{attr.elt_type}: ...>"
    elif isinstance(attr, FloatAttr):
        written = f"FLOAT : {attr.type}"
    elif isinstance(attr, IntegerAttr):
        written = "INT"
    else:  # pragma: no cover - every Kind builds one of the above
        written = "..."
    text = re.sub(r"(array<[^>]*>)", r"`\1`", kind.text)
    if name in cls.QUANT_KINDS:
        text += " (quantization: optional, all or none of them)"
    return written, text


def _table(title: str, header: tuple[str, str], rows: Sequence[tuple[str, str]]):
    if not rows:
        return [f"**{title}:** none", ""]
    lines = [f"**{title}:**", "", f"| {header[0]} | {header[1]} |", "|---|---|"]
    lines += [f"| `{name}` | {text} |" for name, text in rows]
    return [*lines, ""]


def _region_text(definition: object) -> str:
    single = isinstance(
        definition,
        SingleBlockRegionDef | OptSingleBlockRegionDef | VarSingleBlockRegionDef,
    )
    return ("one block" if single else "any blocks") + _arity(definition)


def render_op(cls: type[IRDLOperation]) -> str:
    """The reference section of one op; raises ToolError if its docs are lacking."""
    doc = split_docstring(cls)
    if not doc.meaning:
        raise ToolError(error_line(f"{cls.name} ({cls.__name__}) has no docstring"))
    if doc.example is None:
        raise ToolError(
            error_line(
                f"{cls.name} ({cls.__name__}) has no `Example:` block in its docstring"
            )
        )
    op_def = cls.get_irdl_definition()
    operands = [
        (name, constraint_text(d.constr) + _arity(d)) for name, d in op_def.operands
    ]
    results = [
        (name, constraint_text(d.constr) + _arity(d)) for name, d in op_def.results
    ]
    properties = [
        (
            name,
            (
                _param_kind(cls, name)[1]
                if issubclass(cls, OperatorOp)
                and (name in cls.PARAM_KINDS or name in cls.QUANT_KINDS)
                else constraint_text(d.constr)
            )
            + _arity(d),
        )
        for name, d in op_def.properties.items()
        if name != "operandSegmentSizes"  # implied by the operands written
    ]
    regions = [(name, _region_text(d)) for name, d in op_def.regions]
    traits = sorted(type(t).__name__ for t in op_def.traits)
    lines = [f"### `{cls.name}`", "", doc.meaning, ""]
    lines += ["**Syntax:**", "", "```", op_syntax(cls, doc), "```", ""]
    lines += _table("Operands", ("Operand", "Constraint"), operands)
    lines += _table("Results", ("Result", "Constraint"), results)
    lines += _table("Properties", ("Property", "Kind"), properties)
    if regions:
        lines += _table("Regions", ("Region", "Blocks"), regions)
    if traits:
        lines += [f"**Traits:** {', '.join(traits)}", ""]
    lines += ["**Example:**", "", "```mlir", doc.example, "```", ""]
    return "\n".join(lines)


def _struct_field_text(f: Field) -> str:
    if f.positional:
        return f"{f.type_text} (positional)"
    return f"{f.type_text} (default `{f.text(f.default)}`)"


def _render_attr(cls: type[Attribute]) -> str:
    prefix = "!" if issubclass(cls, TypeAttribute) else "#"
    lines = [f"### `{prefix}{cls.name}`", ""]  # pyright: ignore[reportAttributeAccessIssue]
    doc = split_docstring(cls)
    lines += [doc.meaning or "(undocumented)", ""]
    if doc.syntax is not None:
        lines += ["**Syntax:**", "", "```", doc.syntax, "```", ""]
    if issubclass(cls, StructAttr):
        fields = [
            (f.name, _struct_field_text(f).replace("|", "\\|")) for f in cls.FIELDS
        ]
        lines += _table(
            "Fields (`attr.NAME` reads the Python value)",
            ("Field", "Python value"),
            fields,
        )
    elif issubclass(cls, ParametrizedAttribute):
        params = [
            (name, constraint_text(param.constr))
            for name, param in cls.get_irdl_definition().parameters
        ]
        lines += _table("Parameters", ("Parameter", "Constraint"), params)
    if doc.example is not None:
        lines += ["**Example:**", "", "```mlir", doc.example, "```", ""]
    return "\n".join(lines)


def _module_doc(module_name: str) -> str:
    module = sys.modules[module_name]
    return inspect.cleandoc(module.__doc__ or "")


def _title(module_name: str) -> str:
    return module_name.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def render(dialect: Dialect) -> str:
    """The whole reference of `dialect` as Markdown."""
    ops = list(dialect.operations)
    package = ops[0].__module__.rsplit(".", 1)[0] if ops else ""
    out = [
        f"<!-- Generated by `{COMMAND} {dialect.name}` from the op definitions; "
        "do not edit. -->",
        "",
        f"# The `{dialect.name}` dialect",
        "",
    ]
    if package in sys.modules:
        out += [_module_doc(package), ""]
    out += [
        f"Regenerate with `{COMMAND}`; `{COMMAND} --check` fails if this file is "
        "stale.",
        "",
        "Operations:",
        "",
    ]
    groups: dict[str, list[type[Operation]]] = {}
    for op in ops:
        groups.setdefault(op.__module__, []).append(op)
    for module_name, members in groups.items():
        names = ", ".join(f"`{op.name}`" for op in members)
        out.append(f"- {_title(module_name)}: {names}")
    out.append("")
    attrs = list(dialect.attributes)
    if attrs:
        out += ["## Types and attributes", ""]
        out += [_render_attr(a) for a in attrs]
    for module_name, members in groups.items():
        out += [f"## {_title(module_name)}", "", _module_doc(module_name), ""]
        for op in members:
            assert issubclass(op, IRDLOperation)
            out.append(render_op(op))
    return "\n".join(out).rstrip("\n") + "\n"


def load_dialect(name: str) -> Dialect:
    """The tirconst dialect called `name`."""
    loaders = get_all_dialects()
    if name not in loaders:
        raise ToolError(
            error_line(
                f"unknown dialect {name!r} (known: {', '.join(sorted(loaders))})",
                "dialect_docs",
            )
        )
    return loaders[name]()


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with --check, compare) the reference of each named dialect."""
    arg_parser = argparse.ArgumentParser(
        prog=COMMAND, description=__doc__.splitlines()[0] if __doc__ else None
    )
    arg_parser.add_argument(
        "dialects", nargs="*", metavar="NAME", help="dialects (default: all)"
    )
    arg_parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a reference file is missing or stale",
    )
    arg_parser.add_argument(
        "--output-dir",
        type=Path,
        default=DEFAULT_OUTPUT_DIR,
        help=f"where the .md files go (default: {DEFAULT_OUTPUT_DIR})",
    )
    args = arg_parser.parse_args(argv)
    names = args.dialects or sorted(get_all_dialects())
    stale: list[str] = []
    for name in names:
        text = render(load_dialect(name))
        path: Path = args.output_dir / f"{name}.md"
        current = path.read_text() if path.exists() else None
        if args.check:
            if current != text:
                stale.append(str(path))
        elif current != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_output(path) as out:
                out.write(text)
            print(f"wrote {path}")
    if stale:
        print(
            error_line(
                f"{', '.join(stale)} is stale; run `{COMMAND}`",
                "dialect_docs",
            ),
            file=sys.stderr,
        )
        return 1
    return 0


@reports_errors("dialect_docs")
def _run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    _run()
