"""Accuracy of trade signing against ground truth.

For labelled data (the synthetic generator's ``true_side``, or a user's own
audited sample), :func:`evaluate_signing` reports

* ``coverage``: share of prints given a side (+1/-1);
* ``accuracy``: share of *signed* prints whose side equals the truth;
* ``accuracy_all``: share of all prints signed correctly (unsigned count as
  wrong), the figure comparable with a classifier that always answers;
* the confusion matrix, and the same figures per deciding rule and per size
  bucket.

Complex prints (``side_rule == "complex"``) are left out of every figure.

Examples
--------
>>> import polars as pl
>>> frame = pl.DataFrame({
...     "side": [1, -1, None, 1], "side_rule": ["quote_best"] * 3 + ["depth_best"],
...     "true_side": [1, 1, -1, 1], "size": [1, 2, 3, 150],
... })
>>> report = evaluate_signing(frame)
>>> report.coverage, report.accuracy, report.accuracy_all
(0.75, 0.6666666666666666, 0.5)
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

import polars as pl

from optionsflow import schema as s

__all__ = ["SIZE_BUCKETS", "SigningReport", "evaluate_signing"]

SIZE_BUCKETS: tuple[int, ...] = (1, 5, 10, 25, 100, 200)
"""Lower edges of the size buckets: 1-4, 5-9, 10-24, 25-99, 100-199, 200+ contracts."""


@dataclasses.dataclass(frozen=True)
class SigningReport:
    """Signing accuracy figures (see module docstring)."""

    n: int
    coverage: float
    accuracy: float
    accuracy_all: float
    confusion: pl.DataFrame
    by_rule: pl.DataFrame
    by_size: pl.DataFrame


def _figures(truth: str) -> list[pl.Expr]:
    signed = pl.col(s.SIDE).is_not_null() & (pl.col(s.SIDE) != 0)
    right = (pl.col(s.SIDE) == pl.col(truth)).fill_null(False)
    return [
        pl.len().alias("n"),
        signed.mean().alias("coverage"),
        pl.when(signed.sum() > 0).then(right.sum() / signed.sum()).alias("accuracy"),
        right.mean().alias("accuracy_all"),
    ]


def _bucket(edges: Sequence[int]) -> pl.Expr:
    labels = [f"{lo}-{hi - 1}" for lo, hi in itertools.pairwise(edges)]
    labels.append(f"{edges[-1]}+")
    expr: pl.Expr = pl.lit(labels[-1])
    for hi, label in reversed(list(zip(edges[1:], labels, strict=False))):
        expr = pl.when(pl.col(s.SIZE) < hi).then(pl.lit(label)).otherwise(expr)
    return pl.when(pl.col(s.SIZE) < edges[0]).then(pl.lit(f"<{edges[0]}")).otherwise(expr)


def evaluate_signing(
    trades: pl.LazyFrame | pl.DataFrame,
    *,
    truth: str = s.TRUE_SIDE,
    size_buckets: Sequence[int] = SIZE_BUCKETS,
) -> SigningReport:
    """Compare ``side`` with a ground-truth column.

    Parameters
    ----------
    trades
        Signed trades (``side``, ``side_rule``, ``size``) with ``truth``.
    truth
        Column of true sides (+1 / -1).
    size_buckets
        Increasing lower edges of the size buckets.

    Returns
    -------
    SigningReport
        Overall figures, confusion matrix (``truth, side, n``), and the
        figures ``by_rule`` (per ``side_rule``) and ``by_size``.

    Examples
    --------
    Four prints signed by the default stack: at the ask, at the bid (truly a
    buy), below the midpoint, and at the midpoint with equal depth (unsigned):

    >>> from optionsflow import sign_trades
    >>> from optionsflow.testing import trades
    >>> prints = trades([{"price": 1.05}, {"price": 0.95}, {"price": 0.96},
    ...                  {"price": 1.00, "bid_size": 20}])
    >>> truth = pl.Series("true_side", [1, 1, -1, 1])
    >>> report = evaluate_signing(sign_trades(prints.with_columns(truth)))
    >>> report.coverage, round(report.accuracy, 4), report.accuracy_all
    (0.75, 0.6667, 0.5)
    """
    lf = trades.lazy()
    s.require_columns(lf, (s.SIDE, s.SIDE_RULE, s.SIZE, truth), by="evaluate_signing")
    lf = lf.filter(pl.col(s.SIDE_RULE).fill_null("") != "complex").with_columns(
        _bucket(size_buckets).alias("size_bucket")
    )
    overall, confusion, by_rule, by_size = pl.collect_all([
        lf.select(_figures(truth)),
        lf.group_by(truth, s.SIDE).agg(pl.len().alias("n")).sort(truth, s.SIDE, nulls_last=True),
        lf.group_by(s.SIDE_RULE).agg(_figures(truth)).sort("n", descending=True),
        lf.group_by("size_bucket").agg(*_figures(truth), pl.col(s.SIZE).min().alias("_lo"))
        .sort("_lo").drop("_lo"),
    ])  # fmt: skip
    row = overall.row(0, named=True)
    return SigningReport(
        n=row["n"],
        coverage=row["coverage"] or 0.0,
        accuracy=row["accuracy"] if row["accuracy"] is not None else float("nan"),
        accuracy_all=row["accuracy_all"] or 0.0,
        confusion=confusion,
        by_rule=by_rule,
        by_size=by_size,
    )
