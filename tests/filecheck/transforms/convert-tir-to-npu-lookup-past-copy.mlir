// convert-tir-to-npu: a table lookup fuses into the op that wrote its input
// also when a copy lowered to a DMA lies between the two (tir-stage-weights
// issues a later op's weight copy there): the pool writes the lookup's output
// through the table, the table's load goes before it and the copy's DMA
// after it. Not when the copy writes bytes the lookup reads (@clobber: its
// destination overlaps the pool's output, so the lookup must read what the
// copy wrote). Equivalent.
//
// RUN: tirconst-opt %s -p convert-tir-to-npu -o %t
// RUN: filecheck %s < %t
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// SAME: equivalent: @main, @clobber

// CHECK:      npu.command_stream @main_npu0 "ethos-u55-128" {
// CHECK:        npu.dma {src = #npu.range<0, 0, 256>, dest = #npu.range<259, 22528, 256>}
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [4, 4, 16], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 256>, {{.*}}activation = #npu.activation<table>}
// CHECK-NEXT:   npu.dma {src = #npu.range<0, 256, 16>, dest = #npu.range<1, 384, 16>}
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [1, 1, 16], region = 1, address = 384>, ofm = #npu.feature_map<int8, [1, 1, 16], region = 1, address = 448>
// CHECK-NEXT: }

// CHECK:      npu.command_stream @clobber_npu1 "ethos-u55-128" {
// CHECK:        npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [4, 4, 16], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 320>, kernel = #npu.kernel<[2, 2], stride = [2, 2]>, block_config = array<i64: {{[0-9, ]*}}>}
// CHECK-NEXT:   npu.dma {src = #npu.range<0, 256, 16>, dest = #npu.range<1, 320, 16>}
// CHECK-NEXT:   npu.dma {src = #npu.range<0, 0, 256>, dest = #npu.range<259, 22528, 256>}
// CHECK-NEXT:   npu.pooling {pool_type = "average", {{.*}}activation = #npu.activation<table>}

tir.pool @flash read_only alignment 16
tir.pool @sram alignment 16
tir.constant @sigmoid = dense<"0x808080808080808080808080808080808080808080808080808080808081818181818181818181818181818181818282828282828282828383838383848484848585858686868787888888898A8A8B8B8C8D8E8F8F90919293959697989A9B9D9FA0A2A4A6A8AAACAFB1B4B6B9BCBFC2C5C8CBCFD2D6D9DDE1E4E8ECF0F4F8FC0004080C1014181C1F23272A2E3135383B3E4144474A4C4F515456585A5C5E606163656668696A6B6D6E6F707171727374757576767778787879797A7A7A7B7B7B7C7C7C7C7D7D7D7D7D7E7E7E7E7E7E7E7E7E7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F"> : tensor<256xi8> at <@flash, 0>
tir.constant @w = dense<[[[[1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12, 13, -14, 15, -16]]]]> : tensor<1x1x1x16xi8> at <@flash, 256>
tir.func @main(%input0 : !tir.buffer<1x4x4x16xi8>, %output0 : !tir.buffer<1x2x2x16xi8>,
               %output1 : !tir.buffer<1x1x1x16xi8>)
    attributes {param_placement = {input0 = #tir.place<@sram, 0>,
                 output0 = #tir.place<@sram, 256>, output1 = #tir.place<@sram, 448>}} {
  %t = tir.allocate_const @sigmoid : !tir.buffer<256xi8>
  %w = tir.allocate_const @w : !tir.buffer<1x1x1x16xi8>
  %p = tir.allocate at <@sram, 320> : !tir.buffer<1x2x2x16xi8>
  tir.max_pool2d ins(%input0 : !tir.buffer<1x4x4x16xi8>) outs(%p : !tir.buffer<1x2x2x16xi8>)
      {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127}
  %ws = tir.allocate at <@sram, 384> : !tir.buffer<1x1x1x16xi8>
  tir.copy ins(%w : !tir.buffer<1x1x1x16xi8>) outs(%ws : !tir.buffer<1x1x1x16xi8>)
  tir.lookup ins(%p, %t : !tir.buffer<1x2x2x16xi8>, !tir.buffer<256xi8>) outs(%output0 : !tir.buffer<1x2x2x16xi8>)
  tir.max_pool2d ins(%ws : !tir.buffer<1x1x1x16xi8>) outs(%output1 : !tir.buffer<1x1x1x16xi8>)
      {window = array<i64: 1, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127}
}
tir.func @clobber(%input0 : !tir.buffer<1x4x4x16xi8>, %output0 : !tir.buffer<1x2x2x16xi8>)
    attributes {param_placement = {input0 = #tir.place<@sram, 0>,
                 output0 = #tir.place<@sram, 256>}} {
  %t = tir.allocate_const @sigmoid : !tir.buffer<256xi8>
  %w = tir.allocate_const @w : !tir.buffer<1x1x1x16xi8>
  %p = tir.allocate at <@sram, 320> : !tir.buffer<1x2x2x16xi8>
  tir.max_pool2d ins(%input0 : !tir.buffer<1x4x4x16xi8>) outs(%p : !tir.buffer<1x2x2x16xi8>)
      {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -128, act_max = 127}
  %ws = tir.decl_buffer %p[0] : !tir.buffer<1x2x2x16xi8> -> !tir.buffer<1x1x1x16xi8>
  tir.copy ins(%w : !tir.buffer<1x1x1x16xi8>) outs(%ws : !tir.buffer<1x1x1x16xi8>)
  tir.lookup ins(%p, %t : !tir.buffer<1x2x2x16xi8>, !tir.buffer<256xi8>) outs(%output0 : !tir.buffer<1x2x2x16xi8>)
}
