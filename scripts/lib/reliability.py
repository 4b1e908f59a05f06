"""Load clients for scripts/crash-test and scripts/soak (standard library only).

crash: a sustained load of reservations, redemptions (report + redeem) and payment submissions
against the release server; `kill -9` at a random moment; restart; then every write the client
saw acknowledged (2xx) must be there, and the invariants must hold: each voucher's status column
names the state its body holds (one state per voucher), every claimed voucher is in exactly one
live payment request and no voucher in two, every customer pool equals its ledger, and every
voucher created took its days from the pool.

soak: a bounded mixed workload (reads, reservations, cancellations, uploads, inbox, sign-in and
sign-out) for a fixed time; zero errors; the server's RSS sampled from /proc every few seconds.

  python3 reliability.py crash  --server BIN --work DIR [--database-url URL] --rounds N
  python3 reliability.py soak   --server BIN --work DIR --seconds S
"""

import argparse
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PASSWORD = "planning-demo-2021"
ENROLLMENT = "67001234"  # Northwind's pool
LIVE_PAYMENT = ("submitted", "on_hold", "approved")


class Server:
    """The release binary on one database, started and stopped (or killed) by the client."""

    def __init__(self, binary, data_dir, database_url, log):
        self.binary, self.data_dir, self.database_url, self.log = binary, data_dir, database_url, log
        self.process, self.port = None, None

    def start(self, program_date):
        args = [self.binary, "--port", str(self.port or 0), "--program-date", program_date,
                "--data-dir", self.data_dir, "--dist-dir", os.path.join(self.data_dir, "no-dist"),
                "--program-config", os.path.join(REPO, "crates/server/config/program.toml"), "--log-format", "json"]
        if self.database_url:
            args += ["--database-url", self.database_url]
        log = open(self.log, "a")
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)
        banner = self.process.stdout.readline()
        if not banner.startswith("Planning Services portal: "):
            raise SystemExit(f"the server did not start: {banner!r}; see {self.log}")
        self.port = int(banner.strip().rstrip("/").rsplit(":", 1)[1])
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)

    def rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


class Down(Exception):
    """The server stopped answering (it was killed)."""


class Client:
    """One signed-in user on one keep-alive connection."""

    def __init__(self, port, email, session=None):
        """Signs in as `email`, or reuses `session` (another client's `(cookie, csrf)`): sessions
        are database rows, so one survives the server's restarts."""
        self.port, self.email = port, email
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie, self.csrf = session or ("", "")
        if session is None:
            status, body = self.call("POST", "/api/v1/session", {"email": email, "password": PASSWORD})
            if status != 200:
                raise SystemExit(f"sign-in as {email}: {status} {body}")

    def session(self):
        return self.cookie, self.csrf

    def call(self, method, path, body=None, headers=None, raw=None):
        sent = {"cookie": self.cookie, "x-csrf-token": self.csrf}
        sent.update(headers or {})
        payload = raw
        if body is not None:
            payload = json.dumps(body).encode()
            sent["content-type"] = "application/json"
        try:
            self.connection.request(method, path, body=payload, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
        except (ConnectionError, http.client.HTTPException, OSError) as error:
            self.connection.close()
            raise Down() from error
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("portal_session="):
                self.cookie = value.split(";", 1)[0]
        text = data.decode("utf-8", "replace")
        parsed = json.loads(text) if text[:1] in ("{", "[") else text
        if isinstance(parsed, dict) and "csrf_token" in parsed:
            self.csrf = parsed["csrf_token"]
        return response.status, parsed

    def upload(self, name, content):
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.call("POST", "/api/v1/documents", raw=body,
                         headers={"content-type": f"multipart/form-data; boundary={boundary}"})


class Database:
    """Read-only checks straight on the database (SQLite file or PostgreSQL through psql)."""

    def __init__(self, data_dir, database_url):
        self.data_dir, self.database_url = data_dir, database_url

    def rows(self, sql):
        if self.database_url:
            output = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\t", self.database_url, "-c", sql],
                                    check=True, capture_output=True, text=True).stdout
            return [tuple(line.split("\t")) for line in output.splitlines() if line]
        connection = sqlite3.connect(os.path.join(self.data_dir, "portal.sqlite3"), timeout=30)
        try:
            return [tuple("" if value is None else str(value) for value in row) for row in connection.execute(sql)]
        finally:
            connection.close()

    def execute(self, statements):
        if self.database_url:
            subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.database_url, "-c",
                            "BEGIN; " + "; ".join(statements) + "; COMMIT;"], check=True, capture_output=True)
            return
        connection = sqlite3.connect(os.path.join(self.data_dir, "portal.sqlite3"), timeout=30)
        with connection:
            for statement in statements:
                connection.execute(statement)
        connection.close()


