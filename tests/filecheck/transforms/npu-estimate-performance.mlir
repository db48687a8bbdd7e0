// RUN: tirconst-opt %s -o %t.plain.mlir
// RUN: tirconst-opt %s -p 'npu-estimate-performance{file="%t.txt"}' -o %t.after.mlir
// RUN: cmp %t.plain.mlir %t.after.mlir
// RUN: filecheck %s --input-file=%t.txt --match-full-lines --strict-whitespace
// The table goes to stderr by default.
// RUN: tirconst-opt %s -p npu-estimate-performance -o %t.ignored.mlir 2>&1 | filecheck %s --match-full-lines --strict-whitespace
// Another system: the Deep Embedded U55 (200 MHz, flash at 0.5 B/cycle).
// RUN: tirconst-opt %s -p 'npu-estimate-performance{system-config=Ethos_U55_Deep_Embedded}' -o %t.ignored.mlir 2>&1 | filecheck %s --check-prefix=DEEP
// RUN: tirconst-opt %s --verify-diagnostics -p 'npu-estimate-performance{memory-mode=Nope}' | filecheck %s --check-prefix=ERR
// ERR: error: npu-estimate-performance: --memory-mode 'Nope': no section [Memory_Mode.Nope] in {{.*}}vela.ini

// A DMA stages a feature map that a 1x1 conv reads: the conv waits for it
// (16 bytes from flash: 16 + 64 latency = 80 cycles), then takes 60 cycles
// (tests/test_performance.py works them out); a max pool after it reads the
// conv's OFM in SRAM.

//      CHECK:ethos-u55-128, Ethos_U55_High_End_Embedded / Shared_Sram, 500 MHz
// CHECK-NEXT:   #  op                            MACs   compute     dma   stall         Sram AC OffChipFlash AC    cycles
// CHECK-NEXT:@s
// CHECK-NEXT:   0  dma                              0         0      80       0               0               0         0
// CHECK-NEXT:   1  conv2d                          32        60       0      80              12              52       140
// CHECK-NEXT:   2  pooling:max                      8        38       0       0               5               0        38
// CHECK-NEXT:total: 178 cycles, 0.36 us per inference, 40 MACs, NPU 178, Sram 17, OffChipFlash 52

// DEEP: ethos-u55-128, Ethos_U55_Deep_Embedded / Shared_Sram, 200 MHz
// DEEP:   0  dma                              0         0      96       0               0               0         0

builtin.module {
  npu.command_stream @s "ethos-u55-128" {
    npu.region 0 constant size 64 streams [#npu.weight_stream<0, 32, #npu.weight_encoding<"ethos-u55-128", [2, 1, 1, 4], block_depth = 8>>] = dense<"0x30005c71061f53c914010f7739650080f3ff8fff1ffeffffffffffffffffffff64000000009a79825a279cffffffff9a79825a27000000000000000000000000"> : tensor<64xui8>
    npu.region 1 scratch size 64
    npu.dma {src = #npu.range<0, 0, 16>, dest = #npu.range<1, 0, 16>}
    npu.conv2d {ifm = #npu.feature_map<int8, [2, 2, 4], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 16>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: 2, 2, 8>, weights = [#npu.range<0, 0, 32>], biases = [#npu.range<0, 32, 32>]}
    npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [2, 2, 2], region = 1, address = 16>, ofm = #npu.feature_map<int8, [1, 1, 2], region = 1, address = 32>, kernel = #npu.kernel<[2, 2], stride = [2, 2]>, block_config = array<i64: 1, 2, 8>}
  }
}
