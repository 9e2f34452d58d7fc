"""Serving: `make serve` (Caddy in front of two replicas) compresses, caches, keeps a browser on its
replica, survives losing that replica without losing the view, and stops every process on Ctrl-C.
The deployment files (Caddyfile, Dockerfile, compose file, Kubernetes manifests) are validated
offline by the tools the project installs."""

from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import hmac
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import brotli
import pytest
import streamlit
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, WebSocket, sync_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.client import visit
from benchmarks.serving import Cluster, cluster
from tests.support import (
    CHARTS,
    CHROMIUM_ARGS,
    ROOT,
    TEST_CHROMIUM,
    is_local,
    wait_for_app,
    wait_for_charts,
)

BIN = Path(sys.executable).parent
DEPLOY = ROOT / "deploy"
# Every Kubernetes object file (kustomization.yaml lists them and is not an object itself).
KUBERNETES = sorted(p for p in (DEPLOY / "kubernetes").glob("*.yaml") if p.name != "kustomization.yaml")
LB_SECRET = "test-sticky-cookie-key"
STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static"


def replica_named_by(cookie: str, running: Cluster) -> tuple[int, int]:
    """The (port, pid) of the replica a sticky cookie names: Caddy's cookie is the HMAC-SHA256 of
    the upstream's address under the key the launcher was given."""
    for port, pid in running.replicas:
        digest = hmac.new(LB_SECRET.encode(), f"127.0.0.1:{port}".encode(), hashlib.sha256).hexdigest()
        if digest == cookie:
            return port, pid
    raise AssertionError(f"the cookie {cookie!r} names none of {running.replicas}")


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (by parent id, whatever their session)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, {k.lower(): v for k, v in reply.headers.items()}, reply.read()
    except urllib.error.HTTPError as reply:
        return reply.code, {k.lower(): v for k, v in reply.headers.items()}, reply.read()


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Cluster, set[int]]]:
    """`make serve REPLICAS=2` on a free loopback port, and every process it started."""
    command = ["make", "--no-print-directory", "serve", "REPLICAS=2", "PORT={port}", "BIND=127.0.0.1"]
    with cluster(command=command, env={"ATLAS_LB_SECRET": LB_SECRET}) as running:
        assert len(running.replicas) == 2
        started = descendants(running.process.pid) | {running.process.pid}
        assert {pid for _port, pid in running.replicas} | {running.proxy_pid} <= started
        yield running, started
    assert [pid for pid in started if alive(pid)] == []