def grant_days(database, days):
    """More days for Northwind's pool, recorded in its ledger like an accrual."""
    enrollment = database.rows(f"SELECT id FROM enrollments WHERE enrollment_number = '{ENROLLMENT}'")[0][0]
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    database.execute([
        f"UPDATE enrollments SET remaining_days = remaining_days + {days} WHERE id = {enrollment}",
        "INSERT INTO pool_changes (enrollment_id, change_days, reason, voucher_id, on_date, at) "
        f"VALUES ({enrollment}, {days}, 'accrued', NULL, '2021-06-15', '{now}')",
    ])


def invariants(database):
    """Every broken invariant, in words (empty: all hold)."""
    broken = []
    for voucher_id, status, body in database.rows("SELECT voucher_id, status, body FROM vouchers"):
        state = json.loads(body)["state"]
        name = state if isinstance(state, str) else next(iter(state))
        if name != status:
            broken.append(f"voucher {voucher_id}: status {status} but its body says {name}")
    claims = {}
    for voucher_id, request_status, voucher_status in database.rows(
            "SELECT prv.voucher_id, pr.status, v.status FROM payment_request_vouchers prv "
            "JOIN payment_requests pr ON pr.id = prv.payment_request_id "
            "JOIN vouchers v ON v.voucher_id = prv.voucher_id"):
        if request_status in LIVE_PAYMENT + ("paid",):
            claims[voucher_id] = claims.get(voucher_id, 0) + 1
            expected = "paid" if request_status == "paid" else "claimed"
            if voucher_status != expected:
                broken.append(f"voucher {voucher_id} is in a {request_status} payment request but {voucher_status}")
    for voucher_id, count in claims.items():
        if count > 1:
            broken.append(f"voucher {voucher_id} is claimed by {count} payment requests")
    for (voucher_id,) in database.rows("SELECT voucher_id FROM vouchers WHERE status IN ('claimed', 'paid')"):
        if claims.get(voucher_id) != 1:
            broken.append(f"voucher {voucher_id} is claimed or paid without exactly one payment request")
    for number, remaining, ledger, created, taken in database.rows(
            "SELECT e.enrollment_number, e.remaining_days, "
            "(SELECT COALESCE(SUM(change_days), 0) FROM pool_changes p WHERE p.enrollment_id = e.id), "
            "(SELECT COALESCE(SUM(service_level_days), 0) FROM vouchers v WHERE v.enrollment_id = e.id), "
            "(SELECT COALESCE(-SUM(change_days), 0) FROM pool_changes p WHERE p.enrollment_id = e.id "
            "AND p.reason = 'voucher_created') FROM enrollments e"):
        if int(remaining) != int(ledger):
            broken.append(f"pool {number}: {remaining} days left, but its ledger sums to {ledger}")
        if int(created) != int(taken):
            broken.append(f"pool {number}: vouchers hold {created} days, the ledger took {taken}")
    return broken


def delivery(client):
    """Contoso's location and consultant, from the demo voucher it reserved."""
    status, view = client.call("GET", "/api/v1/vouchers/210510000103")
    reservation = view["voucher"]["state"]["reserved"]["reservation"]
    return reservation["location_id"], reservation["consultant_id"]


