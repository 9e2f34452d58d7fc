"""The lesson's SCORM 1.2 manifest (pack/scorm.py): valid against the standard's own schema files
(IMS Content Packaging 1.1.2 with ADL's SCORM 1.2 extensions, vendored in pack/vendor/scorm12,
loaded from disk with the network blocked), and what an LMS relies on in it: items that launch
existing pages, every file listed, the teacher's title kept as she typed it, the same bytes for the
same lesson. The LMS-side script (pack/static/scorm.js) loads nothing, and runs, under Node.js,
against a fake LMS API and without one.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import socket
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
import xmlschema

from pack import scorm
from tests.support import ROOT

SCHEMAS = ROOT / "pack" / "vendor" / "scorm12"
VENDORED = {
    "imscp_rootv1p1p2.xsd": "d9ee699094e0db4518cf0143c81873d196b2683cf1c5ed770f108239ee079dda",
    "adlcp_rootv1p2.xsd": "173decaf9cd31ea847e6ff6853c702137974aca6b56567151aa4a885e0aa4883",
    "ims_xml.xsd": "5209ff1d1e89cac16e797a2cdb0d5f345343ad97c1b125483a4bc6fc29319bd5",
}
SCRIPT = ROOT / "pack" / "static" / "scorm.js"

CP = f"{{{scorm.IMSCP_NS}}}"
ADLCP = f"{{{scorm.ADLCP_NS}}}"
XSI = f"{{{scorm.XSI_NS}}}"

TITLE = 'Leçon : l\'économie des plateformes — "<&>" & <b>co</b>'
ITEMS = [
    ("en", 'The platform economy (English) <&">', "en/lesson/index.html"),
    ("fr", "Leçon : l'économie des plateformes (français)", "fr/lesson/index.html"),
]
FILES = [
    "en/lesson/index.html",
    "en/lesson/02-wages.html",
    "fr/lesson/index.html",
    "fr/lesson/02-salaires.html",
    "assets/pack.css",
    "assets/plotly-basic.min.js",
    scorm.API_SCRIPT_NAME,
    *scorm.SCHEMA_FILES,
]
ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt during these tests fails loudly: validation is offline."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[xmlschema.XMLSchema]:
    """The SCORM 1.2 manifest schema, from the vendored files only (allow="local": xmlschema refuses
    any remote URL). imscp_rootv1p1p2.xsd imports ims_xml.xsd by a relative path; adlcp_rootv1p2.xsd
    (adlcp:scormtype) is added as a further namespace. ims_xml.xsd binds the XML namespace as its
    default namespace, which Namespaces in XML forbids and expat refuses: the URI mapper hands
    xmlschema a copy without that one declaration (pack/vendor/scorm12/PROVENANCE.md)."""
    raw = (SCHEMAS / "ims_xml.xsd").read_bytes()
    declaration = b' xmlns="http://www.w3.org/XML/1998/namespace"'
    assert raw.count(declaration) == 1
    fixed = tmp_path_factory.mktemp("scorm12") / "ims_xml.xsd"
    fixed.write_bytes(raw.replace(declaration, b""))

    def local(uri: str) -> str:
        if uri.endswith("/ims_xml.xsd"):
            return fixed.as_uri()
        return uri

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", no_connection)
        built = xmlschema.XMLSchema(
            str(SCHEMAS / "imscp_rootv1p1p2.xsd"),
            locations=[(scorm.ADLCP_NS, str(SCHEMAS / "adlcp_rootv1p2.xsd"))],
            allow="local",
            uri_mapper=local,
        )
    # IMS's own declaration of xml:base (a string), not xmlschema's built-in one (anyURI)
    assert built.maps.attributes["{http://www.w3.org/XML/1998/namespace}base"].type.name.endswith("string")
    yield built


def no_connection(*args: object) -> None:
    raise AssertionError(f"network access attempted while building the schema: {args!r}")


def build(**changes: object) -> str:
    arguments: dict[str, object] = {
        "identifier": "atlas-lesson-2026",
        "title": TITLE,
        "items": ITEMS,
        "files": FILES,
    }
    arguments.update(changes)
    return scorm.manifest(**arguments)  # type: ignore[arg-type]


def check(schema: xmlschema.XMLSchema, text: str) -> None:
    """Validates against the schema alone: the instance's xsi:schemaLocation is not followed."""
    schema.validate(text, use_location_hints=False)


