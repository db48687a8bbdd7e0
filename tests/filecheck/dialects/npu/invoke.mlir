// npu.invoke in a tir function and a region naming its pool round-trip; an
// invoke of a symbol that is no command stream is an error (invoke-invalid.mlir).
// RUN: tirconst-opt %s | filecheck %s
// RUN: tirconst-opt %s | tirconst-opt | filecheck %s

// CHECK:      npu.invoke @f_npu0 ins(%input0 : !tir.buffer<16xi8>) outs(%output0 : !tir.buffer<16xi8>)
// CHECK:      npu.command_stream @f_npu0 "ethos-u55-128" {
// CHECK-NEXT:   npu.region 1 scratch size 32 pool @sram
// CHECK-NEXT:   npu.dma {src = #npu.range<1, 0, 16>, dest = #npu.range<1, 16, 16>}
tir.pool @sram size 32 alignment 16
tir.func @f(%input0 : !tir.buffer<16xi8>, %output0 : !tir.buffer<16xi8>)
    attributes {param_placement = {input0 = #tir.place<@sram, 0>, output0 = #tir.place<@sram, 16>}} {
  npu.invoke @f_npu0 ins(%input0 : !tir.buffer<16xi8>) outs(%output0 : !tir.buffer<16xi8>)
}
npu.command_stream @f_npu0 "ethos-u55-128" {
  npu.region 1 scratch size 32 pool @sram
  npu.dma {src = #npu.range<1, 0, 16>, dest = #npu.range<1, 16, 16>}
}
