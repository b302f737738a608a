"""Mutate one cell of a headed CSV fixture: the chain readers' bad-input tests share it."""

from pathlib import Path


def with_cell(source: Path, folder: Path, row: int, column: str, value: str) -> Path:
    """Copy ``source`` into ``folder`` with data ``row`` (1-based)'s ``column`` set to ``value``."""
    header, *lines = source.read_text().splitlines()
    fields = lines[row - 1].split(",")
    fields[header.split(",").index(column)] = value
    lines[row - 1] = ",".join(fields)
    path = folder / source.name
    path.write_text("\n".join([header, *lines]) + "\n")
    return path