def is_valid(schema: xmlschema.XMLSchema, text: str) -> bool:
    return schema.is_valid(text, use_location_hints=False)


def test_the_vendored_schemas_are_the_published_bytes() -> None:
    for name, digest in VENDORED.items():
        assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == digest, name
        assert digest in (SCHEMAS / "PROVENANCE.md").read_text(encoding="utf-8")


def test_the_manifest_is_a_valid_scorm_1_2_manifest(schema: xmlschema.XMLSchema) -> None:
    text = build()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    text.encode("utf-8")  # no lone surrogate
    check(schema, text)


def test_it_names_the_standard_namespaces_and_scorm_version() -> None:
    root = ET.fromstring(build())
    assert root.tag == f"{CP}manifest"
    assert root.get("identifier") == "atlas-lesson-2026"
    location = root.get(f"{XSI}schemaLocation", "").split()
    assert dict(zip(location[::2], location[1::2], strict=True)) == {
        scorm.IMSCP_NS: "imscp_rootv1p1p2.xsd",
        scorm.ADLCP_NS: "adlcp_rootv1p2.xsd",
    }
    metadata = root.find(f"{CP}metadata")
    assert metadata is not None
    assert metadata.findtext(f"{CP}schema") == "ADL SCORM"
    assert metadata.findtext(f"{CP}schemaversion") == "1.2"


def test_each_language_is_an_item_launching_its_own_page() -> None:
    root = ET.fromstring(build())
    organizations = root.find(f"{CP}organizations")
    assert organizations is not None
    organization = organizations.findall(f"{CP}organization")
    assert len(organization) == 1
    assert organizations.get("default") == organization[0].get("identifier")

    resources = {r.get("identifier"): r for r in root.iterfind(f"{CP}resources/{CP}resource")}
    items = organization[0].findall(f"{CP}item")
    assert [item.findtext(f"{CP}title") for item in items] == [title for _, title, _ in ITEMS]
    launched = []
    for item in items:
        resource = resources[item.get("identifierref")]
        assert resource.get(f"{ADLCP}scormtype") == "sco"
        assert resource.get("type") == "webcontent"
        launched.append(unquote(resource.get("href", "")))
    assert launched == [launch for _, _, launch in ITEMS]
    assert set(launched) <= set(FILES)

    # every dependency names a resource; the shared one is an asset
    for resource in resources.values():
        for dependency in resource.iterfind(f"{CP}dependency"):
            assert resources[dependency.get("identifierref")].get(f"{ADLCP}scormtype") == "asset"

    # every identifier is an xs:ID, and unique in the document
    identifiers = [e.get("identifier") for e in root.iter() if e.get("identifier") is not None]
    assert len(identifiers) == len(set(identifiers))
    assert all(ID_PATTERN.fullmatch(i or "") for i in identifiers)


def test_every_file_is_listed_once() -> None:
    root = ET.fromstring(build())
    listed = [unquote(f.get("href", "")) for f in root.iter(f"{CP}file")]
    assert sorted(listed) == sorted(FILES)
    # each language's pages go with its SCO, the shared files with the asset
    resources = {r.get("identifier"): r for r in root.iterfind(f"{CP}resources/{CP}resource")}
    english = [f.get("href") for f in resources["atlas-lesson-2026-sco-en"].iter(f"{CP}file")]
    assert english == ["en/lesson/02-wages.html", "en/lesson/index.html"]
    shared = [f.get("href") for f in resources["atlas-lesson-2026-assets"].iter(f"{CP}file")]
    assert scorm.API_SCRIPT_NAME in shared and "imscp_rootv1p1p2.xsd" in shared


def test_the_manifest_itself_is_not_listed() -> None:
    root = ET.fromstring(build(files=[*FILES, scorm.MANIFEST_NAME]))
    assert scorm.MANIFEST_NAME not in [f.get("href") for f in root.iter(f"{CP}file")]


def test_the_titles_round_trip_exactly(schema: xmlschema.XMLSchema) -> None:
    text = build()
    root = ET.fromstring(text)
    assert root.findtext(f"{CP}organizations/{CP}organization/{CP}title") == TITLE
    assert "<b>co</b>" not in text  # the teacher's markup is text, not elements
    check(schema, text)


