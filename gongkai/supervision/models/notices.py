"""notices models of 监督保障."""

__all__: list[str] = []
