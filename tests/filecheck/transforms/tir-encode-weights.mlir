// RUN: tirconst-opt %s -p 'tir-encode-weights{policy=cycles}' -o %t.cycles.mlir
// RUN: filecheck %s --input-file=%t.cycles.mlir --check-prefix=CYCLES
// RUN: tirconst-run --check-equivalent %s %t.cycles.mlir
// RUN: tirconst-opt %s -p tir-encode-weights -o %t.mlir
// RUN: filecheck %s --input-file=%t.mlir
// RUN: tirconst-run --check-equivalent %s %t.mlir
// Lossless: the encoded module prints back to itself (cmp: lit's built-in diff
// leaves its own PYTHONPATH to the RUN lines after it).
// RUN: tirconst-opt %t.mlir -o %t.again.mlir && cmp %t.mlir %t.again.mlir
// Vela's choice of block config and traversal, and U65-512's two cores.
// RUN: tirconst-opt %s -p 'tir-encode-weights{policy=vela}' -o %t.vela.mlir
// RUN: tirconst-run --check-equivalent %s %t.vela.mlir
// RUN: tirconst-opt %s -p 'tir-encode-weights{accelerator=ethos-u65-512 policy=min-size}' -o %t.u65.mlir
// RUN: filecheck %s --input-file=%t.u65.mlir --check-prefix=U65
// RUN: tirconst-run --check-equivalent %s %t.u65.mlir
// The report: raw, encoded and ratio per constant and per layer, with totals.
// RUN: tirconst-opt %t.mlir -p 'tir-constant-report{file="%t.txt"}' -o /dev/null
// RUN: filecheck %s --input-file=%t.txt --check-prefix=REPORT --match-full-lines --strict-whitespace

// A conv with bias, two tiles reading views of one constant (their slices are
// identical: stored once), a depthwise conv without bias, and two fully
// connected ops reading two equal constants (one encoded constant), and a third
// reading the same weights with its own bias and requantization (the steps of
// an unrolled recurrent network): one constant holds the weight stream once
// between the two records sections, `[records f, g | stream | records h]`, and
// each op reads a view of its own bytes (records then stream, or stream then
// records). The raw constants nothing reads any more are gone.

// CHECK-NOT: tir.constant @w1 =
// CHECK:      tir.constant @w1_enc = dense<"0x{{[0-9a-f]+}}"> : tensor<464xui8> {tir.raw_bytes = 320 : i64}
// CHECK-NEXT: tir.constant @w2_enc = dense<"0x{{[0-9a-f]+}}"> : tensor<176xui8> {tir.raw_bytes = 96 : i64}
// CHECK-NEXT: tir.constant @dw_enc = dense<"0x{{[0-9a-f]+}}"> : tensor<208xui8> {tir.raw_bytes = 72 : i64}
// CHECK-NEXT: tir.constant @fc_enc = dense<"0x{{[0-9a-f]+}}"> : tensor<272xui8> {tir.raw_bytes = 160 : i64}
// CHECK-NEXT: tir.func @main
// CHECK-NEXT: %w1_enc = tir.allocate_const @w1_enc : !tir.buffer<464xui8>
// CHECK-NEXT: tir.conv2d ins(%x, %w1_enc : !tir.buffer<1x6x6x4xi8>, !tir.buffer<464xui8>) outs(%y : !tir.buffer<1x6x6x8xi8>) {stride = {{.*}}, act_max = 127 : i64, encoded_weights = #tir.encoded_weights<block_config = [6, 6, 8], core({{.*}})>}
// CHECK-NEXT: %w2_enc = tir.allocate_const @w2_enc : !tir.buffer<176xui8>
// CHECK-NEXT: tir.conv2d ins(%y, %w2_enc : {{.*}}) outs(%t0 : {{.*}}encoded_weights = #tir.encoded_weights<{{.*}}[8, 1, 1, 8]
// CHECK-NEXT: %w2_enc_1 = tir.allocate_const @w2_enc : !tir.buffer<176xui8>
// CHECK-NEXT: tir.conv2d ins(%y, %w2_enc_1 : {{.*}}) outs(%t1 :
// CHECK-NEXT: %dw_enc = tir.allocate_const @dw_enc : !tir.buffer<208xui8>
// CHECK-NEXT: tir.depthwise_conv2d ins(%t0, %dw_enc : !tir.buffer<1x6x6x8xi8>, !tir.buffer<208xui8>) outs(%d : {{.*}}depth_multiplier = 1 : i64, encoded_weights = #tir.encoded_weights<{{.*}}depthwise = true>)>}
// CHECK-NEXT: %r = tir.reshape
// CHECK-NEXT: %r2 = tir.decl_buffer %r[0]
// CHECK-NEXT: %fc_enc = tir.allocate_const @fc_enc : !tir.buffer<272xui8>
// CHECK-NEXT: %fc_enc_view = tir.decl_buffer %fc_enc[0] : !tir.buffer<272xui8> -> !tir.buffer<224xui8>
// CHECK-NEXT: tir.fully_connected ins(%r2, %fc_enc_view : !tir.buffer<2x32xi8>, !tir.buffer<224xui8>) outs(%f : {{.*}}filter_zp = 3 : i64{{.*}}encoded_weights = #tir.encoded_weights<block_config = [2, 2, 8], core(bias = [0, 40], weights = [48, 176], {{.*}}zero_point = 3>)>}
// CHECK-NEXT: %fc_copy_enc = tir.allocate_const @fc_enc : !tir.buffer<272xui8>
// CHECK-NEXT: %fc_copy_enc_view = tir.decl_buffer %fc_copy_enc[0] : !tir.buffer<272xui8> -> !tir.buffer<224xui8>
// CHECK-NEXT: tir.fully_connected ins(%r2, %fc_copy_enc_view : {{.*}}core(bias = [0, 40], weights = [48, 176],
// CHECK-NEXT: %fc_enc_1 = tir.allocate_const @fc_enc : !tir.buffer<272xui8>
// CHECK-NEXT: %fc_enc_view_1 = tir.decl_buffer %fc_enc_1[48] : !tir.buffer<272xui8> -> !tir.buffer<224xui8>
// CHECK-NEXT: tir.fully_connected ins(%r2, %fc_enc_view_1 : {{.*}}outs(%h : {{.*}}core(bias = [176, 40], weights = [0, 176],
// CHECK-NOT: tir.constant

