"""Schemas of the processed tables (pandera) and the metadata derived from them."""
