"""`make update` (etl/update.py) against a loopback server that answers like figshare's API: the
newest files arrive checked and cited and the ETL runs; every failure changes nothing."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import http.server
import json
import math
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from etl import oli_figshare, update
from etl.errors import EtlError
from tests.conftest import snapshot
from tests.support import ROOT, array

WORKERS = (
    "timestamp,country,occupation,num_workers,num_projects\n"
    "2017-06-16,Albania,Clerical and data entry,14.0,0\n"
    "2017-06-16,Albania,Creative and multimedia,42.0,0\n"
    "2017-06-16,India,Software development and technology,68.0,0\n"
    "2017-07-02,India,Writing and translation,20.5,0\n"
    "2017-07-02,Philippines,Writing and translation,20.5,0\n"
)
EMPLOYERS = (
    "timestamp,country,country_group,occupation,count\n"
    "2017-04-11,Albania,other Europe,Clerical and data entry,3\n"
    "2017-04-11,United States,United States,Software development and technology,9\n"
    "2017-05-01,United States,United States,Software development and technology,12\n"
)
INDEX = (
    "date,occupation,count,status\n"
    "2016-05-01,Software development and technology,100,new\n"
    "2016-05-01,Writing and translation,50,new\n"
    "2016-05-02,Software development and technology,110,new\n"
    "2016-05-02,Writing and translation,40,new\n"
    "2016-05-02,Writing and translation,999,old\n"
)


class Figshare:
    """The files the fake API lists, and how it misbehaves."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.md5: dict[str, str] = {}
        self.body: bytes | None = None  # a whole answer in place of the article's JSON
        self.status = 200
        self.short: set[str] = set()  # files whose connection is cut halfway
        self.longer: set[str] = set()  # files sent with more bytes than the API states
        self.redirect_to = ""  # downloads answer 302 to this base
        self.url_base = ""

    def article(self) -> bytes:
        if self.body is not None:
            return self.body
        return json.dumps(
            {
                "id": 3761562,
                "version": 42,
                "license": {"name": "CC BY 4.0"},
                "files": [
                    {
                        "id": index,
                        "name": name,
                        "size": len(content),
                        "download_url": f"{self.url_base}/files/{name}",
                        "supplied_md5": self.md5.get(name) or hashlib.md5(content).hexdigest(),
                        "computed_md5": self.md5.get(name) or hashlib.md5(content).hexdigest(),
                    }
                    for index, (name, content) in enumerate(sorted(self.files.items()), start=1)
                ],
            }
        ).encode()


