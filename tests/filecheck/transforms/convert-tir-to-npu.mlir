// convert-tir-to-npu on a hand-placed program of the non-weighted kinds: max
// pool (clamp as real bounds), requantize (1x1 average pool with an explicit
// scale), add (the broadcast operand second: reversed), logistic (table DMA
// into the lookup memory, the table the add's activation: the add writes the
// logistic's output), then
// softmax stays on the CPU and splits the function into two NPU segments; a
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
// REMARK: convert-tir-to-npu: remark: 'tir.softmax' op in @main stays on the CPU: softmax: LiteRT's reference softmax is a float-table algorithm, not bit-exact on the NPU
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
tir.constant @exp = dense<"0x0000803F6DA3673F5798513F43A63D3F189A2B3F98451B3FEB7E0C3F6E40FE3E720EE63EE629D03EB25ABC3E146EAA3E21369A3E4A898B3EEA837C3E3C7C643EF6BD4E3E64113B3E1D44293E8428193E55950A3E70CAFA3DC4ECE23D8254CD3D56CAB93D2E1CA83DBF1C983D0BA3893DF913793D0760613D86ED4B3D8385383D45F6263DCE12173D69B2083D8160F73C00D6DF3CFE88CA3CE942B73C5DD2A53CAE0A963C6BC3873C02B0753CA94E5E3CE526493C8202363C74B0243C5B04153C10D6063C7702F43BFFC9DC3B38C7C73B4CC4B43B8690A33BD4FF933B53EA853BDC57723BFC475B3BF169463B4288333B9072223B14FD123B3200053B2AB0F03A9CC8D93A0C0FC53A604EB23A8D56A13A18FC913AAB17843A5D0B6F3ADB4B583A87B6433AA416313A7A3C203ADDFC103ABA30033A7069ED39B3D1D6395B60C23908E1AF3955249F3961FF8F395D4B82395DCA6B39205A5539860C41398AAD2E391A0E1E39A0030F3991670139202EEA381EE5D33803BBBF38257CAD38C5F99C3897098E3853858038B4946838A8725238CE6B3E38D64C2C3853E71B3843110D384249FF3713FEE637B902D137E31EBD379A1FAB37C1D69A37A11A8C37F08A7D373A6A65374E954F373ED43B376CF429370CC81937AF250B37A9CFFB3622D9E336622ACE36DB8BBA3649CBA83630BB983668328A366A177A36C84A6236F0C14C36B64539362EA427362AB01736CB4009362C62F83526BFE035F55BCB35CC01B835167FA635F7A69635D5508835EBAF763538365F356BF8493517C03635FF5B2535939F153582620735A100F534F9AFDD344F97C8349680B534E53AA434FC999434D075863449547334642C5C349C38473442433434C41B23342E961334BB8A0534DEAAF13375ABDA334EDCC5331A08B3339AFEA1332794923342A184335A047033262D59336282443319CF313362E32033E293113360B90333BA60EE3275B1D732D22AC3323B98B03219CA9F325E95903214D38232F7BF6C325B3856329BD541327C632F32BCB21E3297980F325BEE01320C22EB31D4C1D431B882C031D930AE31479D9D31899D8E31320B8131F6866931DC4D533126323F314E002D31B7891C3133A40D3195290031AEEEE7306EDCD130E0E3BD30D8D1AB300A789B3090AC8C3007937E302F596630876D5030E3973C3072A52A303A681A309EB60B30F3D5FC2F76C6E42F2001CF2F2A4EBB2F1A7BA92F465A992F5BC28A2FE91B7B2F7D36632F37974D2FB1063A2FCB52282F2A4E182FC2CF092FE464F92E3FA9E12EC72FCC2E75C1B82E832CA72EE243972ED2DE882EDFB0772EB81E602ECBCA4A2E727E372E3C08262E6C3B162E87EF072ED3FFF52DE296DE2D3F68C92DA43DB62DF5E5A42DC534952DDE01872DBD51742DBA115D2D1F08482D06FF342DAAC5232DE92F142D"> : tensor<256xf32> at <@flash, 272>
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
  %e = tir.allocate_const @exp : !tir.buffer<256xf32>
  tir.softmax ins(%row, %e : !tir.buffer<1x16xi8>, !tir.buffer<256xf32>) outs(%output1 : !tir.buffer<1x16xi8>)
      {output_scale = 0.00390625 : f32, output_zp = -128, input_scale = 0.1 : f32, input_zp = -128}
  tir.copy ins(%output1 : !tir.buffer<1x16xi8>) outs(%output2 : !tir.buffer<16xi8>)
  %half = tir.decl_buffer %output1[8] : !tir.buffer<1x16xi8> -> !tir.buffer<8xi8>
  tir.copy ins(%half : !tir.buffer<8xi8>) outs(%output3 : !tir.buffer<8xi8>)
  %quarter = tir.decl_buffer %output1[4] strides [8, 1] : !tir.buffer<1x16xi8> -> !tir.buffer<2x4xi8>
  tir.copy ins(%quarter : !tir.buffer<2x4xi8>) outs(%output4 : !tir.buffer<8xi8>)
}
