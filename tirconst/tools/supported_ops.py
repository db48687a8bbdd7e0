"""Generate docs/supported-ops.md: every TFLite operator Vela 5.2 runs on the
Ethos-U55/U65, what tirconst does with it, our constraints beside Vela's.

    python -m tirconst.tools.supported_ops [--check] [--output PATH]

Read from the registries, so the table says what the code does: imported
(`frontend.operator_table.OPERATORS`, the tir op it becomes), runs on the
NPU (the op class has a lowering in `transforms.convert_tir_to_npu.LOWERINGS`
and a rule in `analysis.npu_support.SUPPORT`), and our constraints (the
docstring of that `@npu_support` rule: write a rule's docstring as its
constraint text). Vela's operator list and constraints come from
`data/vela_supported_ops.md`, the output of `vela --supported-ops-report`
(Arm, Apache-2.0; origin noted in the file). `--check` writes nothing and
exits 1 if the file is missing or differs from what would be generated.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tirconst.core.diagnostics import ToolError, error_line
from tirconst.core.files import atomic_output

COMMAND = "python -m tirconst.tools.supported_ops"
VELA_REPORT = Path(__file__).resolve().parent / "data" / "vela_supported_ops.md"
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "supported-ops.md"
_SUMMARY = "## Ethos-U55 and Ethos-U65 TFLite Summary Table"
_GENERIC = "## Ethos-U55 and Ethos-U65 TFLite Generic Constraints"
_SPECIFIC = re.compile(r"^### Ethos-U55 and Ethos-U65 TFLite (\S+) Constraints$")


@dataclass(frozen=True)
class VelaReport:
    """Vela's U55/U65 TFLite operators (summary table order), the generic
    constraints and each operator's specific ones (markdown bullet lines)."""

    version: str
    operators: tuple[str, ...]
    generic: tuple[str, ...]
    specific: dict[str, tuple[str, ...]]


def _bullets(lines: list[str]) -> tuple[str, ...]:
    return tuple(ln.rstrip() for ln in lines if ln.lstrip().startswith("- "))


def read_vela_report(path: Path = VELA_REPORT) -> VelaReport:
    """Parse the kept `vela --supported-ops-report` text."""
    lines = path.read_text().splitlines()
    version = next(
        (m.group(1) for ln in lines if (m := re.match(r"Vela version: `(.+)`", ln))),
        "?",
    )
    start = lines.index(_SUMMARY)
    operators = []
    for ln in lines[start + 1 :]:
        if ln.startswith("## "):
            break
        m = re.match(r"\| ([A-Z0-9_]+) \|", ln)
        if m and m.group(1) != "Operator":
            operators.append(m.group(1))
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for ln in lines:
        if ln == _GENERIC:
            current = sections.setdefault("", [])
        elif m := _SPECIFIC.match(ln):
            current = sections.setdefault(m.group(1), [])
        elif ln.startswith("#"):
            current = None
        elif current is not None:
            current.append(ln)
    return VelaReport(
        version,
        tuple(operators),
        _bullets(sections.get("", [])),
        {k: _bullets(v) for k, v in sections.items() if k},
    )


@dataclass(frozen=True)
class Support:
    """What tirconst does with one TFLite operator."""

    imported: str  # the tir op(s) it becomes, "a view", or "" (not imported)
    npu: str  # "yes", "no" or "rewritten" (by one of REWRITERS)
    constraints: str  # our rule's docstring, or why it stays on the CPU


def _classes(entry) -> list[type]:  # type: ignore[no-untyped-def]
    """The tir op classes an operator table entry can make (a `variant`
    entry is probed with the parameter sets its variants are told apart by:
    QUANTIZE int8 -> int8 has a `multiplier`, an int16 SOFTMAX an
    `input_multiplier`)."""
    if entry.variant is None:
        return [entry.op] if entry.op is not None else []
    probes = ({}, {"multiplier": 0}, {"input_multiplier": 0})
    return list(dict.fromkeys(entry.variant(p) for p in probes))


def rule_text(rule) -> str:  # type: ignore[no-untyped-def]
    """A support rule's docstring as one paragraph ("" if it has none)."""
    return " ".join(inspect.cleandoc(rule.__doc__ or "").split())


REWRITERS = ("tir-legalize-npu", "tir-data-views", "tir-tabulate")
"""The passes that rewrite an operator into ops convert-tir-to-npu lowers."""

TABULATED = (
    "int8 -> int8, per-tensor quantization: tir-tabulate makes it the "
    "256-entry table its own kernel gives (exact by construction), run as a "
    "table activation (see LOGISTIC), fused into the NPU op before it where "
    "it can be."
)
"""What every `Pointwise` op without its own rule becomes."""


