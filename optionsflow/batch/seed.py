"""Seeding a store with partials computed elsewhere (an old ``--history`` file, the bundled sample).

:func:`store_partials` writes each day of a partials frame into the store layout
(:mod:`~optionsflow.batch.layout`), atomically and under the store's lock, with a
provenance whose one input is the partials file (role ``partials``) and whose
accounting is the day's trades, all accepted. A later :func:`~optionsflow.batch.run_batch`
over trade files of such a day rewrites it (reason ``stored day was imported from
partials``); days it has no files for stay as imported.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from optionsflow import schema as s
from optionsflow.aggregate.partials import PARTIAL_SCHEMA, TRADES
from optionsflow.batch.layout import Kind, day_file, lock_store, sweep_temporary
from optionsflow.batch.provenance import (
    InputFile,
    Provenance,
    config_hash,
    sectors_hash,
    stat_input,
)
from optionsflow.batch.store import read_partials, write_atomic
from optionsflow.errors import SourceError
from optionsflow.ingest.accounting import REJECT_SCHEMA
from optionsflow.ingest.scan import IngestCounts

__all__ = ["store_partials"]


def store_partials(
    partials: str | Path | pl.DataFrame,
    store: str | Path,
    *,
    replace: bool = False,
    origin: str = "partials",
) -> list[dt.date]:
    """Write every day of a stored partials file into ``store``; return the days written.

    Parameters
    ----------
    partials
        A Parquet file of daily partials (:data:`~optionsflow.aggregate.partials.PARTIAL_SCHEMA`),
        or such a frame.
    store
        The store directory (created when missing).
    replace
        Overwrite days the store already holds; by default they are kept.
    origin
        For a frame: the name its provenance records as the input (with the frame's
        content hash as fingerprint and no size or time, so the files written are the
        same bytes wherever and whenever they are written: the bundled sample's store).

    Raises
    ------
    SourceError
        When the file is missing, or another run holds the store's lock.
    SchemaError
        When the file is not partials.

    Examples
    --------
    >>> import datetime as dt, pathlib, tempfile
    >>> from optionsflow.batch.pipeline import flow_partials
    >>> from optionsflow.batch.layout import read_store
    >>> from optionsflow.synth import synth_day
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> history = folder / "history.parquet"
    >>> flow_partials(synth_day(dt.date(2026, 11, 20), 300), greeks=False).collect().write_parquet(
    ...     history)
    >>> store_partials(history, folder / "store")
    [datetime.date(2026, 11, 20)]
    >>> read_store(folder / "store").select("trades").sum().collect().item()
    300
    """
    if isinstance(partials, pl.DataFrame):
        s.validate_columns(partials.schema, PARTIAL_SCHEMA, source=origin, what="partials")
        frame = partials.select(list(PARTIAL_SCHEMA))
        source = InputFile(origin, "partials", 0, 0, sectors_hash(frame))
    else:
        frame = read_partials(partials).collect()
        source = stat_input(partials, "partials", content=True)
    root = Path(store)
    root.mkdir(parents=True, exist_ok=True)
    written = []
    with lock_store(root):
        sweep_temporary(root)
        days = frame.partition_by(s.DATE, as_dict=True, maintain_order=True)
        for key, cells in sorted(days.items(), key=lambda item: str(item[0][0])):
            day = key[0]
            if not isinstance(day, dt.date):
                where = origin if isinstance(partials, pl.DataFrame) else str(partials)
                raise SourceError("partials with a null date", source=where)
            if not replace and day_file(root, "partials", day).exists():
                continue
            trades = int(cells[TRADES].sum())
            prov = Provenance(
                day=day,
                inputs=(source,),
                config_hash=config_hash(None),
                sectors_hash=None,
                counts=IngestCounts(read=trades, accepted=trades),
            )
            files: list[tuple[Kind, pl.DataFrame]] = [
                ("rejects", pl.DataFrame(schema=REJECT_SCHEMA)),
                ("partials", cells.select(c for c in PARTIAL_SCHEMA if c != s.DATE)),
            ]
            for kind, data in files:  # partials last: the day is complete when they are there
                target = day_file(root, kind, day)
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(data, target, metadata=prov.metadata())
            written.append(day)
    return written
