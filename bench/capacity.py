"""How many open apps one machine holds: N open apps at the real intervals, and the largest
N at which other people's page views keep p95 under 200 ms. Figures are printed, never
asserted.

Each open app asks for its unread badge every --badge seconds (30 now; 60 once a live
channel carries changes), a share of them (--open-share) has a conversation open that polls
every --conversation seconds (10), and a message is sent every --message-every seconds per
app (a few minutes). N apps are not N threads: they are a request rate (N / interval of each
kind), sent by a few threads on keep-alive connections on behalf of --accounts logged-in
people. A poll carries the tag of what that person's page holds, so it is 304; each message
makes its recipient's next badge poll (and, with the conversation open, its next
conversation poll) a 200 with the new content. Forty accounts stand for N people, so the
messages go to a few other accounts and those 200s are asked as such (a poll without a
tag), at the rate N real people would cause them. Alongside, one more person opens pages
(contacts, today) one after another; their p95 is the measure.

The search doubles N until a step fails, then halves the gap (binary search), each step
--step seconds, all within --budget seconds. A step fails when page views' p95 reaches
200 ms or the load falls behind the rate asked (< 95 %).

    .venv/bin/python bench/capacity.py [--db sqlite|postgresql] [--hosts 1|2] [--workers 2]
        [--start 1000] [--step 20] [--budget 300] [--badge 30] [--conversation 10]
        [--open-share 0.3] [--message-every 180]

With --hosts 2 two gunicorn servers share the database (PostgreSQL) and the load is split
between them; on one machine they also share its cores, so this shows the shape of two
hosts, not the capacity of two machines.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _serve import Browser, Server, database, figures, prepare  # noqa: E402

POLL = {"HX-Request": "true", "X-Nara-Background": "1"}
P95_LIMIT = 200.0


def _tag(response, old: str) -> str:
    tag = response.getheader("ETag")
    return tag[2:] if tag and tag.startswith("W/") else (tag or old)


class Person:
    """One logged-in client whose open app is simulated: its page's tags."""

    def __init__(self, port: int, handle: str, contact_id: int):
        self.browser = Browser(port)
        self.browser.log_in(handle)
        self.contact_id = contact_id
        self.convo = self.browser.etag(f"/contacts/{contact_id}/messages")
        self.badge = self.browser.etag("/unread")
        self.lock = threading.Lock()

    def badge_poll(self) -> int:
        response, _ = self.browser.request("GET", "/unread", headers={**POLL, "If-None-Match": self.badge})
        self.badge = _tag(response, self.badge)
        return response.status

    def conversation_poll(self) -> int:
        path = f"/contacts/{self.contact_id}/messages"
        response, _ = self.browser.request("GET", path, headers={**POLL, "If-None-Match": self.convo})
        self.convo = _tag(response, self.convo)
        return response.status

    def changed(self, kind: str) -> int:
        """The poll after a message arrived: no matching tag, so the whole answer."""
        path = "/unread" if kind == "badge changed" else f"/contacts/{self.contact_id}/messages"
        return self.browser.request("GET", path, headers=POLL)[0].status


class Sender:
    """A peer supporter answering: the message lands in a client's open app."""

    def __init__(self, port: int, handle: str, contact_ids: list[int]):
        self.browser = Browser(port)
        self.browser.log_in(handle)
        self.contact_ids = contact_ids
        self.lock = threading.Lock()

    def send(self) -> int:
        return self.browser.send_in_page(random.choice(self.contact_ids))[0].status  # as from an open page


