// tir.sequence_lstm on the NPU: tir-legalize-npu adds its workspace (the
// input terms of a chunk of steps, here all 3, as int16, the cell state
// twice, one step's intermediates); tir-encode-weights adds the two encoded 1x1 convs
// (input weights with the gate biases, recurrent weights) as npu_weights;
// convert-tir-to-npu unrolls the time loop: the input conv to int16, then
// per step (but the first) the recurrent conv and the saturated add, the
// gemmlowp logistic and tanh sequences, the cell update and the hidden
// state MUL into the int8 output. The lowered program equals the tir one
// bit for bit. An LSTM whose recurrent term could pass int16 stays on the
// CPU with a remark.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-encode-weights | filecheck %s --check-prefix=ENC
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-encode-weights,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL:      %[[W:.*]] = tir.allocate : !tir.buffer<{{[0-9]+}}xi8>
// LEGAL-NEXT: tir.sequence_lstm ins(%x, {{.*}}, %b, %[[W]] : {{.*}}, !tir.buffer<4xi32>, !tir.buffer<{{[0-9]+}}xi8>) outs(%y
// LEGAL:      tir.sequence_lstm ins(%x, {{.*}}, %b : {{.*}}, !tir.buffer<4xi32>) outs(%z

// ENC:      tir.constant @w_enc = dense<{{.*}}> : tensor<{{[0-9]+}}xui8>
// ENC:      tir.sequence_lstm ins(%x, {{.*}}, %b, %{{.*}}, %{{.*}} : {{.*}}, !tir.buffer<{{[0-9]+}}xui8>, !tir.buffer<{{[0-9]+}}xi8>) outs(%y
// ENC-SAME: npu_encoding = [#tir.encoded_weights<{{.*}}[16, 1, 1, 2]{{.*}}>, #tir.encoded_weights<{{.*}}[16, 1, 1, 4]{{.*}}>]

// SAME: equivalent: @main
// REMARK: remark: 'tir.sequence_lstm' op in @main stays on the CPU: sequence_lstm: the recurrent term reaches {{[0-9]+}}, past the int16 map

// CHECK:      npu.invoke @main_npu0
// CHECK:      tir.sequence_lstm {{.*}}npu_cpu = "sequence_lstm: the recurrent term
// CHECK:      npu.command_stream @main_npu0
// CHECK:        npu.conv2d {ifm = #npu.feature_map<int8, [1, 3, 2]{{.*}}ofm = #npu.feature_map<int16, [1, 3, 16]
// CHECK-COUNT-220: npu.elementwise
// CHECK-NEXT:   npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int16, [1, 1, 4]{{.*}}ofm = #npu.feature_map<int8, [1, 1, 4]{{.*}}zero_point = -5>{{.*}}ofm_scale = array<i64: 1073741824, 53>
// CHECK-NEXT:   npu.conv2d {ifm = #npu.feature_map<int8, [1, 1, 4]{{.*}}zero_point = -5>{{.*}}ofm = #npu.feature_map<int16, [1, 1, 16]
// CHECK-NEXT:   npu.elementwise {op_type = "add"

tir.constant @w = dense<[[1, -2], [3, 4], [-5, 6], [7, -8]]> : tensor<4x2xi8>
tir.constant @r = dense<[[1, 0, -1, 2], [0, 1, 2, -1], [-2, 1, 0, 1], [1, 1, -1, 0]]> : tensor<4x4xi8>
tir.constant @big = dense<[[127, -127, 127, -127], [127, 127, 127, 127], [-127, 127, -127, 127], [127, 127, 127, 127]]> : tensor<4x4xi8>
tir.constant @bias = dense<[100, -2000, 300, 4000]> : tensor<4xi32>
tir.func @main(%x : !tir.buffer<1x3x2xi8>, %y : !tir.buffer<1x3x4xi8>,
               %z : !tir.buffer<1x3x4xi8>) {
  %w = tir.allocate_const @w : !tir.buffer<4x2xi8>
  %r = tir.allocate_const @r : !tir.buffer<4x4xi8>
  %big = tir.allocate_const @big : !tir.buffer<4x4xi8>
  %b = tir.allocate_const @bias : !tir.buffer<4xi32>
  tir.sequence_lstm ins(%x, %w, %w, %w, %w, %r, %r, %r, %r, %b, %b, %b, %b
      : !tir.buffer<1x3x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>,
        !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x4xi8>,
        !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>,
        !tir.buffer<4xi32>, !tir.buffer<4xi32>, !tir.buffer<4xi32>,
        !tir.buffer<4xi32>) outs(%y : !tir.buffer<1x3x4xi8>)
      {time_major = 0, input_zp = 3, output_state_zp = -5,
       hidden_zp = -5, multiplier = array<i64: 1073741824, 1073741824,
       1073741824, 1073741824, 1073741824, 1073741824, 1073741824,
       1073741824>, shift = array<i64: 3, 3, 3, 3, 3, 3, 3, 3>,
       hidden_multiplier = 1073741824, hidden_shift = -22,
       cell_scale_log2 = -15, cell_clip = 0}
  tir.sequence_lstm ins(%x, %w, %w, %w, %w, %big, %big, %big, %big, %b, %b, %b, %b
      : !tir.buffer<1x3x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>,
        !tir.buffer<4x2xi8>, !tir.buffer<4x2xi8>, !tir.buffer<4x4xi8>,
        !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>, !tir.buffer<4x4xi8>,
        !tir.buffer<4xi32>, !tir.buffer<4xi32>, !tir.buffer<4xi32>,
        !tir.buffer<4xi32>) outs(%z : !tir.buffer<1x3x4xi8>)
      {time_major = 0, input_zp = 3, output_state_zp = -5,
       hidden_zp = -5, multiplier = array<i64: 1073741824, 1073741824,
       1073741824, 1073741824, 1073741824, 1073741824, 1073741824,
       1073741824>, shift = array<i64: 3, 3, 3, 3, 3, 3, 3, 3>,
       hidden_multiplier = 1073741824, hidden_shift = -22,
       cell_scale_log2 = -15, cell_clip = 0}
}
