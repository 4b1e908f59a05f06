#!/usr/bin/env python3
"""Runs every benchmark of the portal in one go and writes BENCHMARKS.md (see scripts/benchmark,
which builds what this measures and calls it). Figures are ratios to a yardstick measured in the
same run wherever a goal is a ratio, since these machines are shared and noisy.

Sections: bundle sizes, cold load (app vs a bare Leptos page), in-page interaction on 10,000
vouchers, API (reads and lists vs a trivial JSON handler; reservation and redemption throughput
on SQLite and PostgreSQL), scale (list, filter and search at 10,000 and 1,000,000 vouchers;
server memory under load), rules (eligibility natively and in WebAssembly)."""

import datetime
import gzip
import http.client
import json
import os
import pathlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(os.environ["REPO_ROOT"])
TARGET = pathlib.Path(os.environ["CARGO_TARGET_DIR"])
SERVER = TARGET / "release" / "planning-server"
PASSWORD = "planning-demo-2021"
QUICK = os.environ.get("BENCH_QUICK") == "1"
SCALE_VOUCHERS = int(os.environ.get("BENCH_SCALE_VOUCHERS", "1000000"))
WORK = pathlib.Path(tempfile.mkdtemp(prefix="portal-bench-"))
servers = []


def log(message):
    print(f"[benchmark] {message}", flush=True)


# --- Servers --------------------------------------------------------------------------------


class Server:
    def __init__(self, port, data_dir, program_date, dist_dir="dist", extra=()):
        self.port = port
        self.log = open(WORK / f"server-{port}.log", "w")
        self.process = subprocess.Popen(
            [str(SERVER), "--port", str(port), "--data-dir", str(data_dir), "--program-date", program_date,
             "--dist-dir", str(dist_dir), "--program-config", str(ROOT / "crates/server/config/program.toml"),
             "--log-format", "json", *extra],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        servers.append(self)
        for _ in range(600):
            try:
                if self.get("/api/v1/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server on port {port} did not start; see {self.log.name}")

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path, cookie=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", path, headers={"cookie": cookie} if cookie else {})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    def sign_in(self, email):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("POST", "/api/v1/session", body=json.dumps({"email": email, "password": PASSWORD}),
                           headers={"content-type": "application/json"})
        response = connection.getresponse()
        response.read()
        assert response.status == 200, f"sign-in as {email}: {response.status}"
        return response.getheader("set-cookie").split(";")[0]

    def rss_kib(self):
        status = pathlib.Path(f"/proc/{self.process.pid}/status").read_text()
        return {key: int(re.search(rf"{key}:\s+(\d+)", status).group(1)) for key in ("VmRSS", "VmHWM")}

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()
        servers.remove(self)


def wrk(url, cookie=None, connections=32, seconds=10):
    """Requests/s and latency percentiles (ms) from wrk on loopback; non-2xx answers counted."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def millis(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": millis("50"),
        "p99": millis("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def p50_sequential(server, path, cookie, count):
    """Median wall time (ms) of `count` sequential requests on one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", path, headers={"cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status == 200, f"{path}: {response.status}"
    connection.close()
    return statistics.median(times)


# --- Sections -------------------------------------------------------------------------------


def bundles():
    rows = []
    directories = [("app (every page)", ROOT / "dist"), ("widget", ROOT / "dist/widget")]
    directories.append(("bare Leptos page (yardstick)", WORK / "bare-dist"))
    for name, directory in directories:
        sizes = {}
        for kind in ("wasm", "js"):
            data = b"".join(path.read_bytes() for path in sorted(directory.glob(f"*.{kind}")))
            sizes[kind] = len(gzip.compress(data, 9))
            sizes[kind + "_br"] = len(brotli(data))
        rows.append((name, sizes["wasm"] / 1024, sizes["js"] / 1024, (sizes["wasm"] + sizes["js"]) / 1024,
                     (sizes["wasm_br"] + sizes["js_br"]) / 1024))
    return rows


def brotli(data):
    """Brotli at quality 11, as scripts/build-app writes the served copies."""
    return subprocess.run(["brotli", "--best", "--stdout"], input=data, capture_output=True, check=True).stdout


