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
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from etl import oli_figshare
from etl.errors import EtlError
from etl.paths import DATASETS

API = "https://api.figshare.com/v2"
ARTICLE = 3761562
DOI = "10.6084/m9.figshare.3761562"
DOWNLOAD_HOSTS = frozenset({"ndownloader.figshare.com", "figshare.com", "api.figshare.com"})
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
        re.compile(r"worker_countrydata_(\d{4}-\d{2}-\d{2})\.txt(\.gz)?"),
        "Online Labour Index worker supplement: sampled workers by country and occupation, daily",
    ),
    Kind(
        "employer_countries",
        re.compile(r"bcountrydata_(\d{4}-\d{2}-\d{2})\.txt(\.gz)?"),
        "Online Labour Index: vacancies by employer country and occupation, daily",
    ),
    Kind(
        "daily_index",
        re.compile(r"(?:OLIdata|OLI_microwork_data)_(\d{4}-\d{2}-\d{2})\.txt(\.gz)?"),
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


def _allowed(url: str, hosts: frozenset[str]) -> bool:
    parts = urllib.parse.urlsplit(url)
    return (
        parts.scheme in ("https", "http")
        and (parts.hostname or "") in hosts
        and (parts.scheme == "https" or (parts.hostname or "") in ("127.0.0.1", "localhost"))
    )


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to a host of `hosts` (figshare sends downloads to its own host)."""

    def __init__(self, hosts: frozenset[str]) -> None:
        self.hosts = hosts

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not _allowed(newurl, self.hosts):
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
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise Offline(
            f"offline: {urllib.parse.urlsplit(url).hostname} cannot be reached ({reason})"
        ) from None


def article(api: str, number: int, hosts: frozenset[str]) -> dict[str, object]:
    url = f"{api.rstrip('/')}/articles/{number}"
    with _open(url, hosts) as answer:  # type: ignore[attr-defined]
        body = answer.read(MAX_JSON + 1)
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
            size, url = entry.get("size"), entry.get("download_url")
            md5 = entry.get("supplied_md5") or entry.get("computed_md5")
            if not isinstance(size, int) or size < 0:
                raise UpdateError(f"refused: {name}: size {size!r} is not a number of bytes")
            if size > max_bytes:
                raise UpdateError(
                    f"refused: {name} is {size / 1e6:.0f} MB, over the limit of {max_bytes / 1e6:.0f} MB (--max-mb)"
                )
            if not isinstance(url, str) or not _allowed(url, hosts):
                raise UpdateError(f"refused: {name} would be downloaded from {url!r}, not figshare")
            if not isinstance(md5, str) or not re.fullmatch(r"[0-9a-f]{32}", md5):
                raise UpdateError(f"refused: {name} has no MD5 checksum to check it against")
            remote = Remote(kind, int(entry.get("id") or 0), name, size, url, md5, matched.group(1))
            if kind.key not in found or remote.date > found[kind.key].date:
                found[kind.key] = remote
    return [found[k.key] for k in KINDS if k.key in found]


def download(remote: Remote, target: Path, hosts: frozenset[str], say: Callable[[str], None]) -> None:
    """`remote` into `target`, byte for byte, its size and MD5 checked; progress every 10 %."""
    digest = hashlib.md5(usedforsecurity=False)
    got, shown = 0, -1
    with _open(remote.url, hosts) as answer, target.open("wb") as out:  # type: ignore[attr-defined]
        while chunk := answer.read(CHUNK):
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
    version = data.get("version")
    return {
        "source_id": f"oli-figshare-{remote.kind.key.replace('_', '-')}",
        "producer": "Oxford Internet Institute (Online Labour Index)",
        "author": "Otto Kässi; Vili Lehdonvirta",
        "title": f"{remote.kind.title} ({remote.name})",
        "date_published": remote.date,
        "url": f"https://doi.org/{DOI}",
        "licence": str(licence_name or "CC BY 4.0"),
        "citation": f"OII Online Labour Index ({remote.date[:4]})",
        "citation_full": f"Kässi, O., Hadley, C. & Lehdonvirta, V. Online Labour Index, figshare {DOI}, "
        f"version {version}, file {remote.name} (id {remote.file_id}).",
        "language": "en",
        "kind": "dataset",
        "path": f"{FOLDER}/{remote.name}",
        "sha256": sha,
        "origin": f"figshare article {ARTICLE} version {version}, file id {remote.file_id}, MD5 {remote.md5}",
        "access_note": f"Retrieved {today} by make update (figshare API v2); MD5 checked against the API's.",
        "reading_en": f"File downloaded on {today} from the authors' figshare deposit and kept byte for byte; its checksum is checked at every build.",
        "reading_fr": f"Fichier téléchargé le {today} depuis le dépôt figshare des auteurs et conservé tel quel ; son empreinte est vérifiée à chaque construction.",
    }


def _registry_without(text: str, source_ids: set[str]) -> str:
    """raw.yaml's text with the records of `source_ids` taken out (an older file of the same kind)."""
    blocks = re.split(r"(?m)^(?=- source_id: )", text)
    return "".join(b for b in blocks if not any(b.startswith(f"- source_id: {s}\n") for s in source_ids))


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
        data = article(api, number, hosts)
        remotes = newest(data, hosts, int(max_mb * 1e6))
        if not remotes:
            raise UpdateError(f"article {number} lists no file of the kinds this command reads")
        registry = (datasets / "sources" / "raw.yaml").read_text(encoding="utf-8")
        have = {
            r.name for r in remotes if (datasets / FOLDER / r.name).exists() and f"MD5 {r.md5}" in registry
        }
        fresh = [r for r in remotes if r.name not in have]
        if not fresh:
            say(f"update: already up to date ({', '.join(r.name for r in remotes)}); nothing changed.")
            return 0
        with tempfile.TemporaryDirectory(prefix="atlas-update-", dir=datasets.parent) as scratch:
            staging = Path(scratch) / "datasets"
            shutil.copytree(datasets, staging, ignore=shutil.ignore_patterns(".tidy-*"))
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
                sha = hashlib.sha256(target.read_bytes()).hexdigest()
                records.append(_record(remote, data, sha, today))
                for old in folder.iterdir():  # the older file of the same kind goes
                    if old.name != remote.name and remote.kind.pattern.fullmatch(old.name):
                        old.unlink()
            text = _registry_without(
                (staging / "sources" / "raw.yaml").read_text(encoding="utf-8"),
                {r["source_id"] for r in records},
            )
            text = (
                text.rstrip("\n")
                + "\n"
                + yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=1000)
            )
            (staging / "sources" / "raw.yaml").write_text(text, encoding="utf-8")
            say("update: running the ETL on the new files")
            built = subprocess.run(
                [sys.executable, "-m", "etl", "--datasets", str(staging)],
                capture_output=True,
                text=True,
                check=False,
            )
            if built.returncode != 0:
                raise UpdateError(
                    "the ETL refused the new files: " + (built.stderr.strip().splitlines() or ["?"])[0]
                )
            _swap(staging, datasets)
        for line in report:
            say(line)
        say("update: done; the previous files and tables were replaced.")
        return 0
    except Offline as error:
        say(f"update: {error}; nothing changed.")
        return 2
    except (UpdateError, EtlError) as error:
        say(f"update: error: {error}")
        say("update: nothing changed; the previous files and tables stay.")
        return 1


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


def _swap(staging: Path, datasets: Path) -> None:
    """Put the staging copy's raw files, registry and outputs in place (each a rename)."""
    for relative in (FOLDER, "sources/raw.yaml", "tidy", "datapackage.json"):
        new, old = staging / relative, datasets / relative
        if not new.exists():
            continue
        if old.exists():
            aside = old.with_name(old.name + ".previous")
            if aside.exists():
                shutil.rmtree(aside) if aside.is_dir() else aside.unlink()
            old.rename(aside)
        old.parent.mkdir(parents=True, exist_ok=True)
        new.rename(old)
        aside = old.with_name(old.name + ".previous")
        if aside.exists():
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
