"""Real-time delivery: the event log (outbox), the typed protocol, the bus and the hub.

Nothing in this package imports a feature: features append events here, and the hub delivers
them by stream and audience without knowing what they mean.
"""