def run_step(n: int, args, people: list[Person], senders: list[Sender], viewer: Browser, seconds: float) -> dict:
    sent = n / args.message_every
    rates = {
        "badge": n / args.badge - sent,
        "conversation": n * args.open_share / args.conversation - sent * args.open_share,
        "message": sent,
        "badge changed": sent,
        "conversation changed": sent * args.open_share,
    }
    total = sum(rates.values())
    kinds, weights = list(rates), [rates[k] for k in rates]
    stop_at = time.perf_counter() + seconds
    done, late = [0], [0]
    poll_times: list[float] = []
    statuses: dict[int, int] = {}
    guard = threading.Lock()

    def worker(index: int) -> None:
        rng = random.Random(index)
        interval = args.threads / total
        next_at = time.perf_counter() + rng.random() * interval
        mine: list[float] = []
        while next_at < stop_at:
            delay = next_at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            kind = rng.choices(kinds, weights)[0]
            start = time.perf_counter()
            try:
                if kind == "message":
                    sender = senders[rng.randrange(len(senders))]
                    with sender.lock:
                        status = sender.send()
                else:
                    person = people[rng.randrange(len(people))]
                    with person.lock:
                        if kind == "badge":
                            status = person.badge_poll()
                        elif kind == "conversation":
                            status = person.conversation_poll()
                        else:
                            status = person.changed(kind)
            except Exception:  # noqa: BLE001  (a refused connection counts as a failure)
                status = 0
            elapsed = (time.perf_counter() - start) * 1000
            if kind != "message":
                mine.append(elapsed)
            with guard:
                done[0] += 1
                statuses[status] = statuses.get(status, 0) + 1
            next_at += interval
        with guard:
            poll_times.extend(mine)
            late[0] += max(0.0, time.perf_counter() - stop_at)

    page_times: list[float] = []

    def pages() -> None:
        pages_ = ("/contacts", "/today")
        i = 0
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            viewer.request("GET", pages_[i % 2])
            page_times.append((time.perf_counter() - start) * 1000)
            i += 1
            time.sleep(0.2)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
    threads.append(threading.Thread(target=pages))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    achieved = done[0] / elapsed
    ordered = sorted(page_times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else float("inf")
    ok = p95 < P95_LIMIT and achieved >= 0.95 * total and not statuses.get(0)
    return {
        "n": n,
        "asked": total,
        "achieved": achieved,
        "pages": figures(page_times),
        "page_p95": p95,
        "polls": figures(poll_times),
        "statuses": dict(sorted(statuses.items())),
        "ok": ok,
    }


def search(args, people, senders, viewer) -> int:
    began = time.perf_counter()
    best, worst, n = 0, None, args.start
    print(f"{'N apps':>8} {'asked/s':>8} {'done/s':>8}  page views                      polls")
    while time.perf_counter() - began + args.step <= args.budget:
        result = run_step(n, args, people, senders, viewer, args.step)
        mark = "ok" if result["ok"] else "too many"
        print(
            f"{n:>8} {result['asked']:>8.0f} {result['achieved']:>8.0f}  {result['pages']}   "
            f"{result['polls']}  {result['statuses']}  {mark}",
            flush=True,
        )
        if result["ok"]:
            best = max(best, n)
        else:
            worst = n if worst is None else min(worst, n)
        if worst is None:
            n *= 2
        else:
            if worst - best <= max(250, best // 10):
                break
            n = (best + worst) // 2
        time.sleep(2)  # let the queue drain between steps
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--hosts", type=int, choices=(1, 2), default=1)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per host")
    parser.add_argument("--accounts", type=int, default=40)
    parser.add_argument("--threads", type=int, default=32, help="load threads (keep-alive connections)")
    parser.add_argument("--start", type=int, default=1000)
    parser.add_argument("--step", type=float, default=20, help="seconds per step")
    parser.add_argument("--budget", type=float, default=300, help="seconds for the whole search")
    parser.add_argument("--badge", type=float, default=30, help="seconds between badge polls")
    parser.add_argument("--conversation", type=float, default=10, help="seconds between conversation polls")
    parser.add_argument("--open-share", type=float, default=0.3, help="share of apps with a conversation open")
    parser.add_argument("--message-every", type=float, default=180, help="seconds between messages, per app")
    args = parser.parse_args()
    if args.hosts == 2 and args.db == "sqlite":
        parser.error("two app hosts share one database: use --db postgresql")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
    url, drop = database(args.db)
    servers = []
    try:
        instance = tempfile.mkdtemp(prefix="nara-capacity-")
        sinks = 6  # the accounts the messages go to
        accounts = prepare(url, instance, clients=args.accounts + 1 + sinks, messages=200)
        servers = [Server(url, instance, workers=args.workers) for _ in range(args.hosts)]
        ports = [server.port for server in servers]
        people = [Person(ports[i % len(ports)], h, c) for i, (h, c) in enumerate(accounts[: args.accounts])]
        by_peer: dict[int, list[int]] = {}
        for i in range(len(accounts) - sinks, len(accounts)):
            by_peer.setdefault(i % max(1, len(accounts) // 20), []).append(accounts[i][1])
        senders = [Sender(ports[i % len(ports)], f"benchpeer{i}", ids) for i, ids in by_peer.items()]
        viewer = Browser(ports[0])
        viewer.log_in(accounts[args.accounts][0])
        print(
            f"{args.db}, {args.hosts} host(s) x {args.workers} gunicorn workers; per app: badge every "
            f"{args.badge:g} s, {args.open_share:.0%} with a conversation open polling every "
            f"{args.conversation:g} s, a message every {args.message_every:g} s; page views p95 < "
            f"{P95_LIMIT:.0f} ms; {args.step:g} s per step, {args.budget:g} s in all."
        )
        best = search(args, people, senders, viewer)
        print(f"Largest N with page views' p95 under {P95_LIMIT:.0f} ms: {best} open apps")
    finally:
        for server in servers:
            server.stop()
        drop()


if __name__ == "__main__":
    main()
