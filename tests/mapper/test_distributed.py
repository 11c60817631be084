"""Tests for mapper.distributed: the pipeline on a local two-worker Dask cluster.

The results must equal the single-process pipeline on the same articles: mentions row for
row, incidents by id and sources once :func:`merge_incidents` has joined the partitions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import mapper
from gazetteer import Gazetteer, IndexNotFoundError
from mapper.errors import InputError

dd = pytest.importorskip("dask.dataframe", reason="dask[dataframe] is not installed "
                                                  "(pip install 'newsmapper[dask]')")
distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed "
                                                        "(pip install 'newsmapper[dask]')")

from mapper.distributed import incidents_dask, mentions_dask, merge_incidents  # noqa: E402

KALUGA = ("Air defence units shot down a drone over Dzhezkazgan district in the Kaluga "
          "region on the night of May 3, the governor said.")

# (id, published, text): written for these tests. Rows 0 and 9 report the same drone
# incident and land in different partitions; row 5 has no place at all.
ARTICLES = [
    ("a01", "2024-05-04", KALUGA),
    ("a02", "2024-05-04", "Floods inundated streets in Kyiv, Ukraine on Tuesday."),
    ("a03", "2024-05-05", "Hundreds of farmers held a protest in Pune on Sunday."),
    ("a04", "2024-05-05", "Shelling was reported in Aleppo, Syria overnight."),
    ("a05", "2024-05-06", "A storm flooded roads in Long Beach, California."),
    ("a06", "2024-05-06", "Nothing happened anywhere in particular today."),
    ("a07", "2024-05-07", "A fire destroyed a warehouse in Kirishi in the Leningrad region."),
    ("a08", "2024-05-07", "Police arrested two men in Lyon, France after a rally."),
    ("a09", "2024-05-08", "An explosion damaged a bridge near Odesa on Monday morning."),
    ("a10", "2024-05-04", "A drone was shot down over Dzhezkazgan district in the Kaluga "
                          "region on May 3, officials said. Nobody was hurt."),
    ("a11", "2024-05-09", "Rain fell on Kaluga and Tula as the weekend began."),
    ("a12", "2024-05-09", "Protesters marched through Tbilisi, Georgia on Friday evening."),
]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    return pd.DataFrame([{"id": i, "title": f"Report {i}", "outlet": "Test Wire",
                          "published": p, "text": t} for i, p, t in ARTICLES])


@pytest.fixture(scope="module")
def articles_dask(articles: pd.DataFrame) -> Any:
    frame = dd.from_pandas(articles, npartitions=3)
    assert frame.npartitions == 3
    return frame


def _records(frame: pd.DataFrame, keys: list[str]) -> list[dict[str, Any]]:
    """Rows as plain dicts in a stable order, with every missing value as None."""
    frame = frame.sort_values(keys).reset_index(drop=True).astype(object)
    return frame.where(frame.notna(), None).to_dict("records")


def test_mentions_equal_the_single_process_frame(client: Any, articles: pd.DataFrame,
                                                 articles_dask: Any,
                                                 default_gazetteer: Gazetteer) -> None:
    lazy = mentions_dask(articles_dask, index_path=str(default_gazetteer.path))
    got = lazy.compute()
    want = mapper.geoparse_frame(articles, gazetteer=default_gazetteer)
    assert list(got.columns) == list(want.columns) == list(lazy.columns)
    assert len(want) > 12
    keys = ["id", "start", "end"]
    assert _records(got, keys) == _records(want, keys)
    kaluga = got[(got["id"] == "a01") & (got["text"] == "Kaluga")]
    assert kaluga["admin1_name"].tolist() == ["Kaluga"]


def test_incidents_merged_equal_the_single_process_incidents(
        client: Any, articles: pd.DataFrame, articles_dask: Any,
        default_gazetteer: Gazetteer) -> None:
    partial = incidents_dask(articles_dask, index_path=str(default_gazetteer.path)).compute()
    merged = merge_incidents(partial)
    records = [mapper.Article.from_dict(r, default_id="") for r in
               articles.to_dict("records")]
    want = mapper.incidents(records, gazetteer=default_gazetteer)

    def sources(value: str) -> list[str]:
        return [s["article_id"] for s in json.loads(value)]

    assert merged["id"].tolist() == [i.id for i in want]
    assert [sources(s) for s in merged["sources"]] == [
        [s.article_id for s in i.sources] for i in want]
    shared = [i for i in want if {"a01", "a10"} <= {s.article_id for s in i.sources}]
    assert len(shared) == 1, "the Kaluga drone is one incident with two sources"
    assert partial["id"].tolist().count(shared[0].id) == 2, "found once per partition"
    row = merged.set_index("id").loc[shared[0].id]
    assert row["admin_path"] == " › ".join(shared[0].admin_path)
    assert row["verdicts"] == "; ".join(sorted({f.verdict for f in shared[0].findings}))
    assert "inconsistent" in row["verdicts"]


def test_default_index_path_is_resolved_on_the_client(articles_dask: Any, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "elsewhere.sqlite"
    monkeypatch.setenv("MAPPER_GAZETTEER", str(missing))
    lazy = mentions_dask(articles_dask)
    monkeypatch.delenv("MAPPER_GAZETTEER")
    with pytest.raises(IndexNotFoundError, match=r"elsewhere\.sqlite"):
        lazy.compute(scheduler="sync")


def test_a_missing_text_column_is_an_input_error(articles_dask: Any,
                                                 default_gazetteer: Gazetteer) -> None:
    with pytest.raises(InputError, match="no column 'body'"):
        mentions_dask(articles_dask, text_column="body", index_path=str(default_gazetteer.path))


def test_a_missing_integer_id_in_one_partition_is_no_failure(
        default_gazetteer: Gazetteer) -> None:
    # the first partition's ids are integers; the second has one missing
    frame = pd.DataFrame({"id": [1, 2, None], "text": ["Rain in Kaluga.", "Fire in Tula.",
                                                        "Floods hit Tver."]})
    parts = dd.from_pandas(frame.iloc[:2], npartitions=1)
    parts = dd.concat([parts, dd.from_pandas(frame.iloc[2:], npartitions=1)])
    got = mentions_dask(parts, index_path=str(default_gazetteer.path)).compute(
        scheduler="sync")
    assert got["id"].tolist()[:2] == [1, 2] and pd.isna(got["id"].iat[2])
    assert got["text"].tolist() == ["Kaluga", "Tula", "Tver"]


def test_byte_texts_are_decoded_in_dask_as_in_pandas(default_gazetteer: Gazetteer) -> None:
    frame = pd.DataFrame({"id": ["b"], "text": [b"A drone was shot down over Kaluga."]})
    parts = dd.from_pandas(frame, npartitions=1)
    got = incidents_dask(parts, index_path=str(default_gazetteer.path)).compute(
        scheduler="sync")
    assert got["quote"].tolist() == ["A drone was shot down over Kaluga."]


def test_a_misspelt_id_column_is_an_input_error(articles_dask: Any,
                                                default_gazetteer: Gazetteer) -> None:
    with pytest.raises(InputError, match="no id column 'doc'"):
        mentions_dask(articles_dask, id_column="doc", index_path=str(default_gazetteer.path))


def test_merge_incidents_joins_sources_without_repeats() -> None:
    one = {"article_id": "1"}
    two = {"article_id": "2"}
    frame = pd.DataFrame({
        "id": ["b", "a", "b"], "date": ["2024-01-02", "2024-01-01", "2024-01-02"],
        "place_name": ["Kaluga", "Tula", "Kaluga"], "verdicts": ["", "consistent", "unknown-place"],
        "sources": [json.dumps([one]), json.dumps([two]), json.dumps([one, two])]})
    merged = merge_incidents(frame)
    assert merged["id"].tolist() == ["a", "b"]
    assert json.loads(merged["sources"].iloc[1]) == [one, two]
    assert merged["verdicts"].tolist() == ["consistent", "unknown-place"]
    assert merge_incidents(frame.iloc[:0]).empty