// The fastest block by the cycle model: each 6x6 output in one block.
// CYCLES: tir.conv2d ins(%x, %w1_enc : {{.*}}block_config = [6, 6, 8]
// CYCLES: tir.conv2d ins(%y, %w2_enc : {{.*}}block_config = [6, 6, 8]

// Two cores: output channels 0, 2, ... in core 0's records and stream, 1, 3, ... in core 1's.
// U65: tir.constant @w1_enc = dense<"0x{{[0-9a-f]+}}"> : tensor<544xui8> {tir.raw_bytes = 320 : i64}
// U65: tir.conv2d ins(%x, %w1_enc : {{.*}}, !tir.buffer<544xui8>) {{.*}}encoded_weights = #tir.encoded_weights<block_config = [6, 6, 8], core(bias = [0, 40], weights = [48, 224], #npu.weight_encoding<"ethos-u65-512", [4, 3, 3, 4], block_depth = 8, traversal = part_kernel_first>), core(bias = [272, 40], weights = [320, 224], #npu.weight_encoding<"ethos-u65-512", [4, 3, 3, 4], block_depth = 8, traversal = part_kernel_first>)>}

//      REPORT:name       dtype  shape  bytes  users  raw  encoded  ratio  reads
// REPORT-NEXT:@w1_enc    uint8  464      464      1  320      464  1.450  @main: tir.conv2d
// REPORT-NEXT:@w2_enc    uint8  176      176      2   96      176  1.833  @main: tir.conv2d x2
// REPORT-NEXT:@dw_enc    uint8  208      208      1   72      208  2.889  @main: tir.depthwise_conv2d
// REPORT-NEXT:@fc_enc    uint8  272      272      3  160      272  1.700  @main: tir.fully_connected[0:224] x2; @main: tir.fully_connected[48:272]
// REPORT-NEXT:total (4)                 1120      7  648     1120  1.728
// REPORT-EMPTY:
// REPORT-NEXT:layer                           constant   raw  encoded  ratio  block  traversal
// REPORT-NEXT:@main: tir.conv2d %y            @w1_enc    320      464  1.450  6x6x8  part_kernel_first
// REPORT-NEXT:@main: tir.conv2d %t0           @w2_enc     96      176  1.833  6x6x8  part_kernel_first
// REPORT-NEXT:@main: tir.conv2d %t1           @w2_enc     96      176  1.833  6x6x8  part_kernel_first
// REPORT-NEXT:@main: tir.depthwise_conv2d %d  @dw_enc     72      208  2.889  4x4x8  depth_first
// REPORT-NEXT:@main: tir.fully_connected %f   @fc_enc    160      224  1.400  2x2x8  depth_first
// REPORT-NEXT:@main: tir.fully_connected %g   @fc_enc    160      224  1.400  2x2x8  depth_first
// REPORT-NEXT:@main: tir.fully_connected %h   @fc_enc    160      224  1.400  2x2x8  depth_first
// REPORT-NEXT:total (7 layers)                          1064     1696  1.594


