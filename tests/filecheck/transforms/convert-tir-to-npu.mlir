// convert-tir-to-npu on a hand-placed program of the non-weighted kinds: max
// pool (clamp as real bounds), requantize (1x1 average pool with an explicit
// scale), add (the broadcast operand second: reversed), logistic (table DMA
// into the lookup memory, the table the add's activation: the add writes the
// logistic's output), then
// softmax without its NPU workspace (tir-legalize-npu did not run) stays on
// the CPU and splits the function into two NPU segments; a
// 16-byte copy is a DMA, an 8-byte one a 1x1 max pool, and an 8-byte one
// from a strided view into another shape stays on the CPU. The lowered program
// equals the tir one bit for bit, and Vela's generator accepts the streams
// (tirconst-disasm reads them back: tested in pytest).
//
// RUN: tirconst-opt %s -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-opt %s -p 'convert-tir-to-npu{remarks=false}' -o /dev/null 2>%t.quiet && test ! -s %t.quiet

// SAME: equivalent: @main
// REMARK: convert-tir-to-npu: remark: 'tir.softmax' op in @main stays on the CPU: softmax: no NPU workspace and constants (run tir-legalize-npu)
// REMARK-NEXT: convert-tir-to-npu: remark: 'tir.copy' op in @main stays on the CPU: a strided view cannot be a DMA or weight range; and the shapes differ (no pooling copy)

// CHECK:      tir.func @main
// CHECK-NOT:    tir.max_pool2d
// CHECK-NOT:    tir.allocate :
// CHECK:        %b = tir.allocate_const @bias
// CHECK:        %t = tir.allocate_const @sigmoid
// CHECK:        npu.invoke @main_npu0 ins(%input0, %b, %t : {{.*}}) outs(%output0 : !tir.buffer<1x2x2x16xi8>)
// CHECK:        tir.softmax {{.*}}npu_cpu = "softmax: {{.*}}"
// CHECK-NEXT:   %half = tir.decl_buffer
// CHECK-NEXT:   npu.invoke @main_npu1 ins(%output1 : !tir.buffer<1x16xi8>) outs(%output2, %output3 : !tir.buffer<16xi8>, !tir.buffer<8xi8>)
// CHECK:        tir.copy ins(%quarter {{.*}}npu_cpu = "a strided view
// CHECK:      npu.command_stream @main_npu0 "ethos-u55-128" {
// CHECK-NEXT:   npu.region 0 constant size 1296 pool @flash
// CHECK-NEXT:   npu.region 1 scratch size 1024 pool @sram
// CHECK-NEXT:   npu.region 259 lut size 24576
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [4, 4, 16], region = 1>, ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 256>, kernel = #npu.kernel<[2, 2], stride = [2, 2]>, block_config = array<i64: {{.*}}>, activation = #npu.activation<clamp, min = -100.0>}
// CHECK-NEXT:   npu.pooling {pool_type = "average", ifm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 256, scale = 0.5, zero_point = 3>, ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 320, scale = 0.25, zero_point = -1>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: {{.*}}>, rescale = array<i64: 1073741824, 29>}
// CHECK-NEXT:   npu.dma {src = #npu.range<0, 0, 256>, dest = #npu.range<259, 22528, 256>}
// CHECK-NEXT:   npu.elementwise {op_type = "add", ifm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 320, scale = 0.25, zero_point = -1>, ifm2 = #npu.feature_map<int8, [1, 1, 16], address = 256, scale = 0.25>, ofm = #npu.feature_map<int8, [2, 2, 16], region = 1, address = 512, scale = 0.5, zero_point = 2>, {{.*}}reversed_operands, activation = #npu.activation<table>}
// CHECK-NEXT: }
// CHECK:      npu.command_stream @main_npu1 "ethos-u55-128" {
// CHECK-NEXT:   npu.region 1 scratch size 1024 pool @sram
// CHECK-NEXT:   npu.dma {src = #npu.range<1, 576, 16>, dest = #npu.range<1, 592, 16>}
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int8, [1, 1, 8], region = 1, address = 584>, ofm = #npu.feature_map<int8, [1, 1, 8], region = 1, address = 608>, kernel = #npu.kernel<[1, 1]>, block_config = array<i64: {{.*}}>}
// CHECK-NEXT: }

