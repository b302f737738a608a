"""Every column and label name optionsflow reads or writes, defined once.

Examples
--------
>>> from optionsflow.schema import names
>>> names.PARTICIPANT, names.ALL, names.UNMAPPED
('participant', 'All', 'Unmapped')
"""

from __future__ import annotations

__all__ = [
    "ALL",
    "ASK",
    "ASK_EX",
    "ASK_SIZE",
    "ASK_SIZE_EX",
    "BASELINE",
    "BID",
    "BID_EX",
    "BID_SIZE",
    "BID_SIZE_EX",
    "BOUGHT",
    "BUY_PREMIUM",
    "CAP_WEIGHTED_RETURN",
    "CHANGE",
    "CLOSE",
    "COMPLETE",
    "COMPLEX",
    "CONDITION",
    "CONTRACTS",
    "CONTRACT_SHARE",
    "COVERAGE_OK",
    "CROSSED_QUOTE",
    "CUMULATIVE_CAP",
    "CUMULATIVE_EQUAL",
    "CUMULATIVE_SPREAD",
    "CURRENT_STREAK",
    "DATE",
    "DELTA",
    "DELTA_NOTIONAL",
    "DELTA_NOTIONAL_USD",
    "DELTA_PRINTS",
    "DISPERSION",
    "DISPERSION_DEFINED",
    "EFFECTIVE_N",
    "EQUAL_WEIGHTED_RETURN",
    "EXCHANGE",
    "EXPIRY",
    "EXPIRY_BUCKET",
    "FAR_EXPIRY",
    "FAR_FORWARD",
    "FAR_K0",
    "FAR_MINUTES",
    "FAR_ROOT",
    "FAR_STRIKES",
    "FAR_VARIANCE",
    "FORWARD",
    "GAMMA",
    "HERFINDAHL",
    "IMPLIED_CORRELATION",
    "INDEX_IV",
    "INDEX_SECTOR",
    "IN_RANGE",
    "IS_BLOCK",
    "IS_SWEEP",
    "IV",
    "IV_STATUS",
    "K0",
    "LAST",
    "LONGEST_STREAK",
    "MALFORMED",
    "MID",
    "MINUTES",
    "MONEYNESS",
    "MULTIPLIER",
    "NEAR_EXPIRY",
    "NEAR_FORWARD",
    "NEAR_K0",
    "NEAR_MINUTES",
    "NEAR_ROOT",
    "NEAR_STRIKES",
    "NEAR_VARIANCE",
    "NET",
    "NEW_YORK",
    "N_CONSTITUENTS",
    "N_DAYS",
    "N_OPTIONS",
    "N_VENUES",
    "OPEN_INTEREST",
    "ORDER_ID",
    "ORDER_PREMIUM",
    "ORDER_SIZE",
    "OTM",
    "PARTICIPANT",
    "PARTICIPANT_REASON",
    "PREMIUM",
    "PREMIUM_E4",
    "PREMIUM_SHARE",
    "PRICE",
    "PRIVATE_PREFIX",
    "PROXY_CORRELATION",
    "RATE",
    "RIGHT",
    "ROOT",
    "ROW",
    "SECTOR",
    "SECTOR_WEIGHT",
    "SELL_PREMIUM",
    "SEQ",
    "SETTLEMENT",
    "SHARE",
    "SIDE",
    "SIDE_RULE",
    "SIZE",
    "SKEW",
    "SOLD",
    "SOURCE",
    "SOURCE_ROW",
    "SPREAD",
    "STATUS",
    "STRIKE",
    "STRIKE_IV",
    "STRIKE_IV_RIGHT",
    "SUM_W2_IV2",
    "SYMBOL",
    "TAU",
    "TENOR_DAYS",
    "THEME",
    "THETA",
    "TOP_SHARE",
    "TOP_SYMBOLS",
    "TRADES",
    "TRUE_ORDER_ID",
    "TRUE_PARTICIPANT",
    "TRUE_SIDE",
    "TS",
    "UNDERLYING",
    "UNDERLYING_ASK",
    "UNDERLYING_BID",
    "UNDERLYING_PRICE",
    "UNMAPPED",
    "VARIANCE_INDEX",
    "VEGA",
    "VENDOR_DELTA",
    "VENDOR_FORWARD",
    "VENDOR_GAMMA",
    "VENDOR_IV",
    "VOLUME",
    "VS_BASELINE",
    "WEEK",
    "WEEKS",
    "WEEKS_POSITIVE",
    "WEEK_END",
    "WEEK_START",
    "WEIGHT",
    "WEIGHTED_IV",
    "WEIGHT_COVERAGE",
    "WINDOW_N",
    "ZERO_QUOTE",
    "private",
]