def dependency_costs(bundle="planning-portal"):
    """What each crate takes in one bundle: the bundle rebuilt with its function names kept
    (same profile otherwise), through wasm-bindgen, then twiggy's size per function summed by the
    crate its name starts in (generic code instantiated for the app counts where it is defined)."""
    env = dict(os.environ, CARGO_PROFILE_WASM_RELEASE_STRIP="false")
    subprocess.run(["cargo", "build", "-q", "--locked", "--profile", "wasm-release", "--target",
                    "wasm32-unknown-unknown", "--bin", bundle], cwd=ROOT, env=env, check=True)
    out = WORK / "named"
    subprocess.run(["wasm-bindgen", "--target", "web", "--keep-debug", "--out-dir", str(out),
                    str(TARGET / f"wasm32-unknown-unknown/wasm-release/{bundle}.wasm")], check=True)
    table = subprocess.run(["twiggy", "top", "-n", "1000000", "--format", "csv", str(out / f"{bundle}_bg.wasm")],
                           capture_output=True, text=True, check=True).stdout
    crate = re.compile(r"([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::")
    totals = {}
    for line in table.splitlines()[1:]:
        name, size = line.rsplit(",", 4)[0].strip('"'), int(line.rsplit(",", 4)[1])
        if name.startswith("custom section") or "subsection" in name:
            continue  # names kept for this measurement only
        if name.startswith("data segment") or name.startswith("data["):
            owner = "static data (strings, message tables)"
        else:
            match = crate.search(name)
            owner = match.group(1) if match else "unattributed"
        totals[owner] = totals.get(owner, 0) + size
    return bundle, sorted(totals.items(), key=lambda item: -item[1])


def load_and_interaction(demo, scale10k):
    runs = 5 if QUICK else 15
    log(f"cold loads: app vs bare page, {runs} each")
    bare = Server(18931, WORK / "bare-data", "2021-07-15", dist_dir=WORK / "bare-dist", extra=["--no-demo-data"])
    output = subprocess.run(
        ["node", "benchmark.mjs", "load", demo.base, bare.base, "benefits@northwind.example", str(runs)],
        cwd=ROOT / "tests/e2e", capture_output=True, text=True, check=True).stdout
    bare.stop()
    loads = json.loads(output.strip().splitlines()[-1])
    log("interactions on 10,000 vouchers")
    output = subprocess.run(
        ["node", "benchmark.mjs", "interact", scale10k.base, "benefits@northwind.example", "3" if QUICK else "7"],
        cwd=ROOT / "tests/e2e", capture_output=True, text=True, check=True).stdout
    interactions = json.loads(output.strip().splitlines()[-1])
    return loads, interactions


