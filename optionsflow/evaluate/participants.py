"""How well participant labels match ground truth, and cut-offs fitted to it.

:func:`evaluate_participant` compares ``participant`` with a truth column,
weighting every print by its contracts (the figure that matters for "retail
share of volume") and also by count. :func:`calibrate_participant` searches
the retail / block cut-offs of the rule table on labelled data (for instance
the synthetic generator's, or an audited sample of your own) and returns the
best :class:`~optionsflow.config.Config` with the defaults as the baseline.

Fitting is a grid search: every candidate is scored by volume-weighted
accuracy, ties broken by the smaller retail-share error. Orders are
reconstructed once; each candidate only re-evaluates the rule table.

Examples
--------
>>> import polars as pl
>>> frame = pl.DataFrame({
...     "participant": ["retail", "retail", "institutional"],
...     "true_participant": ["retail", "institutional", "institutional"],
...     "size": [10, 30, 60],
... })
>>> report = evaluate_participant(frame)
>>> report.accuracy, report.retail_share, report.true_retail_share
(0.7, 0.4, 0.1)
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

import polars as pl

from optionsflow import schema as s
from optionsflow.classify.orders import ORDER_COLUMNS, reconstruct_orders
from optionsflow.classify.participant import classify_participant
from optionsflow.config import Config

__all__ = ["Calibration", "ParticipantReport", "calibrate_participant", "evaluate_participant"]

RETAIL_MAX_SIZES: tuple[int, ...] = (9, 24, 49, 74, 99, 149, 199)
BLOCK_PREMIUMS: tuple[float, ...] = (10_000.0, 25_000.0, 50_000.0, 100_000.0, 250_000.0)


@dataclasses.dataclass(frozen=True)
class ParticipantReport:
    """Participant-label accuracy (see module docstring).

    Attributes
    ----------
    prints, contracts
        Size of the evaluated set.
    accuracy
        Share of contracts labelled with their true class.
    accuracy_prints
        Share of prints labelled with their true class.
    retail_share, true_retail_share
        Retail share of contracts, estimated and true.
    per_class
        ``participant, precision, recall`` (contract-weighted).
    confusion
        ``truth, participant, contracts, prints``.
    """

    prints: int
    contracts: int
    accuracy: float
    accuracy_prints: float
    retail_share: float
    true_retail_share: float
    per_class: pl.DataFrame
    confusion: pl.DataFrame


@dataclasses.dataclass(frozen=True)
class Calibration:
    """Result of :func:`calibrate_participant`."""

    config: Config
    baseline: ParticipantReport
    calibrated: ParticipantReport
    grid: pl.DataFrame


def evaluate_participant(
    trades: pl.LazyFrame | pl.DataFrame, *, truth: str = s.TRUE_PARTICIPANT
) -> ParticipantReport:
    """Compare ``participant`` with ``truth``.

    Parameters
    ----------
    trades
        Labelled trades with ``participant``, ``size`` and ``truth``.
    truth
        Column of true classes.

    Returns
    -------
    ParticipantReport
        Overall, per-class and confusion figures.

    Examples
    --------
    Of 200 contracts, the 30-lot labelled retail is truly institutional:

    >>> from optionsflow import classify_participant
    >>> from optionsflow.testing import trades
    >>> prints = trades([{"size": n} for n in (20, 30, 150)])
    >>> truth = pl.Series("true_participant", ["retail", "institutional", "institutional"])
    >>> report = evaluate_participant(classify_participant(prints.with_columns(truth)))
    >>> report.accuracy, report.retail_share, report.true_retail_share
    (0.85, 0.25, 0.1)
    """
    lf = trades.lazy()
    s.require_columns(lf, (s.PARTICIPANT, s.SIZE, truth), by="evaluate_participant")
    lf = lf.select(
        pl.col(truth).cast(pl.String).alias("truth"),
        pl.col(s.PARTICIPANT).cast(pl.String),
        pl.col(s.SIZE).cast(pl.Int64),
    )
    confusion = (
        lf.group_by("truth", s.PARTICIPANT)
        .agg(pl.col(s.SIZE).sum().alias("contracts"), pl.len().alias("prints"))
        .sort("truth", s.PARTICIPANT)
        .collect()
    )

    def contracts(frame: pl.DataFrame) -> float:
        return float(frame["contracts"].sum())

    total = contracts(confusion)
    right = confusion.filter(pl.col("truth") == pl.col(s.PARTICIPANT))

    def share(column: str) -> float:
        retail = contracts(confusion.filter(pl.col(column) == "retail"))
        return retail / total if total else 0.0

    classes = sorted(set(confusion["truth"]) | set(confusion[s.PARTICIPANT]))
    rows = []
    for cls in classes:
        hit = contracts(right.filter(pl.col("truth") == cls))
        said = contracts(confusion.filter(pl.col(s.PARTICIPANT) == cls))
        true = contracts(confusion.filter(pl.col("truth") == cls))
        rows.append((cls, hit / said if said else None, hit / true if true else None))
    per_class = pl.DataFrame(rows, schema=[s.PARTICIPANT, "precision", "recall"], orient="row")
    return ParticipantReport(
        prints=int(confusion["prints"].sum()),
        contracts=int(total),
        accuracy=contracts(right) / total if total else 0.0,
        accuracy_prints=float(right["prints"].sum()) / float(confusion["prints"].sum())
        if total
        else 0.0,
        retail_share=share(s.PARTICIPANT),
        true_retail_share=share("truth"),
        per_class=per_class,
        confusion=confusion,
    )


def calibrate_participant(
    trades: pl.LazyFrame | pl.DataFrame,
    *,
    truth: str = s.TRUE_PARTICIPANT,
    config: Config | None = None,
    retail_max_sizes: Sequence[int] = RETAIL_MAX_SIZES,
    block_premiums: Sequence[float] = BLOCK_PREMIUMS,
) -> Calibration:
    """Fit the retail / block cut-offs of the participant rules on labelled trades.

    Parameters
    ----------
    trades
        Canonical trades, ideally signed, with ``truth``.
    truth
        Column of true classes.
    config
        Starting config (its other settings are kept); defaults when None.
    retail_max_sizes
        Candidate largest retail order sizes; ``block_size`` follows as the
        next contract count, so every order size is covered by one rule.
    block_premiums
        Candidate block premiums (USD).

    Returns
    -------
    Calibration
        The best config, the baseline (``config``) and calibrated reports on
        ``trades``, and every candidate's score.

    Examples
    --------
    When the truth says a 30-lot is institutional, a retail cut-off of 24 beats 99:

    >>> from optionsflow.testing import trades
    >>> prints = trades([{"size": n} for n in (20, 30, 150)])
    >>> truth = pl.Series("true_participant", ["retail", "institutional", "institutional"])
    >>> fit = calibrate_participant(prints.with_columns(truth), retail_max_sizes=(24, 99))
    >>> fit.config.participant.retail_max_size, fit.baseline.accuracy, fit.calibrated.accuracy
    (24, 0.85, 1.0)
    """
    base = config or Config()
    lf = trades.lazy()
    if not set(ORDER_COLUMNS) <= set(lf.collect_schema().names()):
        lf = reconstruct_orders(lf, config=base)
    orders = lf.select(
        s.CONDITION, s.SIZE, truth, *ORDER_COLUMNS
    ).collect()  # one reconstruction for all candidates
    scored = []
    for max_size, premium in itertools.product(retail_max_sizes, block_premiums):
        candidate = dataclasses.replace(
            base,
            participant=dataclasses.replace(
                base.participant,
                retail_max_size=max_size,
                block_size=max_size + 1,
                block_premium=premium,
            ),
        )
        report = evaluate_participant(classify_participant(orders, config=candidate), truth=truth)
        error = abs(report.retail_share - report.true_retail_share)
        scored.append((max_size, premium, report.accuracy, error, candidate))
    scored.sort(key=lambda row: (-row[2], row[3], row[0], row[1]))
    best = scored[0][4]
    grid = pl.DataFrame(
        [row[:4] for row in scored],
        schema=["retail_max_size", "block_premium", "accuracy", "retail_share_error"],
        orient="row",
    )
    return Calibration(
        config=best,
        baseline=evaluate_participant(classify_participant(orders, config=base), truth=truth),
        calibrated=evaluate_participant(classify_participant(orders, config=best), truth=truth),
        grid=grid,
    )
