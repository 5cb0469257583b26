"""`make bench`: throughput, latency, queries, page weight and import cost of the production site.

Run as `python -m tests.benchmark` (not collected by pytest). It starts production-settings
gunicorns on 127.0.0.1 (tests/server.py) over the demo content plus ../shared/corpus/codefor.de
when present, and prints every figure next to its target. BENCH_SECONDS (default 5) and
BENCH_CONNECTIONS (default 8) set the load per run; wrk is used when installed, else a bounded
Python client.
"""

import gzip
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

from tests.helpers import PROJECT_DIR, SHARED_DIR
from tests.server import manage, production_env, running_gunicorn, server_database

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
CORPUS = Path(os.environ.get("CORPUS", SHARED_DIR / "corpus" / "codefor.de"))
HEADERS = {"Host": "localhost", "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, br"}

# Targets of issue 11.
TARGET_CACHED_RATIO = 0.8
TARGET_QUERIES = {"lab page": 12, "lab index": 15}
TARGET_PAGE_KB = 40
TARGET_IMPORT_SECONDS = 60


def say(text=""):
    print(text, flush=True)  # noqa: T201


# --- load -------------------------------------------------------------------------------------


def wrk_available():
    return shutil.which("wrk") is not None


def run_wrk(port, path):
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    for name, value in HEADERS.items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def latency(percent):
        value, unit = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, latency(50), latency(99), int(errors.group(1)) if errors else 0


def run_python_load(port, path):
    """CONNECTIONS keep-alive connections for SECONDS; (requests/s, p50 ms, p99 ms, errors)."""
    latencies, errors = [], [0]
    deadline = time.monotonic() + SECONDS
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("GET", path, headers=HEADERS)
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status >= 400:
                errors[0] += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / SECONDS, statistics.median(latencies), p99, errors[0]


def load(port, path):
    return run_wrk(port, path) if wrk_available() else run_python_load(port, path)


# --- page weight ------------------------------------------------------------------------------


class Subresources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        url = None
        if tag == "link" and {"stylesheet", "icon", "preload", "manifest"} & set(
            (attrs.get("rel") or "").split()
        ):
            url = attrs.get("href")
        elif tag in ("script", "img", "source", "iframe"):
            url = attrs.get("src")
        if url and url.startswith("/") and not url.startswith("//"):
            self.urls.append(url)


