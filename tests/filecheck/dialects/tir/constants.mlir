// Constant data in text: every TIR dtype, module-level (tir.constant) and inline
// (tir.allocate_const), in list form (<= 16 elements) and hex form (more, or
// any nan/inf); the 16-element threshold; exact floats; elision for reading and
// its refusal as input. Expected hex is numpy's little-endian bytes.
// RUN: tirconst-opt %s | filecheck %s
// RUN: tirconst-opt %s | tirconst-opt | filecheck %s
// RUN: tirconst-opt %s --elide-constants-above 16 | filecheck %s --check-prefix=ELIDE
// RUN: tirconst-opt %s --elide-constants-above 16 | not tirconst-opt 2>&1 \
// RUN:   | filecheck %s --check-prefix=REFUSE

// REFUSE-NOT: Traceback
// REFUSE: stdin:{{[0-9]+}}:{{[0-9]+}}: error: constant data was elided when this text was printed; elided text is for reading only and cannot be parsed back
// REFUSE-NOT: Traceback

// CHECK-LABEL: builtin.module {
// ELIDE-LABEL: builtin.module {
builtin.module {

  // Every dtype, small: a list in, the same list out; hex in, a list out.
  // CHECK-NEXT: tir.constant @i1_list = dense<[true, false, false, true]> : tensor<4xi1>
  // CHECK-NEXT: tir.constant @i1_from_hex = dense<[true, false, false, true]> : tensor<2x2xi1>
  tir.constant @i1_list = dense<[true, false, false, true]> : tensor<4xi1>
  tir.constant @i1_from_hex = dense<"0x01000001"> : tensor<2x2xi1>
  // ELIDE: tir.constant @i1_list = dense<[true, false, false, true]> : tensor<4xi1>
  // CHECK-NEXT: tir.constant @i8_list = dense<[-128, 127, 0, -1]> : tensor<4xi8>
  // CHECK-NEXT: tir.constant @i8_from_hex = dense<[-128, 127, 0, -1]> : tensor<2x2xi8>
  tir.constant @i8_list = dense<[-128, 127, 0, -1]> : tensor<4xi8>
  tir.constant @i8_from_hex = dense<"0x807f00ff"> : tensor<2x2xi8>
  // ELIDE: tir.constant @i8_list = dense<[-128, 127, 0, -1]> : tensor<4xi8>
  // CHECK-NEXT: tir.constant @i16_list = dense<[-32768, 32767, 0, -1]> : tensor<4xi16>
  // CHECK-NEXT: tir.constant @i16_from_hex = dense<[-32768, 32767, 0, -1]> : tensor<2x2xi16>
  tir.constant @i16_list = dense<[-32768, 32767, 0, -1]> : tensor<4xi16>
  tir.constant @i16_from_hex = dense<"0x0080ff7f0000ffff"> : tensor<2x2xi16>
  // ELIDE: tir.constant @i16_list = dense<[-32768, 32767, 0, -1]> : tensor<4xi16>
  // CHECK-NEXT: tir.constant @i32_list = dense<[-2147483648, 2147483647, 0, -1]> : tensor<4xi32>
  // CHECK-NEXT: tir.constant @i32_from_hex = dense<[-2147483648, 2147483647, 0, -1]> : tensor<2x2xi32>
  tir.constant @i32_list = dense<[-2147483648, 2147483647, 0, -1]> : tensor<4xi32>
  tir.constant @i32_from_hex = dense<"0x00000080ffffff7f00000000ffffffff"> : tensor<2x2xi32>
  // ELIDE: tir.constant @i32_list = dense<[-2147483648, 2147483647, 0, -1]> : tensor<4xi32>
  // CHECK-NEXT: tir.constant @i64_list = dense<[-9223372036854775808, 9223372036854775807, 0, -1]> : tensor<4xi64>
  // CHECK-NEXT: tir.constant @i64_from_hex = dense<[-9223372036854775808, 9223372036854775807, 0, -1]> : tensor<2x2xi64>
  tir.constant @i64_list = dense<[-9223372036854775808, 9223372036854775807, 0, -1]> : tensor<4xi64>
  tir.constant @i64_from_hex = dense<"0x0000000000000080ffffffffffffff7f0000000000000000ffffffffffffffff"> : tensor<2x2xi64>
  // ELIDE: tir.constant @i64_list = elided<32 bytes> : tensor<4xi64>
  // CHECK-NEXT: tir.constant @ui8_list = dense<[0, 255, 1, 128]> : tensor<4xui8>
  // CHECK-NEXT: tir.constant @ui8_from_hex = dense<[0, 255, 1, 128]> : tensor<2x2xui8>
  tir.constant @ui8_list = dense<[0, 255, 1, 128]> : tensor<4xui8>
  tir.constant @ui8_from_hex = dense<"0x00ff0180"> : tensor<2x2xui8>
  // ELIDE: tir.constant @ui8_list = dense<[0, 255, 1, 128]> : tensor<4xui8>
  // CHECK-NEXT: tir.constant @ui16_list = dense<[0, 65535, 1, 32768]> : tensor<4xui16>
  // CHECK-NEXT: tir.constant @ui16_from_hex = dense<[0, 65535, 1, 32768]> : tensor<2x2xui16>
  tir.constant @ui16_list = dense<[0, 65535, 1, 32768]> : tensor<4xui16>
  tir.constant @ui16_from_hex = dense<"0x0000ffff01000080"> : tensor<2x2xui16>
  // ELIDE: tir.constant @ui16_list = dense<[0, 65535, 1, 32768]> : tensor<4xui16>
  // CHECK-NEXT: tir.constant @ui32_list = dense<[0, 4294967295, 1, 2147483648]> : tensor<4xui32>
  // CHECK-NEXT: tir.constant @ui32_from_hex = dense<[0, 4294967295, 1, 2147483648]> : tensor<2x2xui32>
  tir.constant @ui32_list = dense<[0, 4294967295, 1, 2147483648]> : tensor<4xui32>
  tir.constant @ui32_from_hex = dense<"0x00000000ffffffff0100000000000080"> : tensor<2x2xui32>
  // ELIDE: tir.constant @ui32_list = dense<[0, 4294967295, 1, 2147483648]> : tensor<4xui32>
  // CHECK-NEXT: tir.constant @f16_list = dense<[65504.0, -0.0, 5.960464477539063e-08, 0.0999755859375]> : tensor<4xf16>
  // CHECK-NEXT: tir.constant @f16_from_hex = dense<[65504.0, -0.0, 5.960464477539063e-08, 0.0999755859375]> : tensor<2x2xf16>
  tir.constant @f16_list = dense<[65504.0, -0.0, 5.960464477539063e-08, 0.0999755859375]> : tensor<4xf16>
  tir.constant @f16_from_hex = dense<"0xff7b00800100662e"> : tensor<2x2xf16>
  // ELIDE: tir.constant @f16_list = dense<[65504.0, -0.0, 5.960464477539063e-08, 0.0999755859375]> : tensor<4xf16>
  // CHECK-NEXT: tir.constant @f32_list = dense<[3.4028234663852886e+38, -0.0, 1.401298464324817e-45, 0.10000000149011612]> : tensor<4xf32>
  // CHECK-NEXT: tir.constant @f32_from_hex = dense<[3.4028234663852886e+38, -0.0, 1.401298464324817e-45, 0.10000000149011612]> : tensor<2x2xf32>
  tir.constant @f32_list = dense<[3.4028234663852886e+38, -0.0, 1.401298464324817e-45, 0.10000000149011612]> : tensor<4xf32>
  tir.constant @f32_from_hex = dense<"0xffff7f7f0000008001000000cdcccc3d"> : tensor<2x2xf32>
  // ELIDE: tir.constant @f32_list = dense<[3.4028234663852886e+38, -0.0, 1.401298464324817e-45, 0.10000000149011612]> : tensor<4xf32>
  // CHECK-NEXT: tir.constant @f64_list = dense<[1.7976931348623157e+308, -0.0, 5.0e-324, 0.1]> : tensor<4xf64>
  // CHECK-NEXT: tir.constant @f64_from_hex = dense<[1.7976931348623157e+308, -0.0, 5.0e-324, 0.1]> : tensor<2x2xf64>
  tir.constant @f64_list = dense<[1.7976931348623157e+308, -0.0, 5.0e-324, 0.1]> : tensor<4xf64>
  tir.constant @f64_from_hex = dense<"0xffffffffffffef7f000000000000008001000000000000009a9999999999b93f"> : tensor<2x2xf64>
  // ELIDE: tir.constant @f64_list = elided<32 bytes> : tensor<4xf64>

  // Every dtype, big: a list in, hex out; hex in, the same hex out.
  // CHECK-NEXT: tir.constant @i1_big = dense<"0x0100000100000100000100000100000100000100"> : tensor<20xi1>
  // CHECK-NEXT: tir.constant @i1_big_hex = dense<"0x0100000100000100000100000100000100000100"> : tensor<4x5xi1>
  tir.constant @i1_big = dense<[true, false, false, true, false, false, true, false, false, true, false, false, true, false, false, true, false, false, true, false]> : tensor<20xi1>
  tir.constant @i1_big_hex = dense<"0x0100000100000100000100000100000100000100"> : tensor<4x5xi1>
  // ELIDE: tir.constant @i1_big = elided<20 bytes> : tensor<20xi1>
  // CHECK-NEXT: tir.constant @i8_big = dense<"0x808e9ba9b6c4d1deecf90613212e3b495664717f"> : tensor<20xi8>
  // CHECK-NEXT: tir.constant @i8_big_hex = dense<"0x808e9ba9b6c4d1deecf90613212e3b495664717f"> : tensor<4x5xi8>
  tir.constant @i8_big = dense<[-128, -114, -101, -87, -74, -60, -47, -34, -20, -7, 6, 19, 33, 46, 59, 73, 86, 100, 113, 127]> : tensor<20xi8>
  tir.constant @i8_big_hex = dense<"0x808E9BA9B6C4D1DEECF90613212E3B495664717F"> : tensor<4x5xi8>
  // ELIDE: tir.constant @i8_big = elided<20 bytes> : tensor<20xi8>
  // CHECK-NEXT: tir.constant @i16_big = dense<"0x00807a8df39a6ca8e5b55fc3d8d051decaeb43f9bc063514ae21272fa03c1a4a93570c658572ff7f"> : tensor<20xi16>
  // CHECK-NEXT: tir.constant @i16_big_hex = dense<"0x00807a8df39a6ca8e5b55fc3d8d051decaeb43f9bc063514ae21272fa03c1a4a93570c658572ff7f"> : tensor<4x5xi16>
  tir.constant @i16_big = dense<[-32768, -29318, -25869, -22420, -18971, -15521, -12072, -8623, -5174, -1725, 1724, 5173, 8622, 12071, 15520, 18970, 22419, 25868, 29317, 32767]> : tensor<20xi16>
  tir.constant @i16_big_hex = dense<"0x00807A8DF39A6CA8E5B55FC3D8D051DECAEB43F9BC063514AE21272FA03C1A4A93570C658572FF7F"> : tensor<4x5xi16>
  // ELIDE: tir.constant @i16_big = elided<40 bytes> : tensor<20xi16>
  // CHECK-NEXT: tir.constant @i32_big = dense<"0x000000805f43798dbd86f29a1bca6ba87a0de5b5d8505ec33694d7d094d750def31acaeb515e43f9aea1bc060ce535146b28af21c96b282f27afa13c85f21a4ae435945742790d65a0bc8672ffffff7f"> : tensor<20xi32>
  // CHECK-NEXT: tir.constant @i32_big_hex = dense<"0x000000805f43798dbd86f29a1bca6ba87a0de5b5d8505ec33694d7d094d750def31acaeb515e43f9aea1bc060ce535146b28af21c96b282f27afa13c85f21a4ae435945742790d65a0bc8672ffffff7f"> : tensor<4x5xi32>
  tir.constant @i32_big = dense<[-2147483648, -1921432737, -1695381827, -1469330917, -1243280006, -1017229096, -791178186, -565127276, -339076365, -113025455, 113025454, 339076364, 565127275, 791178185, 1017229095, 1243280005, 1469330916, 1695381826, 1921432736, 2147483647]> : tensor<20xi32>
  tir.constant @i32_big_hex = dense<"0x000000805F43798DBD86F29A1BCA6BA87A0DE5B5D8505EC33694D7D094D750DEF31ACAEB515E43F9AEA1BC060CE535146B28AF21C96B282F27AFA13C85F21A4AE435945742790D65A0BC8672FFFFFF7F"> : tensor<4x5xi32>
  // ELIDE: tir.constant @i32_big = elided<80 bytes> : tensor<20xi32>
  // CHECK-NEXT: tir.constant @i64_big = dense<"0x0000000000000080ffffffffffffff7ff7fffffffffffffff8fffffffffffffff9fffffffffffffffafffffffffffffffbfffffffffffffffcfffffffffffffffdfffffffffffffffeffffffffffffffffffffffffffffff000000000000000001000000000000000200000000000000030000000000000004000000000000000500000000000000060000000000000007000000000000000800000000000000"> : tensor<20xi64>
  // CHECK-NEXT: tir.constant @i64_big_hex = dense<"0x0000000000000080ffffffffffffff7ff7fffffffffffffff8fffffffffffffff9fffffffffffffffafffffffffffffffbfffffffffffffffcfffffffffffffffdfffffffffffffffeffffffffffffffffffffffffffffff000000000000000001000000000000000200000000000000030000000000000004000000000000000500000000000000060000000000000007000000000000000800000000000000"> : tensor<4x5xi64>
  tir.constant @i64_big = dense<[-9223372036854775808, 9223372036854775807, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8]> : tensor<20xi64>
  tir.constant @i64_big_hex = dense<"0x0000000000000080FFFFFFFFFFFFFF7FF7FFFFFFFFFFFFFFF8FFFFFFFFFFFFFFF9FFFFFFFFFFFFFFFAFFFFFFFFFFFFFFFBFFFFFFFFFFFFFFFCFFFFFFFFFFFFFFFDFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000001000000000000000200000000000000030000000000000004000000000000000500000000000000060000000000000007000000000000000800000000000000"> : tensor<4x5xi64>
  // ELIDE: tir.constant @i64_big = elided<160 bytes> : tensor<20xi64>
  // CHECK-NEXT: tir.constant @ui8_big = dense<"0x000d1a283543505d6b788693a1aebbc9d6e4f1ff"> : tensor<20xui8>
  // CHECK-NEXT: tir.constant @ui8_big_hex = dense<"0x000d1a283543505d6b788693a1aebbc9d6e4f1ff"> : tensor<4x5xui8>
  tir.constant @ui8_big = dense<[0, 13, 26, 40, 53, 67, 80, 93, 107, 120, 134, 147, 161, 174, 187, 201, 214, 228, 241, 255]> : tensor<20xui8>
  tir.constant @ui8_big_hex = dense<"0x000D1A283543505D6B788693A1AEBBC9D6E4F1FF"> : tensor<4x5xui8>
  // ELIDE: tir.constant @ui8_big = elided<20 bytes> : tensor<20xui8>
  // CHECK-NEXT: tir.constant @ui16_big = dense<"0x0000790df21a6b28e4355e43d750505ec96b4279bc863594aea127afa0bc1aca93d70ce585f2ffff"> : tensor<20xui16>
  // CHECK-NEXT: tir.constant @ui16_big_hex = dense<"0x0000790df21a6b28e4355e43d750505ec96b4279bc863594aea127afa0bc1aca93d70ce585f2ffff"> : tensor<4x5xui16>
  tir.constant @ui16_big = dense<[0, 3449, 6898, 10347, 13796, 17246, 20695, 24144, 27593, 31042, 34492, 37941, 41390, 44839, 48288, 51738, 55187, 58636, 62085, 65535]> : tensor<20xui16>
  tir.constant @ui16_big_hex = dense<"0x0000790DF21A6B28E4355E43D750505EC96B4279BC863594AEA127AFA0BC1ACA93D70CE585F2FFFF"> : tensor<4x5xui16>
  // ELIDE: tir.constant @ui16_big = elided<40 bytes> : tensor<20xui16>
  // CHECK-NEXT: tir.constant @ui32_big = dense<"0x000000005e43790dbc86f21a1aca6b28790de535d7505e433594d75093d7505ef21aca6b505e4379aea1bc860ce535946b28afa1c96b28af27afa1bc85f21acae43594d742790de5a0bc86f2ffffffff"> : tensor<20xui32>
  // CHECK-NEXT: tir.constant @ui32_big_hex = dense<"0x000000005e43790dbc86f21a1aca6b28790de535d7505e433594d75093d7505ef21aca6b505e4379aea1bc860ce535946b28afa1c96b28af27afa1bc85f21acae43594d742790de5a0bc86f2ffffffff"> : tensor<4x5xui32>
  tir.constant @ui32_big = dense<[0, 226050910, 452101820, 678152730, 904203641, 1130254551, 1356305461, 1582356371, 1808407282, 2034458192, 2260509102, 2486560012, 2712610923, 2938661833, 3164712743, 3390763653, 3616814564, 3842865474, 4068916384, 4294967295]> : tensor<20xui32>
  tir.constant @ui32_big_hex = dense<"0x000000005E43790DBC86F21A1ACA6B28790DE535D7505E433594D75093D7505EF21ACA6B505E4379AEA1BC860CE535946B28AFA1C96B28AF27AFA1BC85F21ACAE43594D742790DE5A0BC86F2FFFFFFFF"> : tensor<4x5xui32>
  // ELIDE: tir.constant @ui32_big = elided<80 bytes> : tensor<20xui32>
  // CHECK-NEXT: tir.constant @f16_big = dense<"0xc0ced6cca5ca53c83dc5bdc167bddfb7cdae089c081ccd2edf37673dbd413d455348a54ad64cc04e"> : tensor<20xf16>
  // CHECK-NEXT: tir.constant @f16_big_hex = dense<"0xc0ced6cca5ca53c83dc5bdc167bddfb7cdae089c081ccd2edf37673dbd413d455348a54ad64cc04e"> : tensor<4x5xf16>
  tir.constant @f16_big = dense<[-27.0, -19.34375, -13.2890625, -8.6484375, -5.23828125, -2.869140625, -1.3505859375, -0.491943359375, -0.10626220703125, -0.003936767578125, 0.003936767578125, 0.10626220703125, 0.491943359375, 1.3505859375, 2.869140625, 5.23828125, 8.6484375, 13.2890625, 19.34375, 27.0]> : tensor<20xf16>
  tir.constant @f16_big_hex = dense<"0xC0CED6CCA5CA53C83DC5BDC167BDDFB7CDAE089C081CCD2EDF37673DBD413D455348A54AD64CC04E"> : tensor<4x5xf16>
  // ELIDE: tir.constant @f16_big = elided<40 bytes> : tensor<20xf16>
  // CHECK-NEXT: tir.constant @f32_big = dense<"0x0000d8c1b4b79ac1439154c19f5f0ac11da9a7c084a837c040d3acbf88eefbbe47abd9bd33fd80bb33fd803b47abd93d88eefb3e40d3ac3f84a837401da9a7409f5f0a4143915441b4b79a410000d841"> : tensor<20xf32>
  // CHECK-NEXT: tir.constant @f32_big_hex = dense<"0x0000d8c1b4b79ac1439154c19f5f0ac11da9a7c084a837c040d3acbf88eefbbe47abd9bd33fd80bb33fd803b47abd93d88eefb3e40d3ac3f84a837401da9a7409f5f0a4143915441b4b79a410000d841"> : tensor<4x5xf32>
  tir.constant @f32_big = dense<[-27.0, -19.339698791503906, -13.2854642868042, -8.648344993591309, -5.239393711090088, -2.8696603775024414, -1.3501968383789062, -0.4920542240142822, -0.10628371685743332, -0.003936433698982, 0.003936433698982, 0.10628371685743332, 0.4920542240142822, 1.3501968383789062, 2.8696603775024414, 5.239393711090088, 8.648344993591309, 13.2854642868042, 19.339698791503906, 27.0]> : tensor<20xf32>
  tir.constant @f32_big_hex = dense<"0x0000D8C1B4B79AC1439154C19F5F0AC11DA9A7C084A837C040D3ACBF88EEFBBE47ABD9BD33FD80BB33FD803B47ABD93D88EEFB3E40D3AC3F84A837401DA9A7409F5F0A4143915441B4B79A410000D841"> : tensor<4x5xf32>
  // ELIDE: tir.constant @f32_big = elided<80 bytes> : tensor<20xf32>
  // CHECK-NEXT: tir.constant @f64_big = dense<"0x0000000000003bc0d63ca68ef65633c022173c6228922ac08c2e43e8f34b21c00b2cac9123f514c0df8ea47510f506c0396e85fb679af5bfdd4a210cd17ddfbfcdc547d76835bbbf4a4f9c6ca61f70bf4a4f9c6ca61f703fb8c547d76835bb3fce4a210cd17ddf3f2e6e85fb679af53fd98ea47510f50640072cac9123f51440892e43e8f34b214022173c6228922a40d63ca68ef65633400000000000003b40"> : tensor<20xf64>
  // CHECK-NEXT: tir.constant @f64_big_hex = dense<"0x0000000000003bc0d63ca68ef65633c022173c6228922ac08c2e43e8f34b21c00b2cac9123f514c0df8ea47510f506c0396e85fb679af5bfdd4a210cd17ddfbfcdc547d76835bbbf4a4f9c6ca61f70bf4a4f9c6ca61f703fb8c547d76835bb3fce4a210cd17ddf3f2e6e85fb679af53fd98ea47510f50640072cac9123f51440892e43e8f34b214022173c6228922a40d63ca68ef65633400000000000003b40"> : tensor<4x5xf64>
  tir.constant @f64_big = dense<[-27.0, -19.33969966467415, -13.285464353404283, -8.648345239830881, -5.239393497594402, -2.8696603003353256, -1.350196821694125, -0.4920542353112703, -0.10628371482723438, -0.003936433882490162, 0.003936433882490162, 0.10628371482723409, 0.49205423531126946, 1.3501968216941225, 2.869660300335323, 5.239393497594398, 8.648345239830876, 13.285464353404283, 19.33969966467415, 27.0]> : tensor<20xf64>
  tir.constant @f64_big_hex = dense<"0x0000000000003BC0D63CA68EF65633C022173C6228922AC08C2E43E8F34B21C00B2CAC9123F514C0DF8EA47510F506C0396E85FB679AF5BFDD4A210CD17DDFBFCDC547D76835BBBF4A4F9C6CA61F70BF4A4F9C6CA61F703FB8C547D76835BB3FCE4A210CD17DDF3F2E6E85FB679AF53FD98EA47510F50640072CAC9123F51440892E43E8F34B214022173C6228922A40D63CA68EF65633400000000000003B40"> : tensor<4x5xf64>
  // ELIDE: tir.constant @f64_big = elided<160 bytes> : tensor<20xf64>

  // The threshold: 16 elements print as a list, 17 as hex.
  // CHECK-NEXT: tir.constant @sixteen = dense<[-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7]> : tensor<16xi8>
  // CHECK-NEXT: tir.constant @seventeen = dense<"0xf8f9fafbfcfdfeff000102030405060708"> : tensor<17xi8>
  tir.constant @sixteen = dense<[-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7]> : tensor<16xi8>
  tir.constant @seventeen = dense<[-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8]> : tensor<17xi8>
  // ELIDE: tir.constant @sixteen = dense<{{\[}}-8, {{.*}}, 7]> : tensor<16xi8>
  // ELIDE: tir.constant @seventeen = elided<17 bytes> : tensor<17xi8>

  // nan and inf have no decimal literal: such data prints as hex at any size,
  // bit-exact (here a quiet nan, a nan with a payload, inf, -inf).
  // CHECK-NEXT: tir.constant @f32_nan = dense<"0x0000c07f0100c07f0000807f000080ff"> : tensor<4xf32>
  tir.constant @f32_nan = dense<"0x0000c07f0100c07f0000807f000080ff"> : tensor<4xf32>
  // CHECK-NEXT: tir.constant @f16_inf = dense<"0x007e00fc"> : tensor<2xf16>
  tir.constant @f16_inf = dense<"0x007e00fc"> : tensor<2xf16>
  // CHECK-NEXT: tir.constant @f64_inf = dense<"0x000000000000f07f000000000000f03f"> : tensor<2xf64>
  tir.constant @f64_inf = dense<"0x000000000000f07f000000000000f03f"> : tensor<2xf64>

  // Float literals always carry a '.', so exponents read back (1e-05 would not).
  // CHECK-NEXT: tir.constant @exponents = dense<[1.0e-05, 1.0e+22, 2.5e-300, -1.0e+300]> : tensor<4xf64>
  tir.constant @exponents = dense<[0.00001, 1.0e22, 2.5e-300, -1.0E300]> : tensor<4xf64>
  // Nested lists of the type's shape are accepted; data prints flat.
  // CHECK-NEXT: tir.constant @nested = dense<[1, 2, 3, 4, 5, 6]> : tensor<2x3xi16>
  tir.constant @nested = dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi16>
  // Rank 0 and zero-size data.
  // CHECK-NEXT: tir.constant @scalar = dense<42> : tensor<i32>
  // CHECK-NEXT: tir.constant @empty = dense<[]> : tensor<0x4xf32>
  tir.constant @scalar = dense<42> : tensor<i32>
  tir.constant @empty = dense<[]> : tensor<0x4xf32>

  // Inline data: every dtype, list and hex, read back from allocate_const.
  // CHECK-NEXT: tir.func @inline() {
  // ELIDE: tir.func @inline() {
  tir.func @inline() {
    // CHECK-NEXT: %i1 = tir.allocate_const dense<[true, false, false, true]> : !tir.buffer<2x2xi1>
    // CHECK-NEXT: %i1_hex = tir.allocate_const dense<"0x0100000100000100000100000100000100000100"> : !tir.buffer<20xi1>
    %i1 = tir.allocate_const dense<[true, false, false, true]> : !tir.buffer<2x2xi1>
    %i1_hex = tir.allocate_const dense<"0x0100000100000100000100000100000100000100"> : !tir.buffer<20xi1>
    // ELIDE: %i1_hex = tir.allocate_const elided<20 bytes> : !tir.buffer<20xi1>
    // CHECK-NEXT: %i8 = tir.allocate_const dense<[-128, 127, 0, -1]> : !tir.buffer<2x2xi8>
    // CHECK-NEXT: %i8_hex = tir.allocate_const dense<"0x808e9ba9b6c4d1deecf90613212e3b495664717f"> : !tir.buffer<20xi8>
    %i8 = tir.allocate_const dense<[-128, 127, 0, -1]> : !tir.buffer<2x2xi8>
    %i8_hex = tir.allocate_const dense<"0x808e9ba9b6c4d1deecf90613212e3b495664717f"> : !tir.buffer<20xi8>
    // ELIDE: %i8_hex = tir.allocate_const elided<20 bytes> : !tir.buffer<20xi8>
    // CHECK-NEXT: %i16 = tir.allocate_const dense<[-32768, 32767, 0, -1]> : !tir.buffer<2x2xi16>
    // CHECK-NEXT: %i16_hex = tir.allocate_const dense<"0x00807a8df39a6ca8e5b55fc3d8d051decaeb43f9bc063514ae21272fa03c1a4a93570c658572ff7f"> : !tir.buffer<20xi16>
    %i16 = tir.allocate_const dense<[-32768, 32767, 0, -1]> : !tir.buffer<2x2xi16>
    %i16_hex = tir.allocate_const dense<"0x00807a8df39a6ca8e5b55fc3d8d051decaeb43f9bc063514ae21272fa03c1a4a93570c658572ff7f"> : !tir.buffer<20xi16>
    // ELIDE: %i16_hex = tir.allocate_const elided<40 bytes> : !tir.buffer<20xi16>
    // CHECK-NEXT: %i32 = tir.allocate_const dense<[-2147483648, 2147483647, 0, -1]> : !tir.buffer<2x2xi32>
    // CHECK-NEXT: %i32_hex = tir.allocate_const dense<"0x000000805f43798dbd86f29a1bca6ba87a0de5b5d8505ec33694d7d094d750def31acaeb515e43f9aea1bc060ce535146b28af21c96b282f27afa13c85f21a4ae435945742790d65a0bc8672ffffff7f"> : !tir.buffer<20xi32>
    %i32 = tir.allocate_const dense<[-2147483648, 2147483647, 0, -1]> : !tir.buffer<2x2xi32>
    %i32_hex = tir.allocate_const dense<"0x000000805f43798dbd86f29a1bca6ba87a0de5b5d8505ec33694d7d094d750def31acaeb515e43f9aea1bc060ce535146b28af21c96b282f27afa13c85f21a4ae435945742790d65a0bc8672ffffff7f"> : !tir.buffer<20xi32>
    // ELIDE: %i32_hex = tir.allocate_const elided<80 bytes> : !tir.buffer<20xi32>
    // CHECK-NEXT: %i64 = tir.allocate_const dense<[-9223372036854775808, 9223372036854775807, 0, -1]> : !tir.buffer<2x2xi64>
    // CHECK-NEXT: %i64_hex = tir.allocate_const dense<"0x0000000000000080ffffffffffffff7ff7fffffffffffffff8fffffffffffffff9fffffffffffffffafffffffffffffffbfffffffffffffffcfffffffffffffffdfffffffffffffffeffffffffffffffffffffffffffffff000000000000000001000000000000000200000000000000030000000000000004000000000000000500000000000000060000000000000007000000000000000800000000000000"> : !tir.buffer<20xi64>
    %i64 = tir.allocate_const dense<[-9223372036854775808, 9223372036854775807, 0, -1]> : !tir.buffer<2x2xi64>
    %i64_hex = tir.allocate_const dense<"0x0000000000000080ffffffffffffff7ff7fffffffffffffff8fffffffffffffff9fffffffffffffffafffffffffffffffbfffffffffffffffcfffffffffffffffdfffffffffffffffeffffffffffffffffffffffffffffff000000000000000001000000000000000200000000000000030000000000000004000000000000000500000000000000060000000000000007000000000000000800000000000000"> : !tir.buffer<20xi64>
    // ELIDE: %i64_hex = tir.allocate_const elided<160 bytes> : !tir.buffer<20xi64>
    // CHECK-NEXT: %ui8 = tir.allocate_const dense<[0, 255, 1, 128]> : !tir.buffer<2x2xui8>
    // CHECK-NEXT: %ui8_hex = tir.allocate_const dense<"0x000d1a283543505d6b788693a1aebbc9d6e4f1ff"> : !tir.buffer<20xui8>
    %ui8 = tir.allocate_const dense<[0, 255, 1, 128]> : !tir.buffer<2x2xui8>
    %ui8_hex = tir.allocate_const dense<"0x000d1a283543505d6b788693a1aebbc9d6e4f1ff"> : !tir.buffer<20xui8>
    // ELIDE: %ui8_hex = tir.allocate_const elided<20 bytes> : !tir.buffer<20xui8>
    // CHECK-NEXT: %ui16 = tir.allocate_const dense<[0, 65535, 1, 32768]> : !tir.buffer<2x2xui16>
    // CHECK-NEXT: %ui16_hex = tir.allocate_const dense<"0x0000790df21a6b28e4355e43d750505ec96b4279bc863594aea127afa0bc1aca93d70ce585f2ffff"> : !tir.buffer<20xui16>
    %ui16 = tir.allocate_const dense<[0, 65535, 1, 32768]> : !tir.buffer<2x2xui16>
    %ui16_hex = tir.allocate_const dense<"0x0000790df21a6b28e4355e43d750505ec96b4279bc863594aea127afa0bc1aca93d70ce585f2ffff"> : !tir.buffer<20xui16>
    // ELIDE: %ui16_hex = tir.allocate_const elided<40 bytes> : !tir.buffer<20xui16>
    // CHECK-NEXT: %ui32 = tir.allocate_const dense<[0, 4294967295, 1, 2147483648]> : !tir.buffer<2x2xui32>
    // CHECK-NEXT: %ui32_hex = tir.allocate_const dense<"0x000000005e43790dbc86f21a1aca6b28790de535d7505e433594d75093d7505ef21aca6b505e4379aea1bc860ce535946b28afa1c96b28af27afa1bc85f21acae43594d742790de5a0bc86f2ffffffff"> : !tir.buffer<20xui32>
    %ui32 = tir.allocate_const dense<[0, 4294967295, 1, 2147483648]> : !tir.buffer<2x2xui32>
    %ui32_hex = tir.allocate_const dense<"0x000000005e43790dbc86f21a1aca6b28790de535d7505e433594d75093d7505ef21aca6b505e4379aea1bc860ce535946b28afa1c96b28af27afa1bc85f21acae43594d742790de5a0bc86f2ffffffff"> : !tir.buffer<20xui32>
    // ELIDE: %ui32_hex = tir.allocate_const elided<80 bytes> : !tir.buffer<20xui32>
    // CHECK-NEXT: %f16 = tir.allocate_const dense<[65504.0, -0.0, 5.960464477539063e-08, 0.0999755859375]> : !tir.buffer<2x2xf16>
    // CHECK-NEXT: %f16_hex = tir.allocate_const dense<"0xc0ced6cca5ca53c83dc5bdc167bddfb7cdae089c081ccd2edf37673dbd413d455348a54ad64cc04e"> : !tir.buffer<20xf16>
    %f16 = tir.allocate_const dense<[65504.0, -0.0, 5.960464477539063e-08, 0.0999755859375]> : !tir.buffer<2x2xf16>
    %f16_hex = tir.allocate_const dense<"0xc0ced6cca5ca53c83dc5bdc167bddfb7cdae089c081ccd2edf37673dbd413d455348a54ad64cc04e"> : !tir.buffer<20xf16>
    // ELIDE: %f16_hex = tir.allocate_const elided<40 bytes> : !tir.buffer<20xf16>
    // CHECK-NEXT: %f32 = tir.allocate_const dense<[3.4028234663852886e+38, -0.0, 1.401298464324817e-45, 0.10000000149011612]> : !tir.buffer<2x2xf32>
    // CHECK-NEXT: %f32_hex = tir.allocate_const dense<"0x0000d8c1b4b79ac1439154c19f5f0ac11da9a7c084a837c040d3acbf88eefbbe47abd9bd33fd80bb33fd803b47abd93d88eefb3e40d3ac3f84a837401da9a7409f5f0a4143915441b4b79a410000d841"> : !tir.buffer<20xf32>
    %f32 = tir.allocate_const dense<[3.4028234663852886e+38, -0.0, 1.401298464324817e-45, 0.10000000149011612]> : !tir.buffer<2x2xf32>
    %f32_hex = tir.allocate_const dense<"0x0000d8c1b4b79ac1439154c19f5f0ac11da9a7c084a837c040d3acbf88eefbbe47abd9bd33fd80bb33fd803b47abd93d88eefb3e40d3ac3f84a837401da9a7409f5f0a4143915441b4b79a410000d841"> : !tir.buffer<20xf32>
    // ELIDE: %f32_hex = tir.allocate_const elided<80 bytes> : !tir.buffer<20xf32>
    // CHECK-NEXT: %f64 = tir.allocate_const dense<[1.7976931348623157e+308, -0.0, 5.0e-324, 0.1]> : !tir.buffer<2x2xf64>
    // CHECK-NEXT: %f64_hex = tir.allocate_const dense<"0x0000000000003bc0d63ca68ef65633c022173c6228922ac08c2e43e8f34b21c00b2cac9123f514c0df8ea47510f506c0396e85fb679af5bfdd4a210cd17ddfbfcdc547d76835bbbf4a4f9c6ca61f70bf4a4f9c6ca61f703fb8c547d76835bb3fce4a210cd17ddf3f2e6e85fb679af53fd98ea47510f50640072cac9123f51440892e43e8f34b214022173c6228922a40d63ca68ef65633400000000000003b40"> : !tir.buffer<20xf64>
    %f64 = tir.allocate_const dense<[1.7976931348623157e+308, -0.0, 5.0e-324, 0.1]> : !tir.buffer<2x2xf64>
    %f64_hex = tir.allocate_const dense<"0x0000000000003bc0d63ca68ef65633c022173c6228922ac08c2e43e8f34b21c00b2cac9123f514c0df8ea47510f506c0396e85fb679af5bfdd4a210cd17ddfbfcdc547d76835bbbf4a4f9c6ca61f70bf4a4f9c6ca61f703fb8c547d76835bb3fce4a210cd17ddf3f2e6e85fb679af53fd98ea47510f50640072cac9123f51440892e43e8f34b214022173c6228922a40d63ca68ef65633400000000000003b40"> : !tir.buffer<20xf64>
    // ELIDE: %f64_hex = tir.allocate_const elided<160 bytes> : !tir.buffer<20xf64>
    // Symbol references to module-level data of every dtype.
    // CHECK-NEXT: %i1_ref = tir.allocate_const @i1_big : !tir.buffer<20xi1>
    %i1_ref = tir.allocate_const @i1_big : !tir.buffer<20xi1>
    // CHECK-NEXT: %i8_ref = tir.allocate_const @i8_big : !tir.buffer<20xi8>
    %i8_ref = tir.allocate_const @i8_big : !tir.buffer<20xi8>
    // CHECK-NEXT: %i16_ref = tir.allocate_const @i16_big : !tir.buffer<20xi16>
    %i16_ref = tir.allocate_const @i16_big : !tir.buffer<20xi16>
    // CHECK-NEXT: %i32_ref = tir.allocate_const @i32_big : !tir.buffer<20xi32>
    %i32_ref = tir.allocate_const @i32_big : !tir.buffer<20xi32>
    // CHECK-NEXT: %i64_ref = tir.allocate_const @i64_big : !tir.buffer<20xi64>
    %i64_ref = tir.allocate_const @i64_big : !tir.buffer<20xi64>
    // CHECK-NEXT: %ui8_ref = tir.allocate_const @ui8_big : !tir.buffer<20xui8>
    %ui8_ref = tir.allocate_const @ui8_big : !tir.buffer<20xui8>
    // CHECK-NEXT: %ui16_ref = tir.allocate_const @ui16_big : !tir.buffer<20xui16>
    %ui16_ref = tir.allocate_const @ui16_big : !tir.buffer<20xui16>
    // CHECK-NEXT: %ui32_ref = tir.allocate_const @ui32_big : !tir.buffer<20xui32>
    %ui32_ref = tir.allocate_const @ui32_big : !tir.buffer<20xui32>
    // CHECK-NEXT: %f16_ref = tir.allocate_const @f16_big : !tir.buffer<20xf16>
    %f16_ref = tir.allocate_const @f16_big : !tir.buffer<20xf16>
    // CHECK-NEXT: %f32_ref = tir.allocate_const @f32_big : !tir.buffer<20xf32>
    %f32_ref = tir.allocate_const @f32_big : !tir.buffer<20xf32>
    // CHECK-NEXT: %f64_ref = tir.allocate_const @f64_big : !tir.buffer<20xf64>
    %f64_ref = tir.allocate_const @f64_big : !tir.buffer<20xf64>
    // CHECK-NEXT: }
  }
  // CHECK-NEXT: }
}
