"""The canonical trade schema: column names, dtypes and vocabularies.

This package is the single source of truth for every column optionsflow reads
or writes (DESIGN.md section 4). Downstream code refers to columns through the
constants of :mod:`~optionsflow.schema.names`, never by position and never by a vendor's name.

Examples
--------
>>> import polars as pl
>>> from optionsflow import schema
>>> schema.TRADE_SCHEMA[schema.RIGHT]
Enum(categories=['C', 'P'])
>>> lf = pl.LazyFrame({"ts": [1]})
>>> try:
...     schema.validate_trades(lf)
... except schema.SchemaError as err:
...     print(err.column, "|", str(err)[:46])
seq | column 'seq': missing canonical columns: 'seq'
"""

from optionsflow.schema import checks, names, vocabulary
from optionsflow.schema.checks import *  # noqa: F403
from optionsflow.schema.names import *  # noqa: F403
from optionsflow.schema.vocabulary import *  # noqa: F403

__all__ = ["checks", "names", "vocabulary"]
__all__ += names.__all__
__all__ += vocabulary.__all__
__all__ += checks.__all__
