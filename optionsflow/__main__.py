"""``python -m optionsflow``: the same commands as the ``optionsflow`` script."""

from optionsflow.cli import main

main()