NEW_YORK = "America/New_York"
"""Time zone of US option markets; vendor wall-clock times are in it."""

# --- canonical trade columns -------------------------------------------------------------
TS = "ts"
SEQ = "seq"
UNDERLYING = "underlying"
ROOT = "root"
EXPIRY = "expiry"
STRIKE = "strike"
RIGHT = "right"
PRICE = "price"
SIZE = "size"
MULTIPLIER = "multiplier"
EXCHANGE = "exchange"
CONDITION = "condition"
BID = "bid"
ASK = "ask"
BID_SIZE = "bid_size"
ASK_SIZE = "ask_size"
BID_EX = "bid_ex"
ASK_EX = "ask_ex"
BID_SIZE_EX = "bid_size_ex"
ASK_SIZE_EX = "ask_size_ex"
UNDERLYING_PRICE = "underlying_price"
SOURCE = "source"
SOURCE_ROW = "source_row"

# --- columns added by stages ----------------------------------------------------------------
SIDE = "side"
"""Int8: +1 buy, -1 sell, null unsigned (added by signing)."""
SIDE_RULE = "side_rule"
"""String: the rule layer that decided ``side`` (null when none did)."""
PARTICIPANT = "participant"
PARTICIPANT_REASON = "participant_reason"
DATE = "date"
"""Trade date in America/New_York."""
SECTOR = "sector"
THEME = "theme"

# --- enrichment columns (vendor-given, e.g. Cboe's trade_iv / trade_delta, or computed) -------
IV = "iv"
"""Float64: implied volatility of the print, annualised decimal."""
DELTA = "delta"
"""Float64: option delta per share (calls in [0, 1], puts in [-1, 0])."""

# --- ground-truth labels written by the synthetic generator ---------------------------------
TRUE_SIDE = "true_side"
TRUE_PARTICIPANT = "true_participant"

# --- daily partials (aggregate.partials) ---------------------------------------------------------
MONEYNESS = "moneyness"
EXPIRY_BUCKET = "expiry_bucket"
COMPLEX = "complex"
"""Boolean key: multi-leg or stock-tied prints (kept out of directional views)."""
TRADES = "trades"
CONTRACTS = "contracts"
PREMIUM_E4 = "premium_e4"
"""Premium in exact integer units of 1e-4 currency; divide by 1e4 for dollars."""
DELTA_NOTIONAL_USD = "delta_notional_usd"
"""Delta-adjusted notional in whole currency units (Int64)."""
DELTA_PRINTS = "delta_prints"
"""Prints that had a delta (the coverage of ``delta_notional_usd``)."""
UNMAPPED = "Unmapped"
"""Sector of underlyings absent from the sector map."""

# --- shares (aggregate.share) --------------------------------------------------------------------
CONTRACT_SHARE = "contract_share"
PREMIUM_SHARE = "premium_share"

# --- sector skew (aggregate.skew) ----------------------------------------------------------------
BUY_PREMIUM = "buy_premium"
SELL_PREMIUM = "sell_premium"
SKEW = "skew"
BASELINE = "baseline"
VS_BASELINE = "vs_baseline"
SHARE = "share"
ALL = "All"