builtin.module {
  tir.constant @w1 = dense<"0xA75427DD9734D95CD724AF0C9343983742F84C125D3F68918125393C50E65602ABBB49265C7847CD0FF7C3647A0DB4ECEF2B6E8890A8875FD4A98E885F6D9F404E7A71426A6CC1D81B410DAA9C53F43BCBB14DAF5EACA2519C2A45C8A2273F2F4F30DC7E1A5898EE388D35BBDE945F49714B9BB7E2727ED35AF73F156A7FF56584A58C644FB4FD4D1A2CB1A7DF8E556EDB826AA67A799232661069F4E012B5F7EE91F8BB38D1BDFFACE5C039BB4D77446BF6B9E5B386D5DBB949DCDACDC9B0AAAA229600B38C0DBEEE94FAA85CC2E994DF7DC622889FCE07D2E62BB252EAE5118D9A747484FF4194002FF1721B85AA2EBF56FFF21C94904221D5F0CEE6457E821BBF506834A9F293B998FC057DE03003826AC2BEFE44B815E4204F88FD8D56A7"> : tensor<8x3x3x4xi8>
  tir.constant @b1 = dense<"0x1CF5FFFFA3FEFFFFF0050000DAFCFFFF61FFFFFF48FBFFFFF1F8FFFF92080000"> : tensor<8xi32>
  tir.constant @w2 = dense<"0x0EFFF30C0212FD09EDF70AFE04EFF205F8F910F1FFF5F8F8ED0DF8ECFFF20FF6F20EEDF0FA14020CF5FD1405EF07130CF9F6F310130905F011ECF2060C0D0E070EFFF30C0212FD09EDF70AFE04EFF205F8F910F1FFF5F8F8ED0DF8ECFFF20FF6F20EEDF0FA14020CF5FD1405EF07130CF9F6F310130905F011ECF2060C0D0E07"> : tensor<16x1x1x8xi8>
  tir.constant @b2 = dense<"0xB5010000330100003DFFFFFF0EFEFFFF1F000000AA0100000D0100007CFFFFFF18000000A7FFFFFFF2FEFFFF1F010000F0FFFFFF44000000A2000000C3FFFFFF"> : tensor<16xi32>
  tir.constant @dw = dense<"0xAC985B6964166B860E07FF2C14F7EB1B26B07A7F3EFD2E8DC1C1F9594E3D370F65C15C3AE951D59DDF938E42F024F34022B0786608F3BF45CEB931E059DEE0EA845EA60F454CBB21"> : tensor<1x3x3x8xi8>
  tir.constant @fc = dense<"0xF5D239C52629CE061E0608081AF9DFE1F8FB0E01211911F526E2DD100817CFD92F313B22FBE6E62B091937E1D4DC1639D32BFACDD3D6DC352514230DF7CB281A2A040C15341F2B12E612F233031B23FA0B29D71BF80B09EFC5EFD734E413081138FDD81BED38D1D903031A1235DFF3EE03D8DED1160307F3E722DC15042319F3"> : tensor<4x32xi8>
  tir.constant @fc_copy = dense<"0xF5D239C52629CE061E0608081AF9DFE1F8FB0E01211911F526E2DD100817CFD92F313B22FBE6E62B091937E1D4DC1639D32BFACDD3D6DC352514230DF7CB281A2A040C15341F2B12E612F233031B23FA0B29D71BF80B09EFC5EFD734E413081138FDD81BED38D1D903031A1235DFF3EE03D8DED1160307F3E722DC15042319F3"> : tensor<4x32xi8>
  tir.constant @bf = dense<"0xEBFFFFFF63000000C7FFFFFF19000000"> : tensor<4xi32>
  tir.constant @bh = dense<"0x0500000000010000F9FFFFFF00000000"> : tensor<4xi32>
  tir.func @main(%x : !tir.buffer<1x6x6x4xi8>, %y : !tir.buffer<1x6x6x8xi8>, %t0 : !tir.buffer<1x6x6x8xi8>, %t1 : !tir.buffer<1x6x6x8xi8>, %d : !tir.buffer<1x4x4x8xi8>, %f : !tir.buffer<2x4xi8>, %g : !tir.buffer<2x4xi8>, %h : !tir.buffer<2x4xi8>) {
    %w1 = tir.allocate_const @w1 : !tir.buffer<8x3x3x4xi8>
    %b1 = tir.allocate_const @b1 : !tir.buffer<8xi32>
    tir.conv2d ins(%x, %w1, %b1 : !tir.buffer<1x6x6x4xi8>, !tir.buffer<8x3x3x4xi8>, !tir.buffer<8xi32>) outs(%y : !tir.buffer<1x6x6x8xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, input_zp = 3 : i64, output_zp = -2 : i64, multiplier = array<i32: 1942588027, 1425396244, 1423964636, 2019660536, 1797665258, 1811992889, 1178203945, 2079305818>, shift = array<i32: -6, -8, -8, -6, -9, -8, -8, -9>, act_min = -128 : i64, act_max = 127 : i64}
    %w2 = tir.allocate_const @w2 : !tir.buffer<16x1x1x8xi8>
    %b2 = tir.allocate_const @b2 : !tir.buffer<16xi32>
    %w2a = tir.decl_buffer %w2[0] : !tir.buffer<16x1x1x8xi8> -> !tir.buffer<8x1x1x8xi8>
    %b2a = tir.decl_buffer %b2[0] : !tir.buffer<16xi32> -> !tir.buffer<8xi32>
    %w2b = tir.decl_buffer %w2[64] : !tir.buffer<16x1x1x8xi8> -> !tir.buffer<8x1x1x8xi8>
    %b2b = tir.decl_buffer %b2[0] : !tir.buffer<16xi32> -> !tir.buffer<8xi32>
    tir.conv2d ins(%y, %w2a, %b2a : !tir.buffer<1x6x6x8xi8>, !tir.buffer<8x1x1x8xi8>, !tir.buffer<8xi32>) outs(%t0 : !tir.buffer<1x6x6x8xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = -2 : i64, output_zp = 0 : i64, multiplier = array<i32: 1500000000, 1500000000, 1500000000, 1500000000, 1500000000, 1500000000, 1500000000, 1500000000>, shift = array<i32: -7, -7, -7, -7, -7, -7, -7, -7>, act_min = -128 : i64, act_max = 127 : i64}
    tir.conv2d ins(%y, %w2b, %b2b : !tir.buffer<1x6x6x8xi8>, !tir.buffer<8x1x1x8xi8>, !tir.buffer<8xi32>) outs(%t1 : !tir.buffer<1x6x6x8xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = -2 : i64, output_zp = 0 : i64, multiplier = array<i32: 1500000000, 1500000000, 1500000000, 1500000000, 1500000000, 1500000000, 1500000000, 1500000000>, shift = array<i32: -7, -7, -7, -7, -7, -7, -7, -7>, act_min = -128 : i64, act_max = 127 : i64}
    %dw = tir.allocate_const @dw : !tir.buffer<1x3x3x8xi8>
    tir.depthwise_conv2d ins(%t0, %dw : !tir.buffer<1x6x6x8xi8>, !tir.buffer<1x3x3x8xi8>) outs(%d : !tir.buffer<1x4x4x8xi8>) {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, input_zp = 0 : i64, output_zp = 1 : i64, multiplier = array<i32: 1413986149, 1100514300, 1076994325, 1575329415, 1649577666, 1728117991, 2127957493, 1349445897>, shift = array<i32: -7, -9, -7, -9, -9, -9, -7, -9>, act_min = -100 : i64, act_max = 100 : i64, depth_multiplier = 1 : i64}
    %r = tir.reshape %d : !tir.buffer<1x4x4x8xi8> -> !tir.buffer<4x32xi8>
    %fc = tir.allocate_const @fc : !tir.buffer<4x32xi8>
    %bf = tir.allocate_const @bf : !tir.buffer<4xi32>
    %r2 = tir.decl_buffer %r[0] : !tir.buffer<4x32xi8> -> !tir.buffer<2x32xi8>
    tir.fully_connected ins(%r2, %fc, %bf : !tir.buffer<2x32xi8>, !tir.buffer<4x32xi8>, !tir.buffer<4xi32>) outs(%f : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64}
    %fc2 = tir.allocate_const @fc_copy : !tir.buffer<4x32xi8>
    tir.fully_connected ins(%r2, %fc2, %bf : !tir.buffer<2x32xi8>, !tir.buffer<4x32xi8>, !tir.buffer<4xi32>) outs(%g : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = -3 : i64, multiplier = array<i32: 1300000000>, shift = array<i32: -8>, act_min = -128 : i64, act_max = 127 : i64}
    %bh = tir.allocate_const @bh : !tir.buffer<4xi32>
    tir.fully_connected ins(%r2, %fc, %bh : !tir.buffer<2x32xi8>, !tir.buffer<4x32xi8>, !tir.buffer<4xi32>) outs(%h : !tir.buffer<2x4xi8>) {input_zp = 1 : i64, filter_zp = 3 : i64, output_zp = 5 : i64, multiplier = array<i32: 1100000000>, shift = array<i32: -7>, act_min = -128 : i64, act_max = 127 : i64}
  }
}
