"""The writes of the emulation app: ``ratings`` (quality ratings), ``scoring`` (clusters, score sheets,
scores), ``awards``."""