def navigation(demo, scale10k):
    rounds = 2 if QUICK else 5
    log(f"the partner's tour of the main navigation, then {rounds} more rounds in the same context")
    output = subprocess.run(
        ["node", "benchmark.mjs", "tour", demo.base, "admin@contoso.example", str(rounds), scale10k.base,
         "benefits@northwind.example"],
        cwd=ROOT / "tests/e2e", capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def api(demo):
    seconds = 5 if QUICK else 10
    customer = demo.sign_in("benefits@northwind.example")
    operator = demo.sign_in("operator@microsoft.example")
    _, body = demo.get("/api/v1/vouchers?limit=1", customer)
    voucher = json.loads(body)["vouchers"][0]["voucher"]["id"]
    cases = [
        ("trivial JSON handler: GET /api/v1/program (yardstick)", "/api/v1/program", None),
        ("single voucher: GET /api/v1/vouchers/{id} (customer)", f"/api/v1/vouchers/{voucher}", customer),
        ("list: GET /api/v1/vouchers (customer, whole list)", "/api/v1/vouchers", customer),
        ("list: GET /api/v1/vouchers?limit=50 (operator)", "/api/v1/vouchers?limit=50", operator),
    ]
    results = []
    for label, path, cookie in cases:
        log(f"wrk 32 connections, {seconds}s: {path}")
        results.append((label, wrk(demo.base + path, cookie, 32, seconds)))
    return results


# The goals of the write path (issue 19): PostgreSQL reservations at least 5 × the 134/s measured
# before its work and 3 × SQLite's in the same run; two PostgreSQL instances 1.6 × one.
POSTGRES_RESERVATIONS_BEFORE = 134
WRITE_CONFIGURATIONS = (("sqlite", 1), ("postgres", 1), ("postgres", 2))


def bench_api(database, instances=1, **extra):
    env = dict(os.environ, BENCH_DATABASE=database, BENCH_INSTANCES=str(instances),
               BENCH_SECONDS="5" if QUICK else "10",
               BENCH_VOUCHERS_COUNT=os.environ.get("BENCH_VOUCHERS_COUNT", "20000"), **extra)
    output = subprocess.run(["bash", "scripts/bench-api"], cwd=ROOT, env=env, capture_output=True, text=True)
    if output.returncode != 0:
        raise RuntimeError(f"bench-api on {database} failed:\n{output.stdout[-3000:]}\n{output.stderr[-3000:]}")
    (WORK / f"bench-api-{database}-{instances}{'-profile' if extra else ''}.txt").write_text(output.stdout)
    return output.stdout


def wrk_figures(section):
    """Requests/s, p50 and p99 (ms) of the wrk output at the start of `section`."""
    def millis(label):
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", section)
        return float(match[1]) * {"us": 0.001, "ms": 1, "s": 1000}[match[2]]
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", section)[1]), "p50": millis("50"), "p99": millis("99")}


def throughput():
    """Reads and transitions per configuration (database, instances), the load generator pinned to
    its own core (BENCH_PIN=1)."""
    results = {}
    for database, instances in WRITE_CONFIGURATIONS:
        log(f"reservation and redemption throughput on {database}, {instances} instance(s)")
        text = bench_api(database, instances, BENCH_PIN="1")
        if instances == 1:
            baseline = wrk_figures(text[text.index("== baseline"):])
            read = wrk_figures(text[text.index("== single-voucher read"):])
            results[(database, instances, "read")] = {**read, "ratio": read["rps"] / baseline["rps"],
                                                      "baseline": baseline["rps"]}
        for action in ("reservation", "redemption"):
            section = text[text.index(f"== {action}s"):]
            drivers = re.findall(rf"^{action}s: (\d+) succeeded, (\d+) conflicts, (\d+) other, ([\d.]+) s$", section, re.M)
            succeeded = sum(int(match[0]) for match in drivers)
            elapsed = max(float(match[3]) for match in drivers)
            p99 = max(wrk_figures(part)["p99"] for part in section.split("-- instance ")[1:])
            results[(database, instances, action)] = {
                "per_second": succeeded / elapsed, "succeeded": succeeded,
                # A run that used up its vouchers measured their count, not the server.
                "used_up": succeeded >= int(os.environ.get("BENCH_VOUCHERS_COUNT", "20000")) * 0.98,
                "conflicts": sum(int(match[1]) for match in drivers),
                "others": sum(int(match[2]) for match in drivers), "p99": p99}
    return results


def profiles():
    """The statements of one reservation and one redemption on each database (BENCH_PROFILE=1)."""
    results = {}
    for database in ("sqlite", "postgres"):
        log(f"profiling one reservation and one redemption on {database}")
        text = bench_api(database, BENCH_PROFILE="1")
        for action in ("reservation", "redemption"):
            summary = re.search(rf"^profile {action}: (\d+) statements, ([\d.]+) ms in them, ([\d.]+|None) ms in all$",
                                text, re.M)
            statements = [line.split("\t")[1:] for line in text.splitlines()
                          if line.startswith(f"profile-statement {action}\t")]
            results[(database, action)] = {"count": int(summary[1]), "database_ms": float(summary[2]),
                                           "total_ms": None if summary[3] == "None" else float(summary[3]),
                                           "statements": statements}
    return results


def statement_kind(text):
    """A statement's first words and its table, for the profile table."""
    words = text.split()
    if not words:
        return "?"
    verb = words[0].upper()
    if verb == "WITH":
        return "WITH … UPDATE vouchers + INSERT audit_log, outbox"
    table = next((words[index + 1] for index, word in enumerate(words[:-1])
                  if word.upper() in ("FROM", "INTO", "UPDATE")), "")
    return f"{verb} {table}".strip()


def write_sections(api_results, transitions, profile):
    """The sections "API on loopback" and "Reservation and redemption throughput"."""
    yardstick = api_results[0][1]["rps"]
    sections = ["## API on loopback", "",
                "wrk, 2 threads, 32 connections, release server on SQLite with the demo data. Goals: ratio to the trivial",
                "handler ≥ 0.5 (single voucher read ≥ 0.6) and p99 ≤ 10 ms.", "",
                "| endpoint | req/s | ratio | p50 ms | p99 ms | non-2xx | goal |", "|---|---:|---:|---:|---:|---:|---|"]
    for label, result in api_results:
        ratio = result["rps"] / yardstick
        floor = 0.6 if label.startswith("single voucher") else 0.5
        goal = "" if "yardstick" in label else status(ratio >= floor and result["p99"] <= 10)
        sections.append(f"| {label} | {result['rps']:.0f} | {ratio:.2f} | {result['p50']:.2f} | {result['p99']:.2f} | {result['errors']} | {goal} |")
    sections += ["", "The same read in `scripts/bench-api` (the yardstick there is `GET /api/v1/health`; the server on",
                 "the first core, wrk on the second; on PostgreSQL the session comes from the instance's cache):", "",
                 "| database | yardstick req/s | single voucher req/s | ratio | p50 ms | p99 ms | goal |",
                 "|---|---:|---:|---:|---:|---:|---|"]
    for (database, instances, action), result in transitions.items():
        if action == "read":
            goal = status(result["ratio"] >= 0.6 and result["p99"] <= 10)
            sections.append(f"| {database} | {result['baseline']:.0f} | {result['rps']:.0f} | {result['ratio']:.2f} | {result['p50']:.2f} | {result['p99']:.2f} | {goal} |")
    sqlite_reservations = transitions[("sqlite", 1, "reservation")]["per_second"]
    one_instance = {action: transitions[("postgres", 1, action)]["per_second"] for action in ("reservation", "redemption")}
    sections += ["", "## Reservation and redemption throughput", "",
                 "`scripts/bench-api`: each of N fresh vouchers reserved once, then (after reports) redeemed once, by 16",
                 "connections in all (split between the instances, each instance on its own half of the vouchers);",
                 "SQLite in WAL mode with synchronous=FULL, PostgreSQL 15 with fsync on (a throwaway local cluster);",
                 "the servers on the first core, wrk on the second, PostgreSQL's processes where the scheduler puts them.",
                 f"Goals: SQLite ≥ 250/s; PostgreSQL reservations ≥ 5 × {POSTGRES_RESERVATIONS_BEFORE}/s (the figure before",
                 "this work) and ≥ 3 × SQLite's in this run; two PostgreSQL instances ≥ 1.6 × one.", "",
                 "| database | instances | transition | succeeded per s | succeeded | conflicts | other | p99 ms | goal |",
                 "|---|---:|---|---:|---:|---:|---:|---:|---|"]
    for (database, instances, action), result in transitions.items():
        if action == "read":
            continue
        rate = result["per_second"]
        if database == "sqlite":
            goal = status(rate >= 250)
        elif instances == 1 and action == "reservation":
            goal = (f"{status(rate >= 5 * POSTGRES_RESERVATIONS_BEFORE)} ({rate / POSTGRES_RESERVATIONS_BEFORE:.1f} × before); "
                    f"{status(rate >= 3 * sqlite_reservations)} ({rate / sqlite_reservations:.1f} × SQLite)")
        elif instances == 2:
            goal = f"{status(rate >= 1.6 * one_instance[action])} ({rate / one_instance[action]:.2f} × one)"
        else:
            goal = ""
        if result["used_up"]:
            goal = "not measured: every voucher was used before the load ended (a lower bound; raise BENCH_VOUCHERS_COUNT)"
        sections.append(f"| {database} | {instances} | {action} | {rate:.0f} | {result['succeeded']} | {result['conflicts']} | {result['others']} | {result['p99']:.0f} | {goal} |")
    sections += ["", "### Where one transition's time goes", "",
                 "`BENCH_PROFILE=1 scripts/bench-api`: one reservation and one redemption after five warm-up ones on the",
                 "same server, every statement from sqlx's statement log. One statement is one round trip to the database",
                 "(on SQLite a hop to sqlx's worker thread); the session is read by every state change.", "",
                 "| database | transition | statements | ms in statements | ms in all | the statements, in order (ms) |",
                 "|---|---|---:|---:|---:|---|"]
    for (database, action), result in profile.items():
        detail = "; ".join(f"{statement_kind(text)} {float(ms):.2f}" for ms, text in result["statements"])
        total = "?" if result["total_ms"] is None else f"{result['total_ms']:.2f}"
        sections.append(f"| {database} | {action} | {result['count']} | {result['database_ms']:.2f} | {total} | {detail} |")
    sections.append("")
    return sections


def generate(data_dir, vouchers, partners, customers, *extra):
    started = time.perf_counter()
    subprocess.run([str(SERVER), "--data-dir", str(data_dir), "--program-date", "2021-07-15", "--log-format", "json",
                    "--program-config", str(ROOT / "crates/server/config/program.toml"), "generate",
                    "--vouchers", str(vouchers), "--partners", str(partners), "--customers", str(customers), *extra],
                   check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


SCALE_QUERIES = [
    ("first page (operator, 50 rows)", "operator@microsoft.example", "/api/v1/vouchers?limit=50"),
    ("deep page (operator, after the middle)", "operator@microsoft.example", "/api/v1/vouchers?limit=50&after=20210301.950000000000"),
    ("state filter: reserved", "operator@microsoft.example", "/api/v1/vouchers?limit=50&status=reserved"),
    ("state + offering: expired DDPS", "operator@microsoft.example", "/api/v1/vouchers?limit=50&status=expired&offering=DDPS"),
    ("search: voucher number (11 of 12 digits)", "operator@microsoft.example", "/api/v1/vouchers?limit=50&q=90000000123"),
    ("a partner's whole list (Contoso)", "admin@contoso.example", "/api/v1/vouchers"),
    ("directory search (public)", None, "/api/v1/directory/partners?q=contoso"),
]


def scale():
    sizes = [10_000, SCALE_VOUCHERS]
    results = {}
    generation = {}
    memory = None
    for size in sizes:
        data_dir = WORK / f"scale-{size}"
        partners = min(10_000, max(100, size // 100))
        log(f"generating {size} vouchers, {partners} partners")
        generation[size] = generate(data_dir, size, partners, partners)
        server = Server(18932, data_dir, "2021-07-15")
        cookies = {email: server.sign_in(email) for _, email, _ in SCALE_QUERIES if email}
        count = 50 if QUICK else 200
        for label, email, path in SCALE_QUERIES:
            p50_sequential(server, path, cookies.get(email), 5)  # warm the page cache
            results[(label, size)] = p50_sequential(server, path, cookies.get(email), count)
        if size == sizes[-1]:
            log("memory under load: wrk 32 connections on the operator's lists")
            before = server.rss_kib()
            load = wrk(server.base + "/api/v1/vouchers?limit=1000", cookies["operator@microsoft.example"], 32,
                       5 if QUICK else 15)
            memory = {"before": before, "after": server.rss_kib(), "load": load}
        server.stop()
        if size == 10_000:
            keep = data_dir
    return sizes, results, generation, memory, keep


def eligibility():
    native = subprocess.run(["cargo", "run", "-q", "--locked", "-p", "planning-domain", "--release", "--example",
                             "bench_eligibility"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    subprocess.run(["cargo", "build", "-q", "--locked", "-p", "planning-domain", "--release", "--example",
                    "bench_eligibility", "--target", "wasm32-unknown-unknown"], cwd=ROOT, check=True)
    out = WORK / "eligibility-wasm"
    subprocess.run(["wasm-bindgen", "--target", "nodejs", "--out-dir", str(out),
                    str(TARGET / "wasm32-unknown-unknown/release/examples/bench_eligibility.wasm")], check=True)
    wasm = subprocess.run(["node", str(out / "bench_eligibility.js")], capture_output=True, text=True, check=True).stdout

    def median(text):
        return float(re.search(r"median_us ([\d.]+)", text).group(1))

    return median(native), median(wasm)


# --- Report ---------------------------------------------------------------------------------


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1)) // 1024
    load = os.getloadavg()
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} × {cpu}, {memory // 1024} GiB RAM, {platform.system()} {platform.release()}; "
            f"load average at the start {load[0]:.1f}; {chromium}; Node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}")


def status(ok):
    return "met" if ok else "**missed**"


def write_report(sections, started, host):
    lines = [
        "# Benchmarks",
        "",
        "Written by `scripts/benchmark` (the numbers below are from its last run; do not edit them by hand).",
        f"Run on {datetime.date.today().isoformat()} in {(time.time() - started) / 60:.1f} min{' (BENCH_QUICK=1: fewer runs)' if QUICK else ''}.",
        "",
        f"Machine: {host}. The machine is shared and noisy: goals that are ratios compare with a yardstick",
        "measured in the same run; absolute times are for orientation only.",
        "",
    ]
    lines += sections
    lines += ["", "## What the goals missed, and why", "", (ROOT / "scripts/bench/analysis.md").read_text().strip(), ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines) + "\n")


def app_sections(demo):
    """Bundle sizes, what each dependency costs, cold load, moving between pages, interaction."""
    sections = []
    rows = bundles()
    sections += ["## Bundle sizes", "",
                 "wasm + JS as served: every page of the portal is in one app (one wasm module, downloaded once and",
                 "cached as an immutable hashed file). The server sends the brotli copy `scripts/build-app` writes",
                 "(quality 11) to browsers that accept it, else the gzip one. Goals: the app ≤ 615 KiB gzip (the test",
                 "command fails above), the widget ≤ 80 KiB (fails above 100).",
                 "", "| bundle | wasm KiB gzip | js KiB gzip | total KiB gzip | total KiB brotli | goal |",
                 "|---|---:|---:|---:|---:|---|"]
    for name, wasm, js, total, total_br in rows:
        goal = "" if "yardstick" in name else status(total <= (80 if name == "widget" else 615))
        sections.append(f"| {name} | {wasm:.1f} | {js:.1f} | {total:.1f} | {total_br:.1f} | {goal} |")
    bundle, costs = dependency_costs()
    code_total = sum(size for _, size in costs)
    gzip_total = rows[0][3]
    sections += ["", "### What each dependency costs (the app)", "",
                 "Its wasm rebuilt with function names kept, sizes per function (twiggy) summed by the crate the name",
                 "starts in; generic code instantiated for the app counts where it is defined (most of reactive_graph",
                 "and tachys is the app's signals, effects and views). Shares of the "
                 f"{code_total / 1024:.0f} KiB of code and data; the gzip",
                 f"column applies that share to the app's {gzip_total:.0f} KiB.", "",
                 "| crate | KiB (raw) | share | ≈ KiB gzip |", "|---|---:|---:|---:|"]
    for name, size in costs[:16]:
        share = size / code_total
        sections.append(f"| {name} | {size / 1024:.1f} | {100 * share:.1f} % | {share * gzip_total:.1f} |")
    rest = sum(size for _, size in costs[16:])
    sections.append(f"| {len(costs) - 16} others | {rest / 1024:.1f} | {100 * rest / code_total:.1f} % | {rest / code_total * gzip_total:.1f} |")
    sections += ["", (ROOT / "scripts/bench/bundle-costs.md").read_text().strip(), ""]

    scale10k_dir = WORK / "interaction-10k"
    log("generating 10,000 vouchers for the in-page interaction")
    generate(scale10k_dir, 10_000, 100, 1, "--demo-customer-first")
    scale10k = Server(18933, scale10k_dir, "2021-07-15")
    loads, interactions = load_and_interaction(demo, scale10k)
    moves = navigation(demo, scale10k)
    scale10k.stop()
    app_median, bare_median = statistics.median(loads["app"]), statistics.median(loads["bare"])
    ratio = app_median / bare_median
    sections += ["## Cold load", "",
                 f"Fresh browser context each time (empty cache), headless Chromium on loopback, {len(loads['app'])} runs each,",
                 "alternating. Time from navigation start to the element in the DOM (a MutationObserver in the page).",
                 "", "| page | median ms | min ms | max ms |", "|---|---:|---:|---:|",
                 f"| app: the customer's voucher list, first row shown (session, program and list fetched) | {app_median:.0f} | {min(loads['app']):.0f} | {max(loads['app']):.0f} |",
                 f"| bare Leptos page: its button shown (yardstick) | {bare_median:.0f} | {min(loads['bare']):.0f} | {max(loads['bare']):.0f} |",
                 "", f"Ratio app / bare: **{ratio:.2f}×** (goal ≤ 1.5×: {status(ratio <= 1.5)}).", ""]
    first, second = moves["firstTour"], moves["secondTour"]
    clicks = moves["clicks"]
    big = moves.get("bigList", [])
    to_list = big[0::2]
    sections += ["## Moving between pages", "",
                 "Signed in as Contoso's Global Admin, the deadline dashboard opened in a fresh context (empty cache),",
                 f"then each of the {len(TOUR_LINKS)} main navigation links clicked once ({', '.join(TOUR_LINKS)});",
                 "then a second page in the same context does the same tour "
                 f"{(len(clicks) - len(TOUR_LINKS)) // len(TOUR_LINKS)} times. Bytes are Chromium's encoded",
                 "data length (compressed, headers included). Click to heading: from the click to the new page's `h1`",
                 "in the DOM. Goals: the first tour ≤ 1 MB, the second downloads no wasm, click to heading median ≤ 100 ms.",
                 "", "| measure | first tour (fresh context) | second tour (same context) | goal |", "|---|---:|---:|---|",
                 f"| documents loaded | {first['documents']} | {second['documents']} | |",
                 f"| wasm files downloaded | {first['wasm']} | {second['wasm']} (from cache: {second['wasmFromCache']}) | {status(second['wasm'] == 0)} |",
                 f"| bytes transferred | {first['bytes'] / 1e6:.2f} MB | {second['bytes'] / 1e6:.2f} MB | {status(first['bytes'] <= 1e6)} |",
                 "", "| clicks | samples | median ms | max ms | goal |", "|---|---:|---:|---:|---|",
                 f"| main navigation, every page | {len(clicks)} | {statistics.median(clicks):.1f} | {max(clicks):.1f} | {status(statistics.median(clicks) <= 100)} |"]
    if to_list:
        sections.append(f"| to the voucher list of 10,000 vouchers (Northwind's benefit administrator) | {len(to_list)} | "
                        f"{statistics.median(to_list):.1f} | {max(to_list):.1f} | {status(statistics.median(to_list) <= 100)} |")
    sections.append("")
    sections += ["## Interaction on 10,000 vouchers", "",
                 f"Northwind's benefit administrator's voucher list ({interactions['rows']}: 10,000 generated + the demo's). Each interaction is timed in the page",
                 "from the input event to the next painted frame, and checked to have changed the list. Goal ≤ 50 ms.",
                 "", "| interaction | median ms | max ms | goal |", "|---|---:|---:|---|"]
    for name, times in interactions["interactions"].items():
        sections.append(f"| {name} | {statistics.median(times):.1f} | {max(times):.1f} | {status(statistics.median(times) <= 50)} |")
    sections.append("")
    return sections


TOUR_LINKS = ["Program timeline", "Dashboard", "Eligibility", "Enrollment", "Business profile", "Vouchers", "Payments",
              "Inbox"]


def main():
    started = time.time()
    host = machine()
    sections = []
    only = os.environ.get("BENCH_ONLY")
    demo = Server(18930, WORK / "demo", "2021-07-15")
    if only != "api":
        log("building the bare Leptos page")
        subprocess.run(["trunk", "build", "bench/bare-leptos/index.html", "--release", "--dist", str(WORK / "bare-dist")],
                       cwd=ROOT, check=True, capture_output=True)
        sections += app_sections(demo)
    if only == "app":
        demo.stop()
        replace_sections(sections, "## Bundle sizes", "## API on loopback", "app")
        log(f"rewrote the app sections of {ROOT / 'BENCHMARKS.md'}")
        return

    api_results = api(demo)
    demo.stop()
    write = write_sections(api_results, throughput(), profiles())
    if only == "api":
        replace_sections(write, "## API on loopback", "## Scale", "api")
        log(f"rewrote the API and throughput sections of {ROOT / 'BENCHMARKS.md'}")
        return
    sections += write

    sizes, results, generation, memory, _ = scale()
    small, large = sizes
    sections += ["## Scale", "",
                 f"`planning-server generate` seeded {small:,} and {large:,} vouchers (with 100 and 10,000 partner and customer",
                 f"organizations); generation took {generation[small]:.1f} s and {generation[large]:.1f} s. Each figure is the median",
                 f"of {50 if QUICK else 200} sequential requests on one connection. Goal: p50 at {large:,} ≤ 2 × p50 at {small:,}.", "",
                 f"| query | p50 ms at {small:,} | p50 ms at {large:,} | ratio | goal |", "|---|---:|---:|---:|---|"]
    for label, _, _ in SCALE_QUERIES:
        a, b = results[(label, small)], results[(label, large)]
        sections.append(f"| {label} | {a:.2f} | {b:.2f} | {b / a:.2f} | {status(b <= 2 * a)} |")
    rss = memory["after"]["VmHWM"] / 1024
    sections += ["", f"Server memory at {large:,} vouchers: {memory['before']['VmRSS'] / 1024:.0f} MiB resident before load, "
                 f"peak {rss:.0f} MiB after {memory['load']['rps']:.0f} req/s of 1,000-row pages for the operator "
                 f"(p99 {memory['load']['p99']:.0f} ms, {memory['load']['errors']} non-2xx). Goal ≤ 150 MiB: {status(rss <= 150)}.", ""]

    native, wasm = eligibility()
    sections += ["## Rules", "",
                 "`evaluate_eligibility` for a large partner (50 competencies, every engagement, 200 consultants), median of",
                 "200 batches of 100 (`crates/domain/examples/bench_eligibility.rs`), natively and as WebAssembly in Node's",
                 "V8 (the engine of Chromium). Goals: ≤ 1 ms natively, wasm ≤ 3 × native.", "",
                 "| where | median µs per evaluation |", "|---|---:|",
                 f"| native (release) | {native:.2f} |", f"| wasm32 (release, V8) | {wasm:.2f} |", "",
                 f"Native {status(native <= 1000)}; wasm / native = {wasm / native:.2f}× ({status(wasm <= 3 * native)}).", ""]

    write_report(sections, started, host)
    log(f"wrote {ROOT / 'BENCHMARKS.md'}")


def replace_sections(sections, first, next_kept, only):
    """BENCH_ONLY=app or api: replaces the sections of BENCHMARKS.md from `first` up to
    `next_kept` with this run's, keeping the rest of the last full run."""
    report = (ROOT / "BENCHMARKS.md").read_text()
    head, rest = report[: report.index(first)], report[report.index(next_kept):]
    note = (f"_The sections above were measured on {datetime.date.today().isoformat()} by `BENCH_ONLY={only} "
            "scripts/benchmark`; the others come from the last full run._")
    (ROOT / "BENCHMARKS.md").write_text(head + "\n".join(sections) + "\n" + note + "\n\n" + rest)


def refresh_analysis():
    """Replaces the analysis at the end of BENCHMARKS.md with scripts/bench/analysis.md."""
    report = (ROOT / "BENCHMARKS.md").read_text()
    head = report[: report.index("## What the goals missed, and why")]
    analysis = (ROOT / "scripts/bench/analysis.md").read_text().strip()
    (ROOT / "BENCHMARKS.md").write_text(f"{head}## What the goals missed, and why\n\n{analysis}\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--refresh-analysis"]:
        refresh_analysis()
        sys.exit(0)
    try:
        main()
    finally:
        for server in list(servers):
            server.stop()
        shutil.rmtree(WORK, ignore_errors=True)