def reservation(location, consultant, day):
    return {"voucher_admin_email": "pm@northwind.example", "engagement": "exchange_deployment_planning",
            "location_id": location, "delivery_country": "KR", "consultant_id": consultant,
            "starts_on": day, "ends_on": day}


def prepare(server, database, free, delivered):
    """On 2021-06-15: `free` + `delivered` one-day vouchers; the `delivered` ones reserved for
    2021-06-21, so that on 2021-07-15 they can be reported and redeemed."""
    server.start("2021-06-15")
    grant_days(database, free + delivered)
    customer = Client(server.port, "benefits@northwind.example")
    partner = Client(server.port, "admin@contoso.example")
    location, consultant = delivery(partner)
    ids = []
    for _ in range(free + delivered):
        status, view = customer.call("POST", "/api/v1/vouchers", {
            "enrollment_id": ENROLLMENT, "offering": "SEDPS", "service_level": 1,
            "assignee_email": "pm@northwind.example"})
        assert status == 201, (status, view)
        ids.append(view["voucher"]["id"])
    for voucher_id in ids[free:]:
        status, body = partner.call("POST", f"/api/v1/vouchers/{voucher_id}/reservation",
                                    reservation(location, consultant, "2021-06-21"))
        assert status == 200, (status, body)
    server.stop()
    return ids[:free], ids[free:], (location, consultant)


class Acknowledged:
    def __init__(self):
        self.lock = threading.Lock()
        self.reserved, self.redeemed, self.submitted = set(), set(), {}
        self.unknown = set()  # in flight when the server died: either outcome is right

    def add(self, kind, value, extra=None):
        with self.lock:
            if kind == "submitted":
                self.submitted[value] = extra
            else:
                getattr(self, kind).add(value)


