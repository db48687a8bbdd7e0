tir.constant @weights = dense<[1, 2, 3, 4, 5, 6]> : tensor<2x3xi8>
tir.func @main() {
  %w = tir.allocate_const @weights : !tir.buffer<3x2xi8>
}