tir.pool @flash read_only alignment 16
tir.pool @sram size 1024 alignment 16
tir.constant @sigmoid = dense<"0x808080808080808080808080808080808080808080808080808080808081818181818181818181818181818181818282828282828282828383838383848484848585858686868787888888898A8A8B8B8C8D8E8F8F90919293959697989A9B9D9FA0A2A4A6A8AAACAFB1B4B6B9BCBFC2C5C8CBCFD2D6D9DDE1E4E8ECF0F4F8FC0004080C1014181C1F23272A2E3135383B3E4144474A4C4F515456585A5C5E606163656668696A6B6D6E6F707171727374757576767778787879797A7A7A7B7B7B7C7C7C7C7D7D7D7D7D7E7E7E7E7E7E7E7E7E7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F7F"> : tensor<256xi8> at <@flash, 0>
tir.constant @bias = dense<"0x0102030405060708F0F1F2F3F4F5F6F7"> : tensor<1x1x16xi8> at <@flash, 256>
tir.constant @exp = dense<"0x0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001000000010000000100000001000000010000000100000001000000010000000100000001000000010000000200000002000000020000000200000002000000030000000300000003000000040000000400000004000000050000000500000006000000070000000700000008000000090000000A0000000B0000000C0000000D0000000F00000010000000120000001400000016000000180000001B0000001E0000002100000024000000280000002C00000031000000360000003C00000042000000490000005100000059000000620000006D000000780000008500000093000000A2000000B3000000C6000000DB000000F20000000B0100002701000046010000690100008E010000B8010000E70100001A0200005202000091020000D60200002203000077030000D40300003B040000AD0400002B050000B605000050060000FA060000B5070000850800006A090000680A0000800B0000B60C00000C0E0000860F000028110000F6120000F51400002917000098190000491C0000431F00008D2200002F260000332A0000A32E00008B330000F6380000F43E000093450000E44C0000FA540000EA5D0000CB670000B5720000C57E00001B8C0000D79A000020AB00001FBD000003D10000FEE6000049FF0000231A0100CF3701009A580100D87C0100E5A4010029D101001502020026380200E7730200F1B50200ECFE0200954F0300B9A803003D0B04001D78040071F004006D75050064080600D1AA0600535E0700B6240800F6FF080046F2090011FE0A0006260C001B6D0D0097D60E00176610009C1F12008F071400D4221600D17618007B091B006CE11D00EB052100067F2400A355280098932C00C4433100277236000A2C3C00198042008A7E49004939510021C45900F8346300FEA36D00EE2B790055EA8500D4FF93008690A3004CC4B40038C7C70003CADC007702F4001FAC0D01B7082A01E96049010B056C01CB4D9201529DBC010560EB01AE0D1F02C22A580276499702A20BDD02FA232A0300587F031682DD03479345046E96B80428B237051A2CC405526C5F0639000B07C59FC807B6309A08F0CB810912C3810A58A59C0B2048D50C47CC2E0EFBA6AC0FF6AA5211821025138E832815802C6217C2BED719FA878F1C417D901F5852E22238888D260D859B2A4CAD162F7C790A347D9C8339871B903FB6753F4662CDA24D120CCD558F21D35E782BCC6874B6D173FFFFFF7F"> : tensor<256xi32> at <@flash, 272>
tir.func @main(%input0 : !tir.buffer<1x4x4x16xi8>, %output0 : !tir.buffer<1x2x2x16xi8>,
               %output1 : !tir.buffer<1x16xi8>, %output2 : !tir.buffer<16xi8>,
               %output3 : !tir.buffer<8xi8>, %output4 : !tir.buffer<8xi8>)
    attributes {param_placement = {input0 = #tir.place<@sram, 0>,
                 output0 = #tir.place<@sram, 512>, output1 = #tir.place<@sram, 576>,
                 output2 = #tir.place<@sram, 592>, output3 = #tir.place<@sram, 608>,
                 output4 = #tir.place<@sram, 624>}} {
  %p = tir.allocate at <@sram, 256> : !tir.buffer<1x2x2x16xi8>
  tir.max_pool2d ins(%input0 : !tir.buffer<1x4x4x16xi8>) outs(%p : !tir.buffer<1x2x2x16xi8>)
      {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>,
       act_min = -100, act_max = 127}
  %r = tir.allocate at <@sram, 320> : !tir.buffer<1x2x2x16xi8>
  tir.requantize ins(%p : !tir.buffer<1x2x2x16xi8>) outs(%r : !tir.buffer<1x2x2x16xi8>)
      {scale = 0.25 : f32, zero_point = -1, input_zp = 3,
       multiplier = 1073741824, shift = 2, input_scale = 0.5 : f32}
  %b = tir.allocate_const @bias : !tir.buffer<1x1x16xi8>
  %s = tir.allocate at <@sram, 384> : !tir.buffer<1x2x2x16xi8>
  tir.add ins(%b, %r : !tir.buffer<1x1x16xi8>, !tir.buffer<1x2x2x16xi8>) outs(%s : !tir.buffer<1x2x2x16xi8>)
      {lhs_zp = 0, rhs_zp = -1, output_zp = 2, left_shift = 20,
       lhs_multiplier = 1073741824, lhs_shift = 0,
       rhs_multiplier = 1073741824, rhs_shift = 0,
       output_multiplier = 1073741824, output_shift = -19,
       act_min = -128, act_max = 127, lhs_scale = 0.25 : f32,
       rhs_scale = 0.25 : f32, output_scale = 0.5 : f32}
  %t = tir.allocate_const @sigmoid : !tir.buffer<256xi8>
  tir.logistic ins(%s, %t : !tir.buffer<1x2x2x16xi8>, !tir.buffer<256xi8>) outs(%output0 : !tir.buffer<1x2x2x16xi8>)
      {input_scale = 0.0625 : f32, input_zp = 0, output_scale = 0.00390625 : f32, output_zp = -128}
  %row = tir.decl_buffer %output0[0] : !tir.buffer<1x2x2x16xi8> -> !tir.buffer<1x16xi8>
  %e = tir.allocate_const @exp : !tir.buffer<256xi32>
  tir.softmax ins(%row, %e : !tir.buffer<1x16xi8>, !tir.buffer<256xi32>) outs(%output1 : !tir.buffer<1x16xi8>)
      {output_scale = 0.00390625 : f32, output_zp = -128, input_scale = 0.1 : f32, input_zp = -128}
  tir.copy ins(%output1 : !tir.buffer<1x16xi8>) outs(%output2 : !tir.buffer<16xi8>)
  %half = tir.decl_buffer %output1[8] : !tir.buffer<1x16xi8> -> !tir.buffer<8xi8>
  tir.copy ins(%half : !tir.buffer<8xi8>) outs(%output3 : !tir.buffer<8xi8>)
  %quarter = tir.decl_buffer %output1[4] strides [8, 1] : !tir.buffer<1x16xi8> -> !tir.buffer<2x4xi8>
  tir.copy ins(%quarter : !tir.buffer<2x4xi8>) outs(%output4 : !tir.buffer<8xi8>)
}