def crash(args):
    database = Database(args.work + "/data", args.database_url)
    server = Server(args.server, args.work + "/data", args.database_url, args.work + "/server.log")
    per_round = 50
    free, delivered, (location, consultant) = prepare(server, database, per_round * args.rounds, per_round * args.rounds)
    document = None
    acknowledged = Acknowledged()
    redeemed_unpaid = []
    pending_lock = threading.Lock()
    server.start("2021-07-15")
    # One sign-in for the whole test (Argon2 is slow by design): the session outlives the kills.
    session = Client(server.port, "admin@contoso.example").session()
    totals = {"reserved": 0, "redeemed": 0, "submitted": 0}
    for round_number in range(1, args.rounds + 1):
        partner = Client(server.port, "admin@contoso.example", session)
        if document is None:
            status, body = partner.upload("plan.pdf", b"%PDF-1.7 crash test")
            assert status == 201, (status, body)
            document = body["document_id"]
        stop = threading.Event()
        errors = []

        def reserve():
            client = Client(server.port, "admin@contoso.example", session)
            while not stop.is_set() and free:
                voucher_id = free.pop()
                try:
                    status, body = client.call("POST", f"/api/v1/vouchers/{voucher_id}/reservation",
                                               reservation(location, consultant, "2021-07-20"))
                except Down:
                    acknowledged.unknown.add(voucher_id)
                    return
                if status == 200:
                    acknowledged.add("reserved", voucher_id)
                else:
                    errors.append(f"reservation of {voucher_id}: {status} {body}")
                time.sleep(0.08)

        def redeem():
            client = Client(server.port, "admin@contoso.example", session)
            report = {"consultant_id": consultant, "delivered_from": "2021-06-21", "delivered_through": "2021-06-21",
                      "days_delivered": 1, "offsite_days": 0, "deliverable_document_ids": [document]}
            while not stop.is_set() and delivered:
                voucher_id = delivered.pop()
                try:
                    status, body = client.call("POST", f"/api/v1/vouchers/{voucher_id}/completion-report", report)
                    if status != 200:
                        errors.append(f"report on {voucher_id}: {status} {body}")
                        continue
                    status, body = client.call("POST", f"/api/v1/vouchers/{voucher_id}/redemption")
                except Down:
                    acknowledged.unknown.add(voucher_id)
                    return
                if status == 200:
                    acknowledged.add("redeemed", voucher_id)
                    with pending_lock:
                        redeemed_unpaid.append(voucher_id)
                else:
                    errors.append(f"redemption of {voucher_id}: {status} {body}")
                time.sleep(0.08)

        def pay():
            client = Client(server.port, "admin@contoso.example", session)
            while not stop.is_set():
                with pending_lock:
                    batch = [redeemed_unpaid.pop() for _ in range(min(2, len(redeemed_unpaid)))]
                if not batch:
                    time.sleep(0.05)
                    continue
                try:
                    status, draft = client.call("POST", "/api/v1/payment-requests",
                                                {"program": "SEDPS", "voucher_ids": batch})
                    if status != 201:
                        errors.append(f"draft of {batch}: {status} {draft}")
                        continue
                    request_id = draft["request"]["id"]
                    key = uuid.uuid4().hex
                    status, body = client.call("POST", f"/api/v1/payment-requests/{request_id}/submission",
                                               {"version": draft["version"]}, headers={"idempotency-key": key})
                except Down:
                    acknowledged.unknown.update(batch)
                    return
                if status == 200:
                    acknowledged.add("submitted", request_id, sorted(batch))
                else:
                    errors.append(f"submission of {request_id}: {status} {body}")

        workers = [threading.Thread(target=target) for target in (reserve, redeem, pay)]
        for worker in workers:
            worker.start()
        time.sleep(random.uniform(1.0, 4.0))
        server.kill()
        stop.set()
        for worker in workers:
            worker.join()
        if errors:
            raise SystemExit(f"round {round_number}: refused writes: {errors[:5]}")
        # Vouchers whose outcome the client never saw go back to nobody: they stay as they are.
        with pending_lock:
            redeemed_unpaid[:] = [voucher for voucher in redeemed_unpaid if voucher not in acknowledged.unknown]
        server.start("2021-07-15")
        statuses = dict(database.rows("SELECT voucher_id, status FROM vouchers"))
        missing = [v for v in acknowledged.reserved if statuses.get(v) not in ("reserved", "redeemed", "claimed", "paid")]
        missing += [v for v in acknowledged.redeemed if statuses.get(v) not in ("redeemed", "claimed", "paid")]
        requests = {}
        for request_id, status, voucher_id in database.rows(
                "SELECT pr.request_id, pr.status, prv.voucher_id FROM payment_requests pr "
                "JOIN payment_request_vouchers prv ON prv.payment_request_id = pr.id"):
            requests.setdefault(request_id, (status, []))[1].append(voucher_id)
        for request_id, vouchers in acknowledged.submitted.items():
            status, stored = requests.get(request_id, ("missing", []))
            if status not in LIVE_PAYMENT or sorted(stored) != vouchers:
                missing.append(f"payment request {request_id} ({status}, {sorted(stored)} for {vouchers})")
        broken = invariants(database)
        if missing or broken:
            raise SystemExit(f"round {round_number}: lost acknowledged writes {missing[:10]}; broken: {broken[:10]}")
        totals = {"reserved": len(acknowledged.reserved), "redeemed": len(acknowledged.redeemed),
                  "submitted": len(acknowledged.submitted)}
        print(f"round {round_number}: killed with -9, restarted; {totals['reserved']} reservations, "
              f"{totals['redeemed']} redemptions, {totals['submitted']} payment submissions acknowledged "
              f"so far, all present; invariants hold", flush=True)
    server.stop()
    verified = totals["reserved"] + totals["redeemed"] + totals["submitted"]
    print(f"RESULT {args.rounds} rounds, {verified} acknowledged writes verified "
          f"({totals['reserved']} reservations, {totals['redeemed']} redemptions, "
          f"{totals['submitted']} payment submissions), {len(acknowledged.unknown)} in flight at a kill, 0 lost")