# --- call-buying streaks (aggregate.streaks) -----------------------------------------------------
NET = "net_call_buying"
BOUGHT = "bought"
SOLD = "sold"
WEEKS_POSITIVE = "weeks_positive"
WEEKS = "weeks"
CURRENT_STREAK = "current_streak"
LONGEST_STREAK = "longest_streak"

# --- weekly flow (aggregate.weekly) --------------------------------------------------------------
WEEK = "week"
WEEK_START = "week_start"
WEEK_END = "week_end"
N_DAYS = "n_days"
COMPLETE = "complete"
PREMIUM = "premium"
"""Premium in currency units (Float64), as shown to users."""
DELTA_NOTIONAL = "delta_notional"
"""Delta-adjusted notional in currency units (Float64)."""

# --- order reconstruction (classify.orders) ------------------------------------------------------
ORDER_ID = "order_id"
ORDER_SIZE = "order_size"
ORDER_PREMIUM = "order_premium"
N_VENUES = "n_venues"
IS_SWEEP = "is_sweep"
IS_BLOCK = "is_block"

# --- concentration and sector weights (correlation.concentration) --------------------------------
TOP_SHARE = "top_share"
TOP_SYMBOLS = "top_symbols"
HERFINDAHL = "herfindahl"
EFFECTIVE_N = "effective_n"
N_CONSTITUENTS = "n_constituents"
SECTOR_WEIGHT = "sector_weight"
CHANGE = "change"
CAP_WEIGHTED_RETURN = "cap_weighted_return"
EQUAL_WEIGHTED_RETURN = "equal_weighted_return"
SPREAD = "spread"
CUMULATIVE_CAP = "cumulative_cap"
CUMULATIVE_EQUAL = "cumulative_equal"
CUMULATIVE_SPREAD = "cumulative_spread"

# --- dispersion (correlation.dispersion) ---------------------------------------------------------
DISPERSION = "dispersion"
"""Float64: ``sqrt(weighted_iv**2 - index_iv**2)``, decimal (x100 for DSPX points)."""
PROXY_CORRELATION = "proxy_correlation"
"""Float64: ``(index_iv / weighted_iv)**2``."""
DISPERSION_DEFINED = "dispersion_defined"
"""Boolean: ``weighted_iv >= index_iv`` (null when either is null)."""

# --- implied correlation: inputs and outputs (correlation.implied) -------------------------------
SYMBOL = "symbol"
"""String: constituent symbol."""
CLOSE = "close"  # Float64: an index's closing level (read_index_prices), in index points
WEIGHT = "weight"
"""Float64: index weight of a constituent (any positive scale; renormalised)."""
IMPLIED_CORRELATION = "implied_correlation"
WEIGHT_COVERAGE = "weight_coverage"
IN_RANGE = "in_range"
COVERAGE_OK = "coverage_ok"
INDEX_IV = "index_iv"
"""Float64: the index vol of the date (null when not a positive finite number)."""
WEIGHTED_IV = "weighted_iv"
"""Float64: ``sum_i w_i s_i`` over the constituents used (weights renormalised)."""
SUM_W2_IV2 = "sum_w2_iv2"
"""Float64: ``sum_i w_i**2 s_i**2`` over the constituents used."""

# --- percentile rank (correlation.percentile) ----------------------------------------------------
WINDOW_N = "window_n"
"""UInt32: number of non-null observations in the trailing window."""

# --- ingest accounting (ingest.accounting) -------------------------------------------------------
CROSSED_QUOTE = "crossed_quote"
ZERO_QUOTE = "zero_quote"

# --- labels of the summary (report) --------------------------------------------------------------
INDEX_SECTOR = "Index"
"""Pseudo-sector of index products, left out when naming sectors."""

# --- ground truth of the generator (synth) -------------------------------------------------------
TRUE_ORDER_ID = "true_order_id"

