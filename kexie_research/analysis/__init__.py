"""Analysis: frames in, frames out, no drawing."""
