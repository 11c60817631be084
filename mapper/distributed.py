"""The same pipeline on Dask: a Dask DataFrame of articles in, mentions or incidents out.

Each partition runs the ordinary pipeline (:func:`mapper.geoparse_frame`,
:func:`mapper.incidents`) in a worker process. Workers open the read-only index file
themselves, once per process, at the path the client resolved, so nothing large travels
with the tasks: on one machine every worker shares the cached default index; on several
machines the file must be at that path on each of them (see the README, "Beyond one
machine"). Dask is an optional dependency (``pip install 'newsmapper[dask]'``) and is
imported only inside these functions.
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any

from gazetteer import Gazetteer

from .frames import (
    INCIDENT_DTYPES,
    MENTION_DTYPES,
    VERDICT_SEPARATOR,
    check_columns,
    frame_articles,
    incident_row,
    joined_verdicts,
    typed,
)
from .pipeline import geoparse_frame, incidents

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

__all__ = ["incidents_dask", "mentions_dask", "merge_incidents"]

_GAZETTEERS: dict[str, Gazetteer] = {}
_OPENING = threading.Lock()


def _gazetteer(index_path: str) -> Gazetteer:
    """The index at ``index_path``, opened once per worker process and then reused."""
    with _OPENING:
        if index_path not in _GAZETTEERS:
            _GAZETTEERS[index_path] = Gazetteer(index_path)
        return _GAZETTEERS[index_path]


def _index_path(index_path: str | None) -> str:
    """The index the workers open: the one given, else the client's default (built here)."""
    if index_path is not None:
        return str(index_path)
    from gazetteer.default import default_index_path

    return str(default_index_path())


def _nullable(dtype: Any) -> Any:
    """An integer id dtype as pandas' nullable Int64: one partition may miss an id."""
    import pandas as pd

    if pd.api.types.is_integer_dtype(dtype) and not isinstance(dtype, pd.api.extensions.
                                                                  ExtensionDtype):
        return "Int64"
    return dtype


# -- mentions ----------------------------------------------------------------------------


def _mention_dtypes(id_dtype: Any) -> dict[str, Any]:
    return {"id": id_dtype, **MENTION_DTYPES}


def _mentions_partition(part: pd.DataFrame, *, text_column: str, id_column: str | None,
                        index_path: str, id_dtype: Any) -> pd.DataFrame:
    """Geoparse one partition in a worker, with the worker's own copy of the index open."""
    frame = geoparse_frame(part, text_column=text_column, id_column=id_column,
                           gazetteer=_gazetteer(index_path))
    return typed(frame, _mention_dtypes(id_dtype))


def mentions_dask(articles: dd.DataFrame, *, text_column: str = "text",
                  id_column: str | None = "id", index_path: str | None = None
                  ) -> dd.DataFrame:
    """Geoparse a Dask DataFrame of articles into mentions, partition by partition.

    Parameters
    ----------
    articles
        One row per article, with a text column and (optionally) an id column.
    text_column
        The column that holds the article text.
    id_column
        The column that identifies an article. The default "id" falls back to the
        frame's index when the frame has no such column (as does None); any other name
        must be a column.
    index_path
        The gazetteer index file the workers open. Defaults to the client's
        ``gazetteer.default_index_path()`` (``MAPPER_GAZETTEER`` if set), which must then
        exist at the same path on every worker machine.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; one row per mention with the columns of :func:`mapper.geoparse_frame`
        (``geonameid`` as nullable ``Int64``). Each partition keeps its own 0-based index.

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd         # doctest: +SKIP
    >>> text = ["Shelling hit Aleppo, Syria."]             # doctest: +SKIP
    >>> articles = dd.from_pandas(pd.DataFrame({"id": ["1"], "text": text}),
    ...                           npartitions=1)           # doctest: +SKIP
    >>> mentions_dask(articles).compute()["name"].tolist()  # doctest: +SKIP
    ['Aleppo', 'Syria']
    """
    check_columns(list(articles.columns), text_column, id_column)
    has_id = id_column is not None and id_column in articles.columns
    id_dtype = _nullable(articles[id_column].dtype if has_id else articles.index.dtype)
    meta = _empty(_mention_dtypes(id_dtype))
    return articles.map_partitions(
        _mentions_partition, text_column=text_column, id_column=id_column,
        index_path=_index_path(index_path), id_dtype=id_dtype, meta=meta,
        clear_divisions=True)


# -- incidents ---------------------------------------------------------------------------


