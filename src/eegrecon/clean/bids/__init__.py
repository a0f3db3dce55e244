"""Whole BIDS datasets in, a BIDS derivative dataset out: :func:`~eegrecon.clean.bids.run.clean_bids`."""
