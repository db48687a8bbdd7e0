"""Write a driver payload for two operations (a 2x2 max pool, then a DMA)
made with ethosu.vela.api, for the tirconst-disasm lit test."""

import contextlib
import io
import sys

from ethosu.vela.api import (
    NpuAccelerator,
    NpuAddressRange,
    NpuDataType,
    NpuDmaOperation,
    NpuFeatureMap,
    NpuKernel,
    NpuLayout,
    NpuPadding,
    NpuPoolingOp,
    NpuPoolingOperation,
    NpuQuantization,
    NpuShape3D,
    NpuTileBox,
    npu_create_driver_payload,
    npu_find_block_configs,
    npu_generate_register_command_stream,
)

ACC = NpuAccelerator.Ethos_U55_128


def fmap(h, w, c, base):
    fm = NpuFeatureMap()
    fm.data_type, fm.region, fm.layout = NpuDataType.INT8, 1, NpuLayout.NHWC
    fm.shape = NpuShape3D(h, w, c)
    fm.tiles = NpuTileBox(h, 0, w, [base, 0, 0, 0])
    fm.quantization = NpuQuantization(0.5, -3)
    return fm


pool = NpuPoolingOperation(NpuPoolingOp.MAX)
pool.ifm, pool.ofm = fmap(8, 8, 16, 0x0), fmap(4, 4, 16, 0x400)
pool.kernel, pool.padding = NpuKernel(2, 2, 2, 2), NpuPadding(0, 0, 0, 0)
dma = NpuDmaOperation(NpuAddressRange(0, 0x0, 256), NpuAddressRange(1, 0x800, 256))
with contextlib.redirect_stdout(io.StringIO()):
    pool.block_config = npu_find_block_configs(pool, ACC)[-1]
    words = npu_generate_register_command_stream([pool, dma], ACC)
    payload = npu_create_driver_payload(words, ACC)
with open(sys.argv[1], "wb") as f:
    f.write(payload)
