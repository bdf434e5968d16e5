"""Input–output economics: the identities of a multi-regional input–output model as pure functions
(:mod:`engine.io.iomath`), a labelled input–output system of any size with named satellite extensions
(:mod:`engine.io.system`), the EDGAR satellite allocated to the model's sectors (:mod:`engine.io.satellite`), and the
nowcast beyond the last table year (:mod:`engine.io.nowcast`)."""
