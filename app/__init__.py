"""Breakouts: a self-hosted real-time server for facilitated online consultations."""
