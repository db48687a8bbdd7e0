// RUN: tirconst-opt %s -p 'tir-tile{rows=2 depth=16 cascade=true}' | filecheck %s
// RUN: tirconst-opt %s -p 'tir-tile{rows=2 depth=16 cascade=true}' -o %t
// RUN: tirconst-run --check-equivalent %s %t
// RUN: tirconst-opt %s -p 'tir-tile{rows=1}' -o %t1
// RUN: tirconst-run --check-equivalent %s %t1
// RUN: tirconst-opt %s -p 'tir-tile{rows=3 depth=16 cascade=true},tir-stage-weights{fc=stage}' -o %t2
// RUN: tirconst-run --check-equivalent %s %t2
// RUN: tirconst-opt %s -p 'tir-tile{rows=2},tir-tile{depth=16}' -o %t3
// RUN: tirconst-run --check-equivalent %s %t3

// Each op kind tiled over OFM height (rows=2) and depth (depth=16): tiles
// read strided views of the whole input (the window of their rows, with
// padding only where it leaves the input) and write views of the whole
// output; depth slices read their own weight and bias slices (new module
// constants) and per-channel requantization.

// CHECK-DAG:   tir.constant @w_slice0 = dense<{{.*}}> : tensor<16x3x3x3xi8>
// CHECK-DAG:   tir.constant @w_slice1 = dense<{{.*}}> : tensor<16x3x3x3xi8>
// CHECK-DAG:   tir.constant @dw_slice0 = dense<{{.*}}> : tensor<1x3x3x16xi8>
// CHECK-DAG:   tir.constant @fw_slice1 = dense<{{.*}}> : tensor<16x8xi8>
// CHECK-NOT:   tir.constant @w =
// CHECK-NOT:   tir.constant @dw =

// CHECK-LABEL: tir.func @conv
// CHECK:         %w_slice0 = tir.allocate_const @w_slice0 : !tir.buffer<16x3x3x3xi8>
// CHECK-NEXT:    %w_slice1 = tir.allocate_const @w_slice1 : !tir.buffer<16x3x3x3xi8>
// CHECK:         %[[Y1:.*]] = tir.decl_buffer %y[0] strides [384, 96, 32, 1] : !tir.buffer<1x4x3x32xi8> -> !tir.buffer<1x2x3x16xi8>
// CHECK-NEXT:    %[[X1:.*]] = tir.decl_buffer %x[0] strides [105, 15, 3, 1] : !tir.buffer<1x7x5x3xi8> -> !tir.buffer<1x4x5x3xi8>
// CHECK-NEXT:    tir.conv2d ins(%[[X1]], %w_slice0, %b_slice0 : {{.*}}) outs(%[[Y1]] : !tir.buffer<1x2x3x16xi8>) {{{.*}}pad = array<i64: 1, 1, 0, 1>{{.*}}multiplier = array<i32: [[M0:1225315747]], {{.*}}, 1914224475>, shift = array<i32: -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4>
// CHECK:         tir.decl_buffer %y[16] strides [384, 96, 32, 1]
// CHECK:         tir.conv2d ins(%{{.*}}, %w_slice1, %b_slice1
// CHECK:         tir.decl_buffer %y[192] strides [384, 96, 32, 1]
// CHECK-NEXT:    tir.decl_buffer %x[45] strides [105, 15, 3, 1] : !tir.buffer<1x7x5x3xi8> -> !tir.buffer<1x4x5x3xi8>
// CHECK-NEXT:    tir.conv2d {{.*}}pad = array<i64: 0, 1, 1, 1>{{.*}}multiplier = array<i32: [[M0]],
// CHECK:         tir.decl_buffer %y[208]
// CHECK-NEXT:    tir.decl_buffer %x[45]
// CHECK-NEXT:    tir.conv2d
// CHECK-NOT:     tir.conv2d
// CHECK:       }

// A depthwise depth slice also views its input channels.
// CHECK-LABEL: tir.func @depthwise
// CHECK:         %[[Y:.*]] = tir.decl_buffer %y[16] strides [800, 160, 32, 1] : !tir.buffer<1x5x5x32xi8> -> !tir.buffer<1x2x5x16xi8>
// CHECK-NEXT:    %[[X:.*]] = tir.decl_buffer %x[16] strides [800, 160, 32, 1] : !tir.buffer<1x5x5x32xi8> -> !tir.buffer<1x3x5x16xi8>
// CHECK-NEXT:    tir.depthwise_conv2d ins(%[[X]], %w_slice1 : !tir.buffer<1x3x5x16xi8>, !tir.buffer<1x3x3x16xi8>) outs(%[[Y]]
// CHECK-COUNT-4: tir.depthwise_conv2d
// CHECK:       }

