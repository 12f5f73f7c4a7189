"""Deadline day against gunicorn (3 workers) + PostgreSQL + Redis, on loopback only, bounded in time and requests.

Virtual users in threads (urllib, keep-alive per thread; no think time, a closed loop): 200 branch secretaries of the
open campaign cycle through their 附件1 page, htmx autosaves of 附件1 (the version carried like the browser does) and,
every fifth round, the submit button; township staff (one in five users) load their township's grading board and
organization list. Each load level runs for ``--seconds`` (and at most ``--max-requests``); the report gives
throughput, p50/p95/p99 and errors per level, and the highest level with no errors and p95 < 500 ms.

``make loadtest`` builds/uses partybuild_scale_5000, collects static files, starts gunicorn with
settings_production (DEBUG off, SECURE_SSL_REDIRECT=false), CELERY_BROKER_URL and REDIS_URL set, runs the levels and
stops gunicorn. Sessions are created in the database for the users (no login storm through axes), CSRF uses the
cookie + X-CSRFToken header as htmx does.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# A port of our own (another process on this machine may serve 8765 or 8000): LOADTEST_PORT to choose one.
PORT = int(os.environ.get("LOADTEST_PORT", "0")) or free_port()


# One key for the sessions made here and the server that reads them (the session hash is keyed by it).
os.environ.setdefault("DJANGO_SECRET_KEY", "loadtest-" + secrets.token_hex(32))


def prepare(secretaries: int) -> dict:
    """Reset the open campaign's drafts, create sessions; returns the plan for the virtual users."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partybuild.settings")
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse

    from grading.models import Assessment, AssessmentStatus, Campaign
    from organizations.models import Organization, RoleAssignment
    from scale.builder import OPEN_YEAR

    campaign = Campaign.objects.get(year=OPEN_YEAR)
    Assessment.objects.filter(campaign=campaign).update(status=AssessmentStatus.DRAFT, version=1, submitted_at=None)

    def session_for(user) -> str:
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.create()
        return s.session_key

    grants = (
        RoleAssignment.objects.filter(role="branch_secretary", revoked_at__isnull=True)
        .select_related("user", "organization")
        .order_by("organization__path")[:secretaries]
    )
    by_org = dict(Assessment.objects.filter(campaign=campaign).values_list("organization_id", "pk"))
    plan = {"secretaries": [], "staff": []}
    for g in grants:
        a = by_org[g.organization_id]
        plan["secretaries"].append(
            {
                "session": session_for(g.user),
                "detail": reverse("grading:assessment_detail", args=[a]),
                "report": reverse("grading:assessment_report", args=[a]),
                "submit": reverse("grading:assessment_submit", args=[a]),
            }
        )
    for g in RoleAssignment.objects.filter(role="township_staff").select_related("user", "organization"):
        plan["staff"].append(
            {
                "session": session_for(g.user),
                "board": reverse("grading:township_board", args=[campaign.pk, g.organization_id]),
                "list": reverse("organizations:township", args=[g.organization_id]),
            }
        )
    plan["townships"] = Organization.objects.filter(depth=2).count()
    return plan


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[tuple[str, float, bool]] = []
        self.errors: dict[str, int] = {}

    def add(self, kind: str, seconds: float, ok: bool, why: str = "") -> None:
        with self.lock:
            self.samples.append((kind, seconds, ok))
            if not ok:
                self.errors[why] = self.errors.get(why, 0) + 1


