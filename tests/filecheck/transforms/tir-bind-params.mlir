// RUN: python -c "import numpy as np; np.savez('%t.npz', w=np.array([[1, -2], [3, -4]], np.int8), scale=np.array([0.5, 2.0], np.float32), unused=np.zeros(3, np.int32))"
// RUN: tirconst-opt %s -p 'tir-bind-params{file="%t.npz"}' | filecheck %s
// RUN: python -c "import numpy as np; np.save('%t.w.npy', np.array([[9, 8], [7, 6]], np.int8))"
// RUN: tirconst-opt %s -p 'tir-bind-params{file="%t.w.npy" param=w func=main}' | filecheck %s --check-prefix=NPY

// Parameters named in the file become constants at the top of the function;
// `unused` is read by nothing, so it is dropped; `x` and `y` stay.

// CHECK-LABEL: tir.func @main(%x: !tir.buffer<2x2xi8>, %y: !tir.buffer<2x2xi8>)
// CHECK-NEXT:    %w = tir.allocate_const dense<[1, -2, 3, -4]> : !tir.buffer<2x2xi8>
// CHECK-NEXT:    %scale = tir.allocate_const dense<[0.5, 2.0]> : !tir.buffer<2xf32, "shared">
// CHECK:         %a = tir.buffer_load %w[%i, %i] : !tir.buffer<2x2xi8>
// CHECK:         %s = tir.buffer_load %scale[%i] : !tir.buffer<2xf32, "shared">
// A second function sharing a parameter name gets its own copy.
// CHECK-LABEL: tir.func @other(%y: !tir.buffer<2x2xi8>)
// CHECK-NEXT:    %w = tir.allocate_const dense<[1, -2, 3, -4]> : !tir.buffer<2x2xi8>
// CHECK-NEXT:    tir.copy ins(%w : !tir.buffer<2x2xi8>) outs(%y : !tir.buffer<2x2xi8>)

// NPY-LABEL: tir.func @main(%x: !tir.buffer<2x2xi8>, %scale: !tir.buffer<2xf32, "shared">, %unused: !tir.buffer<3xi32>, %y: !tir.buffer<2x2xi8>)
// NPY-NEXT:    %w = tir.allocate_const dense<[9, 8, 7, 6]> : !tir.buffer<2x2xi8>
// NPY-LABEL: tir.func @other(%w: !tir.buffer<2x2xi8>, %y: !tir.buffer<2x2xi8>)

builtin.module {
  tir.func @main(%x : !tir.buffer<2x2xi8>, %w : !tir.buffer<2x2xi8>, %scale : !tir.buffer<2xf32, "shared">, %unused : !tir.buffer<3xi32>, %y : !tir.buffer<2x2xi8>) {
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    tir.for %i = %c0 to %c2 {
      %a = tir.buffer_load %w[%i, %i] : !tir.buffer<2x2xi8>
      %s = tir.buffer_load %scale[%i] : !tir.buffer<2xf32, "shared">
      %b = tir.buffer_load %x[%i, %i] : !tir.buffer<2x2xi8>
      %c = arith.addi %a, %b : i8
      tir.buffer_store %c, %y[%i, %i] : !tir.buffer<2x2xi8>
    }
  }
  tir.func @other(%w : !tir.buffer<2x2xi8>, %y : !tir.buffer<2x2xi8>) {
    tir.copy ins(%w : !tir.buffer<2x2xi8>) outs(%y : !tir.buffer<2x2xi8>)
  }
}
