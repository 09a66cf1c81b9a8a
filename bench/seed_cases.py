"""Seed a PostgreSQL database with 100,000 cases and 1,000,000 captures for ``bench.case_pages``.

    python -m bench.seed_cases [--database-url URL] [--cases 100000] [--captures 1000000]
                               [--reuse]

The URL defaults to postgresql+psycopg://postgres@127.0.0.1:5432/sipansos_bench.

By default the database named in the URL is dropped and created again, built by the Alembic
migrations (with the default reference data), then filled with COPY: users, terlapor and their
accounts, captures with Indonesian-looking post text (a Zipf-like vocabulary, so some words are
in most posts and some in a handful — full-text search has both kinds to find), cases in every
state with register numbers, evidence links, artifacts of the linked captures, checklists with
open, done and overdue items, recipients and timeline events. The search documents are then
built by the application's own ``models.case_search.refresh`` (and the filter facets by
``models.case_facets.refresh``), and the tables vacuumed and
analysed. ``--reuse`` skips the drop/create and expects an empty migrated database.
"""

import argparse
import hashlib
import json
import os
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import sqlalchemy as sa

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/sipansos_bench"
PLATFORMS = ("facebook", "instagram", "x", "tiktok", "youtube", "whatsapp", "telegram", "web")
PLATFORM_WEIGHTS = (40, 15, 12, 18, 5, 4, 3, 3)
STATES = (
    ("draf", 5), ("informasi_awal", 4), ("temuan", 4), ("laporan_diterima", 3),
    ("perlu_kelengkapan", 2), ("tidak_memenuhi_syarat", 3), ("diregistrasi", 4),
    ("dalam_klarifikasi", 5), ("dalam_kajian", 6), ("bukan_pelanggaran", 10),
    ("direkomendasikan_kpu", 5), ("diteruskan_instansi", 10), ("dibahas_gakkumdu", 3),
    ("menunggu_tindak_lanjut", 10), ("sudah_ditindaklanjuti", 8), ("tidak_ditindaklanjuti", 3),
    ("selesai", 10), ("arsip", 5),
)  # fmt: skip
STATE_ORDER = [name for name, _ in STATES]
REGISTERED_FROM = STATE_ORDER.index("diregistrasi")
DECIDED_FROM = STATE_ORDER.index("bukan_pelanggaran")
FOLLOW_UP_FROM = STATE_ORDER.index("direkomendasikan_kpu")
STATUSES = (
    ("pns", 45), ("pppk", 10), ("ptt_honorer", 12), ("tni", 3), ("polri", 3),
    ("penyelenggara_adhoc", 8), ("pengawas_adhoc", 3), ("anggota_kpu_bawaslu", 2),
    ("kepala_desa", 10), ("lainnya", 4),
)  # fmt: skip
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