def soak(args):
    database = Database(args.work + "/data", None)
    server = Server(args.server, args.work + "/data", None, args.work + "/server.log")
    server.start("2021-07-15")
    deadline = time.monotonic() + args.seconds
    counts = {"requests": 0, "errors": 0}
    lock = threading.Lock()
    failures = []
    samples = []

    def count(ok, what):
        with lock:
            counts["requests"] += 1
            if not ok:
                counts["errors"] += 1
                if len(failures) < 10:
                    failures.append(what)

    def reader(email, paths):
        client = Client(server.port, email)
        while time.monotonic() < deadline:
            for path in paths:
                status, body = client.call("GET", path)
                count(status == 200, f"GET {path}: {status}")

    def partner_writer():
        client = Client(server.port, "admin@contoso.example")
        location, consultant = delivery(client)
        count(True, "")
        number = 0
        while time.monotonic() < deadline:
            number += 1
            # Reserve and cancel the demo voucher: a write and its undo, bounded state.
            status, body = client.call("POST", "/api/v1/vouchers/210628000101/reservation",
                                       reservation(location, consultant, "2021-08-02"))
            count(status == 200, f"reserve: {status} {body}")
            status, body = client.call("DELETE", "/api/v1/vouchers/210628000101/reservation")
            count(status == 200, f"cancel: {status} {body}")
            # The same small deliverable every time: content-addressed, stored once.
            status, body = client.upload("plan.pdf", b"%PDF-1.7 soak")
            count(status == 201, f"upload: {status} {body}")
            status, body = client.call("POST", "/api/v1/vouchers/210628000101/validation",
                                       {"voucher_admin_email": "pm@northwind.example"})
            count(status == 200, f"validate: {status} {body}")

    def session_cycler():
        while time.monotonic() < deadline:
            client = Client(server.port, "pm@woodgrove.example")
            count(True, "")
            status, _ = client.call("GET", "/api/v1/session")
            count(status == 200, f"session: {status}")
            status, _ = client.call("DELETE", "/api/v1/session")
            count(status == 204, f"sign-out: {status}")
            time.sleep(0.2)  # under the sign-in rate limit

    def sampler():
        while time.monotonic() < deadline:
            samples.append(server.rss_kib())
            time.sleep(5)

    def guarded(target, *arguments):
        """A worker that dies is an error, never a silently smaller load."""
        def run():
            try:
                target(*arguments)
            except Exception as error:  # noqa: BLE001 - every failure counts
                count(False, f"{target.__name__} stopped: {error!r}")
        return threading.Thread(target=run)

    threads = [
        guarded(reader, "benefits@northwind.example",
                ["/api/v1/vouchers", "/api/v1/customer/enrollments", "/api/v1/inbox"]),
        guarded(reader, "operator@microsoft.example",
                ["/api/v1/operations/dashboard", "/api/v1/review/payment-requests",
                 "/api/v1/directory/partners?q=contoso"]),
        guarded(reader, "ga@contoso.example",
                ["/api/v1/partner/eligibility", "/api/v1/payment-requests", "/api/v1/health",
                 "/api/v1/openapi.json"]),
        guarded(partner_writer),
        guarded(session_cycler),
        guarded(sampler),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples.append(server.rss_kib())
    server.stop()
    broken = invariants(database)
    mib = lambda kib: f"{kib / 1024:.1f} MiB"
    print("RSS samples (MiB, every 5 s):", " ".join(f"{sample / 1024:.0f}" for sample in samples))
    print(f"RESULT {args.seconds} s: {counts['requests']} requests, {counts['errors']} errors; "
          f"server RSS first {mib(samples[0])}, last {mib(samples[-1])}, max {mib(max(samples))} "
          f"({len(samples)} samples); invariants {'hold' if not broken else 'BROKEN'}")
    if failures or broken:
        print("failures:", failures, broken)
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["crash", "soak"])
    parser.add_argument("--server", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=600)
    args = parser.parse_args()
    crash(args) if args.command == "crash" else soak(args)


if __name__ == "__main__":
    main()
