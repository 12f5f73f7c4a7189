from circulars.models.circulars import Circular, CircularFile, Receipt

__all__ = ["Circular", "CircularFile", "Receipt"]