def test_a_long_or_odd_title_is_cut_to_what_the_schema_allows(schema: xmlschema.XMLSchema) -> None:
    text = build(title="Économie " * 60 + "\x00\x1b\ufffe", items=[("en", "x" * 300, "en/lesson/index.html")])
    check(schema, text)
    root = ET.fromstring(text)
    for title in root.iter(f"{CP}title"):
        assert title.text is not None
        assert len(title.text) <= scorm.TITLE_MAX
        assert title.text.endswith("…")
    # white space runs (a pasted line break) become one space; an empty title falls back to the id
    root = ET.fromstring(build(title="  Two\n\tlines  "))
    assert root.findtext(f"{CP}organizations/{CP}organization/{CP}title") == "Two lines"
    root = ET.fromstring(build(title=" \n"))
    assert root.findtext(f"{CP}organizations/{CP}organization/{CP}title") == "atlas-lesson-2026"


def test_the_same_lesson_gives_the_same_bytes() -> None:
    first = build().encode("utf-8")
    assert build().encode("utf-8") == first
    shuffled = FILES[:]
    random.Random(7).shuffle(shuffled)
    assert build(files=shuffled).encode("utf-8") == first


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("atlas-lesson_2026.v1", "atlas-lesson_2026.v1"),  # already an xs:ID: kept
        ("Atlas lesson 2026!", "Atlas-lesson-2026"),
        ("Leçon : l'économie des plateformes", "Lecon-l-economie-des-plateformes"),
        ("2026 lesson", "id-2026-lesson"),
        ("-lesson", "lesson"),
        ('<script>&"', "script"),
        ("", "id"),
        ("日本語", "id"),
    ],
)
def test_an_invalid_identifier_becomes_a_valid_xs_id(
    schema: xmlschema.XMLSchema, given: str, expected: str
) -> None:
    assert scorm.xs_id(given) == expected
    text = build(identifier=given)
    root = ET.fromstring(text)
    assert ID_PATTERN.fullmatch(root.get("identifier", ""))
    check(schema, text)


def test_a_very_long_identifier_is_cut() -> None:
    cut = scorm.xs_id("a" * 500)
    assert cut == "a" * scorm.IDENTIFIER_MAX


def test_a_file_name_with_spaces_or_accents_is_percent_encoded(schema: xmlschema.XMLSchema) -> None:
    name = "en/lesson/carte du monde é#1.png"
    text = build(files=[*FILES, name])
    check(schema, text)
    hrefs = [f.get("href", "") for f in ET.fromstring(text).iter(f"{CP}file")]
    assert "en/lesson/carte%20du%20monde%20%C3%A9%231.png" in hrefs
    assert name in [unquote(h) for h in hrefs]


@pytest.mark.parametrize(
    "changes",
    [
        {"items": []},
        {"items": [("en", "English", "en/missing.html")]},  # launches a page not in the package
        {"items": [("en", "a", "en/lesson/index.html"), ("en", "b", "fr/lesson/index.html")]},
        {"items": [("日本", "a", "en/lesson/index.html")]},  # a key with nothing left of it
        {"files": [*FILES, "../outside.html"]},
        {"files": [*FILES, "/etc/passwd"]},
        {"files": [*FILES, "en\\lesson\\index.html"]},
        {"files": [*FILES, "en/./lesson/x.html"]},
    ],
)
def test_a_lesson_that_cannot_be_a_package_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        build(**changes)


def _drop(text: str, start: str, end: str) -> str:
    """`text` without its first span from `start` to the end of `end`."""
    begin = text.index(start)
    return text[:begin] + text[text.index(end, begin) + len(end) :]


BROKEN = {
    "no organizations": lambda t: _drop(t, "  <organizations", "</organizations>\n"),
    "a resource without identifier": lambda t: t.replace('identifier="atlas-lesson-2026-sco-en" ', "", 1),
    "an item without identifier": lambda t: t.replace('identifier="atlas-lesson-2026-item-fr" ', "", 1),
    "a resource without type": lambda t: t.replace('type="webcontent" ', "", 1),
    "an unknown scormtype": lambda t: t.replace('adlcp:scormtype="sco"', 'adlcp:scormtype="page"', 1),
    "a duplicate identifier": lambda t: t.replace("atlas-lesson-2026-sco-fr", "atlas-lesson-2026-sco-en"),
    "a default organization that is not there": lambda t: t.replace(
        'default="atlas-lesson-2026-org"', 'default="nowhere"'
    ),
    "an identifier that is no xs:ID": lambda t: t.replace(
        'identifier="atlas-lesson-2026"', 'identifier="2026 lesson"', 1
    ),
    "a title over 200 characters": lambda t: t.replace("<title>", "<title>" + "x" * 200, 1),
    "an element of no schema": lambda t: t.replace("<resources>", "<resources><bogus/>", 1),
}


