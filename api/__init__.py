"""Flask routes on the Dash server (thin wrappers over the engine): the REST API (``api.v1``), tiles, exports, the
briefing export and small static routes. The JSON API and the tiles import no Dash; the blueprints are imported when
they are registered, so importing one of them does not load the others.
"""

from __future__ import annotations


def register_api(server) -> None:
    """Attach every API blueprint to the Flask server."""
    from api.briefing import bp as briefing_bp
    from api.exports import bp as exports_bp
    from api.lca import bp as lca_bp
    from api.static import bp as static_bp
    from api.tiles import bp as tiles_bp
    from api.v1 import bp as v1_bp

    for bp in (static_bp, tiles_bp, exports_bp, briefing_bp, v1_bp, lca_bp):
        server.register_blueprint(bp)
