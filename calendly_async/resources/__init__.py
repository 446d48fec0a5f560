"""Endpoint namespaces, one module per API area."""
