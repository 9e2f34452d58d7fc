"""`make update` (`python -m etl.update`): the Online Labour Index's newest files from figshare.

Asks figshare's public API (v2, `GET /articles/3761562`) for the article's files, takes the newest
file of each kind by the date in its name (etl/oli_figshare.py: the worker supplement, the employer
countries, the daily index), downloads each new one byte for byte with its progress, checks its
size and MD5 against the API's, reads it with its parser, writes its provenance into
`datasets/sources/raw.yaml` as every raw file has it, and runs the ETL.

All or nothing: everything happens in a copy of `datasets/`; only when every step has passed are
the new raw files, the registry and the ETL's outputs put in place. Offline, it says so in one line
and changes nothing. Hostile or malformed answers are refused with the reason: a JSON answer over
MAX_JSON bytes, a file name that is a path, a download on a host that is not figshare's (redirects
included), a file over `--max-mb`, a checksum or a size that differs.

Hosts used (and only by this command; `make run`, `make serve` and the pack never fetch anything):
api.figshare.com and, for the files, ndownloader.figshare.com (figshare's download host) — see
DOWNLOAD_HOSTS. `ATLAS_FIGSHARE_API` points it at another API (the tests' loopback server).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from etl import oli_figshare, sources
from etl.errors import EtlError
from etl.paths import DATASETS

API = "https://api.figshare.com/v2"
ARTICLE = 3761562
DOI = "10.6084/m9.figshare.3761562"
DOWNLOAD_HOSTS = frozenset({"ndownloader.figshare.com", "figshare.com", "api.figshare.com"})
# figshare's download host answers with a redirect to its storage on Amazon S3: followed over https
# to an amazonaws.com host only (s3-eu-west-1.amazonaws.com, pstorage-….s3.amazonaws.com)
STORAGE_SUFFIX = ".amazonaws.com"
DEADLINE = 1800  # seconds a whole download may take (a server trickling bytes is abandoned)
ETL_SECONDS = 600
MAX_JSON = 2_000_000  # bytes: the article's record is a few kilobytes
MAX_MB = 300  # a file larger than this is refused (`--max-mb`); the real ones are tens of MB
TIMEOUT = 30  # seconds without a byte before a request is abandoned
FOLDER = "raw/oli/figshare"  # where the files go, under datasets/
CHUNK = 1 << 16


@dataclass(frozen=True)
class Kind:
    key: str
    pattern: re.Pattern[str]
    title: str


KINDS = (
    Kind(
        "worker_supplement",
        re.compile(r"worker_countrydata_([0-9]{4}-[0-9]{2}-[0-9]{2})\.txt(\.gz)?"),
        "Online Labour Index worker supplement: sampled workers by country and occupation, daily",
    ),
    Kind(
        "employer_countries",
        re.compile(r"bcountrydata_([0-9]{4}-[0-9]{2}-[0-9]{2})\.txt(\.gz)?"),
        "Online Labour Index: vacancies by employer country and occupation, daily",
    ),
    Kind(
        "daily_index",
        re.compile(r"(?:OLIdata|OLI_microwork_data)_([0-9]{4}-[0-9]{2}-[0-9]{2})\.txt(\.gz)?"),
        "Online Labour Index: the daily index by occupation",
    ),
)


class UpdateError(Exception):
    """Why the update stopped; nothing was changed."""


class Offline(UpdateError):
    pass


@dataclass(frozen=True)
class Remote:
    kind: Kind
    file_id: int
    name: str
    size: int
    url: str
    md5: str
    date: str


def _allowed(url: str, hosts: frozenset[str], storage: bool = False) -> bool:
    """https to a host of `hosts` (or, for a redirect, figshare's storage on S3); plain http only
    to this machine (the tests' server). A port that is not a number is refused."""
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # a port that is not a number raises ValueError
    except ValueError:
        return False
    host = parts.hostname or ""
    known = host in hosts or (storage and parts.scheme == "https" and host.endswith(STORAGE_SUFFIX))
    local = host in ("127.0.0.1", "localhost")
    return known and (parts.scheme == "https" or (parts.scheme == "http" and local))


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to a host of `hosts` (figshare sends downloads to its own host)."""

    def __init__(self, hosts: frozenset[str]) -> None:
        self.hosts = hosts

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not _allowed(newurl, self.hosts, storage=True):
            raise UpdateError(
                f"refused: a redirect to {urllib.parse.urlsplit(newurl).hostname or newurl!r}, not figshare"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _open(url: str, hosts: frozenset[str]) -> object:
    opener = urllib.request.build_opener(_Redirects(hosts))
    request = urllib.request.Request(url, headers={"User-Agent": "digital-labour-atlas (make update)"})
    try:
        return opener.open(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as error:
        raise UpdateError(f"{url}: the server answered HTTP {error.code} {error.reason}") from None
    except http.client.RemoteDisconnected:
        raise UpdateError(f"{url}: the server closed the connection without an answer") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, ssl.SSLError | ssl.CertificateError):  # not offline: said as it is
            raise UpdateError(f"{url}: {reason}") from None
        if isinstance(reason, OSError):  # no name resolution, no route, refused, timed out
            raise Offline(
                f"offline: {urllib.parse.urlsplit(url).hostname} cannot be reached ({reason})"
            ) from None
        raise UpdateError(f"{url}: {reason}") from None
    except (TimeoutError, ConnectionError) as error:
        raise Offline(f"offline: {urllib.parse.urlsplit(url).hostname} cannot be reached ({error})") from None
    except (ValueError, OSError, http.client.HTTPException) as error:  # an address refused, an answer cut
        raise UpdateError(f"{url}: {error}") from None


def article(api: str, number: int, hosts: frozenset[str]) -> dict[str, object]:
    url = f"{api.rstrip('/')}/articles/{number}"
    if not _allowed(url, hosts):
        raise UpdateError(f"refused: the API address {api!r} is not https")
    try:
        with _open(url, hosts) as answer:  # type: ignore[attr-defined]
            body = answer.read(MAX_JSON + 1)
    except (TimeoutError, ConnectionError, OSError) as error:
        raise UpdateError(f"{url}: the answer was cut ({error})") from None
    if len(body) > MAX_JSON:
        raise UpdateError(f"refused: the API's answer is over {MAX_JSON:,} bytes")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise UpdateError("refused: the API's answer is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise UpdateError("refused: the API's answer has no list of files")
    return data


def newest(data: dict[str, object], hosts: frozenset[str], max_bytes: int) -> list[Remote]:
    """The newest file of each kind the article lists, each field checked."""
    found: dict[str, Remote] = {}
    for entry in data["files"]:  # type: ignore[attr-defined]
        if not isinstance(entry, dict):
            raise UpdateError("refused: a file entry is not an object")
        name = entry.get("name")
        if (
            not isinstance(name, str)
            or name != os.path.basename(name)
            or name in ("", ".", "..")
            or "\\" in name
        ):
            raise UpdateError(f"refused: file name {name!r} is a path or not a name")
        for kind in KINDS:
            matched = kind.pattern.fullmatch(name)
            if not matched:
                continue
            size, url, file_id = entry.get("size"), entry.get("download_url"), entry.get("id")
            md5, supplied = entry.get("computed_md5"), entry.get("supplied_md5")
            try:
                dt.date.fromisoformat(matched.group(1))
            except ValueError:
                raise UpdateError(f"refused: {name}: {matched.group(1)} is not a date") from None
            if not isinstance(file_id, int) or isinstance(file_id, bool) or file_id < 0:
                raise UpdateError(f"refused: {name}: file id {file_id!r} is not a number")
            if not isinstance(size, int) or size < 0:
                raise UpdateError(f"refused: {name}: size {size!r} is not a number of bytes")
            if size > max_bytes:
                raise UpdateError(
                    f"refused: {name} is {size / 1e6:.0f} MB, over the limit of {max_bytes / 1e6:.0f} MB (--max-mb)"
                )
            if not isinstance(url, str) or not _allowed(url, hosts):
                raise UpdateError(f"refused: {name} would be downloaded from {url!r}, not figshare")
            if not isinstance(md5, str) or not re.fullmatch(r"[0-9a-f]{32}", md5):
                raise UpdateError(
                    f"refused: {name} has no MD5 checksum (figshare's computed_md5) to check it against"
                )
            if supplied and supplied != md5:
                raise UpdateError(f"refused: {name}: the MD5 its authors supplied differs from figshare's")
            remote = Remote(kind, file_id, name, size, url, md5, matched.group(1))
            if kind.key not in found or remote.date > found[kind.key].date:
                found[kind.key] = remote
    return [found[k.key] for k in KINDS if k.key in found]


def download(remote: Remote, target: Path, hosts: frozenset[str], say: Callable[[str], None]) -> None:
    """`remote` into `target`, byte for byte, its size and MD5 checked; progress every 10 %."""
    digest = hashlib.md5(usedforsecurity=False)
    got, shown = 0, -1
    started = time.monotonic()
    with _open(remote.url, hosts) as answer, target.open("wb") as out:  # type: ignore[attr-defined]
        while True:
            try:
                chunk = answer.read(CHUNK)
            except (TimeoutError, ConnectionError, OSError, http.client.HTTPException) as error:
                raise UpdateError(
                    f"{remote.name}: the download was cut after {got:,} bytes ({error})"
                ) from None
            if not chunk:
                break
            if time.monotonic() - started > DEADLINE:
                raise UpdateError(f"{remote.name}: still downloading after {DEADLINE} s: abandoned")
            got += len(chunk)
            if got > remote.size:
                raise UpdateError(f"{remote.name}: more bytes than the {remote.size:,} the API states")
            digest.update(chunk)
            out.write(chunk)
            tenth = got * 10 // max(remote.size, 1)
            if tenth != shown:
                shown = tenth
                say(f"  {remote.name}: {got / 1e6:.1f} of {remote.size / 1e6:.1f} MB")
    if got != remote.size:
        raise UpdateError(f"{remote.name}: truncated, {got:,} bytes of {remote.size:,}")
    if digest.hexdigest() != remote.md5:
        raise UpdateError(f"{remote.name}: MD5 {digest.hexdigest()} differs from the API's {remote.md5}")


def _record(remote: Remote, data: dict[str, object], sha: str, today: str) -> dict[str, str]:
    licence = data.get("license")
    licence_name = licence.get("name") if isinstance(licence, dict) else None
    if licence_name != "CC BY 4.0":
        raise UpdateError(
            f"refused: the article's licence is {licence_name!r}, not CC BY 4.0 as the atlas states"
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise UpdateError(f"refused: the article's version {version!r} is not a number")
    return {
        "source_id": f"oli-figshare-{remote.kind.key.replace('_', '-')}",
        "producer": "Oxford Internet Institute (Online Labour Index)",
        "author": "Otto Kässi; Vili Lehdonvirta",
        "title": f"{remote.kind.title} ({remote.name})",
        "date_published": remote.date,
        "url": f"https://doi.org/{DOI}",
        "licence": "CC BY 4.0",
        "citation": f"OII Online Labour Index ({remote.date[:4]})",
        "citation_full": f"Kässi, O., Hadley, C. & Lehdonvirta, V. Online Labour Index, figshare {DOI}, "
        f"version {version}, file {remote.name} (id {remote.file_id}).",
        "language": "en",
        "kind": "dataset",
        "path": f"{FOLDER}/{remote.name}",
        "sha256": sha,
        "retrieved": today,
        "origin": f"figshare article {ARTICLE} version {version}, file id {remote.file_id}, MD5 {remote.md5}",
        "access_note": f"Retrieved {today} by make update (figshare API v2); MD5 checked against the API's.",
        "reading_en": f"File downloaded on {today} from the authors' figshare deposit and kept byte for byte; its checksum is checked at every build.",
        "reading_fr": f"Fichier téléchargé le {today} depuis le dépôt figshare des auteurs et conservé tel quel ; son empreinte est vérifiée à chaque construction.",
    }


MARKER = (
    "# --- Written by make update (etl/update.py): the Online Labour Index's own files, from figshare ---"
)


def _registry_with(text: str, records: list[dict[str, str]]) -> str:
    """raw.yaml's text with `records` in its make-update section (at its end, after MARKER), in
    place of the earlier records of the same files' kinds; the rest of the file is left as it is."""
    head, _, section = text.partition(MARKER)
    kept = [
        r
        for r in (yaml.safe_load(section) or [])
        if r.get("source_id") not in {n["source_id"] for n in records}
    ]
    body = yaml.safe_dump([*kept, *records], allow_unicode=True, sort_keys=False, width=1000)
    return head.rstrip("\n") + "\n\n" + MARKER + "\n" + body


def run(
    datasets: Path = DATASETS,
    api: str | None = None,
    number: int = ARTICLE,
    max_mb: float = MAX_MB,
    say: Callable[[str], None] = print,
) -> int:
    api = api or os.environ.get("ATLAS_FIGSHARE_API", API)
    hosts = DOWNLOAD_HOSTS | {urllib.parse.urlsplit(api).hostname or ""}
    today = dt.date.today().isoformat()
    try:
        with _locked(datasets):
            return _update(datasets, api, hosts, number, max_mb, today, say)
    except Offline as error:
        say(f"update: {error}; nothing changed.")
        return 2
    except (UpdateError, EtlError, OSError, ValueError) as error:  # OSError: a full disk, a rename
        say(f"update: error: {error}")
        say("update: nothing changed; the previous files and tables stay.")
        return 1


@contextlib.contextmanager
def _locked(datasets: Path) -> Iterator[None]:
    """One update at a time on a datasets folder; leftovers of a killed one are cleared."""
    import fcntl

    with (datasets / ".update.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UpdateError("another update is running on this datasets folder") from None
        for left in datasets.glob(".update-*"):
            shutil.rmtree(left, ignore_errors=True)
        yield


def _update(
    datasets: Path,
    api: str,
    hosts: frozenset[str],
    number: int,
    max_mb: float,
    today: str,
    say: Callable[[str], None],
) -> int:
    data = article(api, number, hosts)
    remotes = newest(data, hosts, int(max_mb * 1e6))
    if not remotes:
        raise UpdateError(f"article {number} lists no file of the kinds this command reads")
    registry = (datasets / "sources" / "raw.yaml").read_text(encoding="utf-8")
    have = {r.name for r in remotes if (datasets / FOLDER / r.name).exists() and f"MD5 {r.md5}" in registry}
    fresh = [r for r in remotes if r.name not in have]
    if not fresh:
        say(f"update: already up to date ({', '.join(r.name for r in remotes)}); nothing changed.")
        return 0
    # The copy lives inside datasets/ (ignored by git): the renames that put it in place stay on
    # one file system.
    with tempfile.TemporaryDirectory(prefix=".update-", dir=datasets) as scratch:
        staging = Path(scratch) / "datasets"
        shutil.copytree(datasets, staging, ignore=shutil.ignore_patterns(".tidy-*", ".update*"))
        folder = staging / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        records, report = [], []
        for remote in fresh:
            say(f"update: downloading {remote.name} ({remote.size / 1e6:.1f} MB)")
            target = folder / remote.name
            download(remote, target, hosts, say)
            before = _previous(datasets, remote)
            now = oli_figshare.summary(target, remote.kind.key)  # a changed format stops here
            report.append(_change(remote, before, now))
            records.append(_record(remote, data, sources.sha256(target), today))
            for old in folder.iterdir():  # the older file of the same kind goes
                if old.name != remote.name and remote.kind.pattern.fullmatch(old.name):
                    old.unlink()
        path = staging / "sources" / "raw.yaml"
        path.write_text(_registry_with(path.read_text(encoding="utf-8"), records), encoding="utf-8")
        say("update: running the ETL on the new files")
        try:
            built = subprocess.run(
                [sys.executable, "-m", "etl", "--datasets", str(staging)],
                capture_output=True,
                text=True,
                check=False,
                timeout=ETL_SECONDS,
            )
        except subprocess.TimeoutExpired:
            raise UpdateError(f"the ETL took more than {ETL_SECONDS} s") from None
        if built.returncode != 0:
            lines = [line for line in built.stderr.strip().splitlines() if line.startswith("etl: error")]
            raise UpdateError(
                "the ETL refused the new files: "
                + (lines or built.stderr.strip().splitlines()[-1:] or ["?"])[0]
            )
        _swap(staging, datasets)
    for line in report:
        say(line)
    say("update: done; the previous files and tables were replaced.")
    return 0


def _previous(datasets: Path, remote: Remote) -> dict[str, object] | None:
    folder = datasets / FOLDER
    if not folder.exists():
        return None
    for old in folder.iterdir():
        if remote.kind.pattern.fullmatch(old.name):
            try:
                return oli_figshare.summary(old, remote.kind.key)
            except EtlError:
                return None
    return None


def _change(remote: Remote, before: dict[str, object] | None, now: dict[str, object]) -> str:
    months: list[str] = now["months"]  # type: ignore[assignment]
    names: list[str] = now["names"]  # type: ignore[assignment]
    if before is None:
        return (
            f"update: {remote.name}: new, {len(months)} months ({months[0]} to {months[-1]}), "
            f"{len(names)} {'countries' if remote.kind.key != 'daily_index' else 'occupations'}, "
            f"{now['rows']:,} monthly rows"
        )
    had_months: list[str] = before["months"]  # type: ignore[assignment]
    had_names: list[str] = before["names"]  # type: ignore[assignment]
    new_months = sorted(set(months) - set(had_months))
    new_names = sorted(set(names) - set(had_names))
    return (
        f"update: {remote.name}: {len(new_months)} new months"
        + (f" ({new_months[0]} to {new_months[-1]})" if new_months else "")
        + f", {len(new_names)} new {'countries' if remote.kind.key != 'daily_index' else 'occupations'}"
        + (f" ({', '.join(new_names[:8])}{'…' if len(new_names) > 8 else ''})" if new_names else "")
        + f", {int(now['rows']) - int(before['rows']):+,} monthly rows"  # type: ignore[call-overload]
    )


PLACED = (FOLDER, "sources/raw.yaml", "tidy", "datapackage.json")


def _swap(staging: Path, datasets: Path) -> None:
    """Put the staging copy's raw files, registry and outputs in place: each old one is set aside
    first, and if any rename fails every one is put back, so the folder is the old one or the new."""
    moved: list[tuple[Path, Path | None]] = []  # (placed, set aside)
    try:
        for relative in PLACED:
            new, old = staging / relative, datasets / relative
            if not new.exists():
                continue
            aside = None
            if old.exists():
                aside = old.with_name(old.name + ".previous")
                old.rename(aside)
            moved.append((old, aside))
            old.parent.mkdir(parents=True, exist_ok=True)
            new.rename(old)
    except OSError:
        for placed, aside in reversed(moved):
            if placed.exists():
                shutil.rmtree(placed) if placed.is_dir() else placed.unlink()
            if aside is not None:
                aside.rename(placed)
        raise
    for _, aside in moved:
        if aside is not None:
            shutil.rmtree(aside) if aside.is_dir() else aside.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl.update", description=__doc__)
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--max-mb", type=float, default=MAX_MB, help="refuse a file larger than this")
    parser.add_argument("--article", type=int, default=ARTICLE)
    args = parser.parse_args(argv)
    return run(args.datasets, number=args.article, max_mb=args.max_mb)


if __name__ == "__main__":
    sys.exit(main())
