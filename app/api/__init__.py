"""HTTP routers: one module per resource, each thin."""
