"""What tirconst hands to `xdsl-opt` through the `xdsl.universe` entry point.

Both registries are lazy: a dialect or pass module is imported only when
`xdsl-opt` asks for it by name.
"""

from collections.abc import Callable

from xdsl.ir import Dialect
from xdsl.passes import ModulePass
from xdsl.universe import Universe


def _tir() -> Dialect:
    from tirconst.dialects.tir import Tir

    return Tir


def _npu() -> Dialect:
    from tirconst.dialects.npu import Npu

    return Npu


def get_all_dialects() -> dict[str, Callable[[], Dialect]]:
    """Dialect name -> loader."""
    return {"tir": _tir, "npu": _npu}


def _bind_params() -> type[ModulePass]:
    from tirconst.transforms.bind_params import BindParamsPass

    return BindParamsPass


def _extract_constants() -> type[ModulePass]:
    from tirconst.transforms.extract_constants import ExtractConstantsPass

    return ExtractConstantsPass


def _inline_constants() -> type[ModulePass]:
    from tirconst.transforms.inline_constants import InlineConstantsPass

    return InlineConstantsPass


def _fold_constants() -> type[ModulePass]:
    from tirconst.transforms.fold_constants import FoldConstantsPass

    return FoldConstantsPass


def _slice_constants() -> type[ModulePass]:
    from tirconst.transforms.slice_constants import SliceConstantsPass

    return SliceConstantsPass


def _constant_report() -> type[ModulePass]:
    from tirconst.transforms.constant_report import ConstantReportPass

    return ConstantReportPass


def _encode_weights() -> type[ModulePass]:
    from tirconst.transforms.encode_weights import EncodeWeightsPass

    return EncodeWeightsPass


def _plan_memory() -> type[ModulePass]:
    from tirconst.transforms.plan_memory import PlanMemoryPass

    return PlanMemoryPass


def _tile() -> type[ModulePass]:
    from tirconst.transforms.tile import TilePass

    return TilePass


def _stage_weights() -> type[ModulePass]:
    from tirconst.transforms.stage_weights import StageWeightsPass

    return StageWeightsPass


def _pair_columns() -> type[ModulePass]:
    from tirconst.transforms.pair_columns import PairColumnsPass

    return PairColumnsPass


def _legalize_npu() -> type[ModulePass]:
    from tirconst.transforms.legalize_npu import LegalizeNpuPass

    return LegalizeNpuPass


def _tabulate() -> type[ModulePass]:
    from tirconst.transforms.tabulate import TabulatePass

    return TabulatePass


def _data_views() -> type[ModulePass]:
    from tirconst.transforms.data_views import DataViewsPass

    return DataViewsPass


def _sink_ops() -> type[ModulePass]:
    from tirconst.transforms.sink_ops import SinkOpsPass

    return SinkOpsPass


def _split_weights() -> type[ModulePass]:
    from tirconst.transforms.split_weights import SplitWeightsPass

    return SplitWeightsPass


def _feature_layouts() -> type[ModulePass]:
    from tirconst.transforms.feature_layouts import FeatureLayoutsPass

    return FeatureLayoutsPass


def _convert_tir_to_npu() -> type[ModulePass]:
    from tirconst.transforms.convert_tir_to_npu import ConvertTirToNpuPass

    return ConvertTirToNpuPass


def _estimate_performance() -> type[ModulePass]:
    from tirconst.transforms.estimate_performance import EstimatePerformancePass

    return EstimatePerformancePass


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """Pass name -> loader (one module per pass under tirconst.transforms)."""
    return {
        "tir-bind-params": _bind_params,
        "tir-extract-constants": _extract_constants,
        "tir-inline-constants": _inline_constants,
        "tir-fold-constants": _fold_constants,
        "tir-slice-constants": _slice_constants,
        "tir-constant-report": _constant_report,
        "tir-encode-weights": _encode_weights,
        "tir-plan-memory": _plan_memory,
        "tir-tile": _tile,
        "tir-stage-weights": _stage_weights,
        "tir-legalize-npu": _legalize_npu,
        "tir-pair-columns": _pair_columns,
        "tir-tabulate": _tabulate,
        "tir-data-views": _data_views,
        "tir-sink-ops": _sink_ops,
        "tir-split-weights": _split_weights,
        "tir-feature-layouts": _feature_layouts,
        "convert-tir-to-npu": _convert_tir_to_npu,
        "npu-estimate-performance": _estimate_performance,
    }


def _tvmscript_target() -> type:
    from tirconst.backend.tvmscript import TVMScriptTarget

    return TVMScriptTarget


def get_all_targets() -> dict[str, Callable[[], type]]:
    """Target name -> loader (`-t tvmscript`: tirconst.backend.tvmscript)."""
    return {"tvmscript": _tvmscript_target}


TIRCONST_UNIVERSE = Universe(
    all_dialects=get_all_dialects(),
    all_passes=get_all_passes(),
    all_targets=get_all_targets(),
)