@pytest.fixture
def figshare() -> Iterator[Figshare]:
    state = Figshare()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            if self.path.startswith("/v2/articles/"):
                self._send(state.status, state.article())
            elif self.path.startswith("/files/") and state.redirect_to:
                self.send_response(302)
                self.send_header("Location", f"{state.redirect_to}/dl/{self.path.rsplit('/', 1)[1]}")
                self.end_headers()
            elif self.path.startswith(("/files/", "/dl/")):
                name = self.path.rsplit("/", 1)[1]
                content = state.files[name]
                if name in state.short:  # the length announced, half the bytes, the connection closed
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content[: len(content) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self._send(200, content + b"0,0,0,0,0\n" * 50 if name in state.longer else content)
            else:
                self._send(404, b"no")

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url_base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield state
    server.shutdown()


def everything(datasets: Path) -> dict[str, bytes]:
    """Every file of the datasets folder a run could touch: the outputs, the registry, the raw files."""
    files = snapshot(datasets)
    files["sources/raw.yaml"] = (datasets / "sources" / "raw.yaml").read_bytes()
    for path in sorted((datasets / "raw").rglob("*")):
        if path.is_file():
            files[str(path.relative_to(datasets))] = path.read_bytes()
    return files


def add(state: Figshare, name: str, text: str, gz: bool = False) -> None:
    state.files[name] = gzip.compress(text.encode(), mtime=0) if gz else text.encode()


def run(state: Figshare, datasets: Path) -> tuple[int, list[str]]:
    said: list[str] = []
    code = update.run(datasets, api=f"{state.url_base}/v2", say=said.append)
    return code, said


def test_the_newest_files_arrive_checked_and_cited_and_the_etl_runs(
    figshare: Figshare, datasets: Path
) -> None:
    add(figshare, "worker_countrydata_2017-07-02.txt.gz", WORKERS, gz=True)
    add(figshare, "worker_countrydata_2017-06-20.txt", WORKERS)  # older: not taken
    add(figshare, "bcountrydata_2017-05-01.txt", EMPLOYERS)
    add(figshare, "OLIdata_2016-05-02.txt", INDEX)
    add(figshare, "Countries_continents_regions.txt", "Country;Continent;Subregion\n")  # not a kind we read
    figshare.redirect_to = figshare.url_base  # figshare sends downloads to its download host
    code, said = run(figshare, datasets)
    assert code == 0, said
    folder = datasets / update.FOLDER
    assert sorted(p.name for p in folder.iterdir()) == [
        "OLIdata_2016-05-02.txt",
        "bcountrydata_2017-05-01.txt",
        "worker_countrydata_2017-07-02.txt.gz",
    ]
    for name, content in figshare.files.items():
        if (folder / name).exists():
            assert (folder / name).read_bytes() == content, "byte for byte"
    registry = (datasets / "sources" / "raw.yaml").read_text(encoding="utf-8")
    assert "source_id: oli-figshare-worker-supplement" in registry
    assert "figshare article 3761562 version 42, file id" in registry and "CC BY 4.0" in registry
    assert hashlib.sha256((folder / "bcountrydata_2017-05-01.txt").read_bytes()).hexdigest() in registry
    written = {r["source_id"]: r for r in yaml.safe_load(registry)}
    assert written["oli-figshare-worker-supplement"]["retrieved"] == dt.date.today().isoformat(), (
        "the Sources page says when"
    )
    assert any("2 months (2017-06 to 2017-07), 3 countries" in line for line in said), said
    assert any("downloading worker_countrydata_2017-07-02.txt.gz" in line for line in said)
    sources = (datasets / "tidy" / "sources.csv").read_text(encoding="utf-8")
    assert "oli-figshare-employer-countries" in sources, "the ETL ran on the new registry"
    assert not list(datasets.glob(".update-*")) and not list(datasets.rglob("*.previous"))
    # a second run finds nothing new and changes nothing
    before = everything(datasets)
    code, said = run(figshare, datasets)
    assert code == 0 and "already up to date" in said[-1] and everything(datasets) == before


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda s: s.md5.update({"bcountrydata_2017-05-01.txt": "0" * 32}), "differs from the API's"),
        (lambda s: s.short.add("bcountrydata_2017-05-01.txt"), "truncated, 131 bytes of 262"),
        (lambda s: s.longer.add("bcountrydata_2017-05-01.txt"), "more bytes than"),
        (lambda s: setattr(s, "status", 500), "HTTP 500"),
        (lambda s: setattr(s, "body", b"{" * 5000 + b" " * update.MAX_JSON), "over 2,000,000 bytes"),
        (lambda s: setattr(s, "body", b"not json"), "not JSON"),
        (
            lambda s: setattr(
                s, "body", json.dumps({"files": [{"name": "../../etc/bcountrydata_2017-05-01.txt"}]}).encode()
            ),
            "is a path",
        ),
        (
            lambda s: setattr(
                s,
                "body",
                json.dumps(
                    {
                        "files": [
                            {
                                "name": "bcountrydata_2017-05-01.txt",
                                "size": 9,
                                "id": 1,
                                "download_url": "https://evil.example/x",
                                "supplied_md5": "0" * 32,
                            }
                        ]
                    }
                ).encode(),
            ),
            "not figshare",
        ),
        (lambda s: setattr(s, "redirect_to", "http://evil.example:9"), "a redirect to 'evil.example'"),
        (
            lambda s: s.files.update(
                {"bcountrydata_2017-05-01.txt": EMPLOYERS.replace("country_group", "group").encode()}
            ),
            "has no column country_group",
        ),
        (
            lambda s: s.files.update(
                {"bcountrydata_2017-05-01.txt": EMPLOYERS.replace(",3\n", ",three\n").encode()}
            ),
            "line 2: count 'three' is not a count",
        ),
    ],
)
def test_a_bad_answer_is_refused_and_changes_nothing(
    figshare: Figshare, datasets: Path, spoil: object, message: str
) -> None:
    add(figshare, "bcountrydata_2017-05-01.txt", EMPLOYERS)
    spoil(figshare)  # type: ignore[operator]
    before = everything(datasets)
    code, said = run(figshare, datasets)
    assert code == 1, said
    assert any(message in line for line in said), said
    assert said[-1] == "update: nothing changed; the previous files and tables stay."
    assert everything(datasets) == before and not (datasets / update.FOLDER).exists()


