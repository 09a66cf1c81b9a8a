"""Default letter templates (Templat Surat), loaded by migration 0006 and
``load_default_letter_templates``.

The wording is this app's draft in the usual form of Bawaslu letters, not an official text:
each template is marked unverified until an admin adapts it to the office's Tata Naskah Dinas.
Placeholders are listed in ``services.letters.PLACEHOLDERS``.
"""

DRAFT_NOTE = "Teks disusun aplikasi, bukan format resmi; sesuaikan dengan tata naskah dinas kantor."

LETTERHEAD = "BADAN PENGAWAS PEMILIHAN UMUM\n{{ kantor|upper }}"

_OPENING = (
    "Berdasarkan hasil pengawasan media sosial pada penyelenggaraan Pemilihan, {{ kantor }} "
    "menemukan dugaan pelanggaran {{ perkara.kategori }} yang telah diregistrasi dengan nomor "
    "{{ perkara.nomor }}, yang diduga dilakukan oleh:\n"
    "\n"
    "{% for t in terlapor %}"
    "- {{ t.nama }}{% if t.nip %}, NIP {{ t.nip }}{% endif %}"
    "{% if t.jabatan %}, {{ t.jabatan }}{% endif %}"
    "{% if t.instansi %} pada {{ t.instansi }}{% endif %} ({{ t.status }})\n"
    "{% endfor %}"
    "\n"
    "Perbuatan tersebut diketahui pada tanggal {{ perkara.tanggal_diketahui }} melalui media "
    "sosial, dengan bukti sebagai berikut:\n"
    "\n"
    "{% for b in bukti %}"
    "- {{ b.platform }}: {{ b.url }} (ditangkap {{ b.waktu_tangkap }})\n"
    "{% endfor %}"
)

_FINDING = (
    "\n"
    "Berdasarkan kajian dan rapat pleno {{ kantor }}"
    "{% if perkara.tanggal_pleno %} tanggal {{ perkara.tanggal_pleno }}{% endif %}, "
    "perbuatan tersebut diduga melanggar "
    "{{ dasar_hukum|join('; ') if dasar_hukum else 'ketentuan peraturan perundang-undangan' }}."
)

LETTER_TEMPLATES = [
    {
        "code": "penerusan",
        "kind": "penerusan",
        "name": "Penerusan pelanggaran kepada instansi berwenang",
        "letterhead": LETTERHEAD,
        "classification": "Penting",
        "subject": "Penerusan Dugaan Pelanggaran {{ perkara.kategori }}",
        "body": _OPENING + _FINDING + "\n\n"
        "Sehubungan dengan hal tersebut, bersama ini kami teruskan dugaan pelanggaran tersebut "
        "kepada {{ penerima_teks }} untuk ditindaklanjuti sesuai dengan ketentuan peraturan "
        "perundang-undangan. Hasil kajian, bukti dan berita acara klarifikasi kami lampirkan.",
        "closing": "Demikian kami sampaikan. Atas perhatian dan kerja samanya diucapkan terima "
        "kasih.",
        "signer_title": "Ketua {{ kantor }}",
        "signer_name": "",
    },
    {
        "code": "rekomendasi",
        "kind": "rekomendasi",
        "name": "Rekomendasi kepada KPU (pelanggaran administrasi)",
        "letterhead": LETTERHEAD,
        "classification": "Segera",
        "subject": "Rekomendasi atas Dugaan Pelanggaran Administrasi Pemilihan",
        "body": _OPENING + _FINDING + "\n\n"
        "Sehubungan dengan hal tersebut, {{ kantor }} merekomendasikan kepada "
        "{{ penerima_teks }} untuk menindaklanjuti pelanggaran administrasi tersebut sesuai "
        "dengan ketentuan peraturan perundang-undangan dan menyampaikan hasilnya kepada "
        "{{ kantor }} paling lama 7 (tujuh) hari sejak rekomendasi ini diterima.",
        "closing": "Demikian rekomendasi ini disampaikan untuk dilaksanakan.",
        "signer_title": "Ketua {{ kantor }}",
        "signer_name": "",
    },
    {
        "code": "form_a",
        "kind": "form_a",
        "name": "Form A — Laporan Hasil Pengawasan",
        "letterhead": LETTERHEAD,
        "classification": "",
        "subject": "LAPORAN HASIL PENGAWASAN PEMILIHAN",
        "body": "# I. Data Pengawas Pemilihan\n"
        "Pelaksana tugas pengawasan: {{ pengawas.nama }}\n"
        "Kantor: {{ kantor }}\n"
        "\n"
        "# II. Kegiatan Pengawasan\n"
        "Bentuk pengawasan: pengawasan media sosial\n"
        "Tanggal diketahui: {{ perkara.tanggal_diketahui }}\n"
        "\n"
        "# III. Uraian Singkat Hasil Pengawasan\n"
        "{{ perkara.ringkasan or perkara.judul }}\n"
        "\n"
        "# IV. Informasi Dugaan Pelanggaran\n"
        "1. Peristiwa: {{ perkara.judul }}\n"
        "2. Tempat kejadian: media sosial ({{ bukti|map(attribute='platform')|unique|join(', ') "
        "or '—' }})\n"
        "3. Waktu kejadian: {{ perkara.tanggal_diketahui }}\n"
        "4. Pelaku: {{ terlapor_nama or '—' }}\n"
        "5. Saksi: {{ saksi|map(attribute='nama')|join(', ') or '—' }}\n"
        "\n"
        "Alat bukti:\n"
        "\n"
        "{% for b in bukti %}"
        "- {{ b.platform }}: {{ b.url }} (ditangkap {{ b.waktu_tangkap }}; SHA-256 "
        "{{ b.sha256 }})\n"
        "{% endfor %}"
        "\n"
        "# V. Dugaan Pasal yang Dilanggar\n"
        "{{ dasar_hukum|join('; ') or '—' }}",
        "closing": "Demikian laporan hasil pengawasan ini dibuat dengan sebenar-benarnya.",
        "signer_title": "Pelaksana Tugas Pengawasan",
        "signer_name": "{{ pengawas.nama }}",
    },
]
