// tir.softmax on the NPU: tir-legalize-npu appends the NPU sequence's int32
// constants to the table and adds a workspace (planned like any buffer);
// convert-tir-to-npu emits Vela's softmax sequence (the 1024-byte exp table
// into four lookup slots, a 1xC max pool, x - max through the 32-bit table,
// the int32 steps of the reciprocal, the scaled exponentials shifted to
// int8). The lowered program equals the tir one bit for bit. Over 4095
// channels the softmax stays on the CPU with a remark.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL:      tir.constant @exp_npu = dense<{{.*}}> : tensor<266xi32>
// LEGAL:      %[[T:.*]] = tir.allocate_const @exp_npu : !tir.buffer<266xi32>
// LEGAL-NEXT: %[[W:.*]] = tir.allocate : !tir.buffer<400xi8>
// LEGAL-NEXT: tir.softmax ins(%x, %[[T]], %[[W]] : !tir.buffer<3x10xi8>, !tir.buffer<266xi32>, !tir.buffer<400xi8>) outs(%y
// LEGAL:      tir.softmax ins(%wide, %{{.*}} : !tir.buffer<1x4100xi8>, !tir.buffer<256xi32>) outs(%ywide

// SAME: equivalent: @main
// REMARK: remark: 'tir.softmax' op in @main stays on the CPU: softmax over 4100 channels: the sum of exponentials could pass int32 beyond 4095 (LiteRT wraps, the NPU not)

// CHECK:      npu.invoke @main_npu0 ins(%x, %{{.*}} : !tir.buffer<3x10xi8>, !tir.buffer<266xi32>) outs(%y : !tir.buffer<3x10xi8>)
// CHECK:      tir.softmax {{.*}}npu_cpu = "softmax over 4100 channels
// CHECK:      npu.command_stream @main_npu0
// CHECK:        npu.region 259 lut
// CHECK-NEXT:   npu.dma {{.*}}dest = #npu.range<259, 22528, 1024>}
// CHECK-NEXT:   npu.pooling {pool_type = "max", {{.*}}kernel = #npu.kernel<[1, 10]>
// CHECK-NEXT:   npu.elementwise {op_type = "sub", ifm = #npu.feature_map<int8, [3, 1, 10]{{.*}}ofm = #npu.feature_map<int32, [3, 1, 10]{{.*}}zero_point = 127>{{.*}}activation = #npu.activation<table>
// CHECK-NEXT:   npu.elementwise {op_type = "shr"{{.*}}rounding_mode = "natural"
// CHECK-NEXT:   npu.pooling {pool_type = "reduce_sum"
// CHECK-NEXT:   npu.elementwise {op_type = "clz"
// CHECK-COUNT-8:   npu.elementwise
// CHECK-NEXT:   npu.elementwise {op_type = "mul"{{.*}}ofm_scale = array<i64: 1073741824, 31>
// CHECK-COUNT-16:  npu.elementwise
// CHECK-NEXT:   npu.elementwise {op_type = "shr", {{.*}}ofm = #npu.feature_map<int8, [3, 1, 10]{{.*}}zero_point = -128>{{.*}}rounding_mode = "natural"
// CHECK-NEXT: }

tir.constant @exp = dense<"0x0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001000000010000000100000001000000010000000100000001000000010000000100000001000000010000000200000002000000020000000200000002000000030000000300000003000000040000000400000004000000050000000500000006000000070000000700000008000000090000000A0000000B0000000C0000000D0000000F00000010000000120000001400000016000000180000001B0000001E0000002100000024000000280000002C00000031000000360000003C00000042000000490000005100000059000000620000006D000000780000008500000093000000A2000000B3000000C6000000DB000000F20000000B0100002701000046010000690100008E010000B8010000E70100001A0200005202000091020000D60200002203000077030000D40300003B040000AD0400002B050000B605000050060000FA060000B5070000850800006A090000680A0000800B0000B60C00000C0E0000860F000028110000F6120000F51400002917000098190000491C0000431F00008D2200002F260000332A0000A32E00008B330000F6380000F43E000093450000E44C0000FA540000EA5D0000CB670000B5720000C57E00001B8C0000D79A000020AB00001FBD000003D10000FEE6000049FF0000231A0100CF3701009A580100D87C0100E5A4010029D101001502020026380200E7730200F1B50200ECFE0200954F0300B9A803003D0B04001D78040071F004006D75050064080600D1AA0600535E0700B6240800F6FF080046F2090011FE0A0006260C001B6D0D0097D60E00176610009C1F12008F071400D4221600D17618007B091B006CE11D00EB052100067F2400A355280098932C00C4433100277236000A2C3C00198042008A7E49004939510021C45900F8346300FEA36D00EE2B790055EA8500D4FF93008690A3004CC4B40038C7C70003CADC007702F4001FAC0D01B7082A01E96049010B056C01CB4D9201529DBC010560EB01AE0D1F02C22A580276499702A20BDD02FA232A0300587F031682DD03479345046E96B80428B237051A2CC405526C5F0639000B07C59FC807B6309A08F0CB810912C3810A58A59C0B2048D50C47CC2E0EFBA6AC0FF6AA5211821025138E832815802C6217C2BED719FA878F1C417D901F5852E22238888D260D859B2A4CAD162F7C790A347D9C8339871B903FB6753F4662CDA24D120CCD558F21D35E782BCC6874B6D173FFFFFF7F"> : tensor<256xi32>
tir.func @main(%x : !tir.buffer<3x10xi8>, %y : !tir.buffer<3x10xi8>,
               %wide : !tir.buffer<1x4100xi8>, %ywide : !tir.buffer<1x4100xi8>) {
  %e = tir.allocate_const @exp : !tir.buffer<256xi32>
  tir.softmax ins(%x, %e : !tir.buffer<3x10xi8>, !tir.buffer<256xi32>) outs(%y : !tir.buffer<3x10xi8>)
      {output_scale = 0.00390625 : f32, output_zp = -128, input_scale = 0.1 : f32, input_zp = -3}
  tir.softmax ins(%wide, %e : !tir.buffer<1x4100xi8>, !tir.buffer<256xi32>) outs(%ywide : !tir.buffer<1x4100xi8>)
      {output_scale = 0.00390625 : f32, output_zp = -128, input_scale = 0.1 : f32, input_zp = -3}
}
