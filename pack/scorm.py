"""The manifest that makes a lesson's zip a SCORM 1.2 package, for Moodle, Canvas and other LMSs.

A SCORM 1.2 package is a zip with `imsmanifest.xml` at its top: one organization (the lesson) whose
items (one per language) each launch a page of the zip, the "SCO" resource. The LMS opens that page
in a frame beside its `API` object; `pack/static/scorm.js` (copied to API_SCRIPT_NAME), loaded by
the launched page, finds the API and marks the lesson completed. Opened from file:// or a plain web
server the same pages find no API and work as before.

The manifest follows the IMS Content Packaging 1.1.2 schema with ADL's SCORM 1.2 extensions
(`imscp_rootv1p1p2.xsd`, `adlcp_rootv1p2.xsd`); tests/test_scorm.py validates it against those
files (pack/vendor/scorm12/PROVENANCE.md). Their limits shape what is written here: every
`identifier` is an xs:ID (unique in the document), a title holds at most 200 characters, an href
at most 2000.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

# Where the pages find the script that talks to the LMS, relative to the package's top folder.
API_SCRIPT_NAME = "assets/scorm.js"
MANIFEST_NAME = "imsmanifest.xml"

IMSCP_NS = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_NS = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# The schema files the manifest names in xsi:schemaLocation, at the package's top as SCORM 1.2
# packages carry them (ims_xml.xsd is imported by imscp_rootv1p1p2.xsd).
SCHEMA_FILES = ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd")
SCHEMA_LOCATION = f"{IMSCP_NS} imscp_rootv1p1p2.xsd {ADLCP_NS} adlcp_rootv1p2.xsd"

TITLE_MAX = 200  # imscp titleType: maxLength 200 (characters)
IDENTIFIER_MAX = 100  # no limit in the schema; LMSs keep identifiers in columns of 255 at most
HREF_MAX = 2000  # imscp attr.href: maxLength 2000

_ID_START = re.compile(r"[A-Za-z]")
_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")
# Characters XML 1.0 forbids anywhere in a document (C0 controls but tab/LF/CR, lone surrogates,
# U+FFFE/U+FFFF): a title pasted from elsewhere may hold one, and the manifest would not parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Kept literal in an href: RFC 3986's unreserved characters (always kept by quote) and "/".
_HREF_SAFE = "/"


def xs_id(text: str, prefix: str = "id-") -> str:
    """`text` as an xs:ID an LMS takes: ASCII letters, digits, "-", "_" and ".", starting with a
    letter, at most IDENTIFIER_MAX characters. Accents are dropped ("Leçon" gives "Lecon"), every
    other run of characters becomes one "-", and `prefix` goes in front when the rest does not
    start with a letter (or is empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = _NOT_ID.sub("-", ascii_text).strip("-")
    if not _ID_START.match(cleaned):
        cleaned = prefix + cleaned
    return cleaned[:IDENTIFIER_MAX].rstrip("-")


def _title(text: str) -> str:
    """A title as the manifest holds it: without the characters XML forbids, its white space runs
    made single spaces (a line break pasted in would show in the LMS's table of contents), cut to
    TITLE_MAX characters with an ellipsis."""
    flat = " ".join(_NOT_XML.sub("", text).split())
    if len(flat) > TITLE_MAX:
        flat = flat[: TITLE_MAX - 1].rstrip() + "…"
    return flat


def _text(value: str) -> str:
    """Escapes element text."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    """Escapes a double-quoted attribute's value; tab, LF and CR as character references, which
    an XML parser would otherwise turn into spaces."""
    return (
        _text(value)
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def _path(path: str) -> str:
    """A file's path in the package, checked: relative, POSIX, inside the package."""
    if not path or "\\" in path or path.startswith("/") or _NOT_XML.search(path):
        raise ValueError(f"not a relative POSIX path in the package: {path!r}")
    normal = posixpath.normpath(path)
    if normal != path or normal == ".." or normal.startswith("../"):
        raise ValueError(f"not a plain path inside the package: {path!r}")
    return path


def _href(path: str) -> str:
    """A path as a URI reference (an LMS resolves it against the package's address): a space, "#",
    "%", "?" or a non-ASCII letter percent-encoded, as UTF-8."""
    href = quote(path, safe=_HREF_SAFE)
    if len(href) > HREF_MAX:
        raise ValueError(f"href longer than {HREF_MAX} characters: {path[:80]!r}…")
    return href


def _files(paths: Iterable[str], indent: str) -> list[str]:
    return [f'{indent}<file href="{_attr(_href(path))}"/>' for path in paths]


def manifest(identifier: str, title: str, items: list[tuple[str, str, str]], files: list[str]) -> str:
    """The text of `imsmanifest.xml` for a lesson's zip (UTF-8, with its XML declaration).

    `identifier` is the package's identifier, made a valid xs:ID (`xs_id`); `title` the
    lesson's title, the organization's. `items` holds one (key, title, launch path) per language,
    in the order the LMS lists them, e.g. ("en", "My lesson (English)", "en/lesson/index.html");
    `files` every file in the package (relative POSIX paths; imsmanifest.xml itself is left out).
    Every launch path must be one of `files`. The same arguments give the same bytes: files are
    listed sorted, and nothing depends on the time or the machine. Raises ValueError for what
    cannot make a package: no item, two items with one key, a launch page missing from `files`, a
    path that is absolute, has "..", "." or a backslash, or an href over 2000 characters.

    Identifiers inside the manifest are the package's followed by a role ("-org", "-item-en",
    "-sco-en", "-assets"), so none can equal another, whatever the package's identifier.
    """
    if not items:
        raise ValueError("a SCORM package needs at least one item to launch")
    package_id = xs_id(identifier)
    org_title = _title(title) or package_id
    listed = sorted({_path(path) for path in files} - {MANIFEST_NAME})
    known = set(listed)

    scos: list[tuple[str, str, str]] = []  # (key, title, launch path)
    for key, item_title, launch in items:
        safe_key = xs_id(key, prefix="")
        if not safe_key:
            raise ValueError(f"an item's key has no letter or digit: {key!r}")
        if any(safe_key == other for other, _, _ in scos):
            raise ValueError(f"two items have the key {safe_key!r}")
        if _path(launch) not in known:
            raise ValueError(f"the launch page {launch!r} is not one of the package's files")
        scos.append((safe_key, _title(item_title) or org_title, launch))

    # Which resource lists which file. Each language's SCO lists the files under its launch page's
    # folder ("en/lesson/…"): what an LMS or an editor that splits the package keeps with that SCO.
    # Every other file (assets/: plotly.js, the style sheet, scorm.js; the schema files) is listed
    # once, in one "asset" resource each SCO names as a <dependency>, rather than again under each
    # SCO: it is shared by every language, and a file listed once keeps the manifest as small as
    # the package allows. A folder two SCOs launch from (or the package's top) belongs to neither.
    folders = [posixpath.dirname(launch) for _, _, launch in scos]
    owned: dict[str, list[str]] = {key: [] for key, _, _ in scos}
    shared: list[str] = []
    for path in listed:
        best: tuple[int, str] | None = None
        for (key, _, launch), folder in zip(scos, folders, strict=True):
            if path == launch or (folder and folders.count(folder) == 1 and path.startswith(folder + "/")):
                rank = len(launch) + 1 if path == launch else len(folder)
                if best is None or rank > best[0]:
                    best = (rank, key)
        if best is None:
            shared.append(path)
        else:
            owned[best[1]].append(path)

    org_id = f"{package_id}-org"
    assets_id = f"{package_id}-assets"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<manifest identifier="{package_id}" version="1.0"',
        f'          xmlns="{IMSCP_NS}"',
        f'          xmlns:adlcp="{ADLCP_NS}"',
        f'          xmlns:xsi="{XSI_NS}"',
        f'          xsi:schemaLocation="{SCHEMA_LOCATION}">',
        "  <metadata>",
        "    <schema>ADL SCORM</schema>",
        "    <schemaversion>1.2</schemaversion>",
        "  </metadata>",
        f'  <organizations default="{org_id}">',
        f'    <organization identifier="{org_id}">',
        f"      <title>{_text(org_title)}</title>",
    ]
    for key, item_title, _ in scos:
        lines += [
            f'      <item identifier="{package_id}-item-{key}" identifierref="{package_id}-sco-{key}">',
            f"        <title>{_text(item_title)}</title>",
            "      </item>",
        ]
    lines += ["    </organization>", "  </organizations>", "  <resources>"]
    for key, _, launch in scos:
        lines.append(
            f'    <resource identifier="{package_id}-sco-{key}" type="webcontent" adlcp:scormtype="sco"'
            f' href="{_attr(_href(launch))}">'
        )
        lines += _files(owned[key], "      ")
        if shared:
            lines.append(f'      <dependency identifierref="{assets_id}"/>')
        lines.append("    </resource>")
    if shared:
        lines.append(f'    <resource identifier="{assets_id}" type="webcontent" adlcp:scormtype="asset">')
        lines += _files(shared, "      ")
        lines.append("    </resource>")
    lines += ["  </resources>", "</manifest>", ""]
    return "\n".join(lines)
