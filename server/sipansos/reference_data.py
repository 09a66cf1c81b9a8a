"""Default reference data (Referensi), loaded by migration 0003 and ``load_default_reference_data``.

Taken from /work/shared/DOMAIN.md (public sources read in Nov 2026). ``verified: False`` marks
what DOMAIN.md calls unverified, and defaults this app adds that no source gives (their ``note``
says so). Admins edit all of it later; loading again only adds rows whose ``code`` is missing.
"""

UNIT_UNVERIFIED = "Hari kalender atau hari kerja belum diverifikasi (DOMAIN.md); sesuaikan."
APP_DEFAULT = "Batas waktu bawaan aplikasi, bukan dari peraturan; sesuaikan."

CATEGORIES = [
    {"code": "netralitas_asn", "name": "Netralitas ASN"},
    {"code": "netralitas_tni", "name": "Netralitas TNI"},
    {"code": "netralitas_polri", "name": "Netralitas Polri"},
    {"code": "netralitas_penyelenggara", "name": "Netralitas Penyelenggara"},
    {"code": "netralitas_kepala_desa", "name": "Netralitas Kepala Desa"},
    {"code": "hoaks", "name": "Hoaks"},
    {"code": "ujaran_kebencian_sara", "name": "Ujaran Kebencian / SARA"},
    {
        "code": "konten_kampanye",
        "name": "Konten Kampanye",
        "description": "Akun kampanye tidak terdaftar, kampanye di masa tenang.",
    },
    {"code": "lainnya", "name": "Lainnya"},
]

LEGAL_BASES = [
    {"code": "uu10_2016_p70", "regulation": "UU 10/2016", "article": "Pasal 70",
     "summary": "Larangan melibatkan ASN, TNI/Polri dan kepala desa dalam kampanye."},
    {"code": "uu10_2016_p71", "regulation": "UU 10/2016", "article": "Pasal 71",
     "summary": "Larangan keputusan/tindakan pejabat yang menguntungkan atau merugikan calon."},
    {"code": "uu10_2016_p188", "regulation": "UU 10/2016", "article": "Pasal 188",
     "summary": "Pidana atas pelanggaran Pasal 71; diperluas ke pejabat daerah dan anggota "
     "TNI/Polri oleh Putusan MK 136/PUU-XXII/2024."},
    {"code": "uu20_2023", "regulation": "UU 20/2023 tentang Aparatur Sipil Negara",
     "summary": "Pengganti UU 5/2014; asas netralitas ASN."},
    {"code": "uu5_2014", "regulation": "UU 5/2014 tentang Aparatur Sipil Negara",
     "summary": "Dicabut oleh UU 20/2023; untuk perkara lama."},
    {"code": "pp94_2021", "regulation": "PP 94/2021 tentang Disiplin PNS",
     "summary": "Pengganti PP 53/2010."},
    {"code": "pp49_2018", "regulation": "PP 49/2018 tentang Manajemen PPPK",
     "summary": "Sanksi bagi PPPK."},
    {"code": "skb_netralitas_asn", "regulation": "SKB tentang Pedoman Pengawasan Netralitas ASN",
     "summary": "Jenis pelanggaran netralitas di media sosial (like, share, komentar, foto "
     "bersama calon, …).", "verified": False,
     "note": "Nomor dan tahun SKB yang berlaku belum diverifikasi (contoh awal: SKB 2020)."},
    {"code": "perpres_91_92_2024", "regulation": "Perpres 91/2024 dan Perpres 92/2024",
     "summary": "KASN dibubarkan; fungsi pengawasan netralitas ASN beralih ke BKN."},
    {"code": "se_menpanrb_4_2024", "regulation": "SE MenPAN-RB 4/2024",
     "summary": "Pengalihan fungsi KASN ke BKN."},
    {"code": "uu_ite", "regulation": "UU ITE (UU 11/2008 dan perubahannya)",
     "summary": "Konten hoaks, ujaran kebencian dan SARA.", "verified": False,
     "note": "Pasal yang dirujuk dan nomor perubahan terakhir belum diverifikasi."},
    {"code": "uu_desa_p29_30", "regulation": "UU Desa", "article": "Pasal 29–30",
     "summary": "Larangan bagi kepala desa; sanksi oleh Bupati/Wali Kota.", "verified": False,
     "note": "Nomor UU (UU 6/2014 dan perubahannya) tidak dari DOMAIN.md; periksa."},
    {"code": "perbawaslu_8_2020", "regulation": "Perbawaslu 8/2020 jo. Perbawaslu 9/2024",
     "summary": "Penanganan pelanggaran pemilihan (Pilkada)."},
    {"code": "perbawaslu_7_2022", "regulation": "Perbawaslu 7/2022",
     "summary": "Penanganan pelanggaran pemilu."},
]  # fmt: skip

