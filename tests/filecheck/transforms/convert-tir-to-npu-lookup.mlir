// convert-tir-to-npu of table lookups (tir.lookup, tir.logistic): the table
// is DMA'd into a lookup-table slot once per stream; a lookup whose input
// only the NPU op before it writes and nothing else reads becomes that op's
// table activation (the pool writes the lookup's output); a lookup of a
// tensor two ops read is its own identity pool with the table; a table
// already loaded is not loaded again. On a U55-64 the table memory is the
// accumulators': no fusion, and every lookup loads its table. A tensor too
// large for a feature map stays on the CPU. Equivalent on both.
//
// RUN: tirconst-opt %s -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-opt %s -p 'convert-tir-to-npu{accelerator=ethos-u55-64 remarks=false}' -o %t64
// RUN: filecheck %s --check-prefix=U64 < %t64
// RUN: tirconst-run --check-equivalent %s %t64 | filecheck %s --check-prefix=SAME

// SAME: equivalent: @main
// REMARK: remark: 'tir.lookup' op in @main stays on the CPU: shape [2, 40000, 1, 1] is too large for an NPU feature map

// CHECK:      tir.func @main
// CHECK:        npu.invoke @main_npu0
// CHECK:        tir.lookup ins(%input1, {{.*}}npu_cpu = "shape [2, 40000, 1, 1] is too large
// CHECK:      npu.command_stream @main_npu0 "ethos-u55-128" {
// CHECK:        npu.region 259 lut size 24576
// CHECK-NEXT:   npu.dma {src = #npu.range<0, 0, 256>, dest = #npu.range<259, 22528, 256>}
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [4, 4, 16], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 320>, {{.*}}activation = #npu.activation<table>}
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 320>, ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 384>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: {{[0-9, ]*}}>}
// CHECK-NEXT:   npu.pooling {pool_type = "average", ifm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 384>, ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 448>, {{.*}}activation = #npu.activation<table>}
// CHECK-NEXT:   npu.dma {src = #npu.range<0, 256, 256>, dest = #npu.range<259, 22784, 256>}
// CHECK-NEXT:   npu.pooling {pool_type = "average", ifm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 384>, ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 512>, {{.*}}activation = #npu.activation<table, slot = 1>}
// CHECK-NEXT: }

// U64:      npu.command_stream @main_npu0 "ethos-u55-64" {
// U64:        npu.pooling {pool_type = "max", {{.*}}ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 256>, kernel = #npu.kernel<[2, 2], stride = [2, 2]>, block_config = array<i64: {{[0-9, ]*}}>}
// U64-NEXT:   npu.dma {src = #npu.range<0, 0, 256>, dest = #npu.range<259, 14336, 256>}
// U64-NEXT:   npu.pooling {pool_type = "average", {{.*}}activation = #npu.activation<table>}
// U64-NEXT:   npu.pooling {pool_type = "max",
// U64-NEXT:   npu.dma {src = #npu.range<0, 0, 256>, dest = #npu.range<259, 14592, 256>}
// U64-NEXT:   npu.pooling {pool_type = "average", {{.*}}activation = #npu.activation<table, slot = 1>}
// U64-NEXT:   npu.dma {src = #npu.range<0, 256, 256>, dest = #npu.range<259, 14848, 256>}
// U64-NEXT:   npu.pooling {pool_type = "average", {{.*}}activation = #npu.activation<table, slot = 2>}
// U64-NEXT: }

tir.pool @flash read_only alignment 16
tir.pool @sram alignment 16
tir.constant @sigmoid = dense<"0x808080808080808080808080808080808080808080808080808080808081818181818181818181818181818181818282828282828282828383838383848484848585858686868787888888898A8A8B8B8C8D8E8F8F90919293959697989A9B9D9FA0A2A4A6A8AAACAFB1B4B6B9BCBFC2C5C8CBCFD2D6D9DDE1E4E8ECF0F4F8FC0004080C1014181C1F23272A2E3135383B3E4144474A4C4F515456585A5C5E606163656668696A6B6D6E6F707171727374757576767778787879797A7A7A7B7B7B7C7C7C7C7D7D7D7D7D7E7E7E7E7E7E7E7E7E7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F"> : tensor<256xi8> at <@flash, 0>
tir.constant @tanh = dense<"0x8080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808080808081818181818181818282828282838384848585868788888A8B8C8E8F919396989B9FA2A6AAAFB4B9BFC5CBD2D9E1E8F0F8000810181F272E353B41474C51565A5E6165686A6D6F71727475767878797A7B7B7C7C7D7D7E7E7E7E7E7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F"> : tensor<256xi8> at <@flash, 256>
tir.func @main(%input0 : !tir.buffer<1x4x4x16xi8>, %output0 : !tir.buffer<1x2x2x16xi8>,
               %output1 : !tir.buffer<1x2x2x16xi8>, %input1 : !tir.buffer<2x40000x1x1xi8>,
               %output2 : !tir.buffer<2x40000x1x1xi8>)
    attributes {param_placement = {input0 = #tir.place<@sram, 0>,
                 output0 = #tir.place<@sram, 448>, output1 = #tir.place<@sram, 512>,
                 input1 = #tir.place<@sram, 1024>, output2 = #tir.place<@sram, 81024>}} {
  %t = tir.allocate_const @sigmoid : !tir.buffer<256xi8>
  %t2 = tir.allocate_const @tanh : !tir.buffer<256xi8>
  %p = tir.allocate at <@sram, 256> : !tir.buffer<1x2x2x16xi8>
  tir.max_pool2d ins(%input0 : !tir.buffer<1x4x4x16xi8>) outs(%p : !tir.buffer<1x2x2x16xi8>)
      {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127}
  %q = tir.allocate at <@sram, 320> : !tir.buffer<1x2x2x16xi8>
  tir.lookup ins(%p, %t : !tir.buffer<1x2x2x16xi8>, !tir.buffer<256xi8>) outs(%q : !tir.buffer<1x2x2x16xi8>)
  %m = tir.allocate at <@sram, 384> : !tir.buffer<1x2x2x16xi8>
  tir.max_pool2d ins(%q : !tir.buffer<1x2x2x16xi8>) outs(%m : !tir.buffer<1x2x2x16xi8>)
      {window = array<i64: 1, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127}
  tir.lookup ins(%m, %t : !tir.buffer<1x2x2x16xi8>, !tir.buffer<256xi8>) outs(%output0 : !tir.buffer<1x2x2x16xi8>)
  tir.logistic ins(%m, %t2 : !tir.buffer<1x2x2x16xi8>, !tir.buffer<256xi8>) outs(%output1 : !tir.buffer<1x2x2x16xi8>)
  tir.lookup ins(%input1, %t : !tir.buffer<2x40000x1x1xi8>, !tir.buffer<256xi8>) outs(%output2 : !tir.buffer<2x40000x1x1xi8>)
}
