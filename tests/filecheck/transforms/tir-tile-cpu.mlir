// RUN: tirconst-opt %s -p 'tir-tile{cascade=true smallest=true}' | filecheck %s
// RUN: tirconst-opt %s -p 'tir-tile{cascade=true smallest=true}' -o %t
// RUN: tirconst-run --check-equivalent %s %t
// RUN: tirconst-opt %s -p 'tir-tile{rows=1 cascade=true}' | filecheck %s --check-prefix=ROWS
// RUN: tirconst-opt %s -p 'tir-tile{rows=1 cascade=true}' -o %t1
// RUN: tirconst-run --check-equivalent %s %t1

// Ops the NPU cannot run (`npu_reason`) stay whole and outside cascades:
// the CPU runs the model's own operator on whole tensors (an unfolded pad,
// a stride-4 conv), so their inputs and outputs exist whole, and the
// cascades stop at them. The NPU ops around them are still cascaded.

// The conv+pool cascade before the pad writes stripes of the whole %b; the
// pad reads all of %b and writes all of %p; the conv+pool cascade after it
// reads row windows of %p.
// CHECK-LABEL: tir.func @pad_between
// CHECK:         %b = tir.allocate : !tir.buffer<1x8x2x8xi8>
// CHECK-NOT:     !tir.buffer<1x16x4x8xi8>
// CHECK:         %[[B0:.*]] = tir.decl_buffer %b[0] strides [128, 16, 8, 1] : !tir.buffer<1x8x2x8xi8> -> !tir.buffer<1x4x2x8xi8>
// CHECK:         tir.conv2d
// CHECK-NEXT:    tir.max_pool2d ins(%{{.*}} : !tir.buffer<1x8x4x8xi8>) outs(%[[B0]] :
// CHECK:         tir.max_pool2d
// CHECK-NEXT:    %p = tir.allocate : !tir.buffer<1x10x4x8xi8>
// CHECK-NEXT:    tir.pad ins(%b : !tir.buffer<1x8x2x8xi8>) outs(%p : !tir.buffer<1x10x4x8xi8>) {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>
// CHECK-NOT:     tir.pad
// CHECK:         tir.decl_buffer %p[0] strides [320, 32, 8, 1] : !tir.buffer<1x10x4x8xi8> -> !tir.buffer<1x3x4x8xi8>
// CHECK-NEXT:    tir.conv2d
// CHECK-NEXT:    tir.max_pool2d
// CHECK:       }

// The stride-4 conv reads the whole %b and writes the whole output (the
// search peaks in @pad_between, so this function's conv+pool stays whole
// too; ROWS below cascades it).
// CHECK-LABEL: tir.func @stride4
// CHECK:         %b = tir.allocate : !tir.buffer<1x15x4x4xi8>
// CHECK:         tir.max_pool2d ins(%a : !tir.buffer<1x16x4x4xi8>) outs(%b : !tir.buffer<1x15x4x4xi8>)
// CHECK-NEXT:    tir.conv2d ins(%b, %w4 : !tir.buffer<1x15x4x4xi8>, !tir.buffer<4x3x3x4xi8>) outs(%y : !tir.buffer<1x4x2x4xi8>) {stride = array<i64: 4, 1>
// CHECK-NEXT:  }

// Explicit rows too: one tile per output row of each cascade, the CPU ops
// whole.
// ROWS-LABEL: tir.func @pad_between
// ROWS-COUNT-8: tir.max_pool2d ins(%{{.*}} : !tir.buffer<1x2x4x8xi8>) outs(%{{.*}} : !tir.buffer<1x1x2x8xi8>)
// ROWS-NEXT:    %p = tir.allocate : !tir.buffer<1x10x4x8xi8>
// ROWS-NEXT:    tir.pad ins(%b : !tir.buffer<1x8x2x8xi8>) outs(%p : !tir.buffer<1x10x4x8xi8>)
// ROWS-NOT:     tir.pad
// ROWS-COUNT-5: tir.max_pool2d ins(%{{.*}} : !tir.buffer<1x2x4x4xi8>) outs(%{{.*}} : !tir.buffer<1x1x2x4xi8>)
// ROWS-LABEL: tir.func @stride4
// ROWS:         %b = tir.allocate : !tir.buffer<1x15x4x4xi8>
// ROWS-NOT:     !tir.buffer<1x16x4x4xi8>
// ROWS-COUNT-15: tir.max_pool2d ins(%{{.*}} : !tir.buffer<1x2x4x4xi8>) outs(%{{.*}} : !tir.buffer<1x1x4x4xi8>)
// ROWS-NEXT:    tir.conv2d ins(%b, %w4 : !tir.buffer<1x15x4x4xi8>, !tir.buffer<4x3x3x4xi8>) outs(%y : !tir.buffer<1x4x2x4xi8>)
// ROWS-NOT:     tir.conv2d

