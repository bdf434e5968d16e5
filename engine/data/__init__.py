"""Getting public data in and keeping it fresh: the source registry (``data/sources.toml``), fetching and verifying
files (mirror or origin, SHA-256), the processed pack and its keys (sources + authored tables + code), and the code
fingerprints those keys are made of."""
