"""The ``optionsflow`` command line: thin click commands over the library.

Each command lives in its own module, parses its options, calls one library
function and writes the result. Options shared by commands are defined once, in
:mod:`optionsflow.cli._options`, so a flag means the same everywhere (``--store``,
``--sectors``, ``--format`` for the output, ``--out``, ``--top``, ...). An
:class:`~optionsflow.errors.OptionsFlowError` (or a Polars error while reading
data) becomes one line on stderr and exit status 2
(:func:`optionsflow.cli._common.handle_errors`).
"""

from __future__ import annotations

import click

from optionsflow.cli.batch import batch
from optionsflow.cli.chain import chain
from optionsflow.cli.classify import classify
from optionsflow.cli.config import config
from optionsflow.cli.corr import corr
from optionsflow.cli.flow import flow, skew, streaks, unusual
from optionsflow.cli.ingest import ingest
from optionsflow.cli.report import report
from optionsflow.cli.summary import summary
from optionsflow.cli.synth import synth
from optionsflow.cli.vix import vix

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="optionsflow")
def main() -> None:
    """Options-flow analytics: who is buying what in the options market."""


for _command in (
    batch,
    chain,
    classify,
    config,
    corr,
    flow,
    ingest,
    report,
    skew,
    streaks,
    summary,
    synth,
    unusual,
    vix,
):
    main.add_command(_command)
