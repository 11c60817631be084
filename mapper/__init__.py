"""Map what the news says happened where.

Reads articles, finds the places they mention, resolves them to GeoNames, checks the
geography the text states, and renders incident maps. The gazetteer it stands on is the
separate :mod:`gazetteer` package.
"""

from .errors import InputError, MapperError

__all__ = ["InputError", "MapperError"]