# --- ATM constant-maturity vols (volatility.atm) -------------------------------------------------
TAU = "tau"
"""Float64: years to expiry, calendar days / 365."""
FORWARD = "forward"
N_OPTIONS = "n_options"
"""UInt32: out-of-the-money options with a vol behind an expiry's ATM vol."""
TENOR_DAYS = "tenor_days"
NEAR_EXPIRY = "near_expiry"
FAR_EXPIRY = "far_expiry"

# --- implied-vol status (volatility.expr) --------------------------------------------------------
IV_STATUS = "iv_status"
"""Enum: :class:`~optionsflow.volatility.iv.IVStatus` label of each row."""

# --- option chains (ingest.reference.chains) -------------------------------------------------
SETTLEMENT = "settlement"
"""Enum AM/PM: settled on the opening print of expiry day (AM) or at the 16:00 ET close (PM)."""
LAST = "last"
"""Float64: the option's last sale in its session up to the snapshot (nullable)."""
VOLUME = "volume"
"""Int64: contracts traded in the snapshot's session up to the snapshot."""
OPEN_INTEREST = "open_interest"
"""Int64: open interest at the start of the snapshot's day."""
VENDOR_IV = "vendor_iv"
"""Float64: the vendor's implied vol, decimal (null where the vendor gives none)."""
VENDOR_DELTA, VENDOR_GAMMA = "vendor_delta", "vendor_gamma"
UNDERLYING_BID, UNDERLYING_ASK = "underlying_bid", "underlying_ask"
VENDOR_FORWARD = "vendor_forward"
"""Float64: the vendor's implied forward (e.g. Cboe's ``implied_underlying_price``)."""

# --- time, rates, forwards, variance index (volatility.chain_time, forwards, variance) ----------
MID = "mid"
"""Float64: quote midpoint ``(bid + ask) / 2`` (null when crossed or missing)."""
MINUTES = "minutes"
"""Float64: minutes from the snapshot to settlement."""
RATE = "rate"
"""Float64: continuously compounded risk-free rate, decimal."""
K0 = "k0"
"""Float64: the listed strike just below (or at) the forward."""
NEAR_ROOT, FAR_ROOT = "near_root", "far_root"
NEAR_FORWARD, FAR_FORWARD = "near_forward", "far_forward"
NEAR_K0, FAR_K0 = "near_k0", "far_k0"
NEAR_MINUTES, FAR_MINUTES = "near_minutes", "far_minutes"
# strikes used in a term's variance (UInt32), and the term's annualised variance sigma^2 (Float64)
NEAR_STRIKES, FAR_STRIKES = "near_strikes", "far_strikes"
NEAR_VARIANCE, FAR_VARIANCE = "near_variance", "far_variance"
VARIANCE_INDEX = "variance_index"
"""Float64: the VIX-style index, ``100 * sqrt(30-day variance)`` (vol points)."""
GAMMA, VEGA, THETA = "gamma", "vega", "theta"
# otm (Boolean): OTM on its forward (call K >= F, put K < F); strike_iv (Float64): the strike's
# vol from its OTM option, else the other; strike_iv_right (Enum C/P): the side strike_iv is from
OTM, STRIKE_IV, STRIKE_IV_RIGHT = "otm", "strike_iv", "strike_iv_right"

# --- private columns ------------------------------------------------------------------------
PRIVATE_PREFIX = "__of_"
"""Prefix of the temporary columns a stage adds and drops again; never in a stage's output."""


def private(name: str) -> str:
    """Name a temporary column: ``private("row") == "__of_row"``.

    Examples
    --------
    >>> private("row")
    '__of_row'
    """
    return PRIVATE_PREFIX + name


ROW = private("row")
"""Internal ingest column: 0-based data row of a record in its file."""
MALFORMED = private("malformed")
"""Internal ingest column: true for a line that is not ``field,field,...`` (quoted files only)."""
STATUS = private("status")
"""Internal ingest column: the row's status (accepted, rejected, cancelled, duplicate)."""
