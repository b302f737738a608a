"""optionsflow: options-flow analytics on Polars.

Every stage takes and returns a ``pl.LazyFrame`` and composes with
``.pipe()``; nothing is collected until a sink or the caller asks. The names
here are drawn from the subpackages' own ``__all__`` (each subpackage exports more).

Examples
--------
>>> import datetime as dt
>>> import optionsflow as of
>>> trades = of.synth_day(dt.date(2026, 11, 20), 1_000)
>>> partials = trades.lazy().pipe(of.sign_trades).pipe(of.classify_participant).pipe(of.daily_flow)
>>> partials.select("contracts").sum().collect().item() == trades["size"].sum()
True
"""

from optionsflow import schema
from optionsflow.aggregate import (
    call_buying_streak,
    daily_flow,
    merge_partials,
    participant_share,
    put_call_ratio,
    sector_skew,
    theme_flow,
    unusual_activity,
    weekly_flow,
)
from optionsflow.batch import (
    BatchReport,
    DayReport,
    DayResult,
    InputFile,
    Provenance,
    classify_trades,
    flow_partials,
    partials_of,
    read_partials,
    read_store,
    replace_days,
    run_batch,
    write_atomic,
)
from optionsflow.classify import (
    GSU_LARGE,
    GSU_SMALL,
    LEE_READY,
    STACKS,
    classify_participant,
    neighbour_prices,
    reconstruct_orders,
    sign_trades,
)
from optionsflow.config import (
    Config,
    MarketConfig,
    ParticipantConfig,
    UnusualConfig,
    load_config,
)
from optionsflow.correlation import (
    concentration,
    dispersion_index,
    implied_correlation,
    percentile_rank,
)
from optionsflow.errors import (
    ConfigError,
    OptionsFlowError,
    ParseError,
    SchemaError,
    SourceError,
    ValidationError,
)
from optionsflow.evaluate import (
    Calibration,
    OpenCloseComparison,
    ParticipantReport,
    SigningReport,
    calibrate_participant,
    compare_open_close,
    evaluate_participant,
    evaluate_signing,
)
from optionsflow.ingest import (
    IngestCounts,
    IngestResult,
    load_trades,
    read_sector_map,
    read_vol_table,
    read_vols,
    read_weights,
    scan_canonical,
    scan_trades,
)
from optionsflow.report import (
    ClassSkew,
    Correlation,
    SectorSkew,
    Streak,
    Summary,
    correlation_table,
    render,
    render_correlation,
    weekly_summary,
)
from optionsflow.synth import synth_day
from optionsflow.volatility import (
    Greeks,
    IVResult,
    IVStatus,
    atm_vol,
    bsm_greeks,
    bsm_price,
    implied_vol,
    solve_implied_vol,
    with_implied_vol,
)

__all__ = [
    "GSU_LARGE",
    "GSU_SMALL",
    "LEE_READY",
    "STACKS",
    "BatchReport",
    "Calibration",
    "ClassSkew",
    "Config",
    "ConfigError",
    "Correlation",
    "DayReport",
    "DayResult",
    "Greeks",
    "IVResult",
    "IVStatus",
    "IngestCounts",
    "IngestResult",
    "InputFile",
    "MarketConfig",
    "OpenCloseComparison",
    "OptionsFlowError",
    "ParseError",
    "ParticipantConfig",
    "ParticipantReport",
    "Provenance",
    "SchemaError",
    "SectorSkew",
    "SigningReport",
    "SourceError",
    "Streak",
    "Summary",
    "UnusualConfig",
    "ValidationError",
    "atm_vol",
    "bsm_greeks",
    "bsm_price",
    "calibrate_participant",
    "call_buying_streak",
    "classify_participant",
    "classify_trades",
    "compare_open_close",
    "concentration",
    "correlation_table",
    "daily_flow",
    "dispersion_index",
    "evaluate_participant",
    "evaluate_signing",
    "flow_partials",
    "implied_correlation",
    "implied_vol",
    "load_config",
    "load_trades",
    "merge_partials",
    "neighbour_prices",
    "partials_of",
    "participant_share",
    "percentile_rank",
    "put_call_ratio",
    "read_partials",
    "read_sector_map",
    "read_store",
    "read_vol_table",
    "read_vols",
    "read_weights",
    "reconstruct_orders",
    "render",
    "render_correlation",
    "replace_days",
    "run_batch",
    "scan_canonical",
    "scan_trades",
    "schema",
    "sector_skew",
    "sign_trades",
    "solve_implied_vol",
    "synth_day",
    "theme_flow",
    "unusual_activity",
    "weekly_flow",
    "weekly_summary",
    "with_implied_vol",
    "write_atomic",
]
