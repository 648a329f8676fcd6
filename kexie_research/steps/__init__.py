"""Build steps: one module per raw input (load, check, return a table). Only the build reads data/raw."""
