"""Reported persons: NIP validation, duplicate warnings, search, one person in many cases."""

import pytest

from sipansos.models import AuditEvent
from sipansos.services import terlapor
from sipansos.services.case_states import PermissionDenied
from sipansos.services.terlapor import TerlaporError

NIP = "198001152005011003"  # born 15 Jan 1980, appointed Jan 2005, male, no. 003


def test_nip_is_18_digits_starting_with_a_birth_date():
    assert terlapor.normalise_nip("19800115 200501 1 003") == NIP
    assert terlapor.normalise_nip("1980.0115.2005.0110.03") == NIP
    assert terlapor.normalise_nip("  ") is None and terlapor.normalise_nip(None) is None
    for bad, reason in [
        ("19800115200501100", "18 digits"),
        ("1980011520050110034", "18 digits"),
        ("19800115200501100X", "18 digits"),
        ("198013152005011003", "birth"),
    ]:
        with pytest.raises(TerlaporError, match=reason):
            terlapor.normalise_nip(bad)


def test_names_are_compared_without_titles_and_punctuation():
    assert terlapor.normalise_name("Drs. H. Budi Santoso, M.Si.") == "budi santoso"
    assert terlapor.normalise_name("BUDI  SANTOSO, S.Pd") == "budi santoso"
    assert terlapor.normalise_name("Ni Luh Putu Ayu") == "ni luh putu ayu"
    assert terlapor.normalise_handle(" @Budi.S ") == "budi.s"


@pytest.fixture
def budi(reference_data, users):
    return terlapor.create_terlapor(
        users["operator"],
        name="Drs. Budi Santoso, M.Pd.",
        nip="19800115 200501 1 003",
        employment_status="pns",
        rank_grade="Pembina / IV.a",
        position="Kepala Sekolah",
        agency="SMPN 1 Manggar",
        responsible_ppk="Bupati Belitung Timur",
        accounts=[
            {"platform": "facebook", "handle": "@budi.s", "profile_url": "https://fb.com/budi.s"},
            {"platform": "tiktok", "handle": "budisantoso80"},
        ],
    )


def test_a_person_is_recorded_with_accounts(budi):
    assert budi.nip == NIP and budi.name_normalised == "budi santoso"
    assert [(a.platform, a.handle_normalised) for a in budi.accounts] == [
        ("facebook", "budi.s"),
        ("tiktok", "budisantoso80"),
    ]
    assert AuditEvent.query.filter_by(action="terlapor_created").count() == 1


def test_same_nip_is_refused_and_reported_as_certain(budi, users):
    with pytest.raises(TerlaporError, match="already belongs to Drs. Budi Santoso"):
        terlapor.create_terlapor(users["operator"], name="Budi S.", nip=NIP)
    [match] = terlapor.find_similar(nip="19800115 200501 1 003")
    assert (match.terlapor, match.level) == (budi, "certain")


def test_same_handle_on_the_same_platform_is_likely(budi):
    [match] = terlapor.find_similar(handle="@Budi.S", platform="Facebook")
    assert (match.terlapor, match.level) == (budi, "likely")
    assert terlapor.find_similar(handle="budi.s", platform="instagram") == []
    [anywhere] = terlapor.find_similar(handle="budi.s")
    assert anywhere.level == "possible"


def test_similar_names_are_possible(budi, users):
    for name in ("Budi Santosa", "H. BUDI SANTOSO", "Santoso, Budi"):
        [match] = terlapor.find_similar(name=name)
        assert (match.terlapor, match.level) == (budi, "possible"), name
    assert terlapor.find_similar(name="Siti Aminah") == []
    assert terlapor.find_similar(name="Budi Santoso", exclude_id=budi.id) == []


def test_strongest_reason_wins(budi):
    [match] = terlapor.find_similar(name="Budi Santoso", nip=NIP, handle="budi.s")
    assert match.level == "certain"


def test_search_by_name_nip_or_handle(budi, users):
    other = terlapor.create_terlapor(
        users["operator"], name="Siti Aminah", employment_status="pppk"
    )
    assert terlapor.search_terlapor("santoso") == [budi]
    assert terlapor.search_terlapor("2005011") == [budi]
    assert terlapor.search_terlapor("@budisantoso") == [budi]
    assert terlapor.search_terlapor("amin") == [other]
    assert terlapor.search_terlapor("%") == [] and terlapor.search_terlapor("") == []


def test_update_and_status_checks(budi, users):
    operator = users["operator"]
    changes = terlapor.update_terlapor(operator, budi, position="Guru", name="Budi Santoso")
    assert changes["position"] == {"from": "Kepala Sekolah", "to": "Guru"}
    assert budi.name_normalised == "budi santoso"
    with pytest.raises(TerlaporError, match="employment status"):
        terlapor.update_terlapor(operator, budi, employment_status="pejabat")
    with pytest.raises(TerlaporError, match="18 digits"):
        terlapor.update_terlapor(operator, budi, nip="123")
    with pytest.raises(PermissionDenied):
        terlapor.create_terlapor(users["inactive"], name="X")
    account = terlapor.add_account(operator, budi, platform="x", handle="@budi_x")
    assert account.handle_normalised == "budi_x" and len(budi.accounts) == 3


def test_one_person_in_many_cases(budi, make_case):
    first = make_case(terlapor=[budi])
    second = make_case(title="Komentar dukungan", terlapor=[budi])
    assert budi.cases == [first, second]
