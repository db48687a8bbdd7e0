"""Tests of the ``tirconst-plan`` command line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tirconst.planning import check_plan, read_csv
from tirconst.tools.plan import main

BENCH = Path(__file__).resolve().parents[1] / "bench" / "memplan"
HEADER = "id,lower,upper,size\n"


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def test_plan_small_instance(tmp_path, capsys):
    src = BENCH / "small" / "tflm_greedy_medium.csv"
    out_csv = tmp_path / "plan.csv"
    svg = tmp_path / "plan.svg"
    status, out, err = run(capsys, src, "-o", out_csv, "--plot", svg)
    assert status == 0, err
    assert out.startswith("peak 80 lower-bound 80 ratio 1.0000 seconds ")
    assert out.rstrip().endswith("optimal (exact)")
    assert len(out.splitlines()) == 1
    rows = out_csv.read_text().splitlines()
    assert rows[0] == "id,lower,upper,size,offset"
    buffers = read_csv(out_csv)
    offsets = {r.split(",")[0]: int(r.split(",")[4]) for r in rows[1:]}
    assert check_plan(buffers, offsets) == []
    root = ET.fromstring(svg.read_text())
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    assert len(rects) == 2 + len(buffers)  # background, frame, buffers
    assert "lower bound 80" in svg.read_text()


@pytest.mark.parametrize("algorithm", ["greedy-by-size", "best_fit", "first_fit"])
def test_algorithms_by_name(tmp_path, capsys, algorithm):
    src = BENCH / "small" / "tflm_person_detection.csv"
    status, out, _ = run(capsys, src, "--algorithm", algorithm)
    assert status == 0
    assert f"({algorithm.replace('-', '_')})" in out


def test_capacity_from_file_name_and_over_capacity(tmp_path, capsys):
    src = tmp_path / "X.100.csv"
    src.write_text(HEADER + "a,0,2,60\nb,1,3,50\n")
    out_csv = tmp_path / "plan.csv"
    status, out, err = run(capsys, src, "-o", out_csv, "--time-limit", "2")
    assert status == 1
    assert "over-capacity" in out
    assert err.count("\n") == 1
    assert (
        "over capacity: pool 'memory' needs 110 bytes (lower bound 110) but "
        "holds 100; largest live at t=1: a 60, b 50" in err
    )
    assert not out_csv.exists()
    status, out, _ = run(capsys, src, "--capacity", "none")
    assert status == 0 and "peak 110" in out
    status, out, _ = run(capsys, src, "--capacity", "200")
    assert status == 0


def test_pools(tmp_path, capsys):
    src = tmp_path / "p.csv"
    src.write_text("id,lower,upper,size,pools\na,0,2,60,\nb,1,3,50,\nc,0,3,8,dram\n")
    out_csv = tmp_path / "plan.csv"
    status, out, err = run(
        capsys, src, "--pool", "sram:64", "--pool", "dram::16", "-o", out_csv
    )
    assert status == 0, err
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert rows["pool"][:3] == ["pool", "capacity", "peak"]
    assert rows["sram"][:5] == ["sram", "64", "60", "60", "1"]
    assert rows["dram"][:2] == ["dram", "none"]
    assert out_csv.read_text().splitlines()[0] == "id,lower,upper,size,offset,pool"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,lower,size\n", "missing column(s) upper"),
        (HEADER + "0,0,2,x\n", ":2: malformed size 'x'"),
        (HEADER + "0,0,2,-1\n", ":2: buffer 0: negative size -1"),
        (HEADER + "0,2,2,1\n", ":2: buffer 0: end 2 is not after start 2"),
        (HEADER + "0,0,2,1\n0,0,2,1\n", ":3: duplicate id '0'"),
        ("id,lower,upper,size,alignment\n0,0,2,1,3\n", ":2: buffer 0: alignment 3"),
    ],
)
def test_bad_input_is_one_line(tmp_path, capsys, text, message):
    src = tmp_path / "bad.csv"
    src.write_text(text)
    status, out, err = run(capsys, src, "-o", tmp_path / "plan.csv")
    assert status == 2
    assert out == ""
    assert err.startswith("tirconst-plan: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "plan.csv").exists()


def test_missing_file_and_bad_algorithm(tmp_path, capsys):
    status, _, err = run(capsys, tmp_path / "nope.csv")
    assert status == 2 and "cannot read" in err
    src = BENCH / "small" / "tflm_greedy_overlap.csv"
    status, _, err = run(capsys, src, "--algorithm", "magic")
    assert status == 2 and "unknown algorithm 'magic'" in err