// Fully connected: depth slices only (output columns).
// CHECK-LABEL: tir.func @fc
// CHECK:         %[[Y:.*]] = tir.decl_buffer %y[16] strides [32, 1] : !tir.buffer<2x32xi8> -> !tir.buffer<2x16xi8>
// CHECK-NEXT:    tir.fully_connected ins(%x, %w_slice1, %b_slice1 : !tir.buffer<2x8xi8>, !tir.buffer<16x8xi8>, !tir.buffer<16xi32>) outs(%[[Y]]

// Pooling keeps its bottom padding on the last stripe only.
// CHECK-LABEL: tir.func @pool
// CHECK:         tir.avg_pool2d ins(%{{.*}} : !tir.buffer<1x5x6x4xi8>) outs(%{{.*}} : !tir.buffer<1x2x3x4xi8>) {{{.*}}pad = array<i64: 0, 0, 0, 1>
// CHECK:         tir.avg_pool2d ins(%{{.*}} : !tir.buffer<1x2x6x4xi8>) outs(%{{.*}} : !tir.buffer<1x1x3x4xi8>) {{{.*}}pad = array<i64: 0, 0, 1, 1>

// CHECK-LABEL: tir.func @add
// CHECK:         %[[A:.*]] = tir.decl_buffer %a[16] strides [32, 8, 4, 1] : !tir.buffer<1x4x2x4xi8> -> !tir.buffer<1x2x2x4xi8>
// CHECK-NEXT:    %[[C:.*]] = tir.decl_buffer %c[16] strides [32, 8, 4, 1]
// CHECK-NEXT:    tir.add ins(%[[A]], %[[C]] :

// A cascade: the 1x8x3x4 intermediate %t never exists; each pool stripe's
// rows come from a conv stripe into its own small buffer (the rows the pool
// window needs: 6, then 2).
// CHECK-LABEL: tir.func @cascade
// CHECK-NOT:     !tir.buffer<1x8x3x4xi8>
// CHECK:         %[[T0:.*]] = tir.allocate : !tir.buffer<1x6x3x4xi8>
// CHECK-NEXT:    %[[X0:.*]] = tir.decl_buffer %x[0] strides [48, 6, 2, 1] : !tir.buffer<1x8x3x2xi8> -> !tir.buffer<1x7x3x2xi8>
// CHECK-NEXT:    tir.conv2d ins(%[[X0]], %w : {{.*}}) outs(%[[T0]] : !tir.buffer<1x6x3x4xi8>) {{{.*}}pad = array<i64: 1, 1, 0, 1>
// CHECK-NEXT:    tir.max_pool2d ins(%[[T0]] : !tir.buffer<1x6x3x4xi8>) outs(%{{.*}} : !tir.buffer<1x2x3x4xi8>) {{{.*}}pad = array<i64: 0, 0, 0, 0>
// CHECK:         %[[T1:.*]] = tir.allocate : !tir.buffer<1x2x3x4xi8>
// CHECK-NEXT:    %[[X1:.*]] = tir.decl_buffer %x[30]
// CHECK-NEXT:    tir.conv2d ins(%[[X1]], %w : {{.*}}) outs(%[[T1]] : !tir.buffer<1x2x3x4xi8>) {{{.*}}pad = array<i64: 0, 1, 1, 1>
// CHECK-NEXT:    tir.max_pool2d ins(%[[T1]] : {{.*}}) {{{.*}}pad = array<i64: 0, 0, 1, 0>

// A pad stays on the CPU (one tir-legalize-npu did not fold), which runs
// the model's operator on whole tensors: it is neither tiled nor cascaded,
// and the pool after it reads row windows of the whole %p
// (tir-tile-cpu.mlir has more).
// CHECK-LABEL: tir.func @pad_cascade
// CHECK:         %p = tir.allocate : !tir.buffer<1x8x5x2xi8>
// CHECK-NEXT:    tir.pad ins(%x : !tir.buffer<1x6x3x2xi8>) outs(%p : !tir.buffer<1x8x5x2xi8>) {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>
// CHECK-NOT:     tir.pad
// CHECK:         %[[P0:.*]] = tir.decl_buffer %p[0] strides [80, 10, 2, 1] : !tir.buffer<1x8x5x2xi8> -> !tir.buffer<1x3x5x2xi8>
// CHECK-NEXT:    tir.max_pool2d ins(%[[P0]] :
// CHECK-COUNT-3: tir.max_pool2d

