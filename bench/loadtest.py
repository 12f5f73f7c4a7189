"""Deadline day against gunicorn (3 workers) + PostgreSQL + Redis, on loopback only, bounded in time and requests.

Virtual users in threads (http.client, keep-alive per thread; no think time, a closed loop). Branch secretaries of
the open campaign take the next secretary from a shared pool of all 5,000 and do what the phone pages do: open 附件1
and autosave it three times (htmx, the version carried as the browser carries it), open 附件2 and autosave the
meeting date and tally, open 附件3 and autosave every item's self score, the proposed grade and the committee vote,
then submit — a real, committed submission (the database is checked after each level: a submit that left the
assessment a draft is an error). Township staff (one in five users) load their township's grading board and
organization list. Each load level runs for ``--seconds`` (and at most ``--max-requests``); the report gives
throughput, p50/p95/p99, errors and accepted submits per level, and the highest level with no errors and
p95 < 500 ms.

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
import re
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
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.urls import reverse
    from django.utils import timezone

    from grading.models import Assessment, AssessmentStatus, Campaign
    from organizations.models import Organization, RoleAssignment
    from scale.builder import OPEN_YEAR

    campaign = Campaign.objects.get(year=OPEN_YEAR)
    Assessment.objects.filter(campaign=campaign).update(status=AssessmentStatus.DRAFT, version=1, submitted_at=None)

    expire = timezone.now() + timedelta(days=1)
    sessions: list[Session] = []

    def session_for(user) -> str:
        # Written in bulk below: 5,000 secretaries' sessions one INSERT each would take longer than a level.
        store = SessionStore()
        key = secrets.token_hex(16)  # 32 of [0-9a-f]: a valid session key, unique in practice
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        return key

    # Every branch secretary of the open campaign, in tree order: each virtual secretary takes the next one from
    # the pool when it has submitted, so a submit is the real, committed transition and never repeated.
    grants = (
        RoleAssignment.objects.filter(role="branch_secretary", revoked_at__isnull=True)
        .select_related("user", "organization")
        .order_by("organization__path")[:secretaries]
    )
    by_org = dict(Assessment.objects.filter(campaign=campaign).values_list("organization_id", "pk"))
    plan = {"secretaries": [], "staff": [], "campaign": campaign.pk}
    for g in grants:
        a = by_org.get(g.organization_id)
        if a is None:
            continue
        plan["secretaries"].append(
            {
                "assessment": a,
                "held_on": f"{OPEN_YEAR}-11-20",  # 附件2 meeting and 附件3 committee date
                "session": session_for(g.user),
                "detail": reverse("grading:assessment_detail", args=[a]),
                "report": reverse("grading:assessment_report", args=[a]),
                "meeting": reverse("grading:assessment_meeting", args=[a]),
                "scores": reverse("grading:assessment_scores", args=[a]),
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
    Session.objects.bulk_create(sessions, batch_size=1000)
    plan["townships"] = Organization.objects.filter(depth=2).count()
    return plan


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[tuple[str, float, bool]] = []
        self.errors: dict[str, int] = {}
        self.submitted: list[int] = []  # assessments whose submit was answered (accepted or refused: see run_level)

    def add(self, kind: str, seconds: float, ok: bool, why: str = "") -> None:
        with self.lock:
            self.samples.append((kind, seconds, ok))
            if not ok:
                self.errors[why] = self.errors.get(why, 0) + 1


INPUT_RE = re.compile(rb"<input\b[^>]*>")
ATTR_RE = re.compile(rb'\b(name|max)="([^"]*)"')
VERSION_MARKER = b'name="version" value="'


class Pool:
    """The secretaries not yet taken, shared by the virtual secretaries (each submits one assessment, then takes
    the next secretary, as the next branch's secretary opens the app)."""

    def __init__(self, secretaries: list[dict]) -> None:
        self.lock = threading.Lock()
        self.left = list(reversed(secretaries))

    def take(self) -> dict | None:
        with self.lock:
            return self.left.pop() if self.left else None


class VirtualUser(threading.Thread):
    def __init__(
        self, plan: dict | None, stats: Stats, deadline: float, budget: list[int], kind: str, pool: Pool | None = None
    ) -> None:
        super().__init__(daemon=True)
        self.plan, self.stats, self.deadline, self.budget, self.kind = plan, stats, deadline, budget, kind
        self.pool = pool
        self.csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        self.version: int | None = None

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

    def open_page(self, kind: str, url: str) -> bytes:
        """GET an annex page and take its version from the form, as the browser's form carries it."""
        _, content, _ = self.request(kind, "GET", url)
        at = content.find(VERSION_MARKER)
        if at >= 0:
            self.version = int(content[at + len(VERSION_MARKER) :].split(b'"', 1)[0])
        return content

    def autosave(self, kind: str, url: str, fields: dict) -> None:
        _, _, autosave = self.request(kind, "POST", url, {"version": self.version, **fields}, htmx=True)
        if autosave == "ok":
            self.version = (self.version or 0) + 1

    def run(self) -> None:
        if self.kind == "staff":
            while time.monotonic() < self.deadline and self.take():
                self.request("township board", "GET", self.plan["board"])
                if self.take():
                    self.request("township list", "GET", self.plan["list"])
            return
        while time.monotonic() < self.deadline:
            self.plan = self.pool.take() if self.pool else None
            if self.plan is None:
                return
            if not self.secretary_session():
                return

    def secretary_session(self) -> bool:
        """One secretary's deadline day, as the phone pages do it: 附件1 opened and autosaved a few times, 附件2
        (date and tally) and 附件3 (every item's self score, the proposed grade, the committee's vote) opened and
        autosaved, then submit. False when the time or the request budget ran out."""
        steps = [
            ("page 附件1", lambda: self.open_page("page 附件1", self.plan["report"])),
            *[
                (f"autosave 附件1 #{i}", lambda i=i: self.autosave("autosave 附件1", self.plan["report"], report(i)))
                for i in range(3)
            ],
            ("page 附件2", lambda: self.open_page("page 附件2", self.plan["meeting"])),
            ("autosave 附件2", lambda: self.autosave("autosave 附件2", self.plan["meeting"], meeting(self.plan))),
            ("page 附件3", lambda: self.fill_scores_page()),
            ("autosave 附件3", lambda: self.autosave("autosave 附件3", self.plan["scores"], self.scores)),
            ("submit", self.submit),
        ]
        for _, step in steps:
            if time.monotonic() >= self.deadline or not self.take():
                return False
            step()
        return True

    def submit(self) -> None:
        status, _, _ = self.request("submit", "POST", self.plan["submit"], {})
        if status:
            with self.stats.lock:
                self.stats.submitted.append(self.plan["assessment"])

    def fill_scores_page(self) -> None:
        content = self.open_page("page 附件3", self.plan["scores"])
        scores: dict[str, str] = {}
        for tag in INPUT_RE.findall(content):
            attrs = dict(ATTR_RE.findall(tag))
            name = attrs.get(b"name", b"").decode()
            if name.startswith("item-") and b"max" in attrs:
                scores[name] = attrs[b"max"].decode()  # full marks: the proposed grade 好 fits the total
        self.scores = {
            **scores,
            "self_grade": "good",
            "committee_met_on": self.plan["held_on"],
            "committee_for": 5,
            "committee_against": 0,
            "committee_abstain": 0,
        }


def report(i: int) -> dict:
    return {
        "basic_situation": f"本支部现有党员若干名(第{i + 1}次保存)",
        "self_building": "按期开展“三会一课”。",
        "role_played": "带领群众完成年度任务。",
        "problems": "党员教育管理有待加强。",
        "measures": "落实整改措施。",
    }


def meeting(plan: dict) -> dict:
    fields: dict = {"held_on": plan["held_on"], "place": "党员活动室", "supervised_by": "挂村领导"}
    for category in ("leader", "member", "masses", "deputies"):
        for column, n in (("attendees", 10), ("good", 6), ("fairly_good", 3), ("average", 1), ("poor", 0)):
            fields[f"tally-{category}-{column}"] = n
    return fields


def run_level(plan: dict, users: int, seconds: float, max_requests: int) -> dict:
    from grading.models import Assessment, AssessmentStatus

    stats = Stats()
    deadline = time.monotonic() + seconds
    budget = [max_requests]
    staff_n = max(1, users // 5)
    threads = [
        VirtualUser(plan["staff"][i % len(plan["staff"])], stats, deadline, budget, "staff") for i in range(staff_n)
    ]
    threads += [
        VirtualUser(None, stats, deadline, budget, "secretary", pool=plan["pool"]) for _ in range(users - staff_n)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    wall = time.perf_counter() - start
    # A submit answers with a redirect whether it was accepted or refused (the reasons go to the messages): the
    # database says which. A refused submit is an error: every secretary here filled all of 附件1-3 first.
    accepted = (
        Assessment.objects.filter(pk__in=stats.submitted).exclude(status=AssessmentStatus.DRAFT).count()
        if stats.submitted
        else 0
    )
    refused = len(stats.submitted) - accepted
    if refused:
        stats.errors["submit: refused (still a draft)"] = refused
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
        "submits": len(stats.submitted),
        "submits_accepted": accepted,
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
    parser.add_argument(
        "--secretaries", type=int, default=5000, help="secretaries in the pool (each submits once, in tree order)"
    )
    args = parser.parse_args()
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    plan = prepare(args.secretaries)
    plan["pool"] = Pool(plan["secretaries"])
    print(f"deadline day: {len(plan['secretaries'])} secretaries, {len(plan['staff'])} township staff", flush=True)
    proc = start_gunicorn(args.workers)
    results = []
    try:
        for users in [int(x) for x in args.levels.split(",")]:
            r = run_level(plan, users, args.seconds, args.max_requests)
            results.append(r)
            print(
                f"{users:4d} users: {r['rps']:7.1f} req/s  p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  "
                f"p99 {r['p99_ms']} ms  errors {r['errors']} / {r['requests']}  "
                f"submits {r['submits_accepted']} / {r['submits']}  {r['p95_by_kind_ms']}"
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
