"""helixgraph service: FastAPI app, CLI and store adapters."""