@pytest.mark.parametrize("breakage", sorted(BROKEN))
def test_a_broken_manifest_fails_the_validation(schema: xmlschema.XMLSchema, breakage: str) -> None:
    good = build()
    broken = BROKEN[breakage](good)
    assert broken != good
    try:
        ET.fromstring(broken)
    except ET.ParseError:
        pytest.fail(f"{breakage}: the broken manifest should still be well-formed XML")
    assert not is_valid(schema, broken), breakage
    assert is_valid(schema, good)


def test_the_lms_script_loads_nothing() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    assert not re.search(r"https?://", source)
    assert not re.search(r"\bimport\b", source)
    for call in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource", "createElement"):
        assert call not in source, call


# Node.js runs scorm.js in a bare context standing for the page's window, with the LMS's API object
# (a recorder) where an LMS puts it; the page's pagehide and unload listeners are then called.
HARNESS = r"""
const vm = require("vm");
const code = require("fs").readFileSync(process.argv[1], "utf8");
function api(calls, answer) {
  const o = {};
  for (const name of ["LMSInitialize", "LMSSetValue", "LMSCommit", "LMSFinish", "LMSGetValue"]) {
    o[name] = (...args) => { calls.push([name, ...args.filter((a) => a !== undefined)]); return answer; };
  }
  return o;
}
function frames(depth, top) {  // a page `depth` frames below `top`
  top.parent = top;
  let win = top;
  for (let i = 0; i < depth; i += 1) win = {parent: win};
  return win;
}
function run(page) {
  const listeners = {};
  page.window = page;
  page.addEventListener = (type, fn) => { (listeners[type] = listeners[type] || []).push(fn); };
  try {
    vm.runInNewContext(code, page);
    for (const type of ["pagehide", "unload"]) for (const fn of listeners[type] || []) fn();
  } catch (e) {
    return {error: String(e)};
  }
  return {listeners: Object.keys(listeners).sort()};
}
const out = {};
function scenario(name, make) {
  const calls = [];
  const result = run(make(calls));
  out[name] = {calls, ...result};
}
scenario("frame", (calls) => frames(3, {API: api(calls, "true")}));
scenario("top", (calls) => frames(0, {API: api(calls, true)}));
scenario("opener", (calls) => { const p = frames(0, {}); p.opener = frames(1, {API: api(calls, "true")}); return p; });
scenario("too far", (calls) => frames(15, {API: api(calls, "true")}));
scenario("refused", (calls) => frames(1, {API: api(calls, "false")}));
scenario("alone", () => frames(0, {}));
scenario("cross-origin", () => {
  const other = {};
  Object.defineProperty(other, "API", {get() { throw new Error("SecurityError"); }});
  other.parent = other;
  return {parent: other};
});
scenario("throwing", () => frames(1, {API: {LMSInitialize() { throw new Error("broken LMS"); }}}));
console.log(JSON.stringify(out));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_lms_script_completes_the_lesson_once_and_never_throws() -> None:
    done = subprocess.run(
        ["node", "-e", HARNESS, str(SCRIPT)], capture_output=True, text=True, timeout=60, check=True
    )
    out = json.loads(done.stdout)
    session = [
        ["LMSInitialize", ""],
        ["LMSSetValue", "cmi.core.lesson_status", "completed"],
        ["LMSCommit", ""],
        ["LMSFinish", ""],
    ]
    for found in ("frame", "top", "opener"):
        assert out[found] == {"calls": session, "listeners": ["pagehide", "unload"]}, found
    # LMSInitialize refused: nothing more is asked of the LMS
    assert out["refused"] == {"calls": [["LMSInitialize", ""]], "listeners": []}
    # no LMS within reach, or one that fails: no call, no listener, no error
    for alone in ("too far", "alone", "cross-origin", "throwing"):
        assert out[alone] == {"calls": [], "listeners": []}, alone
