"""Code tables: vendor sale conditions, venues and option symbology, onto our vocabulary."""