def _incidents_partition(part: pd.DataFrame, *, text_column: str, id_column: str | None,
                         index_path: str) -> pd.DataFrame:
    """Find the incidents of one partition's articles in a worker."""
    import pandas as pd

    found = incidents(frame_articles(part, text_column, id_column),
                      gazetteer=_gazetteer(index_path))
    rows = [incident_row(i) for i in found]
    for row in rows:  # one dtype for every partition: the sources as JSON text
        row["sources"] = json.dumps(row["sources"], ensure_ascii=False)
    frame = pd.DataFrame(rows, columns=list(INCIDENT_DTYPES))
    return typed(frame, INCIDENT_DTYPES)


def incidents_dask(articles: dd.DataFrame, *, text_column: str = "text",
                   id_column: str | None = "id", index_path: str | None = None
                   ) -> dd.DataFrame:
    """Find the incidents a Dask DataFrame of articles reports, partition by partition.

    An incident reported by articles in *different* partitions appears once per
    partition; pass the computed frame to :func:`merge_incidents` to merge them.

    Parameters
    ----------
    articles
        One row per article: a text column, an id column, and optionally ``title``,
        ``url``, ``outlet`` and ``published`` (dates and sources come from these).
    text_column
        The column that holds the article text.
    id_column
        The column that identifies an article. The default "id" falls back to the
        frame's index when the frame has no such column (as does None); any other name
        must be a column.
    index_path
        The gazetteer index file the workers open; the client's default when omitted.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; one row per incident per partition with the columns ``id``, ``event_type``,
        ``date``, ``quote``, ``place_name``, ``geonameid``, ``lat``, ``lon``,
        ``country_code``, ``admin_path`` (``" › "``-joined, place first), ``precision``,
        ``region_code``, ``verdicts`` (the distinct verdicts of its findings,
        ``"; "``-joined) and ``sources`` (a JSON list of the citing articles).

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd         # doctest: +SKIP
    >>> text = ["Air defences shot down a drone over Kondrovo in the Kaluga region."]
    >>> articles = dd.from_pandas(pd.DataFrame({"id": ["1"], "text": text}),
    ...                           npartitions=1)           # doctest: +SKIP
    >>> found = merge_incidents(incidents_dask(articles).compute())  # doctest: +SKIP
    >>> found["place_name"].tolist()                       # doctest: +SKIP
    ['Kondrovo']
    """
    check_columns(list(articles.columns), text_column, id_column)
    return articles.map_partitions(
        _incidents_partition, text_column=text_column, id_column=id_column,
        index_path=_index_path(index_path), meta=_empty(INCIDENT_DTYPES),
        clear_divisions=True)


def merge_incidents(frame: pd.DataFrame) -> pd.DataFrame:
    """Merge the rows of one incident found in several partitions, citing every source.

    The first row of each incident id gives its fields (as :func:`mapper.incidents`
    keeps the first report); ``sources`` concatenates the JSON lists without repeats and
    ``verdicts`` joins the distinct verdicts. Rows are ordered by date, place and id.

    Parameters
    ----------
    frame
        The computed result of :func:`incidents_dask` (a pandas DataFrame).

    Returns
    -------
    pandas.DataFrame
        One row per incident id, with the same columns, on a fresh 0-based index.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"id": ["a", "a"], "date": ["2024-08-27"] * 2,
    ...                      "place_name": ["Kondrovo"] * 2, "verdicts": ["", "consistent"],
    ...                      "sources": ['[{"article_id": "1"}]', '[{"article_id": "2"}]']})
    >>> merged = merge_incidents(rows)
    >>> merged["sources"].tolist(), merged["verdicts"].tolist()
    (['[{"article_id": "1"}, {"article_id": "2"}]'], ['consistent'])
    """
    if frame.empty:
        return frame.reset_index(drop=True)
    first = frame.drop_duplicates("id", keep="first").set_index("id")
    groups = frame.groupby("id", sort=False)
    first["sources"] = groups["sources"].agg(_join_sources)
    first["verdicts"] = groups["verdicts"].agg(_join_verdicts)
    merged = first.reset_index()[list(frame.columns)]
    keys = merged[["date", "place_name"]].fillna("").astype(str)
    order = sorted(range(len(merged)), key=lambda i: (keys["date"].iat[i],
                                                      keys["place_name"].iat[i],
                                                      str(merged["id"].iat[i])))
    return merged.iloc[order].reset_index(drop=True)


def _join_sources(values: pd.Series) -> str:
    sources: list[Any] = []
    for value in values:
        sources += [s for s in json.loads(value) if s not in sources]
    return json.dumps(sources, ensure_ascii=False)


def _join_verdicts(values: pd.Series) -> str:
    verdicts = (v for value in values if isinstance(value, str) and value
                for v in value.split(VERDICT_SEPARATOR))
    return joined_verdicts(verdicts)


def _empty(dtypes: dict[str, Any]) -> pd.DataFrame:
    """A zero-row frame with these columns and dtypes: the ``meta`` Dask plans with."""
    import pandas as pd

    return typed(pd.DataFrame({column: [] for column in dtypes}), dtypes)