builtin.module {
  tir.constant @w1 = dense<"0x00FC060702FCF80201FEFA0203040206FE07F801FDFD0104FCFAFE0502FA02FBFCFDFBF8010305FCFBFA07FC05FB0205FF020206FAF9FDF805F807FF00F8FB05FDF902FA0703F804FAFBFFF9040104FFFC05F805FF0001FC00FDFFFD0206FCFC07FBFA03F9FAFBFC01040007FD0007FFF907FEFFF9F9FA000000FA0102F80300FEFAFE00FCF90507FEF80404FB060604"> : tensor<8x3x3x2xi8>
  tir.constant @w2 = dense<"0x03FAFC03FDFAFC01FEFFFCFDF8FFFA070606FDFF00FFF9FBFA02FD050602F8FAFE040005FBFE0401F905FDF90004FBF8F80305FF03FDFAF800F9FBFA0704040007FCFE07FAFCFDFF00FD070405000406FFFF04050407F902FBFF07FF04FB010000FCFAFC07F9FBFFF804F9FEFCFAFDFB0003FC070606F8F8020106F9FDFCFCFBFF01F907FDF8FA0301FF0406FD07FDFBFA060103000601FDFBF8FBFFFA0307F8FEFBF901F8F8FF0506000602060400FAF9FC0200FDFE00FC06FEF80703FFFD06F90602FA000200000001010702050505F9FEFB03F9000402FF0704F8FE03060304FAFBFF00FCFEF9060101FB04FE00000303F803FFFD0700F9F9060106F9F90505F90102FA04FFFDFB040202FC01FA01060403F901F9FAF8F9F8F802FF05FBFE"> : tensor<4x3x3x8xi8>
  tir.constant @w3 = dense<"0xFBFAFA01000003FDFAFC04FBFCFFFFFAFDFE02FE03000705020402FEFEFEFAFEF9FFFC0102FB000703F8FEFEF903F801F9FA00FFFF0706010307F9FFFF03FD02FCFAF9000505FA02"> : tensor<4x3x3x2xi8>
  tir.constant @w4 = dense<"0xF8000607FAF801FA05FC0400FAFE03FFF90102FDFDF9FDFBFA06FEF806FAF8FEFCFBFF05FF0104F9000107FEFC01040702FD0107FA00F8FB04FF07F8FB040702000302F801FD06FC03FBFBFFF900040500FF04F9030600020205FF00070103FA01FBFF05FE04FD05FDF901FF01F90607FEFFFD01FBF9FE06F9050607FBF90501FFF806FCF905FBFA0705F90102FCFCFB"> : tensor<4x3x3x4xi8>
  tir.func @pad_between(%x : !tir.buffer<1x16x4x2xi8>, %y : !tir.buffer<1x5x2x4xi8>) {
    %w1 = tir.allocate_const @w1 : !tir.buffer<8x3x3x2xi8>
    %w2 = tir.allocate_const @w2 : !tir.buffer<4x3x3x8xi8>
    %a = tir.allocate : !tir.buffer<1x16x4x8xi8>
    tir.conv2d ins(%x, %w1 : !tir.buffer<1x16x4x2xi8>, !tir.buffer<8x3x3x2xi8>) outs(%a : !tir.buffer<1x16x4x8xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, input_zp = -3 : i64, output_zp = 5 : i64, act_min = -128 : i64, act_max = 127 : i64, multiplier = array<i32: 1073741824, 1073754169, 1073766514, 1073778859, 1073791204, 1073803549, 1073815894, 1073828239>, shift = array<i32: -3, -3, -3, -3, -3, -3, -3, -3>}
    %b = tir.allocate : !tir.buffer<1x8x2x8xi8>
    tir.max_pool2d ins(%a : !tir.buffer<1x16x4x8xi8>) outs(%b : !tir.buffer<1x8x2x8xi8>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
    %p = tir.allocate : !tir.buffer<1x10x4x8xi8>
    tir.pad ins(%b : !tir.buffer<1x8x2x8xi8>) outs(%p : !tir.buffer<1x10x4x8xi8>) {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, pad_value = 5 : i64}
    %c = tir.allocate : !tir.buffer<1x10x4x4xi8>
    tir.conv2d ins(%p, %w2 : !tir.buffer<1x10x4x8xi8>, !tir.buffer<4x3x3x8xi8>) outs(%c : !tir.buffer<1x10x4x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, input_zp = -3 : i64, output_zp = 5 : i64, act_min = -128 : i64, act_max = 127 : i64, multiplier = array<i32: 1073741824, 1073754169, 1073766514, 1073778859>, shift = array<i32: -3, -3, -3, -3>}
    tir.max_pool2d ins(%c : !tir.buffer<1x10x4x4xi8>) outs(%y : !tir.buffer<1x5x2x4xi8>) {window = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
  }
  tir.func @stride4(%x : !tir.buffer<1x16x4x2xi8>, %y : !tir.buffer<1x4x2x4xi8>) {
    %w3 = tir.allocate_const @w3 : !tir.buffer<4x3x3x2xi8>
    %w4 = tir.allocate_const @w4 : !tir.buffer<4x3x3x4xi8>
    %a = tir.allocate : !tir.buffer<1x16x4x4xi8>
    tir.conv2d ins(%x, %w3 : !tir.buffer<1x16x4x2xi8>, !tir.buffer<4x3x3x2xi8>) outs(%a : !tir.buffer<1x16x4x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, input_zp = -3 : i64, output_zp = 5 : i64, act_min = -128 : i64, act_max = 127 : i64, multiplier = array<i32: 1073741824, 1073754169, 1073766514, 1073778859>, shift = array<i32: -3, -3, -3, -3>}
    %b = tir.allocate : !tir.buffer<1x15x4x4xi8>
    tir.max_pool2d ins(%a : !tir.buffer<1x16x4x4xi8>) outs(%b : !tir.buffer<1x15x4x4xi8>) {window = array<i64: 2, 1>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
    tir.conv2d ins(%b, %w4 : !tir.buffer<1x15x4x4xi8>, !tir.buffer<4x3x3x4xi8>) outs(%y : !tir.buffer<1x4x2x4xi8>) {stride = array<i64: 4, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = -3 : i64, output_zp = 5 : i64, act_min = -128 : i64, act_max = 127 : i64, multiplier = array<i32: 1073741824, 1073754169, 1073766514, 1073778859>, shift = array<i32: -3, -3, -3, -3>}
  }
}
