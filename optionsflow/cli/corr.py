"""``optionsflow corr``: implied correlation, its percentile, and dispersion per date."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from optionsflow.cli._common import PATH, handle_errors

if TYPE_CHECKING:
    import polars as pl

_CBOE_HEADER = "underlying_symbol,quote_datetime,iv30"
_TENORS = ("iv30", "iv60", "iv90", "iv120", "iv180", "iv360")


def _read_vols(paths: tuple[Path, ...], tenor: str) -> pl.LazyFrame:
    """Read vol files: Cboe IV Indexes (sniffed by header) or ``date[, symbol], iv`` tables."""
    import polars as pl

    from optionsflow.errors import SourceError
    from optionsflow.ingest.reference.cboe_iv import read_cboe_iv_index
    from optionsflow.ingest.reference.tables import scan_table

    frames = []
    for path in paths:
        if not path.is_file():
            raise SourceError("no such file", source=str(path))
        with path.open("rb") as fh:
            head = fh.read(len(_CBOE_HEADER)).decode("utf-8", "replace")
        if head == _CBOE_HEADER:
            frames.append(read_cboe_iv_index(path, tenor=tenor))  # type: ignore[arg-type]
            continue
        lf = scan_table(path)
        have = lf.collect_schema()
        symbol = pl.col("symbol").cast(pl.String) if "symbol" in have else pl.lit(None, pl.String)
        date = pl.col("date")
        if have.get("date") == pl.String():
            date = date.str.to_date(strict=True)
        frames.append(
            lf.select(
                date.cast(pl.Date).alias("date"),
                symbol.str.strip_prefix("^").alias("symbol"),
                pl.col("iv").cast(pl.Float64, strict=True),
            )
        )
    return pl.concat(frames, how="vertical")


def _read_weights(path: Path) -> pl.LazyFrame:
    """Read ``symbol, weight[, date]`` (dated weights apply per date)."""
    import polars as pl

    from optionsflow.ingest.reference.tables import read_weights, scan_table

    have = scan_table(path).collect_schema()
    if "date" not in have:
        return read_weights(path)
    date = pl.col("date")
    date = date.str.to_date(strict=True) if have["date"] == pl.String() else date.cast(pl.Date)
    return scan_table(path).select(
        date.alias("date"),
        pl.col("symbol").cast(pl.String),
        pl.col("weight").cast(pl.Float64, strict=True),
    )


def _ordinal(n: float) -> str:
    k = round(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _text(out: pl.DataFrame, index: str, window: str) -> str:
    pct = f"percentile_{window}"
    lines = []
    if out.height:
        last = out.row(-1, named=True)
        rho, rank = last["implied_correlation"], last[pct]
        if rho is not None:
            where = f" ({_ordinal(rank)} percentile of the past {window})" if rank else ""
            lines.append(f"{index} implied correlation on {last['date']}: {rho:.3f}{where}")
    header = f"{'date':<10}  {'rho':>7}  {'pct':>5}  {'disp':>7}  {'proxy':>7}  {'names':>5}  cover"
    lines.append(header)
    for r in out.iter_rows(named=True):
        cells = [
            f"{r['date']!s:<10}",
            "   n/a " if r["implied_correlation"] is None else f"{r['implied_correlation']:7.3f}",
            "  n/a" if r[pct] is None else f"{r[pct]:5.1f}",
            "   n/a " if r["dispersion"] is None else f"{100 * r['dispersion']:7.2f}",
            "   n/a " if r["proxy_correlation"] is None else f"{r['proxy_correlation']:7.3f}",
            f"{r['n_constituents']:5d}",
            "  n/a" if r["weight_coverage"] is None else f"{r['weight_coverage']:5.1%}",
        ]
        lines.append("  ".join(cells))
    return "\n".join(lines) + "\n"


@click.command()
@click.option(
    "--index-vol",
    "index_vol",
    type=PATH,
    multiple=True,
    help="Index vols: date[, symbol], iv table or Cboe IV Indexes file(s). "
    "Default: the --index rows of --constituent-vols.",
)
@click.option(
    "--constituent-vols",
    "constituent_vols",
    type=PATH,
    multiple=True,
    required=True,
    help="Constituent vols: date, symbol, iv table(s) or Cboe IV Indexes file(s).",
)
@click.option("--weights", type=PATH, required=True, help="Index weights: symbol, weight[, date].")
@click.option("--index", default="SPX", show_default=True, help="Index symbol in the vol files.")
@click.option(
    "--tenor",
    type=click.Choice(_TENORS),
    default="iv30",
    show_default=True,
    help="Column read from Cboe IV Indexes files.",
)
@click.option("--top-n", type=int, default=None, help="Use only the heaviest N names.")
@click.option(
    "--min-coverage",
    type=float,
    default=0.0,
    show_default=True,
    help="Weight coverage below which coverage_ok is false.",
)
@click.option(
    "--window",
    type=click.Choice(["1y", "6m", "3m"]),
    default="1y",
    show_default=True,
    help="Trailing window of the percentile rank.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@handle_errors
def corr(
    *,
    index_vol: tuple[Path, ...],
    constituent_vols: tuple[Path, ...],
    weights: Path,
    index: str,
    tenor: str,
    top_n: int | None,
    min_coverage: float,
    window: Literal["1y", "6m", "3m"],
    fmt: Literal["text", "json", "csv"],
) -> None:
    """Print the implied correlation per date with its percentile rank and dispersion.

    Implied correlation is Cboe's formula, dispersion sqrt((sum w s)^2 - s_index^2)
    in vol points (Cboe DSPX), proxy (s_index / sum w s)^2; coverage is the share
    of index weight with a vol that day.
    """
    import json

    import polars as pl

    from optionsflow.correlation import dispersion_index, implied_correlation, percentile_rank

    symbol = index.removeprefix("^")
    vols = _read_vols(constituent_vols, tenor)
    index_lf = _read_vols(index_vol, tenor) if index_vol else vols
    index_rows = index_lf.filter(pl.col("symbol").is_null() | (pl.col("symbol") == symbol)).select(
        "date", "iv"
    )
    w = _read_weights(weights)
    vols = vols.filter(pl.col("symbol") != symbol)
    rho = implied_correlation(index_rows, vols, w, top_n=top_n, min_coverage=min_coverage)
    disp = dispersion_index(index_rows, vols, w, top_n=top_n, min_coverage=min_coverage)
    out = (
        percentile_rank(rho, value="implied_correlation", window=window)
        .join(
            disp.select("date", "dispersion", "proxy_correlation", "index_iv", "weighted_iv"),
            on="date",
            how="left",
            maintain_order="left",
        )
        .collect()
    )
    if fmt == "csv":
        click.echo(out.write_csv(), nl=False)
    elif fmt == "json":
        rows = out.with_columns(pl.col("date").cast(pl.String)).to_dicts()
        click.echo(json.dumps({"index": symbol, "rows": rows}, indent=2))
    else:
        click.echo(_text(out, symbol, window), nl=False)