AGENCIES = [
    {"code": "bkn", "name": "Badan Kepegawaian Negara (BKN) — Deputi Pengawasan dan Pengendalian"},
    {"code": "bupati_ppk", "name": "Bupati selaku Pejabat Pembina Kepegawaian (PPK)"},
    {"code": "bupati", "name": "Bupati"},
    {"code": "sekda", "name": "Sekretaris Daerah"},
    {"code": "bkpsdm", "name": "Kepala BKPSDM"},
    {"code": "bawaslu_provinsi", "name": "Bawaslu Provinsi"},
    {"code": "bawaslu_ri", "name": "Bawaslu RI"},
    {"code": "bawaslu_kabupaten", "name": "Bawaslu Kabupaten/Kota (ditangani sendiri)"},
    {"code": "komdigi", "name": "Kementerian Komunikasi dan Digital (Komdigi), melalui Bawaslu RI"},
    {"code": "kpu_kabupaten", "name": "KPU Kabupaten/Kota"},
    {"code": "dkpp", "name": "Dewan Kehormatan Penyelenggara Pemilu (DKPP)"},
    {"code": "sentra_gakkumdu", "name": "Sentra Penegakan Hukum Terpadu (Sentra Gakkumdu)"},
    {"code": "camat", "name": "Camat"},
    {"code": "kapolres_propam", "name": "Kapolres / Propam", "verified": False,
     "note": "Penerima untuk anggota Polri belum diverifikasi (DOMAIN.md)."},
    {"code": "satuan_tni", "name": "Satuan TNI terlapor (keputusan oleh Panglima TNI)",
     "verified": False, "note": "Satuan setempat yang menerima belum diverifikasi (DOMAIN.md)."},
]  # fmt: skip


def _item(title, actor="Bawaslu Kabupaten/Kota", days=None, unit=None, anchor=None, note=None):
    return {
        "title": title,
        "actor": actor,
        "deadline_days": days,
        "deadline_unit": unit,
        "deadline_anchor": anchor,
        # An item with a deadline whose rule no source confirms is unverified.
        "verified": note is None,
        "note": note,
    }


CLARIFY = _item(
    "Kirim undangan klarifikasi; catat Berita Acara Klarifikasi (BA Klarifikasi).",
    days=3, unit="calendar", anchor="registered_date", note=UNIT_UNVERIFIED,
)  # fmt: skip
KAJIAN = _item(
    "Kajian dan pleno (paling lambat 5 hari sejak registrasi).",
    days=5, unit="calendar", anchor="registered_date", note=UNIT_UNVERIFIED,
)  # fmt: skip
ESCALATE = _item(
    "Tidak ada tanggapan sampai batas waktu → eskalasi.",
    days=14, unit="calendar", anchor="dispatch_date", note=APP_DEFAULT,
)  # fmt: skip


def _asn_items(sanction_rule):
    """The PNS checklist of DOMAIN.md in Indonesian; PPPK differs only in the sanction rule."""
    return [
        _item("Konfirmasi NIP dan status kepegawaian kepada BKPSDM."),
        CLARIFY,
        KAJIAN,
        _item(
            "Kirim surat Penerusan kepada BKN beserta kajian, bukti, dan berita acara "
            "klarifikasi; tembusan sesuai daftar."
        ),
        _item("Catat tanda terima BKN.", actor="BKN"),
        _item("Catat rekomendasi BKN kepada PPK.", actor="BKN"),
        _item(f"Catat keputusan hukuman disiplin oleh PPK ({sanction_rule}).", actor="PPK"),
        ESCALATE,
    ]


