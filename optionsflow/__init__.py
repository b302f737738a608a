"""optionsflow: options-flow analytics on Polars.

Every stage takes and returns a ``pl.LazyFrame`` and composes with
``.pipe()``; nothing is collected until a sink or the caller asks.

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
    sector_skew,
    weekly_flow,
)
from optionsflow.aggregate.share import put_call_ratio, theme_flow
from optionsflow.aggregate.unusual import unusual_activity
from optionsflow.classify import (
    GSU_LARGE,
    GSU_SMALL,
    LEE_READY,
    STACKS,
    classify_participant,
    neighbour_prices,
    sign_trades,
)
from optionsflow.classify.calibrate import calibrate_participant, evaluate_participant
from optionsflow.classify.evaluate import SigningReport, evaluate_signing
from optionsflow.classify.open_close import compare_open_close
from optionsflow.classify.orders import reconstruct_orders
from optionsflow.config import Config, load_config
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
from optionsflow.ingest import (
    IngestResult,
    load_trades,
    read_sector_map,
    read_vols,
    read_weights,
    scan_canonical,
    scan_trades,
)
from optionsflow.pipeline import classify_trades, flow_partials
from optionsflow.report.render import render
from optionsflow.report.summary import Summary, weekly_summary
from optionsflow.synth import synth_day
from optionsflow.volatility import (
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
    "Config",
    "ConfigError",
    "IVStatus",
    "IngestResult",
    "OptionsFlowError",
    "ParseError",
    "SchemaError",
    "SigningReport",
    "SourceError",
    "Summary",
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
    "participant_share",
    "percentile_rank",
    "put_call_ratio",
    "read_sector_map",
    "read_vols",
    "read_weights",
    "reconstruct_orders",
    "render",
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
]
