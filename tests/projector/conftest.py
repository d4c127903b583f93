from tests.reports.consultation import consultation

__all__ = ["consultation"]
