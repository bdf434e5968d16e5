"""Flask routes on the Dash server (thin wrappers over the engine)."""

from __future__ import annotations

from flask import Flask

from api.briefing import bp as briefing_bp
from api.exports import bp as exports_bp
from api.static import bp as static_bp
from api.tiles import bp as tiles_bp
from api.v1 import bp as v1_bp


def register_api(server: Flask) -> None:
    """Attach every API blueprint to the Flask server."""
    server.register_blueprint(static_bp)
    server.register_blueprint(tiles_bp)
    server.register_blueprint(exports_bp)
    server.register_blueprint(briefing_bp)
    server.register_blueprint(v1_bp)