def fetch(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", path, headers=HEADERS)
    response = connection.getresponse()
    body = response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    connection.close()
    return response.status, headers, body


def page_weight(port, path):
    """(html, css, js, other) bytes as transferred, number of requests, uncompressed html."""
    status, headers, body = fetch(port, path)
    html = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
    sizes = {"html": len(body), "css": 0, "js": 0, "other": 0}
    parser = Subresources()
    parser.feed(html.decode("utf-8", errors="replace"))
    urls = list(dict.fromkeys(parser.urls))
    for url in urls:
        _status, _headers, sub = fetch(port, url)
        kind = "css" if ".css" in url else "js" if ".js" in url else "other"
        sizes[kind] += len(sub)
    return sizes, 1 + len(urls), status


# --- the site ---------------------------------------------------------------------------------

URLS_SCRIPT = """
import json
from wagtail.models import Locale
from home.models import HomePage
from labs.models import LabIndexPage, LabPage
from network.models import NewsIndexPage, ProjectPage
out = {}
for code in ("de", "en"):
    locale = Locale.objects.get(language_code=code)
    def first(model, **filters):
        page = model.objects.live().filter(locale=locale, **filters).order_by("path").first()
        return page.url if page else None
    lab = (LabPage.objects.live().filter(locale=locale, inactive=False).order_by("path").first()
           or LabPage.objects.live().filter(locale=locale).order_by("path").first())
    out[code] = {
        "home": first(HomePage), "lab index": first(LabIndexPage),
        "lab page": lab.url if lab else None, "project page": first(ProjectPage),
        "news index": first(NewsIndexPage),
    }
out["labs"] = LabPage.objects.filter(locale__language_code="de").count()
print(json.dumps(out))
"""

QUERIES_SCRIPT = r"""
import json
from tests.helpers import clear_caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale
from labs.models import LabIndexPage, LabPage
from network.models import NewsIndexPage, ProjectPage
from tests.factories import LabPageFactory, NewsPageFactory, ProjectPageFactory

de = Locale.objects.get(language_code="de")
index = LabIndexPage.objects.get(locale=de)
# Keep the lab that has projects (and, where there is one, an English translation).
project = ProjectPage.objects.live().filter(locale=de).order_by("path").first()
keep = project.get_parent().specific if project else None
if not isinstance(keep, LabPage):
    keep = LabPage.objects.filter(locale=de).order_by("path").first()
for lab in LabPage.objects.exclude(translation_key=keep.translation_key):
    lab.delete()
english_lab = LabPage.objects.filter(
    translation_key=keep.translation_key, locale__language_code="en", live=True
).first()
english_index = LabIndexPage.objects.filter(locale__language_code="en", live=True).first()
client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
urls = {
    "home": "/", "lab index": index.url, "lab page": keep.url,
    "en lab index": english_index.url if english_index else None,
    "en lab page": english_lab.url if english_lab else None,
    "project page": project.url if project else None,
    "news index": NewsIndexPage.objects.get(locale=de).url,
}
urls = {name: url for name, url in urls.items() if url}


def count(url):
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return len(queries) if status == 200 else f"HTTP {status}"


results = {}
made = 1
for target in (1, 38, 200):
    while made < target:
        lab = LabPageFactory(parent=index, city=f"Bench{made:03d}")
        ProjectPageFactory(parent=lab)
        NewsPageFactory(parent=lab)
        made += 1
    row = {}
    for name, url in urls.items():
        client.get(url)  # the first view after a publish makes the per-publish lookups
        row[name] = count(url)
    results[target] = row
clear_caches()
first_views = {name: count(url) for name, url in urls.items()}
print("RESULT " + json.dumps({"counts": results, "first views": first_views}))
"""


IMPORT_WRAPPER = """
import resource, subprocess, sys, time
started = time.monotonic()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.monotonic() - started
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"IMPORT {result.returncode} {elapsed:.1f} {peak_kb}")
if result.returncode:
    print(result.stderr[-3000:], file=sys.stderr)
"""


def import_corpus(env):
    """(seconds, peak RSS in MB) of the corpus import, run in its own process."""
    output = subprocess.run(
        [
            sys.executable,
            "-c",
            IMPORT_WRAPPER,
            sys.executable,
            "manage.py",
            "load_demo_content",
            "--corpus",
            str(CORPUS),
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    code, seconds, peak_kb = re.search(r"IMPORT (\d+) ([\d.]+) (\d+)", output.stdout).groups()
    if code != "0":
        raise RuntimeError(f"corpus import failed:\n{output.stderr}")
    return float(seconds), int(peak_kb) / 1024


def queries_per_page(workdir):
    with server_database() as database_url:
        env = production_env(
            Path(workdir) / "queries",
            database_url,
            DJANGO_SECURE_SSL_REDIRECT="false",
            PAGE_CACHE_SECONDS="0",
        )
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        manage(env, "load_demo_content")
        output = manage(env, "shell", "-c", QUERIES_SCRIPT)
    return json.loads(output.split("RESULT ", 1)[1])


def hashed_static(env, size):
    """The collected hashed static file closest to `size` bytes (the ceiling to compare with)."""
    root = Path(env["DJANGO_STATIC_ROOT"])
    manifest = json.loads((root / "staticfiles.json").read_text())["paths"]
    files = [root / hashed for hashed in manifest.values() if (root / hashed).is_file()]
    best = min(files, key=lambda file: abs(file.stat().st_size - size))
    return "/static/" + best.relative_to(root).as_posix(), best.stat().st_size


def mark(ok):
    return "ok" if ok else "MISSED"


def main():
    started = time.monotonic()
    say(
        f"Load per run: {CONNECTIONS} connections × {SECONDS} s, "
        + ("wrk" if wrk_available() else "Python client (wrk not installed)")
    )
    with tempfile.TemporaryDirectory(prefix="oklab-bench-") as workdir:
        with server_database() as database_url:
            env = production_env(workdir, database_url, DJANGO_SECURE_SSL_REDIRECT="false")
            manage(env, "migrate", "--no-input", "-v", "0")
            manage(env, "collectstatic", "--no-input", "-v", "0")
            manage(env, "load_demo_content")
            if CORPUS.is_dir():
                say(f"Content: demo + corpus {CORPUS}")
                import_seconds, import_mb = import_corpus(env)
            else:
                say(f"Content: demo only ({CORPUS} is absent)")
                import_seconds = import_mb = None
            urls = json.loads(manage(env, "shell", "-c", URLS_SCRIPT).strip().splitlines()[-1])
            say(f"{urls['labs']} labs in the database")

            uncached_env = {**env, "PAGE_CACHE_SECONDS": "0"}
            rows = []
            with (
                running_gunicorn(env, workers=2) as cached,
                running_gunicorn(uncached_env, workers=2) as uncached,
            ):
                home_html = fetch(cached.port, "/")[2]
                static_path, static_size = hashed_static(env, len(home_html))
                for language in ("de", "en"):
                    for name, path in urls[language].items():
                        if not path:
                            continue
                        for server in (cached, uncached):  # warm: fill the cache, renditions
                            fetch(server.port, path)
                            fetch(server.port, path)
                        # The static file right before each page: load on the machine drifts,
                        # so each page is compared with the ceiling measured next to it.
                        ceiling = load(cached.port, static_path)
                        rows.append(
                            (
                                language,
                                name,
                                ceiling,
                                load(cached.port, path),
                                load(uncached.port, path),
                            )
                        )
                weights = {
                    name: page_weight(cached.port, path)
                    for name, path in urls["de"].items()
                    if path
                }
            say()
            say(f"Throughput (target: cached ≥ {TARGET_CACHED_RATIO}× static)")
            say(f"  static file: {static_path} ({static_size} B), measured before each page")
            say(
                f"  {'page':<18} {'static req/s':>12} {'cached req/s':>12} {'p50':>6} {'p99':>6} "
                f"{'×static':>7}   {'uncached req/s':>14} {'p50':>6} {'p99':>6} {'×static':>7}"
            )
            for language, name, ceiling, hot, cold in rows:
                ratio, cold_ratio = hot[0] / ceiling[0], cold[0] / ceiling[0]
                say(
                    f"  {language + ' ' + name:<18} {ceiling[0]:12.0f} {hot[0]:12.0f} "
                    f"{hot[1]:6.1f} {hot[2]:6.1f} {ratio:7.2f}   {cold[0]:14.0f} {cold[1]:6.1f} "
                    f"{cold[2]:6.1f} {cold_ratio:7.2f}  {mark(ratio >= TARGET_CACHED_RATIO)}"
                    + (f"  errors {hot[3]}/{cold[3]}" if hot[3] or cold[3] else "")
                )
            ratios = sorted(hot[0] / ceiling[0] for _l, _n, ceiling, hot, _c in rows)
            say(
                f"  cached/static: median {statistics.median(ratios):.2f}, "
                f"lowest {ratios[0]:.2f}, highest {ratios[-1]:.2f}"
            )

            say()
            say(f"Page weight as served, German (target: HTML+CSS+JS ≤ {TARGET_PAGE_KB} KB)")
            say(f"  {'page':<14} {'HTML':>8} {'CSS':>8} {'JS':>8} {'other':>8} {'requests':>9}")
            for name, (sizes, requests, _status) in weights.items():
                total = (sizes["html"] + sizes["css"] + sizes["js"]) / 1024
                say(
                    f"  {name:<14} {sizes['html']:8d} {sizes['css']:8d} {sizes['js']:8d} "
                    f"{sizes['other']:8d} {requests:9d}  {total:5.1f} KB "
                    f"{mark(total <= TARGET_PAGE_KB)}"
                )

        say()
        say(
            "Queries per page, page cache off (targets: lab page ≤ 12, lab index ≤ 15, "
            "flat 1→200 labs)"
        )
        measured = queries_per_page(workdir)
        counts = measured["counts"]
        names = list(next(iter(counts.values())))
        say(f"  {'labs':>16} " + " ".join(f"{name:>13}" for name in names))
        for labs, row in counts.items():
            say(f"  {labs:>16} " + " ".join(f"{row[name]!s:>13}" for name in names))
        first = measured["first views"]
        say(f"  {'after a publish':>16} " + " ".join(f"{first[name]!s:>13}" for name in names))
        say("  (repeated views; last row: the view that rebuilds the per-publish lookups)")
        for name, limit in TARGET_QUERIES.items():
            for column in (name, f"en {name}"):
                if column not in names:
                    continue
                values = [row[column] for row in counts.values()]
                flat = len(set(values)) == 1
                say(
                    f"  {column}: {values[-1]} ≤ {limit} {mark(values[-1] <= limit)}; "
                    f"flat {mark(flat)}"
                )

        say()
        if import_seconds is not None:
            say(
                f"Corpus import: {import_seconds:.1f} s (target < {TARGET_IMPORT_SECONDS} s "
                f"{mark(import_seconds < TARGET_IMPORT_SECONDS)}), peak memory {import_mb:.0f} MB"
            )
        else:
            say("Corpus import: skipped (no corpus)")
    say(f"Bench took {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