# Words of campaign-season posts, most frequent first; weights fall off as 1/rank.
VOCABULARY = """
yang dan di untuk ini dengan dari pilih dukung kita nomor urut pasangan calon bupati wakil
rakyat desa warga bersama kampanye pilkada suara semua program masyarakat ayo jangan lupa
tanggal coblos tps pemilih kabupaten kecamatan sekolah guru kepala dinas pegawai asn
netral netralitas relawan posko tim sukses deklarasi foto bareng acara silaturahmi
sosialisasi visi misi janji jalan bantuan sembako amplop uang serangan fajar politik
hoaks fitnah berita bohong isu sara agama suku ujaran kebencian provokasi video siaran
langsung live unggah bagikan komentar like grup whatsapp facebook tiktok instagram
pendidikan kesehatan gratis pembangunan infrastruktur petani nelayan pasar umkm pemuda
ibu bapak saudara sahabat keluarga besar kemenangan menang perubahan lanjutkan bukti
nyata kerja amanah jujur bersih cerdas peduli rendah hati santun merakyat hebat
balai pertemuan rapat umum lapangan alun alun masjid gereja pura vihara pesantren
camat lurah kades perangkat sekdes bpd bumdes dana desa anggaran proyek tender
baliho spanduk stiker kaos atribut pamflet brosur alat peraga kpu bawaslu panwascam
pengawas pemilu pelanggaran laporan temuan klarifikasi kajian pleno sanksi teguran
minggu tenang masa kampanye jadwal tahapan debat kandidat survei elektabilitas
""".split()
# Rare words: names and places that appear in a handful of posts (the selective searches).
RARE = """
sutrisno wahyuningsih purbalingga sukamaju cibening karangrejo tanjungsari margomulyo
hendrawan kusumawati rahmatullah sinargalih wonosari jatimulyo setiabudi
""".split()
FIRST_NAMES = """Ahmad Budi Siti Dewi Agus Sri Eko Rina Joko Wati Hadi Yuni Bambang Lestari
Hendra Nur Rudi Ani Slamet Tuti Dedi Fitri Andi Ratna Yusuf Maya Imam Endang Rahmat Indah""".split()
LAST_NAMES = """Santoso Wijaya Saputra Lestari Hidayat Pratama Nugroho Kurniawan Setiawan
Rahayu Susanto Wibowo Purnomo Suryadi Hartono Gunawan Siregar Nasution Harahap Sembiring
Simanjuntak Pangaribuan Lubis Daulay Tanjung Sitompul Manurung""".split()
AGENCIES = [
    "Dinas Pendidikan Kabupaten Contoh", "Dinas Kesehatan Kabupaten Contoh",
    "Dinas Pekerjaan Umum", "Badan Perencanaan Pembangunan Daerah", "Sekretariat Daerah",
    "RSUD Kabupaten Contoh", "Puskesmas Sukamaju", "SD Negeri 1 Karangrejo",
    "SMP Negeri 2 Wonosari", "Kantor Kecamatan Tanjungsari", "Kantor Kecamatan Margomulyo",
    "Pemerintah Desa Sukamaju", "Pemerintah Desa Cibening", "Pemerintah Desa Jatimulyo",
    "Kodim 0712", "Polres Kabupaten Contoh", "PPK Kecamatan Setiabudi", "Satpol PP",
    "Dinas Sosial", "Dinas Pertanian",
]  # fmt: skip
TITLES = [
    "{name} mengunggah dukungan kepada pasangan calon",
    "{name} hadir dalam deklarasi pasangan calon",
    "{name} berfoto dengan calon bupati sambil mengacungkan jari",
    "Unggahan hoaks tentang {topic} oleh akun {handle}",
    "Ujaran kebencian bernuansa SARA di grup {topic}",
    "{name} membagikan materi kampanye di media sosial",
    "Konten kampanye pada masa tenang oleh akun {handle}",
    "{name} mengajak warga memilih nomor urut {n}",
]
TOPICS = ["pemungutan suara", "kotak suara", "daftar pemilih", "dana desa", "bantuan sosial",
          "hasil survei", "debat kandidat", "logistik pemilu"]  # fmt: skip
CHECKLIST = [
    "Konfirmasi NIP dan status kepegawaian ke BKPSDM",
    "Kirim undangan klarifikasi dan catat BA Klarifikasi",
    "Kajian dan pleno",
    "Kirim surat penerusan dengan tembusan",
    "Catat tanda terima dari instansi",
    "Catat rekomendasi instansi kepada PPK",
    "Catat keputusan PPK",
    "Tidak ada tanggapan sampai tenggat: eskalasi",
]


def _weights(n):
    return [1 / (rank + 1) for rank in range(n)]


class Text:
    """Post text from the vocabulary: frequent words often, rare names seldom."""

    def __init__(self, rng):
        self.rng = rng
        self.words = VOCABULARY + RARE
        weights = _weights(len(VOCABULARY)) + [0.0005] * len(RARE)
        total, cum = 0.0, []
        for w in weights:
            total += w
            cum.append(total)
        self.cum = cum

    def words_(self, k):
        return self.rng.choices(self.words, cum_weights=self.cum, k=k)

    def post(self):
        words = self.words_(self.rng.randint(12, 70))
        words[0] = words[0].capitalize()
        if self.rng.random() < 0.3:
            words.append("#" + self.rng.choice(("pilkada2024", "netralitasasn", "pilkadadamai")))
        return " ".join(words) + "."


def _copy(cur, table, columns, rows):
    count = 0
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _log(start, what, count):
    print(f"  {what:<22} {count:>9,} rows  ({time.monotonic() - start:6.1f} s)", flush=True)


