"""Response times of the case list, filtered lists, the case page and search at scale.

    python -m bench.seed_cases            # once: 100,000 cases, 1,000,000 captures
    python -m bench.case_pages [--database-url …] [--requests 200]

Runs each kind of request through the Flask test client against the seeded PostgreSQL database
(signed in as a koordinator), ``--requests`` times per kind, cycling through its variants after
one warm-up pass, and prints p50/p95/max per kind and each kind's p95 as a multiple of the
baseline measured in the same run: ``GET /login`` by a signed-in user (the request stack, the
session and the user lookup, then a redirect). The case page is ``GET /cases/<id>`` when that
page exists, else the queries it needs (the case with its terlapor, evidence with captures and
artifacts, checklist with documents, recipients, legal bases, parties and timeline).
Targets (issue #5): list and case page ≤ 50 ms p95, search ≤ 150 ms p95.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from .seed_cases import DEFAULT_URL

TARGETS_MS = {"list": 50, "filtered": 50, "case page": 50, "search": 150}


class Failed(RuntimeError):
    """A request did not answer as the page should: the figures would be meaningless."""


def _expect(ok, what):
    if not ok:
        raise Failed(what)


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def list_variants():
    return [
        {},
        {"page": 2},
        {"page": 40},
        {"sort": "title"},
        {"sort": "-number"},
        {"sort": "state"},
        {"sort": "known_date"},
        {"sort": "-updated", "page": 400},
    ]


def filtered_variants(operator_id):
    return [
        {"state": "diteruskan_instansi"},
        {"state": "menunggu_tindak_lanjut", "sort": "known_date"},
        {"category": "hoaks"},
        {"platform": "tiktok"},
        {"subject_status": "kepala_desa"},
        {"agency": "Dinas Pendidikan"},
        {"operator": operator_id},
        {"date_from": "2025-06-01", "date_to": "2025-06-30"},
        {"overdue": "y"},
        {"overdue": "y", "category": "netralitas_asn", "sort": "-known_date"},
        {"platform": "facebook", "subject_status": "pns", "state": "selesai"},
    ]


def search_variants():
    return [
        {"q": "dukung"},  # in most posts
        {"q": "serangan fajar"},
        {"q": '"kotak suara"'},
        {"q": "sutrisno"},  # a rare name
        {"q": "wonosari -hoaks"},
        {"q": "santoso"},  # terlapor names
        {"q": "012/PL/PB/Kab"},  # part of a register number
        {"q": "tidakadakatasepertiini"},
        {"q": "netralitas", "state": "diteruskan_instansi"},
        {"q": "kampanye", "sort": "title"},
        {"q": "amplop", "platform": "tiktok"},
    ]


def case_page_queries(case_id):
    """Everything the case page shows, loaded as the page would load it."""
    from sipansos.extensions import db
    from sipansos.models import (
        Capture,
        Case,
        CaseChecklistItem,
        CaseEvent,
        CaseEvidence,
        Terlapor,
    )

    case = db.session.scalar(
        select(Case)
        .where(Case.id == case_id)
        .options(
            joinedload(Case.category),
            joinedload(Case.route),
            joinedload(Case.created_by),
            selectinload(Case.terlapor).selectinload(Terlapor.accounts),
            selectinload(Case.legal_bases),
            selectinload(Case.parties),
            selectinload(Case.recipients),
            selectinload(Case.evidence).options(
                joinedload(CaseEvidence.capture).selectinload(Capture.artifacts),
                joinedload(CaseEvidence.added_by),
            ),
            selectinload(Case.checklist).options(
                selectinload(CaseChecklistItem.documents),
                joinedload(CaseChecklistItem.done_by),
            ),
            selectinload(Case.events).joinedload(CaseEvent.actor),
        )
    )
    shown = [case.title, case.state_label, len(case.events)]
    shown += [(e.capture.post_text, [a.sha256 for a in e.capture.artifacts])
              for e in case.evidence]  # fmt: skip
    shown += [(i.title, i.due_date, i.done) for i in case.checklist]
    db.session.remove()
    return shown


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=200, help="per kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--variants", action="store_true", help="also print each variant's median")
    args = parser.parse_args()
    rng = random.Random(args.seed)  # noqa: S311 - picks case ids, not secrets

    from sipansos import create_app
    from sipansos.extensions import db
    from sipansos.models import Case, User

    os.environ.setdefault("SIPANSOS_INSTANCE_PATH", tempfile.mkdtemp(prefix="sipansos-bench-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url})
    with app.app_context():
        koordinator = db.session.scalar(select(User).where(User.role == "koordinator"))
        operator_id = db.session.scalar(select(func.min(User.id)).where(User.role == "operator"))
        max_case = db.session.scalar(select(func.max(Case.id)))
        n_cases = db.session.scalar(select(func.count(Case.id)))
        session_id = koordinator.session_id
        db.session.remove()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    has_case_page = "cases.show_case" in app.view_functions

    def get(params):
        def run():
            response = client.get(f"/cases?{urlencode(params)}")
            _expect(response.status_code == 200, (params, response.status_code))

        return run

    def case_page(case_id):
        def run():
            if has_case_page:
                response = client.get(f"/cases/{case_id}")
                _expect(response.status_code == 200, (case_id, response.status_code))
            else:
                with app.app_context():
                    _expect(case_page_queries(case_id), case_id)

        return run

    def baseline():
        response = client.get("/login")
        _expect(response.status_code == 302, ("/login", response.status_code))

    kinds = {
        "baseline": [baseline],
        "list": [get(p) for p in list_variants()],
        "filtered": [get(p) for p in filtered_variants(operator_id)],
        "case page": [case_page(rng.randint(1, max_case)) for _ in range(50)],
        "search": [get(p) for p in search_variants()],
    }
    fewest = max(len(kinds[kind]) for kind in ("list", "filtered", "search"))
    if args.requests < fewest:
        parser.error(f"--requests must be at least {fewest}: each variant's figures are printed")
    shown = "GET /cases/<id>" if has_case_page else "its queries (no cases.show_case yet)"
    print(f"{n_cases:,} cases; {args.requests} requests per kind; case page: {shown}")
    times = {}
    slowest = {}
    by_variant = {}
    for kind, calls in kinds.items():
        for call in calls:  # warm-up: plans, caches, first connection
            call()
        samples = []
        for n in range(args.requests):
            call = calls[n % len(calls)]
            started = time.perf_counter()
            call()
            elapsed = (time.perf_counter() - started) * 1000
            samples.append(elapsed)
            key = (kind, n % len(calls))
            slowest[key] = max(slowest.get(key, 0), elapsed)
            by_variant.setdefault(key, []).append(elapsed)
        times[kind] = samples

    base_p95 = _percentile(times["baseline"], 0.95)
    print(f"{'kind':<10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95/base':>9} {'target':>7}")
    for kind, samples in times.items():
        p50, p95 = statistics.median(samples), _percentile(samples, 0.95)
        target = TARGETS_MS.get(kind)
        verdict = "" if target is None else ("ok" if p95 <= target else "SLOW")
        print(f"{kind:<10} {p50:8.1f} {p95:8.1f} {max(samples):8.1f} {p95 / base_p95:8.1f}x "
              f"{(str(target) if target else '-'):>5} {verdict}")  # fmt: skip
    print("slowest variant of each kind:")
    variants = {
        "list": list_variants(),
        "filtered": filtered_variants(operator_id),
        "search": search_variants(),
    }
    for kind, params in variants.items():
        index = max(range(len(params)), key=lambda i, kind=kind: slowest[(kind, i)])
        print(f"  {kind:<9} {slowest[(kind, index)]:7.1f} ms  {urlencode(params[index])}")
    if args.variants:
        print("median of each variant:")
        for kind, params in variants.items():
            for index, variant in enumerate(params):
                median = statistics.median(by_variant[(kind, index)])
                print(f"  {kind:<9} {median:7.1f} ms  {urlencode(variant) or '(none)'}")
    # The interpreter's build matters: a distribution's optimised (PGO) build renders pages
    # about a fifth faster than a plain source build such as pyenv's.
    print(
        f"date {date.today().isoformat()}, load average {os.getloadavg()[0]:.1f}, "
        f"python {platform.python_version()} ({sys.executable})"
    )


if __name__ == "__main__":
    main()
