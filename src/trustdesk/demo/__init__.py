"""Seeded, deterministic generator of a realistic demo operation (brands, vendors, agents, customers,
users) and its interactions in the CONTRACTS.md section 1 shape."""
from trustdesk.demo.interactions import iter_interactions
from trustdesk.demo.operation import DEMO_PASSWORD, Operation, build_operation

__all__ = ["DEMO_PASSWORD", "Operation", "build_operation", "iter_interactions"]