builtin.module {
  tir.constant @w = dense<"0x0706FAFF0703F800FE02FD040301FD0704F906F8070206FA05FE02050203050702FF04FB02FA05FCFCFFFF05FCF9FDFEFAFE06FCFBFD060504FB04FCFCFC04FEFA070502F8FA0300FEF807F9FBF9F8F8FBFB0105FAFB06040201FF0501040400FC01FC05FBFCFEFDF80506FF02FF0504FCF903F9FAFA01FCFAF805F9F8FFF9FFF800F9070000FDFAFD03FAFE02FEFBFEFDFAFE060002F9FB060701000107FAFC07F9F9F8FB06F904FC0106F8FC0504FCFF0700FF04FFFBFFFC0206F90501F907F8FB0403FFFAFA0705FA01F9FE050003F802F8FC0505000003FC040600FD06FCF9070503FFFFFAFAF8FD01FDFAF8FC07FAFD04FEFAF9F900050707FCFEFD02F9FC0003FEFCF8010102F902FFFD030504050506FD040406010300050403F8050604FEFEFEFB04FAF805FE0703FB02FD000602FC05FDF801FFF8FFFBFDFDFA07F8FAFBF8FFFBF9FA02FFFEFA04FCFAFC05FAF8F8FB00070401FA070604F80301FCFDFAFBFD03FFF805FDF80601FFFDFE00FCFEFF02FA010400FF07F907FF01040407FF05F807FB05FAFB06000000F8050503F802F9F8060602FBFBFE04FEFAFF0400010105FD04F8FB0106FA000503FE04FA0302FD050107FBFE0403FF060206F9FD06FDFB02FA0705FB010602FCF9FF0500F8F805FB03FE060003FFFCFCF904FF00FAF801F8F8FAFCFAFBFE06FA0405F801FE01050707FC02FDF905FCFB07FC03000403FEFB050605F9050007FBFAFAFCF9F9FDFF0200F9FB04FEFC0302FB02020102FB0505F9F9040503F907FEFA0307FDFEF906010400FAFFF904F8FEFCFFFF03FFFDFDFCF9F8060400F80405FAFBFEFBFAFD01FE010601FD01F906FEF8FCF80500FDFF0705FE02FBFA07FFFCFEFC060600FD07FA050205FDFA06FF04FF0306000304F905F8F802F9FB02FCFE0005FBFDFF07020300030405FAFF0606FDFBFB0202FA05FFFE0405020300FDFAFCF8F9FCFF0104FDFAFD0504FD06FF07FAF9FAFA05FCFAFB02F8FEFAFE05040204F9FDFAFBF9F804FF070304FF0003070603FAFFFBFF00FBF8FFFE0407FC00FF03FFF806FAFF02FF05FBFC07F8060003F805FE06F8F901FF02F9F904FDFBFDFA04F902F9F8FF04FAFFFEFE02FDFCF8F9050203FF05FB00FC04FE02FFFD04FAFC06FEFEFAFEFA06FF03F80505FD07FDFE010502FEFE00F905FAFE0401FE02FC0605FFFDFCFFFA07F906FA0000000605FB00FCFB"> : tensor<32x3x3x3xi8>
  tir.constant @b = dense<"0x3300000063000000ABFFFFFFCCFFFFFFB9FFFFFFCFFFFFFFDAFFFFFFAAFFFFFF4F000000CFFFFFFF5400000034000000BEFFFFFF2700000036000000B5FFFFFFB5FFFFFFE7FFFFFFA9FFFFFFF0FFFFFFFBFFFFFF200000000E000000F7FFFFFFC8FFFFFF11000000F7FFFFFF43000000270000002D0000000E000000E5FFFFFF"> : tensor<32xi32>
  tir.constant @dw = dense<"0xFB05F9FC03F904FF0705FE01F900FAFDFC02FFFAFA01F9F90303FBF8FC02F8FB04FDFDFE040002FC0002FCFAFBF9FEFDFB0306030006FAFDF801FB0603010201F9FDFCFA010204070407020600FEFD04FA03FDFAFA0400040507FD0302FEFD04FB03FF03F9FB0501FAF8FEFDFB06060602FBF807F9010003050302FD06FDF90002050100030403F9FC0403F9FBF8F8FF04FD050001F9FFFBFAFB00FCFFFE07FAFCFB010600FF00000201FCFC00FD0704FCF90007040000FCFF02070605FB04040403FC04F8020000FF02FA0606F8FAFA00FEFFF9FCFAF807F8FCFFFF020205FE00FA060306FF01FCFE02F90201060505F8FB0204060205F906F9F9070101040302FA0403FCFCF9FB0702FC06FCFDFFFE03FE0707FD04FDFB000007F90303FD05"> : tensor<1x3x3x32xi8>
  tir.constant @fw = dense<"0xFEFAFE01F80605FE06FA040705FF0007F9FE06F807FAF90200FC0404F9FC0103FEFC060101020000FEFD0100FB00F9FCFE0501FA00FAFCFEFE05FB03F9F90607FBFE000700F800FB04FD02F80706070707030602FBFDFA04F907FE050707F9FDFAF80305F8FBFB02FF03030201F800FE04FD07FDFD0002FEFBF8030306FB0700FDFBFDF8FE07FCF80201FCFB0203FDFFFBFA0101FF0203070404FF0404FBF9FCFC070000FDFB0003FC0500060501FDFF0307FD03FCFF01FB040503FF01FB0206FC0004FE0704FCF804FF0704050403FC0706FDFFF8FA0407F8FEF9FEFEF8F9FCFC0204FBFD07FD05FEFA06FBF8F8F80101FC03FBFAFDFD0404F80403FA00FD02"> : tensor<32x8xi8>
  tir.constant @cw = dense<"0x01F806FE000305FD03F8F90704F804040405FDFE070304F804FD07FAFEFDFEFFFBF905FFFF05FBFD07FD07070200FAFF03FAFA04050302FA04F906FD04FB07FB050601FA06010600"> : tensor<4x3x3x2xi8>
  tir.func @conv(%x : !tir.buffer<1x7x5x3xi8>, %y : !tir.buffer<1x4x3x32xi8>) {
    %w = tir.allocate_const @w : !tir.buffer<32x3x3x3xi8>
    %b = tir.allocate_const @b : !tir.buffer<32xi32>
    tir.conv2d ins(%x, %w, %b : !tir.buffer<1x7x5x3xi8>, !tir.buffer<32x3x3x3xi8>, !tir.buffer<32xi32>) outs(%y : !tir.buffer<1x4x3x32xi8>) {stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, input_zp = -3 : i64, output_zp = 5 : i64, act_min = -128 : i64, act_max = 127 : i64, multiplier = array<i32: 1225315747, 1490105741, 1810291363, 1923776201, 1674939733, 1723502288, 1389937840, 1998519884, 1272006071, 1860108284, 1169306327, 1719944829, 1343409300, 1382566724, 1443700474, 1914224475, 1921912053, 1343538331, 1652130673, 1154499140, 2029898554, 2107609791, 1463385213, 1653574439, 1650698335, 1904704497, 1148577458, 1641990486, 1979412036, 1730420558, 1670993352, 1110133350>, shift = array<i32: -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4>}
  }
  tir.func @depthwise(%x : !tir.buffer<1x5x5x32xi8>, %y : !tir.buffer<1x5x5x32xi8>) {
    %w = tir.allocate_const @dw : !tir.buffer<1x3x3x32xi8>
    tir.depthwise_conv2d ins(%x, %w : !tir.buffer<1x5x5x32xi8>, !tir.buffer<1x3x3x32xi8>) outs(%y : !tir.buffer<1x5x5x32xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, input_zp = -3 : i64, output_zp = 5 : i64, act_min = -128 : i64, act_max = 127 : i64, multiplier = array<i32: 1225315747, 1490105741, 1810291363, 1923776201, 1674939733, 1723502288, 1389937840, 1998519884, 1272006071, 1860108284, 1169306327, 1719944829, 1343409300, 1382566724, 1443700474, 1914224475, 1921912053, 1343538331, 1652130673, 1154499140, 2029898554, 2107609791, 1463385213, 1653574439, 1650698335, 1904704497, 1148577458, 1641990486, 1979412036, 1730420558, 1670993352, 1110133350>, shift = array<i32: -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4>, depth_multiplier = 1 : i64}
  }
  tir.func @fc(%x : !tir.buffer<2x8xi8>, %y : !tir.buffer<2x32xi8>) {
    %w = tir.allocate_const @fw : !tir.buffer<32x8xi8>
    %b = tir.allocate_const @b : !tir.buffer<32xi32>
    tir.fully_connected ins(%x, %w, %b : !tir.buffer<2x8xi8>, !tir.buffer<32x8xi8>, !tir.buffer<32xi32>) outs(%y : !tir.buffer<2x32xi8>) {input_zp = -3 : i64, filter_zp = 0 : i64, output_zp = 5 : i64, multiplier = array<i32: 1225315747, 1490105741, 1810291363, 1923776201, 1674939733, 1723502288, 1389937840, 1998519884, 1272006071, 1860108284, 1169306327, 1719944829, 1343409300, 1382566724, 1443700474, 1914224475, 1921912053, 1343538331, 1652130673, 1154499140, 2029898554, 2107609791, 1463385213, 1653574439, 1650698335, 1904704497, 1148577458, 1641990486, 1979412036, 1730420558, 1670993352, 1110133350>, shift = array<i32: -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4>, act_min = -128 : i64, act_max = 127 : i64}
  }
  tir.func @pool(%x : !tir.buffer<1x6x6x4xi8>, %y : !tir.buffer<1x3x3x4xi8>) {
    tir.avg_pool2d ins(%x : !tir.buffer<1x6x6x4xi8>) outs(%y : !tir.buffer<1x3x3x4xi8>) {window = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 1, 1>, act_min = -128 : i64, act_max = 127 : i64}
  }
  tir.func @add(%a : !tir.buffer<1x4x2x4xi8>, %c : !tir.buffer<1x4x2x4xi8>, %y : !tir.buffer<1x4x2x4xi8>) {
    tir.add ins(%a, %c : !tir.buffer<1x4x2x4xi8>, !tir.buffer<1x4x2x4xi8>) outs(%y : !tir.buffer<1x4x2x4xi8>) {lhs_zp = 1 : i64, rhs_zp = -2 : i64, output_zp = 3 : i64, left_shift = 20 : i64, lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, output_multiplier = 1073741824 : i64, output_shift = -20 : i64, act_min = -128 : i64, act_max = 127 : i64, lhs_scale = 1.0 : f32, rhs_scale = 1.0 : f32, output_scale = 4.0 : f32}
  }
  tir.func @cascade(%x : !tir.buffer<1x8x3x2xi8>, %y : !tir.buffer<1x3x3x4xi8>) {
    %w = tir.allocate_const @cw : !tir.buffer<4x3x3x2xi8>
    %t = tir.allocate : !tir.buffer<1x8x3x4xi8>
    tir.conv2d ins(%x, %w : !tir.buffer<1x8x3x2xi8>, !tir.buffer<4x3x3x2xi8>) outs(%t : !tir.buffer<1x8x3x4xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, input_zp = -3 : i64, output_zp = 5 : i64, act_min = -128 : i64, act_max = 127 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: -2, -2, -2, -2>}
    tir.max_pool2d ins(%t : !tir.buffer<1x8x3x4xi8>) outs(%y : !tir.buffer<1x3x3x4xi8>) {window = array<i64: 3, 1>, stride = array<i64: 3, 1>, pad = array<i64: 0, 0, 1, 0>, act_min = -128 : i64, act_max = 127 : i64}
  }
  tir.func @pad_cascade(%x : !tir.buffer<1x6x3x2xi8>, %y : !tir.buffer<1x7x4x2xi8>) {
    %p = tir.allocate : !tir.buffer<1x8x5x2xi8>
    tir.pad ins(%x : !tir.buffer<1x6x3x2xi8>) outs(%p : !tir.buffer<1x8x5x2xi8>) {padding = array<i64: 0, 0, 1, 1, 1, 1, 0, 0>, pad_value = -128 : i64}
    tir.max_pool2d ins(%p : !tir.buffer<1x8x5x2xi8>) outs(%y : !tir.buffer<1x7x4x2xi8>) {window = array<i64: 2, 2>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, act_min = -128 : i64, act_max = 127 : i64}
  }
}
