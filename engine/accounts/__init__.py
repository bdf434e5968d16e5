"""National accounts: production (EDGAR), consumption through the input–output model, transfers and bilateral flows,
land-use change and the attributed land sink, the panoramic ledger per region of any grouping.

The ledger equations are small pure functions (:mod:`engine.accounts.equations`); :class:`engine.accounts.ledger.
Accounts` orchestrates them over the tables that :mod:`engine.accounts.inputs` reads from the pack."""
