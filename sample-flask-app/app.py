"""A minimal Flask service: the app the CI pipeline tests, builds and pushes."""

import os
from typing import Mapping

from flask import Flask, jsonify

# Must match the Dockerfile's EXPOSE (a test checks it).
DEFAULT_PORT = 8000


def create_app() -> Flask:
    """Builds the application with its two routes."""
    app = Flask(__name__)

    @app.get("/")
    def hello():
        return jsonify(message="Hello from the CI pipeline!")

    @app.get("/health")
    def health():
        return jsonify(status="ok")

    return app


def port_from_env(env: Mapping[str, str] = os.environ) -> int:
    """The port to listen on: $PORT if set, else DEFAULT_PORT."""
    raw = env.get("PORT", "").strip()
    if raw == "":
        return DEFAULT_PORT
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise ValueError(f"PORT must be an integer from 1 to 65535, got {raw!r}")
    return int(raw)


app = create_app()

if __name__ == "__main__":
    # 0.0.0.0: inside a container, 127.0.0.1 is unreachable from outside.
    app.run(host="0.0.0.0", port=port_from_env())