def test_the_proxy_compresses_and_caches_streamlit_s_bundles_and_revalidates_our_geometry(
    served: tuple[Cluster, set[int]],
) -> None:
    running, _ = served
    index = (STREAMLIT_STATIC / "index.html").read_text()
    bundle = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', index)
    assert bundle is not None
    raw = (STREAMLIT_STATIC / bundle.group(1)).read_bytes()
    url = f"{running.base}/{bundle.group(1)}"
    for accepted, decode in (("br, gzip", brotli.decompress), ("gzip", gzip.decompress)):
        status, headers, body = get(url, {"Accept-Encoding": accepted})
        assert status == 200 and headers["content-encoding"] == accepted.split(",")[0]
        assert decode(body) == raw and len(body) < len(raw) / 3
        assert headers["cache-control"] == "public, immutable, max-age=31536000"
    status, headers, body = get(url, {"Accept-Encoding": "identity"})
    assert status == 200 and "content-encoding" not in headers and body == raw

    status, headers, _ = get(f"{running.base}/map?metric=supply", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["cache-control"] == "no-cache"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert "strict-transport-security" not in headers  # plain HTTP here: no HSTS
    assert headers["set-cookie"].startswith("atlas_replica=")
    replica_named_by(headers["set-cookie"].split(";")[0].split("=", 1)[1], running)

    geometry = f"{running.base}/app/static/world.geojson"
    status, headers, body = get(geometry, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == (ROOT / "dashboard" / "static" / "world.geojson").read_bytes()
    assert headers["cache-control"] == "public, max-age=300, must-revalidate"
    status, _, body = get(geometry, {"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]})
    assert status == 304 and body == b""


def test_a_websocket_session_goes_to_the_replica_its_cookie_names(served: tuple[Cluster, set[int]]) -> None:
    running, _ = served
    import asyncio

    def connections(port: int) -> int:
        _, _, body = get(f"http://127.0.0.1:{port}/_stcore/metrics")
        found = re.search(r'^session_events_total\{type="connect"\}\s+(\d+)', body.decode(), re.M)
        assert found is not None
        return int(found.group(1))

    _, headers, _ = get(f"{running.base}/map")
    cookie = headers["set-cookie"].split(";")[0]
    port, _pid = replica_named_by(cookie.split("=", 1)[1], running)
    before = {p: connections(p) for p, _ in running.replicas}
    session = asyncio.run(visit(running.base, "map", "lang=en", "metric", 1, 120, headers={"Cookie": cookie}))
    assert session.exceptions == [] and session.change_seconds > 0
    after = {p: connections(p) for p, _ in running.replicas}
    assert {p: after[p] - before[p] for p in after} == {p: int(p == port) for p in after}


def test_every_replica_signs_with_one_cookie_secret_made_for_this_launch(
    served: tuple[Cluster, set[int]],
) -> None:
    running, _ = served
    secrets_ = set()
    for _port, pid in running.replicas:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        found = [e.split(b"=", 1)[1] for e in environ if e.startswith(b"STREAMLIT_SERVER_COOKIE_SECRET=")]
        secrets_.update(found)
    assert len(secrets_) == 1
    secret = secrets_.pop().decode()
    assert len(secret) == 64  # 32 random bytes, hex
    tracked = subprocess.run(["git", "grep", "-l", secret], cwd=ROOT, capture_output=True, text=True)
    assert tracked.stdout == ""  # never in a committed file


def _browser_context(pw: Playwright) -> tuple[Browser, BrowserContext, list[str]]:
    """Chromium with every request that leaves 127.0.0.1 blocked and recorded, and CSP violations
    collected in window.__csp."""
    browser = pw.chromium.launch(executable_path=TEST_CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
    external: list[str] = []

    def only_local(route: Route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return browser, context, external


# One page per kind of drawing the Map (in the failover test below) does not cover: plotly's SVG
# charts, deck.gl's WebGL canvas and its workers (with the Sankey), Streamlit's data table.
# Wages: a page whose first run ends after its first chart, whose inline script then asks for the
# rest (dashboard/first_chart.py) and must run under the policy, allowed by its hash.
CSP_PAGES = ("overview", "flows", "sources", "wages")


def test_the_other_kinds_of_chart_draw_under_the_proxy_s_content_security_policy(
    served: tuple[Cluster, set[int]],
) -> None:
    running, _ = served
    with sync_playwright() as pw:
        browser, context, external = _browser_context(pw)
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
        violations = {}
        for name in CSP_PAGES:
            page.goto(f"{running.base}/{'' if name == 'overview' else name}")
            wait_for_app(page)
            wait_for_charts(page, *CHARTS[name])
            assert page.locator('[data-testid="stException"]').count() == 0, name
            violations[name] = page.evaluate("window.__csp")
            asked = page.evaluate("document.documentElement.dataset.atlasRest || ''")
            # the rest asked for once the chart was drawn, not by the script's fallback
            assert asked == ("drawn" if name == "wages" else ""), (name, asked)
        assert violations == {name: [] for name in CSP_PAGES} and console == []
        assert external == []
        browser.close()


def _watch_websockets(page: Page) -> list[dict[str, list[str]]]:
    """Per websocket the page opens: what it sent (BackMsg kinds, a rerun's fragment) and received."""
    sockets: list[dict[str, list[str]]] = []

    def sent(log: dict[str, list[str]], payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            back = BackMsg.FromString(payload)
            kind = back.WhichOneof("type") or ""
            log["sent"].append(f"{kind}:{back.rerun_script.fragment_id}" if kind == "rerun_script" else kind)

    def received(log: dict[str, list[str]], payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            log["received"].append(ForwardMsg.FromString(payload).WhichOneof("type") or "")

    def opened(ws: WebSocket) -> None:
        log: dict[str, list[str]] = {"sent": [], "received": []}
        sockets.append(log)
        ws.on("framesent", lambda payload: sent(log, payload))
        ws.on("framereceived", lambda payload: received(log, payload))

    page.on("websocket", opened)
    return sockets


def test_losing_the_replica_under_a_page_brings_the_same_view_back_on_the_other_one(
    served: tuple[Cluster, set[int]],
) -> None:
    running, _ = served
    timeline: list[tuple[str, float]] = []
    with sync_playwright() as pw:
        browser, context, external = _browser_context(pw)
        page: Page = context.new_page()
        console_csp: list[str] = []
        page.on(
            "console",
            lambda m: console_csp.append(m.text) if "Content Security Policy" in m.text else None,
        )
        sockets = _watch_websockets(page)
        page.goto(f"{running.base}/map?metric=supply&country=IND&lang=fr")
        wait_for_app(page)
        wait_for_charts(page, 1, 0)
        assert page.get_by_role("radio", name="Travailleurs (parts citées)").is_checked()
        cookie = {c["name"]: c["value"] for c in context.cookies()}["atlas_replica"]
        port, pid = replica_named_by(cookie, running)
        assert len(sockets) == 1

        started = time.monotonic()
        os.kill(pid, signal.SIGKILL)  # a crash, not a polite stop
        timeline.append(("replica killed", 0.0))
        deadline = started + 90
        reopened = resumed = False
        while not (reopened and resumed):
            assert time.monotonic() < deadline, f"no rerun after the failover: {sockets}"
            page.wait_for_timeout(100)
            if not reopened and len(sockets) >= 2 and sockets[-1]["received"]:
                reopened = True
                timeline.append(("websocket reopened through the proxy", time.monotonic() - started))
            if reopened and "script_finished" in sockets[-1]["received"]:
                resumed = True
                timeline.append(
                    ("the view's script finished on the other replica", time.monotonic() - started)
                )
        wait_for_app(page)
        wait_for_charts(page, 1, 0)
        timeline.append(("map drawn again", time.monotonic() - started))

        # the front end asked for the rerun by itself: no control was touched
        last = sockets[-1]
        reruns = [sent for sent in last["sent"] if sent.startswith("rerun_script")]
        assert reruns[0] == "rerun_script:atlas-resume-after-failover", last
        steps = [
            kind for kind in last["received"] if kind in ("auto_rerun", "stop_auto_rerun", "new_session")
        ]
        assert steps[:3] == ["auto_rerun", "stop_auto_rerun", "new_session"], last
        # one run: the page on screen is resumed whole, not cut back to its first chart
        assert last["received"].count("script_finished") == 1, last
        assert page.locator(".st-key-atlas-rest-later").count() == 0
        assert not alive(pid)
        moved = {c["name"]: c["value"] for c in context.cookies()}["atlas_replica"]
        assert replica_named_by(moved, running)[0] != port
        # the same view, and no error on screen
        assert page.get_by_role("radio", name="Travailleurs (parts citées)").is_checked()
        assert page.get_by_role("heading", name="Inde", exact=True).count() == 1
        link = page.locator('[data-testid="stSidebar"] [data-testid="atlas-share-link"]').input_value()
        assert "metric=supply" in link and "country=IND" in link and "lang=fr" in link
        assert link.startswith(running.base)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Connection error").count() == 0
        assert page.locator('[role="dialog"]').count() == 0

        # the new session is live: a control changes the view at once (on a session that had not
        # run, the URL's old value won over the first click)
        page.get_by_text("Nord / Sud").click()
        page.wait_for_function("() => location.search.includes('metric=north_south')")
        wait_for_app(page)
        assert page.get_by_role("radio", name="Nord / Sud").is_checked()
        timeline.append(("a control changed on the new replica", time.monotonic() - started))
        assert page.evaluate("window.__csp") == [] and console_csp == []
        assert external == []
        browser.close()
    print("\n".join(f"{seconds:6.2f} s  {what}" for what, seconds in timeline))


def test_ctrl_c_on_make_serve_stops_the_proxy_and_every_replica(served: tuple[Cluster, set[int]]) -> None:
    running, started = served
    os.killpg(running.process.pid, signal.SIGINT)  # what a terminal sends to the foreground group
    running.process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in started if alive(pid)] == []
    assert "stopped: proxy and every replica" in running.text()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{running.base}/_stcore/health", timeout=2)


def _caddy(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ATLAS_UPSTREAMS": "127.0.0.1:18601 127.0.0.1:18602",
        "ATLAS_LB_SECRET": "x",
        "ATLAS_STATIC_ROOT": "/srv/static",
    }
    return subprocess.run(
        [str(BIN / "caddy"), *args, "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_the_caddyfile_is_valid_and_says_what_the_readme_says() -> None:
    assert _caddy("validate").returncode == 0
    adapted = json.loads(_caddy("adapt").stdout)
    server = adapted["apps"]["http"]["servers"]["srv0"]
    found = [h for h in _walk(server) if h.get("handler") == "reverse_proxy"][0]
    assert [u["dial"] for u in found["upstreams"]] == ["127.0.0.1:18601", "127.0.0.1:18602"]
    policy = found["load_balancing"]["selection_policy"]
    assert policy["policy"] == "cookie" and policy["name"] == "atlas_replica" and policy["secret"] == "x"
    assert policy["fallback"]["policy"] == "least_conn"
    assert found["load_balancing"]["try_duration"] > 0
    assert found["health_checks"]["active"]["uri"] == "/_stcore/health"
    assert found["health_checks"]["passive"]["max_fails"] == 1
    encoders = [h for h in _walk(server) if h.get("handler") == "encode"][0]
    assert set(encoders["encodings"]) == {"zstd", "gzip"}
    files = [h for h in _walk(server) if h.get("handler") == "file_server"]
    # Streamlit's bundles precompressed, ours as they are (compressed on the fly by encode)
    assert sorted(str(f.get("precompressed_order")) for f in files) == ["None", "['br', 'gzip']"]
    roots = {str(h["root"]) for h in _walk(server) if h.get("handler") == "vars" and "root" in h}
    assert roots == {"/srv/static", "dashboard/static"}
    assert adapted["admin"]["disabled"] is True


def _walk(node: object) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_the_content_security_policy_allows_exactly_streamlit_s_one_inline_script_and_ours() -> None:
    from dashboard.first_chart import SCRIPT
    from deploy.page_address import SCRIPT as PAGE_ADDRESS

    index = (STREAMLIT_STATIC / "index.html").read_text()
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", index, re.S)
    assert len(inline) == 1
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in [*inline, SCRIPT, PAGE_ADDRESS]
    }
    caddy_csp = re.search(r'Content-Security-Policy "([^"]+)"', (DEPLOY / "Caddyfile").read_text())
    assert caddy_csp is not None
    allowed = set(re.findall(r"'sha256-[^']+'", caddy_csp.group(1)))
    assert allowed == hashes, (
        "an inline script changed (Streamlit's, first_chart.SCRIPT or page_address.SCRIPT): update its hash in deploy/Caddyfile"
    )
    ingress = list(yaml.safe_load_all((DEPLOY / "kubernetes" / "ingress.yaml").read_text()))
    headers = next(doc for doc in ingress if doc["kind"] == "ConfigMap")["data"]
    assert headers["Content-Security-Policy"] == caddy_csp.group(1).replace(
        "{$ATLAS_FRAME_ANCESTORS:'self'}", "'self'"
    )


def _kubernetes_validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "kubernetes-validate"), "--strict", "--kubernetes-version", "1.37.0", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_kubernetes_manifests_pass_the_schemas_offline(tmp_path: Path) -> None:
    result = _kubernetes_validate(*KUBERNETES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(" passed for resource ") == 6
    # the validator does reject a wrong manifest
    deployment = yaml.safe_load((DEPLOY / "kubernetes" / "deployment.yaml").read_text())
    deployment["spec"]["replicas"] = "two"
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(deployment))
    assert _kubernetes_validate(tmp_path / "broken.yaml").returncode != 0


def test_the_kubernetes_manifests_keep_browsers_on_their_pod_and_probe_streamlit_s_health() -> None:
    docs = {
        (d["kind"], d["metadata"]["name"]): d for p in KUBERNETES for d in yaml.safe_load_all(p.read_text())
    }
    kustomized = yaml.safe_load((DEPLOY / "kubernetes" / "kustomization.yaml").read_text())["resources"]
    assert sorted(kustomized) == sorted(p.name for p in KUBERNETES)
    deployment = docs[("Deployment", "atlas")]
    pod = deployment["spec"]["template"]
    container = pod["spec"]["containers"][0]
    assert deployment["spec"]["replicas"] >= 2
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/_stcore/health", "port": "http"}
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    secret = next(e for e in container["env"] if e["name"] == "STREAMLIT_SERVER_COOKIE_SECRET")
    assert set(secret) == {"name", "valueFrom"}  # from a Secret, never a value in the repository
    service = docs[("Service", "atlas")]
    assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
    annotations = docs[("Ingress", "atlas")]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert annotations["nginx.ingress.kubernetes.io/session-cookie-change-on-failure"] == "true"
    hpa = docs[("HorizontalPodAutoscaler", "atlas")]
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "atlas"}
    assert hpa["spec"]["minReplicas"] >= 2 and "cpu" in json.dumps(hpa["spec"]["metrics"])
    assert container["resources"]["requests"]["cpu"]  # the autoscaler measures against it


def _compose_valid(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_compose_file_passes_the_compose_specification_and_wires_every_replica(tmp_path: Path) -> None:
    path = DEPLOY / "compose.yaml"
    result = _compose_valid(path)
    assert result.returncode == 0, result.stdout + result.stderr
    compose = yaml.safe_load(path.read_text())
    broken = copy.deepcopy(compose)
    broken["services"]["proxy"]["ports"] = {"not": "a list"}
    (tmp_path / "compose.yaml").write_text(yaml.safe_dump(broken))
    assert _compose_valid(tmp_path / "compose.yaml").returncode != 0
    replicas = [name for name in compose["services"] if name.startswith("replica-")]
    proxy = compose["services"]["proxy"]
    assert proxy["environment"]["ATLAS_UPSTREAMS"].split() == [f"{name}:8501" for name in replicas]
    assert set(proxy["depends_on"]) == set(replicas)
    for name in replicas:
        secret = compose["services"][name]["environment"]["STREAMLIT_SERVER_COOKIE_SECRET"]
        assert secret.startswith("${ATLAS_COOKIE_SECRET:?")  # one secret, from the environment


def test_the_dockerfile_lints_clean_runs_as_a_user_and_checks_streamlit_s_health() -> None:
    dockerfile = DEPLOY / "Dockerfile"
    result = subprocess.run(
        [str(BIN / "hadolint"), "--no-color", str(dockerfile)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = dockerfile.read_text()
    final_stage = text.rsplit("\nFROM ", 1)[1]
    assert re.search(r"^USER 10001$", final_stage, re.M)
    assert "HEALTHCHECK" in final_stage and "/_stcore/health" in final_stage
    assert "-c constraints.txt" in text and "COPY datasets datasets" in text
    assert 'CMD ["streamlit", "run", "deploy/replica.py"' in final_stage
