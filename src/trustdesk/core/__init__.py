"""The pure core: plain functions over plain data. No I/O, no clock, no environment, no frameworks."""
