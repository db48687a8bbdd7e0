"""Tests of the planning model and its MiniMalloc CSV format."""

from __future__ import annotations

import pytest

from tirconst.planning import (
    Buffer,
    PlanningError,
    Pool,
    capacity_from_filename,
    format_csv,
    parse_csv,
)


def test_parse_minimal():
    buffers = parse_csv("id,lower,upper,size\n0,0,2,10\n1,1,3,20\n")
    assert buffers == [Buffer("0", 0, 2, 10), Buffer("1", 1, 3, 20)]


def test_parse_optional_columns_and_extra_columns():
    text = "id,lower,upper,size,alignment,pools,offset\na,0,2,10,16,sram;dram,0\n"
    (buffer,) = parse_csv(text)
    assert buffer.alignment == 16
    assert buffer.pools == ("sram", "dram")


def test_round_trip_adds_offset_column():
    buffers = parse_csv("id,lower,upper,size\nx,0,2,10\ny,1,3,20\n")
    text = format_csv(buffers, {"x": 0, "y": 10})
    assert text == "id,lower,upper,size,offset\nx,0,2,10,0\ny,1,3,20,10\n"
    assert parse_csv(text) == buffers


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "f.csv:1: empty file"),
        ("id,lower,size\n0,0,1\n", "f.csv:1: missing column(s) upper"),
        ("id,lower,upper,size\n0,0,2\n", "f.csv:2: expected 4 columns"),
        ("id,lower,upper,size\n0,0,2,1x\n", "f.csv:2: malformed size '1x'"),
        ("id,lower,upper,size\n0,a,2,1\n", "f.csv:2: malformed lower 'a'"),
        ("id,lower,upper,size\n0,0,2,-5\n", "f.csv:2: buffer 0: negative size"),
        ("id,lower,upper,size\n0,0,2,1\n1,3,3,1\n", "f.csv:3: buffer 1: end 3"),
        ("id,lower,upper,size\n0,4,2,1\n", "f.csv:2: buffer 0: end 2 is not after"),
        ("id,lower,upper,size\n0,0,2,1\n0,1,2,1\n", "f.csv:3: duplicate id '0'"),
        (
            "id,lower,upper,size,alignment\n0,0,2,1,12\n",
            "f.csv:2: buffer 0: alignment 12 is not a power of two",
        ),
    ],
)
def test_bad_input_names_the_row(text, message):
    with pytest.raises(PlanningError) as info:
        parse_csv(text, "f.csv")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_model_validation():
    with pytest.raises(PlanningError):
        Buffer("a", 0, 1, 4, alignment=0)
    with pytest.raises(PlanningError):
        Pool("p", alignment=3)
    assert Buffer("a", 0, 2, 1).lives_with(Buffer("b", 1, 3, 1))
    assert not Buffer("a", 0, 2, 1).lives_with(Buffer("b", 2, 3, 1))


def test_capacity_from_filename():
    assert capacity_from_filename("bench/A.1048576.csv") == 1048576
    assert capacity_from_filename("instance.csv") is None
