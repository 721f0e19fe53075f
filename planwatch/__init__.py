"""planwatch — 规划监测评估系统: makes government development plans monitorable."""

__version__ = "0.1.0"