def _agency_items(recipient, *, confirm, criminal=None):
    """The same shape for other recipients (DOMAIN.md: "other routes follow the same shape")."""
    items = [_item(confirm), CLARIFY, KAJIAN]
    if criminal:
        items.append(_item(f"Jika memenuhi unsur {criminal}: bahas di Sentra Gakkumdu."))
    items += [
        _item(
            f"Kirim surat Penerusan kepada {recipient} beserta kajian, bukti, dan berita acara "
            "klarifikasi; tembusan sesuai daftar."
        ),
        _item(f"Catat tanda terima {recipient}.", actor=recipient),
        _item(f"Catat tindak lanjut atau sanksi dari {recipient}.", actor=recipient),
        ESCALATE,
    ]
    return items


def _takedown_items():
    return [
        _item("Arsipkan dan hash unggahan (tangkapan SIPANSOS dengan SHA-256) sebagai bukti."),
        KAJIAN,
        _item(
            "Kirim permintaan penurunan konten (takedown) melalui Bawaslu Provinsi → "
            "Bawaslu RI → Komdigi."
        ),
        _item("Catat tanda terima Bawaslu Provinsi / Bawaslu RI.", actor="Bawaslu Provinsi"),
        _item(
            "Catat apakah konten sudah diturunkan (periksa tautan; tangkap ulang bila masih "
            "tayang).",
            actor="Komdigi",
        ),
        _item("Jika merupakan tindak pidana: teruskan ke Sentra Gakkumdu atau kepolisian."),
        ESCALATE,
    ]


def _kpu_items(subject):
    return [
        CLARIFY,
        KAJIAN,
        _item(f"Kirim surat Rekomendasi kepada KPU Kabupaten/Kota ({subject})."),
        _item("Catat tanda terima KPU Kabupaten/Kota.", actor="KPU Kabupaten/Kota"),
        _item(
            "Catat tindak lanjut KPU atas Rekomendasi (paling lambat 7 hari).",
            actor="KPU Kabupaten/Kota",
            days=7,
            unit="calendar",
            anchor="dispatch_date",
            note=UNIT_UNVERIFIED,
        ),  # fmt: skip
        ESCALATE,
    ]


ASN_COPIES = ["bupati_ppk", "sekda", "bkpsdm", "bawaslu_provinsi"]

