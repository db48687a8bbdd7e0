// tir.softmax_int16 on the NPU: tir-legalize-npu appends to LiteRT's two
// 513-entry tables the NPU's two 16-bit interpolating tables made from them
// (512 words slope << 16 | base each) and the sequence's int32 words (the
// input multiplier first), and adds a workspace (planned like any buffer);
// convert-tir-to-npu emits Vela's int16 softmax sequence (a 1xC max pool,
// x - max times the multiplier, + 32767 through the exp table DMA'd into
// the eight lookup slots, the row sum, its clz and the normalized sum
// through the 1/(1+x) table, the product shifted to int16). The lowered
// program equals the tir one bit for bit. Over 256 channels, or with an
// input shift over 15, the softmax stays on the CPU with a remark.
//
// RUN: tirconst-opt %s -p tir-legalize-npu | filecheck %s --check-prefix=LEGAL
// RUN: tirconst-opt %s -p tir-legalize-npu,tir-plan-memory -o %t.planned.mlir
// RUN: tirconst-opt %t.planned.mlir -p convert-tir-to-npu -o %t 2>%t.err
// RUN: filecheck %s < %t
// RUN: filecheck %s --check-prefix=REMARK < %t.err
// RUN: tirconst-run --check-equivalent %t.planned.mlir %t | filecheck %s --check-prefix=SAME
// RUN: tirconst-run --check-equivalent %s %t | filecheck %s --check-prefix=SAME

// LEGAL:      tir.constant @t_npu = dense<{{.*}}> : tensor<3092xi16>
// LEGAL:      %[[T:.*]] = tir.allocate_const @t_npu : !tir.buffer<3092xi16>
// LEGAL-NEXT: %[[W:.*]] = tir.allocate : !tir.buffer<{{[0-9]+}}xi8>
// LEGAL-NEXT: tir.softmax_int16 ins(%x, %[[T]], %[[W]] : !tir.buffer<3x10xi16>, !tir.buffer<3092xi16>, !tir.buffer<{{[0-9]+}}xi8>) outs(%y
// LEGAL:      tir.softmax_int16 ins(%wide, %{{.*}} : !tir.buffer<1x300xi16>, !tir.buffer<1026xi16>) outs(%ywide
// LEGAL:      tir.softmax_int16 ins(%x, %{{.*}} : !tir.buffer<3x10xi16>, !tir.buffer<1026xi16>) outs(%ysteep

// SAME: equivalent: @main
// REMARK: remark: 'tir.softmax_int16' op in @main stays on the CPU: softmax over 300 channels: the row maximum is one pooling window of at most 256
// REMARK: remark: 'tir.softmax_int16' op in @main stays on the CPU: softmax_int16: input shift 16 exceeds 15 (LiteRT's shifted difference wraps int32)

// CHECK:      npu.invoke @main_npu0 ins(%x, %{{.*}} : !tir.buffer<3x10xi16>, !tir.buffer<3092xi16>) outs(%y : !tir.buffer<3x10xi16>)
// CHECK:      tir.softmax_int16 {{.*}}npu_cpu = "softmax over 300 channels
// CHECK:      tir.softmax_int16 {{.*}}npu_cpu = "softmax_int16: input shift 16
// CHECK:      npu.command_stream @main_npu0
// CHECK:        npu.region 259 lut
// CHECK-NEXT:   npu.pooling {pool_type = "max", ifm = #npu.feature_map<int16, [3, 10, 1]{{.*}}kernel = #npu.kernel<[1, 10]>
// CHECK-NEXT:   npu.elementwise {op_type = "sub", ifm = #npu.feature_map<int16, [3, 1, 10]{{.*}}ofm = #npu.feature_map<int32, [3, 1, 10]
// CHECK-NEXT:   npu.elementwise {op_type = "mul", {{.*}}ofm_scale = array<i64: 1, 30>
// CHECK-NEXT:   npu.dma {{.*}}dest = #npu.range<259, 22528, 2048>}
// CHECK-NEXT:   npu.elementwise {op_type = "add", {{.*}}ofm = #npu.feature_map<int16, [3, 1, 10]{{.*}}activation = #npu.activation<table>
// CHECK-NEXT:   npu.pooling {pool_type = "reduce_sum"
// CHECK-NEXT:   npu.elementwise {op_type = "clz"
// CHECK-COUNT-5:   npu.elementwise
// CHECK-NEXT:   npu.dma {{.*}}dest = #npu.range<259, 22528, 2048>}
// CHECK-NEXT:   npu.elementwise {op_type = "sub", {{.*}}ofm = #npu.feature_map<int16, [3, 1, 1]{{.*}}activation = #npu.activation<table>
// CHECK-NEXT:   npu.elementwise {op_type = "mul", ifm = #npu.feature_map<int16, [3, 1, 10]{{.*}}ofm = #npu.feature_map<int32, [3, 1, 10]
// CHECK-NEXT:   npu.elementwise {op_type = "shr", {{.*}}ofm = #npu.feature_map<int16, [3, 1, 10]{{.*}}rounding_mode = "natural"
// CHECK-NEXT: }

