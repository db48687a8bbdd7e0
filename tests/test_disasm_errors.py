"""Corrupt inputs: one line naming the word offset, exit status 1."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
from ethosu.vela.api import NpuPoolingOp

from tests.npu_api_ops import generate
from tests.test_disasm_roundtrip import pool
from tirconst.tools.disasm import main

MODELS = Path(__file__).resolve().parent.parent / "models"


def payload() -> bytes:
    return generate([pool(NpuPoolingOp.MAX), pool(NpuPoolingOp.AVERAGE)])


def words(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 4}I", data))


def pack(ws: list[int]) -> bytes:
    return struct.pack(f"<{len(ws)}I", *ws)


def stream_start(ws: list[int]) -> int:
    return next(i for i, w in enumerate(ws) if w & 0xFF == 2) + 1  # after the tag


def run(tmp_path: Path, data: bytes, capsys, *flags: str, name="bad.bin") -> str:  # type: ignore[no-untyped-def]
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(SystemExit) as exit:
        main([str(f), *flags])
    assert exit.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_good_payload_lists(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "ok.bin"
    f.write_bytes(payload())
    assert main([str(f), "--listing"]) == 0
    out = capsys.readouterr().out
    assert " pool max " in out and " pool average " in out
    assert main([str(f)]) == 0  # npu IR by default
    out = capsys.readouterr().out
    assert 'pool_type = "max"' in out and 'pool_type = "average"' in out
    assert main([str(f), "--registers"]) == 0
    out = capsys.readouterr().out
    assert "NPU_OP_POOL" in out and out.rstrip().endswith("mask=65535")


def test_truncated_payload(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = payload()
    err = run(tmp_path, data[: len(data) - 12], capsys)
    assert "truncated" in err and f"word {len(data) // 4 - 3}" in err


def test_truncated_mid_word(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    err = run(tmp_path, payload()[:-2], capsys)
    assert "not a multiple of 4" in err and "word " in err


def test_bad_header(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    err = run(tmp_path, b"COP2" + payload()[4:], capsys, name="bad.bin")
    assert "bad payload header" in err and "payload word 0:" in err


def test_unknown_opcode(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws = words(payload())
    start = stream_start(ws)
    ws[start + 3] = 0x0000_01FE  # a cmd0 code no register has
    err = run(tmp_path, pack(ws), capsys)
    assert "unknown cmd0 opcode 0x1fe" in err and "stream word 3:" in err


def test_missing_stop(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws = words(payload())
    start = stream_start(ws)
    n = len(ws) - start - 1
    ws[start - 1] = 2 | (n << 16)  # the command-stream tag, one word shorter
    err = run(tmp_path, pack(ws[:-1]), capsys)
    assert "without NPU_OP_STOP" in err and f"word {n}" in err


def test_reserved_bits(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws = words(payload())
    ws[stream_start(ws)] |= 0x0800
    err = run(tmp_path, pack(ws), capsys, "--registers")
    assert "reserved bits" in err and "stream word 0:" in err


def test_bad_npz(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    err = run(tmp_path, b"PK\x03\x04 not really a zip", capsys, name="x.npz")
    assert "not a readable .npz" in err
    f = tmp_path / "other.npz"
    np.savez(f, something=np.zeros(3))
    err = run(tmp_path, f.read_bytes(), capsys, name="other.npz")
    assert "no 'cmd_data'" in err


def test_tflite_without_ethos_u(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = (MODELS / "tflite_micro_speech.tflite").read_bytes()
    err = run(tmp_path, data, capsys, name="m.tflite")
    assert "no ethos-u custom operator" in err


def test_truncated_tflite(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = (MODELS / "tflite_micro_speech.tflite").read_bytes()[:64]
    err = run(tmp_path, data, capsys, name="m.tflite")
    assert "tflite" in err


def test_output_written_only_on_success(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "listing.txt"
    out.write_text("previous\n")
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"COP2" + payload()[4:])
    with pytest.raises(SystemExit):
        main([str(bad), "-o", str(out)])
    assert out.read_text() == "previous\n"
    good = tmp_path / "ok.bin"
    good.write_bytes(payload())
    assert main([str(good), "-o", str(out), "--listing"]) == 0
    assert "pool max" in out.read_text()