class VirtualUser(threading.Thread):
    def __init__(self, plan: dict, stats: Stats, deadline: float, budget: list[int], kind: str) -> None:
        super().__init__(daemon=True)
        self.plan, self.stats, self.deadline, self.budget, self.kind = plan, stats, deadline, budget, kind
        self.csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        self.version = None

    def take(self) -> bool:
        with self.stats.lock:
            if self.budget[0] <= 0:
                return False
            self.budget[0] -= 1
            return True

    def request(self, kind: str, method: str, url: str, body: dict | None = None, htmx: bool = False) -> tuple:
        headers = {"Cookie": f"sessionid={self.plan['session']}; csrftoken={self.csrf}", "Host": HOST}
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.csrf}
        if htmx:
            headers |= {"HX-Request": "true"}
        start = time.perf_counter()
        try:
            self.conn.request(method, url, body=data, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
            status, autosave = response.status, response.getheader("X-Autosave")
            location = response.getheader("Location") or ""
        except (OSError, http.client.HTTPException) as exc:
            self.stats.add(kind, time.perf_counter() - start, False, f"{kind}: {type(exc).__name__}")
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
            return 0, b"", None
        elapsed = time.perf_counter() - start
        to_login = "/accounts/login/" in location  # a lost session would look like a fast success
        ok = status in (200, 302) and autosave != "refused" and not to_login
        why = f"{kind}: HTTP {status}" + (" refused" if autosave == "refused" else "") + (" login" if to_login else "")
        self.stats.add(kind, elapsed, ok, why)
        return status, content, autosave

    def run(self) -> None:
        rounds = 0
        while time.monotonic() < self.deadline and self.take():
            if self.kind == "staff":
                self.request("township board", "GET", self.plan["board"])
                if self.take():
                    self.request("township list", "GET", self.plan["list"])
                continue
            if self.version is None:
                status, content, _ = self.request("secretary page", "GET", self.plan["report"])
                marker = b'name="version" value="'
                at = content.find(marker)
                self.version = int(content[at + len(marker) :].split(b'"', 1)[0]) if at >= 0 else 1
                continue
            rounds += 1
            body = {
                "version": self.version,
                "basic_situation": f"本支部现有党员若干名(第{rounds}次保存)",
                "self_building": "按期开展“三会一课”。",
                "role_played": "带领群众完成年度任务。",
                "problems": "党员教育管理有待加强。",
                "measures": "落实整改措施。",
            }
            _, _, autosave = self.request("autosave 附件1", "POST", self.plan["report"], body, htmx=True)
            if autosave == "ok":
                self.version += 1
            if rounds % 5 == 0 and self.take():
                self.request("submit", "POST", self.plan["submit"], {})
                self.version = None  # reload the page (a refused submit keeps the draft editable)


def run_level(plan: dict, users: int, seconds: float, max_requests: int) -> dict:
    stats = Stats()
    deadline = time.monotonic() + seconds
    budget = [max_requests]
    staff_n = max(1, users // 5)
    threads = [
        VirtualUser(plan["staff"][i % len(plan["staff"])], stats, deadline, budget, "staff") for i in range(staff_n)
    ]
    threads += [
        VirtualUser(plan["secretaries"][i % len(plan["secretaries"])], stats, deadline, budget, "secretary")
        for i in range(users - staff_n)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    wall = time.perf_counter() - start
    times = sorted(s for _, s, _ in stats.samples)
    q = statistics.quantiles(times, n=100) if len(times) >= 2 else [times[0] if times else 0] * 99
    by_kind: dict[str, list[float]] = {}
    for kind, s, _ in stats.samples:
        by_kind.setdefault(kind, []).append(s)
    return {
        "users": users,
        "requests": len(times),
        "seconds": round(wall, 1),
        "rps": round(len(times) / wall, 1),
        "p50_ms": round(q[49] * 1000),
        "p95_ms": round(q[94] * 1000),
        "p99_ms": round(q[98] * 1000),
        "errors": sum(stats.errors.values()),
        "error_kinds": stats.errors,
        "p95_by_kind_ms": {
            k: round((statistics.quantiles(v, n=100)[94] if len(v) >= 2 else v[0]) * 1000) for k, v in by_kind.items()
        },
    }


def start_gunicorn(workers: int) -> subprocess.Popen:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "partybuild.settings_production",
        "DJANGO_SECRET_KEY": os.environ["DJANGO_SECRET_KEY"],
        "DJANGO_ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/4"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
        "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
        "AXES_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "partybuild.wsgi",
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{PORT}",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(ROOT / "var" / "bench" / "gunicorn.log"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited: see var/bench/gunicorn.log")
        try:
            c = http.client.HTTPConnection(HOST, PORT, timeout=2)
            c.request("GET", "/accounts/login/", headers={"Host": HOST})
            c.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start: see var/bench/gunicorn.log")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="10,25,50,100,200", help="concurrent virtual users per level")
    parser.add_argument("--seconds", type=float, default=20, help="duration of each level")
    parser.add_argument("--max-requests", type=int, default=20000, help="request cap per level")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    plan = prepare(200)
    print(f"deadline day: {len(plan['secretaries'])} secretaries, {len(plan['staff'])} township staff", flush=True)
    proc = start_gunicorn(args.workers)
    results = []
    try:
        for users in [int(x) for x in args.levels.split(",")]:
            r = run_level(plan, users, args.seconds, args.max_requests)
            results.append(r)
            print(
                f"{users:4d} users: {r['rps']:7.1f} req/s  p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  "
                f"p99 {r['p99_ms']} ms  errors {r['errors']} / {r['requests']}  {r['p95_by_kind_ms']}"
                + (f"  {r['error_kinds']}" if r["errors"] else ""),
                flush=True,
            )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
    good = [r for r in results if r["errors"] == 0 and r["p95_ms"] < 500]
    best = max(good, key=lambda r: r["rps"]) if good else None
    if best:
        print(f"sustained with no errors and p95 < 500 ms: {best['users']} concurrent users, {best['rps']} req/s")
    else:
        print("no level met no errors and p95 < 500 ms")
    with (ROOT / "var" / "bench" / "loadtest.jsonl").open("a") as f:
        f.write(json.dumps({"at": time.strftime("%Y-%m-%dT%H:%M:%S"), "levels": results}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
