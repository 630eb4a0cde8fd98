"""The graph core: one per-version in-memory graph that every reader of the service uses.

:class:`Graph` is one version (nodes, relationships, adjacency, name index);
:class:`GraphCore` keeps the current one, following the store's change log.
"""

from app.core.follow import GraphCore
from app.core.graph import Adjacency, Carried, Graph

__all__ = ["Adjacency", "Carried", "Graph", "GraphCore"]