def support(opcode: str) -> Support:
    """Read the registries for `opcode`."""
    from tirconst.analysis.npu_support import SUPPORT
    from tirconst.dialects.tir.traits import Pointwise
    from tirconst.frontend.operator_table import OPERATORS
    from tirconst.transforms.convert_tir_to_npu import LOWERINGS

    entry = OPERATORS.get(opcode)
    if entry is None:
        return Support(
            "",
            "no",
            "not imported: kept whole for the CPU (`tir.tflite_operator`), "
            "as the model has it",
        )
    classes = _classes(entry)
    if not classes:
        return Support("a view", "yes", "a view of its input: no data moves")
    names = ", ".join(f"`{c.name}`" for c in classes)
    npu, texts = "no", []
    for c in classes:
        rule = SUPPORT.get(c)
        text = rule_text(rule) if rule is not None else "no NPU lowering yet"
        if c in LOWERINGS and rule is not None:
            npu = "yes"
        elif rule is None and Pointwise in {type(t) for t in c.traits.traits}:
            npu, text = "rewritten", TABULATED
        elif rule is not None and npu == "no" and any(p in text for p in REWRITERS):
            npu = "rewritten"
        texts.append(f"`{c.name}`: {text}" if len(classes) > 1 else text)
    return Support(names, npu, " ".join(texts))


def _cell(lines: Sequence[str]) -> str:
    """Markdown bullet lines as one table cell (nesting kept as indents)."""
    out = []
    for ln in lines:
        depth = (len(ln) - len(ln.lstrip())) // 2
        out.append("&nbsp;&nbsp;" * depth + "• " + ln.strip()[2:].replace("|", "\\|"))
    return "<br>".join(out) if out else "generic constraints only"


def render(report: VelaReport | None = None) -> str:
    """The whole docs/supported-ops.md text."""
    report = report or read_vela_report()
    rows = [(op, support(op)) for op in report.operators]
    from tirconst.formats.tflite.oracle import ORACLES

    imported = sum(1 for _, s in rows if s.imported)
    on_npu = sum(1 for _, s in rows if s.npu != "no")
    other = sorted(op for op, s in rows if op in ORACLES and s.imported)
    oracle = (
        f"; {' and '.join(other)} against its default (optimized) kernels, as "
        'BUILTIN_REF cannot serve for them: README, "TFLite operators"'
        if other
        else ""
    )
    out = [
        "# Supported operators",
        "",
        f"Generated by `{COMMAND}` from the importer's operator table, the NPU",
        "support rules and lowerings, and Vela's own report (do not edit: a test",
        "fails when this file is stale).",
        "",
        f"Vela {report.version} runs {len(report.operators)} TFLite operators on the "
        f"Ethos-U55/U65 (`vela --supported-ops-report`). tirconst imports "
        f"{imported} of them (run by the interpreter bit-exact against LiteRT's "
        f"reference kernels{oracle}) and runs {on_npu} on the NPU, within the "
        "constraints "
        "below; outside them an operator stays on the CPU with a remark saying why.",
        "",
        "- **imported as**: the tir operator op it becomes (empty: not imported;",
        "  the operator is kept whole for the CPU as a `tir.tflite_operator`);",
        "- **NPU**: yes (convert-tir-to-npu lowers it), rewritten (tir-tabulate,",
        "  tir-legalize-npu or tir-data-views turns it into ops that are",
        "  lowered), no (it stays on the CPU);",
        "- **tirconst**: the docstring of its `@npu_support` rule",
        "  (tirconst/analysis/npu_support.py);",
        "- **Vela**: Vela's specific constraints for the operator, besides its",
        "  generic constraints (end of this file).",
        "",
        "| TFLite operator | imported as | NPU | tirconst | Vela |",
        "|---|---|---|---|---|",
    ]
    for op, s in rows:
        ours = s.constraints.replace("|", "\\|")
        theirs = _cell(report.specific.get(op, ()))
        out.append(f"| {op} | {s.imported or '—'} | {s.npu} | {ours} | {theirs} |")
    out += [
        "",
        "## Vela's generic constraints",
        "",
        "Every operator above must also meet these to be placed on the NPU by Vela:",
        "",
        *report.generic,
        "",
        "Vela's text is Arm's (Apache-2.0), kept in "
        "`tirconst/tools/data/vela_supported_ops.md`.",
        "",
    ]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    ap.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the file is missing or stale",
    )
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = ap.parse_args(argv)
    text = render()
    current = args.output.read_text() if args.output.is_file() else None
    if args.check:
        if current != text:
            print(
                error_line(
                    f"{args.output} is stale: run `{COMMAND}`",
                    "supported_ops",
                ),
                file=sys.stderr,
            )
            return 1
        return 0
    if current != text:
        try:
            with atomic_output(args.output) as f:
                f.write(text)
        except ToolError as e:
            print(f"supported_ops: error: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
