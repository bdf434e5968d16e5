"""What every capability shares: the :class:`~engine.core.query.Query` (every user choice, the key of every
computation), units and physical constants (:mod:`engine.core.units`, one table), greenhouse-gas metrics
(:mod:`engine.core.gwp`), errors with codes and no HTTP (:mod:`engine.core.errors`), the one cache layer
(:mod:`engine.core.cache`) and the runtime settings (:mod:`engine.core.config`)."""
