"""Reference tables: implied vols, index weights, sector maps, index closes, Cboe IV indexes.

Read as strictly as trade files: a missing column or an unreadable file names the file.
"""