tir.constant @t = dense<"0x020002000200020002000200020002000200020002000200020002000200020002000200020002000200020002000200020002000200030003000300030003000300030003000300030003000300030003000300030003000400040004000400040004000400040004000400040004000400050005000500050005000500050005000500050006000600060006000600060006000600070007000700070007000700070007000800080008000800080008000900090009000900090009000a000a000a000a000a000b000b000b000b000b000c000c000c000c000d000d000d000d000e000e000e000e000f000f000f0010001000100011001100110012001200120013001300130014001400150015001500160016001700170018001800190019001a001a001b001b001c001c001d001d001e001e001f00200020002100220022002300240024002500250026002700280028002a002a002b002c002d002d002e002f0030003100320033003400350036003700380039003b003c003c003e003f0041004100430044004500470049004a004b004d004e005000510053005500560058005a005c005d005f00610063006500670069006b006d00700072007400760079007b007e0080008300850087008b008d0090009300950098009b009e00a200a500a800ab00ae00b200b500b900bd00c000c400c800cc00d000d400d900dd00e100e600ea00ef00f300f800fd00020107010c01110117011c01220128012e0134013a01400147014d0154015a01610168016e0176017d0185018d0194019d01a501ad01b501be01c701d001d901e201ec01f501ff010a0214021f02290234023f024a02560262026e027a0286029302a002ad02bb02c902d702e502f4020303120321033103410352036203740385039703a903bb03ce03e103f50309041d04320447045d0473048904a004b704d004e80401051a0534054e0569058405a005bc05d905f70515063306530673069306b406d606f9061c07400764078a07b007d607fe07270850087a08a408d008fc082a0958098709b809e9091b0a4e0a820ab70aec0a240b5c0b960bd00b0c0c490c870cc60c060d480d8b0dcf0d150e5d0ea50eee0e3a0f870fd50f25107610c9101f117511cd1127128312e1123f13a01304146914d0143915a51511168116f3166717dd175618d0184d19cd19501ad41a5c1be51b721c031d941d2a1ec21e5e1ffc1f9e204221eb2196224423f623ab2464252226e226a7276f283b290b2ae02ab72b942c752d5b2e462f353027311f321d331e342635323644375b3877399a3ac13bef3c233e5d3f9d40e3412f438344dc453d47a548144a8a4b074d8c4e1950ad514a53ee549b5650580e5ad55ba55d7d5f60614b634165406749695d6b7b6da46fd77116746076b678187b857dff7fff7fc07f807f427f027fc37e847e467e087eca7d8d7d4f7d127dd57c987c5b7c1f7ce37ba77b6c7b317bf47aba7a7f7a457a0a7ad07997795d792379ea78b178787840780778cf77977760772877f176ba7683764b761576df75a97573753d750875d2749d7468743274fe73ca73957361732e73fa72c672937260722d72f971c771947162713071fe70cd709b70697038700770d66fa56f746f446f146fe46eb46e846e546e256ef66dc76d986d686d3a6d0b6ddd6caf6c816c536c256cf86bca6b9d6b706b436b156be96abc6a906a646a386a0c6ae069b46988695d6932690769dc68b16886685b6831680668dc67b26788675f6735670c67e266b9668f6666663e661466ec65c3659b6573654b652365fb64d364ac6484645d6435640e64e763c063996372634c632563ff62d962b3628d62676241621c62f661d161ab61876160613c611761f260cd60a960856060603c601860f45fd05fac5f895f655f415f1e5ffb5ed85eb55e925e6f5e4c5e295e065ee45dc25d9f5d7d5d5b5d395d175df65cd45cb25c915c705c4e5c2d5c0c5cea5bca5ba95b885b675b465b265b065be55ac55aa55a855a655a455a255a065ae659c659a7598859685949592a590b59ec58cd58af5890587158535834581658f857da57bb579d5780576257445726570957eb56cd56b0569356765658563b561e560156e455c755ab558e557255555539551c550055e454c854ac549054745458543d5421540554ea53cf53b35398537c53615346532b531053f552da52bf52a5528a526f5255523a5220520652eb51d151b7519d51835169514f5136511c510251e950cf50b6509c5083506a50505037501e500550ec4fd34fba4fa14f884f704f574f3f4f264f0e4ff54edd4ec54ead4e954e7c4e644e4c4e354e1d4e054eed4dd64dbe4da64d8f4d784d604d484d324d1a4d034dec4cd44cbd4ca64c904c794c614c4b4c344c1d4c074cf04bda4bc34bad4b974b804b6a4b544b3e4b284b124bfc4ae64ad04aba4aa54a8f4a794a644a4e4a384a234a0e4af849e349cd49b849a3498e49794963494e49394925491049fa48e648d148bc48a84893487f486a48564841482d4819480448f047dc47c847b447a0478c477847644750473c47284715470147ed46da46c646b3469f468b467846654651463e462b4618460446f145de45cb45b845a54592457f456c455a454745344521450f45fc44e944d744c444b244a0448d447b44694456444444324420440e44fc43ea43d843c643b443a24390437e436d435b4349433843264314430343f142e042ce42bd42ab429a4289427742674255424442334222421142ff41ee41de41cd41bc41aa419a41894178416741574146413541254114410441f340e340d240c240b240a1409140814071406040504040403040204010400040"> : tensor<1026xi16>
tir.func @main(%x : !tir.buffer<3x10xi16>, %y : !tir.buffer<3x10xi16>,
               %wide : !tir.buffer<1x300xi16>, %ywide : !tir.buffer<1x300xi16>,
               %ysteep : !tir.buffer<3x10xi16>) {
  %t = tir.allocate_const @t : !tir.buffer<1026xi16>
  tir.softmax_int16 ins(%x, %t : !tir.buffer<3x10xi16>, !tir.buffer<1026xi16>) outs(%y : !tir.buffer<3x10xi16>)
      {input_multiplier = 2111030213, input_left_shift = 1, input_scale = 3.0e-04 : f32, output_scale = 3.05175781e-05 : f32}
  tir.softmax_int16 ins(%wide, %t : !tir.buffer<1x300xi16>, !tir.buffer<1026xi16>) outs(%ywide : !tir.buffer<1x300xi16>)
      {input_multiplier = 2111030213, input_left_shift = 1, input_scale = 3.0e-04 : f32, output_scale = 3.05175781e-05 : f32}
  tir.softmax_int16 ins(%x, %t : !tir.buffer<3x10xi16>, !tir.buffer<1026xi16>) outs(%ysteep : !tir.buffer<3x10xi16>)
      {input_multiplier = 1073741824, input_left_shift = 16, input_scale = 5.0 : f32, output_scale = 3.05175781e-05 : f32}
}