def test_a_file_over_the_limit_is_refused(figshare: Figshare, datasets: Path) -> None:
    add(figshare, "bcountrydata_2017-05-01.txt", EMPLOYERS)
    said: list[str] = []
    code = update.run(datasets, api=f"{figshare.url_base}/v2", max_mb=0.0001, say=said.append)
    assert code == 1 and any("over the limit" in line for line in said)


def test_offline_it_says_so_in_one_line_and_changes_nothing(datasets: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens there once closed
    before = snapshot(datasets)
    said: list[str] = []
    code = update.run(datasets, api=f"http://127.0.0.1:{port}/v2", say=said.append)
    assert code == 2 and len(said) == 1
    assert said[0].startswith("update: offline: 127.0.0.1 cannot be reached") and said[0].endswith(
        "nothing changed."
    )
    assert snapshot(datasets) == before


def test_the_parsers_compute_shares_and_means_from_the_files(tmp_path: Path) -> None:
    path = tmp_path / "worker_countrydata_2017-07-02.txt.gz"
    path.write_bytes(gzip.compress(WORKERS.encode()))
    shares = oli_figshare.worker_shares(path)
    june = shares[shares["month"] == "2017-06"].set_index(["country", "occupation"])["share_percent"]
    assert june[("India", "Software development and technology")] == pytest.approx(68 / (14 + 42 + 68) * 100)
    july = shares[shares["month"] == "2017-07"]
    assert list(july["share_percent"]) == [50.0, 50.0], "fractional weighted counts kept"
    index = tmp_path / "OLIdata_2016-05-02.txt"
    index.write_text(INDEX)
    monthly = oli_figshare.index_monthly(index).set_index("occupation")["index"]
    assert monthly["Total"] == pytest.approx((150 + 150) / 2), "the 'old' row is not a new vacancy"
    assert monthly["Writing and translation"] == pytest.approx(45)
    cut = tmp_path / "worker_countrydata_2017-07-03.txt.gz"
    cut.write_bytes(gzip.compress(WORKERS.encode())[:40])
    with pytest.raises(EtlError, match="cannot be read"):
        oli_figshare.worker_shares(cut)


def test_the_employer_parser_reads_the_real_file_we_ship() -> None:
    """The 2017-04-11 snapshot is the last day of a real bcountrydata file, its columns as they
    were: the parser's shares, against a count by hand of the same lines."""
    import csv

    from tests.support import ROOT

    path = ROOT / "datasets" / "raw" / "oli" / "oli_bcountry_snapshot_2017-04-11.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = sum(float(r["count"]) for r in rows)
    usa = sum(float(r["count"]) for r in rows if r["country"] == "United States")
    shares = oli_figshare.employer_shares(path).set_index("country")["share_percent"]
    assert shares["United States"] == pytest.approx(usa / total * 100)
    assert shares.sum() == pytest.approx(100)


def test_only_figshare_and_its_storage_are_trusted() -> None:
    hosts = update.DOWNLOAD_HOSTS
    assert update._allowed("https://ndownloader.figshare.com/files/123", hosts)
    assert not update._allowed("http://ndownloader.figshare.com/files/123", hosts), "https only"
    assert not update._allowed("https://ndownloader.figshare.com:abc/files/1", hosts), (
        "a port that is not one"
    )
    # figshare's download host redirects to its storage on S3: followed, over https only
    assert update._allowed("https://s3-eu-west-1.amazonaws.com/pstorage-x/1", hosts, storage=True)
    assert not update._allowed("https://s3-eu-west-1.amazonaws.com/pstorage-x/1", hosts), (
        "not as a download_url"
    )
    assert not update._allowed("http://s3-eu-west-1.amazonaws.com/x", hosts, storage=True)
    assert not update._allowed("https://amazonaws.com.evil.example/x", hosts, storage=True)


def test_the_worker_shares_follow_the_codebook_example(tmp_path: Path) -> None:
    """The codebook's own lines: Albania's software developers are 68 / (14 + 42 + 68 + 20) of its
    sampled workers that day."""
    path = tmp_path / "worker_countrydata_2017-06-16.txt"
    path.write_text(
        "timestamp,country,occupation,num_workers,num_projects\n"
        "2017-06-16,Albania,Clerical and data entry,14.0,0\n"
        "2017-06-16,Albania,Creative and multimedia,42.0,0\n"
        "2017-06-16,Albania,Software development and technology,68.0,0\n"
        "2017-06-16,Albania,Writing and translation,20.0,0\n"
    )
    shares = oli_figshare.worker_shares(path).set_index("occupation")["share_in_country_percent"]
    assert shares["Software development and technology"] == pytest.approx(68 / (14 + 42 + 68 + 20) * 100)


def test_each_day_weighs_the_same_in_a_month(tmp_path: Path) -> None:
    """A day with a sample ten times larger does not outweigh the others: daily shares, averaged."""
    path = tmp_path / "bcountrydata_2017-05-02.txt"
    path.write_text(
        "timestamp,country,country_group,occupation,count\n"
        "2017-05-01,India,India,Writing and translation,1\n"
        "2017-05-01,Kenya,all Africa,Writing and translation,1\n"
        "2017-05-02,India,India,Writing and translation,90\n"
        "2017-05-02,Kenya,all Africa,Writing and translation,10\n"
    )
    shares = oli_figshare.employer_shares(path).set_index("country")["share_percent"]
    assert shares["India"] == pytest.approx((50 + 90) / 2)


# Two months of the daily index (new vacancies only where the file says so), for the Projections
# page's cross-check against the third party's means of the same months.
INDEX_TWO_MONTHS = INDEX + (
    "2016-06-01,Software development and technology,115,new\n2016-06-01,Writing and translation,50,new\n"
)
PAGES_SCRIPT = """
import json, sys
from streamlit.testing.v1 import AppTest
from dashboard import components
out = {}
views = {
    "workers": {},
    "overview": {},
    "projections": {},
    "map": {"metric": "oli_workers"},
    "story": {"step": "2"},
    "story-8": {"step": "8"},
}
for page, params in views.items():
    at = AppTest.from_file(sys.argv[1], default_timeout=120)
    at.query_params["lang"] = "en"
    for key, value in params.items():
        at.query_params[key] = value
    if page != "overview":
        at.switch_page(f"app_pages/{page.split('-')[0]}.py")
    components.CAPTURE = []
    at.run()
    drawn = components.CAPTURE
    components.CAPTURE = None
    out[page] = {
        "errors": [str(e.value) for e in at.exception],
        "charts": {e["name"]: json.loads(e["spec"]) for e in drawn if e["kind"] == "chart"},
        "captions": [str(c.value) for c in at.caption],
        "text": [str(m.value) for m in at.markdown],
    }
print(json.dumps(out))
"""


def test_the_pages_draw_the_new_files_and_the_index_is_cross_checked(
    figshare: Figshare, datasets: Path
) -> None:
    """After a fixture update, the tidy tables hold the months computed by hand from the fixture
    lines, and the pages draw them: workers and employers month by month, the authors' index in
    place of the third party's, with the difference between the two stated."""
    import subprocess
    import sys

    import pandas as pd

    add(figshare, "worker_countrydata_2017-07-02.txt.gz", WORKERS, gz=True)
    add(figshare, "bcountrydata_2017-05-01.txt", EMPLOYERS)
    add(figshare, "OLIdata_2016-06-02.txt", INDEX_TWO_MONTHS)
    code, said = run(figshare, datasets)
    assert code == 0, said
    tidy = datasets / "tidy"
    workers = pd.read_csv(tidy / "oli_worker_shares_monthly.csv").set_index(["month", "iso3", "occupation"])
    # 2017-06-16: 14 + 42 + 68 = 124 sampled workers; Albania's clerical 14 of 124, and 14 of its 56
    assert workers.at[("2017-06", "ALB", "clerical_data_entry"), "share_percent"] == pytest.approx(
        100 * 14 / 124
    )
    assert workers.at[("2017-06", "ALB", "clerical_data_entry"), "share_in_country_percent"] == pytest.approx(
        25
    )
    assert workers.at[("2017-07", "PHL", "writing_translation"), "share_percent"] == pytest.approx(50)
    employers = pd.read_csv(tidy / "oli_employer_shares_monthly.csv").set_index(["month", "iso3"])
    assert employers.at[("2017-04", "USA"), "share_percent"] == pytest.approx(75)  # 9 of 12
    assert employers.at[("2017-05", "USA"), "share_percent"] == pytest.approx(100)
    index = pd.read_csv(tidy / "oli_index_monthly.csv").set_index(["month", "occupation"])
    # May: (150 + 150) / 2 new a day (the 999 "old" left out); June: 165, so 110 on May = 100
    assert index.at[("2016-05", "total"), "index_mean"] == pytest.approx(150)
    assert index.at[("2016-05", "software_technology"), "index_may2016_100"] == pytest.approx(70)
    assert index.at[("2016-06", "total"), "index_may2016_100"] == pytest.approx(110)

    done = subprocess.run(
        [sys.executable, "-c", PAGES_SCRIPT, str(ROOT / "dashboard" / "app.py")],
        cwd=ROOT,
        env={**os.environ, "ATLAS_DATASETS": str(datasets)},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    pages = json.loads(done.stdout.strip().splitlines()[-1])
    assert all(not page["errors"] for page in pages.values()), pages
    lines = pages["workers"]["charts"]["oli-worker-shares-monthly"]["data"]
    india = next(trace for trace in lines if trace["name"] == "India" and trace["mode"] == "lines+markers")
    assert array(india["y"]) == pytest.approx([100 * 68 / 124, 50])
    assert any("Newest data: 2020" in c for c in pages["workers"]["captions"]), (
        "Braesemann et al.'s 2020 is newer than the fixture's July 2017"
    )
    assert "oli-employer-shares-monthly" in pages["overview"]["charts"]
    # the story's second step ends with the supplement's last month: India and the Philippines, half each
    said = " ".join(pages["story"]["text"])
    assert "And in July 2017, on the platforms the Online Labour Index follows: India 50" in said, said
    # the Map's OLI metric opens on the last month: India 20.5 of the 41 workers sampled that day
    shares = {
        place: value
        for trace in pages["map"]["charts"]["map-oli_workers"]["data"]
        if "z" in trace and "customdata" in trace
        for place, value in zip(trace["locations"], array(trace["z"]), strict=True)
    }
    assert shares["IND"] == pytest.approx(50) or shares["IND"] == pytest.approx(math.log10(50))
    traces = pages["projections"]["charts"]["oli-total-against-claims"]["data"]
    drawn = next(trace for trace in traces if trace.get("name") == "Online Labour Index, all occupations")
    assert array(drawn["y"])[:2] == pytest.approx([100, 110]), "the authors' series, not the third party's"
    jifar = pd.read_csv(ROOT / "datasets" / "raw" / "oli" / "derived-monthly" / "oli_levels_monthly.csv")
    gaps = [
        abs(float(jifar.loc[jifar["date"] == d, "Total"].iloc[0]) - ours)
        for d, ours in (("2016-05-01", 100), ("2016-06-01", 110))
    ]
    said_check = f"differ from ours by at most {max(gaps):.1f} points (on average {sum(gaps) / 2:.1f}) over the 2 months"
    assert any(said_check in c for c in pages["projections"]["captions"]), pages["projections"]["captions"]
