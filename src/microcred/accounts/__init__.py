"""Accounts: password login, server-side sessions, API tokens and authorization rules."""
