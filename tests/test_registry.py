"""The `xdsl.universe` registries: every key is what the loaded object calls
itself, and every pass is reachable from `xdsl-opt -p`."""

from __future__ import annotations

import dataclasses
import re

import pytest
from xdsl.passes import ModulePass
from xdsl.universe import Universe

from tirconst.universe import TIRCONST_UNIVERSE, get_all_dialects, get_all_passes

# Hyphenated names in our dialects' namespaces, and conversions between them.
PASS_NAME = re.compile(
    r"(?:tir|npu)(?:-[a-z0-9]+)+|convert-(?:tir|npu)-to-(?:tir|npu|[a-z0-9]+)"
)


@pytest.mark.parametrize(
    "name", ["tir-fold-constants", "npu-encode-weights", "convert-tir-to-npu"]
)
def test_pass_name_rule_accepts_our_namespaces(name: str):
    assert PASS_NAME.fullmatch(name)


@pytest.mark.parametrize(
    "name", ["fold-constants", "tir_fold", "tir-", "npu", "Tir-x", "convert-tir"]
)
def test_pass_name_rule_rejects_others(name: str):
    assert not PASS_NAME.fullmatch(name)


@pytest.mark.parametrize("key", sorted(get_all_passes()))
def test_pass_key_is_the_pass_name(key: str):
    cls = get_all_passes()[key]()
    assert issubclass(cls, ModulePass)
    assert cls.name == key
    assert PASS_NAME.fullmatch(key), f"{key}: not tir-..., npu-... or convert-..."
    assert dataclasses.is_dataclass(cls)
    assert cls.__doc__ and len(cls.__doc__.strip()) > 80, "say what and why"


@pytest.mark.parametrize("key", sorted(get_all_dialects()))
def test_dialect_key_is_the_dialect_name(key: str):
    assert get_all_dialects()[key]().name == key


def test_multiverse_has_our_passes_and_dialects():
    multiverse = Universe.get_multiverse()
    for key in get_all_passes():
        assert key in multiverse.all_passes
    for key in get_all_dialects():
        assert key in multiverse.all_dialects
    assert TIRCONST_UNIVERSE.all_passes.keys() == get_all_passes().keys()


def test_one_module_per_pass():
    modules = {get_all_passes()[k]().__module__ for k in get_all_passes()}
    assert len(modules) == len(get_all_passes())