# The settings README.md recommends for production: JIT compiles expensive plans for tens of
# milliseconds, which a page never wins back; on SSDs random reads cost about what sequential
# ones do, and with the default (4) the planner reads whole tables instead of the GIN index.
DATABASE_SETTINGS = {"jit": "off", "random_page_cost": "1.1"}


def create_database(url):
    """Drop and create the database of ``url`` (connecting to the server's ``postgres``)."""
    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
        for name, value in DATABASE_SETTINGS.items():
            conn.execute(sa.text(f'ALTER DATABASE "{target.database}" SET {name} = {value}'))
    admin.dispose()


def migrate(url):
    from flask_migrate import upgrade

    from sipansos import create_app

    os.environ.setdefault("SIPANSOS_INSTANCE_PATH", tempfile.mkdtemp(prefix="sipansos-bench-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
    return app


def seed(conn, n_cases, n_captures, rng):
    from sipansos.services.case_states import TRANSITIONS

    # The seeded timelines walk the states in order, not a real procedure: each transition
    # event names the first action that leads to its state.
    transition_actions = {}
    for action, rule in TRANSITIONS.items():
        for target in rule.targets:
            transition_actions.setdefault(target.value, action)
    text = Text(rng)
    now = datetime.now(UTC)
    today = now.date()
    start = time.monotonic()
    cur = conn.cursor()
    category_ids = [row[0] for row in cur.execute("SELECT id FROM violation_categories")]
    route_ids = [row[0] for row in cur.execute("SELECT id FROM routes")]
    agencies = list(cur.execute("SELECT id, name FROM agencies"))

    roles = ["admin"] + ["koordinator"] * 4 + ["operator"] * 20
    users = [
        (i, f"user{i:02d}", f"Pengguna {i:02d}", role, "!", True, False, uuid.uuid4().hex, now)
        for i, role in enumerate(roles, start=1)
    ]
    _copy(cur, "users", ["id", "username", "full_name", "role", "password_hash", "active",
                         "must_change_password", "session_id", "created_at"], users)  # fmt: skip
    operators = [u[0] for u in users if u[3] == "operator"]
    koordinators = [u[0] for u in users if u[3] != "operator"]

    n_persons = n_cases * 6 // 10
    statuses, status_weights = zip(*STATUSES, strict=True)

    def persons():
        for pid in range(1, n_persons + 1):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if rng.random() < 0.02:
                name = f"{name} {rng.choice(RARE).capitalize()}"
            status = rng.choices(statuses, status_weights)[0]
            nip = f"19{rng.randint(60, 99)}{pid:014d}" if status in ("pns", "pppk") else None
            yield (pid, name, name.lower(), nip, status, rng.choice(AGENCIES), now,
                   rng.choice(operators))  # fmt: skip

    _log(start, "terlapor", _copy(cur, "terlapor", [
        "id", "name", "name_normalised", "nip", "employment_status", "agency", "created_at",
        "created_by_id"], persons()))  # fmt: skip

    def accounts():
        aid = 0
        for pid in range(1, n_persons + 1):
            for _ in range(rng.choice((1, 1, 1, 2))):
                aid += 1
                handle = f"@{rng.choice(FIRST_NAMES).lower()}_{rng.choice(LAST_NAMES).lower()}{pid}"
                yield (aid, pid, rng.choice(PLATFORMS[:4]), handle, handle[1:].lower())

    _log(start, "terlapor_accounts", _copy(cur, "terlapor_accounts", [
        "id", "terlapor_id", "platform", "handle", "handle_normalised"], accounts()))  # fmt: skip

    def captures():
        for cid in range(1, n_captures + 1):
            platform = rng.choices(PLATFORMS, PLATFORM_WEIGHTS)[0]
            author = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            handle = f"@{author.lower().replace(' ', '_')}{rng.randint(1, 999)}"
            url = f"https://{platform}.example/{handle[1:]}/posts/{cid}"
            digest = hashlib.sha256(url.encode()).hexdigest()
            received = now - timedelta(seconds=rng.randint(0, 730 * 86400))
            posted = received - timedelta(minutes=rng.randint(1, 10000))
            yield (cid, uuid.UUID(int=rng.getrandbits(128), version=4), "extension", digest,
                   url, digest, f"{author} di {platform.capitalize()}", platform, received,
                   received, rng.choice(operators), "{}", author, handle, posted, text.post(),
                   url, digest, "0" * 128, "bench", str(cid))  # fmt: skip

    _log(start, "captures", _copy(cur, "captures", [
        "id", "capture_uuid", "source", "request_sha256", "url", "post_key", "title",
        "platform", "received_at", "client_captured_at", "uploader_id", "client_info",
        "post_author_name", "post_author_handle", "post_posted_at", "post_text",
        "post_permalink", "manifest_sha256", "signature", "signing_key_id", "post_id"],
        captures()))  # fmt: skip

    states, state_weights = zip(*STATES, strict=True)
    sequences = {}
    case_rows, links, people, items, events, recipients = [], [], [], [], [], []
    for case_id in range(1, n_cases + 1):
        state = rng.choices(states, state_weights)[0]
        position = STATE_ORDER.index(state)
        known = today - timedelta(days=rng.randint(0, 730))
        created = datetime.combine(known, datetime.min.time(), UTC) + timedelta(hours=9)
        updated = min(now, created + timedelta(days=rng.randint(0, 120), minutes=case_id % 997))
        number = year = seq = registered = decision = None
        # Most findings that end as "not a violation" were registered first; some not.
        if position >= REGISTERED_FROM and (state != "bukan_pelanggaran" or rng.random() < 0.7):
            registered = known + timedelta(days=rng.randint(1, 7))
            year = registered.year
            seq = sequences[year] = sequences.get(year, 0) + 1
            number = f"{seq:03d}/PL/PB/Kab/16.12/{ROMAN[registered.month - 1]}/{year}"
        if position >= DECIDED_FROM:
            decision = (registered or known) + timedelta(days=5)
        person_ids = rng.sample(range(1, n_persons + 1), rng.choice((0, 1, 1, 1, 1, 2)))
        topic = rng.choice(TOPICS)
        title = rng.choice(TITLES).format(
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", topic=topic,
            handle=f"@{rng.choice(LAST_NAMES).lower()}{case_id}", n=rng.randint(1, 4),
        )  # fmt: skip
        creator = rng.choice(operators)
        case_rows.append((
            case_id, number, year, seq, title[:300], text.post(),
            rng.choice(("temuan", "laporan")), state, rng.choice(category_ids), known,
            registered, decision, text.post() if position >= DECIDED_FROM else None,
            ("pelanggaran" if state != "bukan_pelanggaran" else "bukan_pelanggaran")
            if decision else None,
            rng.choice(route_ids) if position >= FOLLOW_UP_FROM else None,
            created, creator, updated,
        ))  # fmt: skip
        people.extend((case_id, pid) for pid in person_ids)
        evidence = rng.sample(range(1, n_captures + 1), rng.randint(0, 8))
        for n, capture_id in enumerate(evidence):
            links.append((case_id, capture_id, created + timedelta(minutes=n), creator))
        timeline = [("created", None, "draf", creator)]
        timeline += [("evidence_added", None, None, creator)] * len(evidence)
        timeline += [("transition", STATE_ORDER[i], STATE_ORDER[i + 1], rng.choice(koordinators))
                     for i in range(min(position, 8))]  # fmt: skip
        for n, (kind, from_state, to_state, actor) in enumerate(timeline):
            # The case page labels a transition by its action, as the services record it.
            details = {"action": transition_actions[to_state]} if kind == "transition" else {}
            events.append((case_id, created + timedelta(hours=n), actor, kind, from_state,
                           to_state, json.dumps(details)))  # fmt: skip
        if position >= FOLLOW_UP_FROM:
            closed = state in ("selesai", "arsip", "sudah_ditindaklanjuti")
            done_until = len(CHECKLIST) if closed else rng.randint(0, len(CHECKLIST) - 1)
            for n, title_ in enumerate(CHECKLIST):
                due = decision + timedelta(days=3 * (n + 1))
                done = n < done_until
                items.append((case_id, n + 1, title_, "Bawaslu Kabupaten", due, done,
                              due if done else None, created if done else None))  # fmt: skip
            agency_id, agency_name = rng.choice(agencies)
            recipients.append((case_id, "recipient", agency_id, agency_name, 0))
            for n, (agency_id, agency_name) in enumerate(rng.sample(agencies, 3), start=1):
                recipients.append((case_id, "copy", agency_id, agency_name, n))

    _log(start, "cases", _copy(cur, "cases", [
        "id", "number", "number_year", "number_seq", "title", "summary", "source", "state",
        "category_id", "known_date", "registered_date", "decision_date", "kajian_notes",
        "decision", "route_id", "created_at", "created_by_id", "updated_at"],
        case_rows))  # fmt: skip
    _log(start, "case_terlapor", _copy(cur, "case_terlapor", ["case_id", "terlapor_id"], people))
    _log(start, "case_evidence", _copy(cur, "case_evidence", [
        "case_id", "capture_id", "added_at", "added_by_id"], links))  # fmt: skip
    attached = sorted({link[1] for link in links})
    files = (
        ("screenshot-full.png", "screenshot_full", "image/png", 480_000),
        ("page.mhtml", "page_mhtml", "multipart/related", 2_400_000),
    )
    artifacts = (
        (capture_id, position, name, kind, media, size,
         hashlib.sha256(f"{capture_id}{name}".encode()).hexdigest())
        for capture_id in attached
        for position, (name, kind, media, size) in enumerate(files)
    )  # fmt: skip
    _log(start, "capture_artifacts", _copy(cur, "capture_artifacts", [
        "capture_id", "position", "name", "kind", "media_type", "size", "sha256"],
        artifacts))  # fmt: skip
    _log(start, "case_checklist_items", _copy(cur, "case_checklist_items", [
        "case_id", "position", "title", "actor", "due_date", "done", "done_on", "done_at"],
        items))  # fmt: skip
    _log(start, "case_recipients", _copy(cur, "case_recipients", [
        "case_id", "kind", "agency_id", "name", "position"], recipients))  # fmt: skip
    _log(start, "case_events", _copy(cur, "case_events", [
        "case_id", "occurred_at", "actor_id", "kind", "from_state", "to_state", "details"],
        events))  # fmt: skip
    for table in ("users", "terlapor", "terlapor_accounts", "captures", "cases"):
        # Table names from the list above, not input.
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT max(id) FROM {table}))"
        )
    conn.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--captures", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="use the existing (empty) database")
    parser.add_argument(
        "--documents-only",
        action="store_true",
        help="only build the search documents and vacuum (data already loaded)",
    )
    args = parser.parse_args()
    started = time.monotonic()
    if not args.documents_only:
        if not args.reuse:
            create_database(args.database_url)
            print(f"created {sa.engine.make_url(args.database_url).database}", flush=True)
        migrate(args.database_url)
        print("schema built by the migrations", flush=True)
        dsn = sa.engine.make_url(args.database_url).set(drivername="postgresql")
        with psycopg.connect(dsn.render_as_string(hide_password=False)) as conn:
            # Not a secret: reproducible test data.
            seed(conn, args.cases, args.captures, random.Random(args.seed))  # noqa: S311
    engine = sa.create_engine(args.database_url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # Without statistics on the fresh tables the planner scans whole tables in each
        # document's subqueries; with them it uses the indexes.
        conn.execute(sa.text("ANALYZE"))
    with engine.begin() as conn:
        step = time.monotonic()
        from sipansos.models import case_facets, case_search

        case_search.refresh(conn)
        case_facets.refresh(conn)
        print(f"  search documents, facets ({time.monotonic() - step:6.1f} s)", flush=True)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # Rebuilding every case row left the table twice its size: compact it, as a freshly
        # loaded database would be, then VACUUM for the visibility map (index-only scans).
        conn.execute(sa.text("VACUUM FULL cases"))
        conn.execute(sa.text("VACUUM ANALYZE"))
        size = conn.scalar(sa.text("SELECT pg_size_pretty(pg_database_size(current_database()))"))
    engine.dispose()
    print(f"done in {time.monotonic() - started:.0f} s; database size {size}")
    print(json.dumps({"cases": args.cases, "captures": args.captures}))


if __name__ == "__main__":
    main()