ROUTES = [
    {"code": "pns", "name": "PNS → BKN (Penerusan)", "subject_status": "pns",
     "channel": "penerusan", "recipient": "bkn", "copies": ASN_COPIES,
     "items": _asn_items("PP 94/2021: pemotongan tunjangan, penurunan jabatan, pembebasan dari "
                         "jabatan, pemberhentian")},
    {"code": "pppk", "name": "PPPK → BKN (Penerusan)", "subject_status": "pppk",
     "channel": "penerusan", "recipient": "bkn", "copies": ASN_COPIES,
     "items": _asn_items("sanksi menurut PP 49/2018")},
    {"code": "ptt_honorer", "name": "PTT / Honorer → Bupati selaku PPK (Penerusan)",
     "subject_status": "ptt_honorer", "channel": "penerusan", "recipient": "bupati_ppk",
     "copies": ["sekda", "bkpsdm"],
     "items": _agency_items("Bupati selaku PPK",
                            confirm="Konfirmasi status kepegawaian (PTT/honorer) kepada BKPSDM.")},
    {"code": "tni", "name": "TNI → satuan terlapor (Penerusan)", "subject_status": "tni",
     "channel": "penerusan", "recipient": "satuan_tni", "copies": [], "verified": False,
     "note": "Satuan setempat belum diverifikasi; Panglima TNI yang memutus.",
     "items": _agency_items("satuan TNI", confirm="Konfirmasi identitas, pangkat dan satuan.",
                            criminal="Pasal 71/188 UU 10/2016")},
    {"code": "polri", "name": "Polri → Kapolres / Propam (Penerusan)", "subject_status": "polri",
     "channel": "penerusan", "recipient": "kapolres_propam", "copies": [], "verified": False,
     "note": "Penerima belum diverifikasi (DOMAIN.md).",
     "items": _agency_items("Kapolres / Propam", confirm="Konfirmasi identitas, pangkat dan "
                            "kesatuan.", criminal="Pasal 188 UU 10/2016")},
    {"code": "penyelenggara_adhoc", "name": "PPK/PPS/KPPS → KPU Kabupaten/Kota (Rekomendasi)",
     "subject_status": "penyelenggara_adhoc", "channel": "rekomendasi",
     "recipient": "kpu_kabupaten", "copies": [], "items": _kpu_items("penyelenggara ad hoc")},
    {"code": "pengawas_adhoc", "name": "Panwascam/PKD/PTPS → ditangani Bawaslu Kabupaten/Kota",
     "subject_status": "pengawas_adhoc", "channel": "penerusan",
     "recipient": "bawaslu_kabupaten", "copies": [],
     "items": [CLARIFY, KAJIAN,
               _item("Pemeriksaan oleh Bawaslu Kabupaten/Kota; catat berita acara."),
               _item("Catat keputusan (teguran, pemberhentian, …) atas pengawas ad hoc.")]},
    {"code": "dkpp", "name": "Anggota KPU/Bawaslu → DKPP", "subject_status": "anggota_kpu_bawaslu",
     "channel": "penerusan", "recipient": "dkpp", "copies": [],
     "items": [KAJIAN, _item("Sampaikan pengaduan/penerusan kepada DKPP beserta bukti."),
               _item("Catat registrasi perkara oleh DKPP.", actor="DKPP"),
               _item("Catat putusan DKPP.", actor="DKPP"), ESCALATE]},
    {"code": "kepala_desa", "name": "Kepala Desa → Bupati (Penerusan)",
     "subject_status": "kepala_desa", "channel": "penerusan", "recipient": "bupati",
     "copies": ["camat"],
     "items": _agency_items("Bupati", confirm="Konfirmasi jabatan kepala desa kepada Camat.",
                            criminal="Pasal 71/188 UU 10/2016")},
    {"code": "hoaks", "name": "Hoaks → penurunan konten via Bawaslu Provinsi/RI → Komdigi",
     "category": "hoaks", "channel": "penerusan", "recipient": "bawaslu_provinsi",
     "copies": ["bawaslu_ri"], "items": _takedown_items()},
    {"code": "ujaran_kebencian_sara", "name": "Ujaran kebencian / SARA → penurunan konten",
     "category": "ujaran_kebencian_sara", "channel": "penerusan",
     "recipient": "bawaslu_provinsi", "copies": ["bawaslu_ri"], "items": _takedown_items()},
    {"code": "konten_kampanye", "name": "Konten kampanye → KPU Kabupaten/Kota (Rekomendasi)",
     "category": "konten_kampanye", "channel": "rekomendasi", "recipient": "kpu_kabupaten",
     "copies": [], "items": _kpu_items("konten kampanye")
     + [_item("Jika memenuhi unsur pidana: bahas di Sentra Gakkumdu.")]},
    {"code": "gakkumdu", "name": "Pidana pemilihan → Sentra Gakkumdu", "channel": "gakkumdu",
     "recipient": "sentra_gakkumdu", "copies": [],
     "items": [
         _item("Pembahasan pertama di Sentra Gakkumdu; catat berita acara pembahasan.",
               actor="Sentra Gakkumdu"),
         _item("Teruskan temuan/laporan kepada penyidik Kepolisian."),
         _item("Catat hasil penyidikan Kepolisian (14 hari kerja).", actor="Kepolisian",
               days=14, unit="working", anchor="dispatch_date"),
         _item("Catat pelimpahan ke Kejaksaan dan persidangan.", actor="Kejaksaan"),
         _item("Catat putusan pengadilan.", actor="Pengadilan"),
     ]},
]  # fmt: skip

# Fixed-date national holidays only; moving holidays and cuti bersama are left to the admin
# (from the SKB 3 Menteri of each year).
_HOLIDAY_NOTE = " (belum diverifikasi)"
HOLIDAYS = [
    {"date": "2026-12-25", "name": "Hari Raya Natal" + _HOLIDAY_NOTE},
    {"date": "2027-01-01", "name": "Tahun Baru Masehi" + _HOLIDAY_NOTE},
    {"date": "2027-05-01", "name": "Hari Buruh Internasional" + _HOLIDAY_NOTE},
    {"date": "2027-06-01", "name": "Hari Lahir Pancasila" + _HOLIDAY_NOTE},
    {"date": "2027-08-17", "name": "Hari Kemerdekaan RI" + _HOLIDAY_NOTE},
    {"date": "2027-12-25", "name": "Hari Raya Natal" + _HOLIDAY_NOTE},
]
