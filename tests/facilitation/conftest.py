from tests.findings.scene import scene

__all__ = ["scene"]
