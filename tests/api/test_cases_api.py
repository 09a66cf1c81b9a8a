"""Cases through the API: the open cases and categories the extension offers, a capture uploaded
into a case (attached, or a new draft started with it), retries, and cases that refuse it."""

import io
import json
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from sipansos.extensions import db
from sipansos.models import (
    AuditEvent,
    Capture,
    Case,
    CaseEvent,
    CaseEvidence,
    User,
    ViolationCategory,
)
from sipansos.services import captures, case_records, tokens
from sipansos.services.reference import load_default_reference_data
from sipansos.storage import get_store
from tests.capture_helpers import build_capture, replace_file


@pytest.fixture
def ctx(app):
    with app.app_context():
        load_default_reference_data()
        yield app
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def people(ctx, make_user):
    """Users by role, with a bearer header each: ``people["operator"]["headers"]``."""
    found = {}
    for role in ("operator", "koordinator"):
        user = db.session.get(User, make_user(f"{role}1", role=role))
        _token, secret = tokens.create_token(user, "Chrome")
        found[role] = {"user": user, "headers": {"Authorization": f"Bearer {secret}"}}
    return found


def category(code):
    return db.session.scalar(select(ViolationCategory).where(ViolationCategory.code == code))


@pytest.fixture
def make_case(people):
    def make(title="Kepala sekolah mengunggah dukungan", state=None, number=None, **fields):
        case = case_records.create_case(
            people["operator"]["user"],
            title=title,
            category=category(fields.pop("category_code", "netralitas_asn")),
            known_date=date(2026, 11, 2),
            **fields,
        )
        if state or number:
            # Test setup only: the state machine's own tests walk the real transitions.
            values = {"state": state} if state else {}
            if number:
                values["number"] = number
            db.session.execute(update(Case).where(Case.id == case.id).values(**values))
            db.session.commit()
            db.session.refresh(case)
        return case

    return make


def unique_capture(**fields):
    """A capture whose DOM is unique, so its objects cannot already be in the session bucket."""
    manifest, files = build_capture(**fields)
    marker = uuid.uuid4().hex
    replace_file(manifest, files, "dom.html", f"<!DOCTYPE html><p>{marker}</p>".encode())
    return manifest, files


def upload(client, headers, manifest, files, case=None):
    data = {"manifest": json.dumps(manifest)}
    if case is not None:
        data["case"] = case if isinstance(case, str) else json.dumps(case)
    for name, content in files.items():
        data[name] = FileStorage(io.BytesIO(content), filename=name)
    boundary, body = encode_multipart(data)
    return client.post(
        "/api/v1/captures",
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def counts():
    db.session.expire_all()
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Capture, Case, CaseEvidence, CaseEvent, AuditEvent)
    }


def stored(manifest):
    db.session.expire_all()
    return captures.find_capture(uuid.UUID(manifest["capture_id"]))


# ---- GET /cases, GET /categories ---------------------------------------------------------------


def test_lists_open_cases_newest_first_with_labels(client, people, make_case):
    older = make_case("Camat hadir di deklarasi")
    registered = make_case(
        "ASN membagikan poster", state="diregistrasi", number="002/Reg/LP/PB/Kab/16.12/XI/2026"
    )
    make_case("Perkara selesai", state="selesai")
    make_case("Perkara arsip", state="arsip")
    response = client.get("/api/v1/cases", headers=people["operator"]["headers"])
    assert response.status_code == 200
    listed = response.json["cases"]
    assert [c["id"] for c in listed] == [registered.id, older.id]
    assert listed[0] == {
        "id": registered.id,
        "number": "002/Reg/LP/PB/Kab/16.12/XI/2026",
        "title": "ASN membagikan poster",
        "state": "diregistrasi",
        "state_label": "Diregistrasi",
        "category": "netralitas_asn",
        "created_at": listed[0]["created_at"],
        "url": f"http://localhost/cases/{registered.id}",
    }
    assert listed[1]["number"] is None and listed[1]["state_label"] == "Draf"


def test_search_by_title_number_or_id_and_limit(client, people, make_case):
    camat = make_case("Camat hadir di deklarasi")
    asn = make_case("ASN membagikan poster", number="002/Reg/LP/PB/Kab/16.12/XI/2026")
    for index in range(3):
        make_case(f"Kepala desa {index}")
    headers = people["operator"]["headers"]

    def ids(query):
        return [
            c["id"] for c in client.get(f"/api/v1/cases?{query}", headers=headers).json["cases"]
        ]

    assert ids("q=deklarasi") == [camat.id]
    assert ids("q=DEKLARASI") == [camat.id]
    assert ids("q=Reg/LP") == [asn.id]
    assert ids(f"q=%23{camat.id}") == [camat.id]
    assert ids("q=100%25") == []  # a literal %, not a wildcard
    assert len(ids("q=kepala+desa&limit=2")) == 2
    bad = client.get("/api/v1/cases?limit=0", headers=headers)
    assert bad.status_code == 422 and "limit" in bad.json["error"]["details"]["query"]


def test_categories_come_from_reference_data(client, people):
    headers = people["operator"]["headers"]
    listed = client.get("/api/v1/categories", headers=headers).json["categories"]
    assert listed[0]["code"] == "netralitas_asn" and listed[0]["name"] == "Netralitas ASN"
    assert "konten_kampanye" in [c["code"] for c in listed]
    category("hoaks").active = False
    db.session.commit()
    codes = [
        c["code"] for c in client.get("/api/v1/categories", headers=headers).json["categories"]
    ]
    assert "hoaks" not in codes and len(codes) == len(listed) - 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/cases"),
        ("GET", "/api/v1/categories"),
        ("POST", "/api/v1/cases/1/evidence"),
    ],
)
def test_a_token_is_required(client, ctx, method, path):
    response = client.open(path, method=method, json={"capture_id": str(uuid.uuid4())})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


# ---- the case field of POST /captures --------------------------------------------------------


def test_upload_with_case_id_attaches_the_capture(client, people, make_case):
    case = make_case()
    manifest, files = unique_capture()
    response = upload(client, people["operator"]["headers"], manifest, files, {"case_id": case.id})
    assert response.status_code == 201, response.json
    assert response.json["capture_id"] == manifest["capture_id"]
    assert response.json["case"]["id"] == case.id
    assert response.json["case"]["url"] == f"http://localhost/cases/{case.id}"
    assert response.json["case"]["created"] is False
    assert "case_error" not in response.json
    db.session.expire_all()
    assert [link.capture.capture_uuid for link in case.evidence] == [
        uuid.UUID(manifest["capture_id"])
    ]
    assert case.events[-1].kind == "evidence_added"
    assert case.events[-1].actor.username == "operator1"


def test_a_koordinator_attaches_to_a_registered_case(client, people, make_case):
    case = make_case(state="dalam_kajian")
    manifest, files = unique_capture()
    body = upload(
        client, people["koordinator"]["headers"], manifest, files, {"case_id": case.id}
    ).json
    assert body["case"]["state_label"] == "Dalam Kajian"
    db.session.expire_all()
    assert [link.added_by.username for link in case.evidence] == ["koordinator1"]


def test_new_case_starts_a_draft_with_the_capture(client, people):
    # 20:30 UTC is already the next day in Jakarta (UTC+7).
    manifest, files = unique_capture(captured_at="2026-11-20T20:30:00+00:00", category="hoaks")
    request = {"new_case": {"title": "  Hoaks surat suara tercoblos  ", "category": "hoaks"}}
    response = upload(client, people["operator"]["headers"], manifest, files, request)
    assert response.status_code == 201, response.json
    link = response.json["case"]
    assert link["created"] is True and link["state"] == "draf" and link["number"] is None
    case = db.session.get(Case, link["id"])
    assert case.title == "Hoaks surat suara tercoblos"
    assert case.source == "temuan" and case.category.code == "hoaks"
    assert case.known_date == date(2026, 11, 21)
    assert case.created_by.username == "operator1"
    assert [e.capture.capture_uuid for e in case.evidence] == [uuid.UUID(manifest["capture_id"])]
    assert [e.kind for e in case.events] == ["created", "evidence_added"]
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-3:] == ["capture_received", "case_created", "case_evidence_added"]


def test_new_case_takes_the_captures_category_by_default(client, people):
    manifest, files = unique_capture(category="netralitas_kepala_desa")
    body = upload(
        client, people["operator"]["headers"], manifest, files, {"new_case": {"title": "Kades"}}
    ).json
    assert body["case"]["category"] == "netralitas_kepala_desa"


def test_a_long_page_title_is_cut_to_the_case_title_length(client, people):
    manifest, files = unique_capture()
    body = upload(
        client, people["operator"]["headers"], manifest, files, {"new_case": {"title": "x" * 900}}
    ).json
    assert len(body["case"]["title"]) == 300


@pytest.mark.parametrize(
    "request_for",
    [
        lambda case: {"case_id": case.id},
        lambda case: {"new_case": {"title": "Postingan ASN", "category": "netralitas_asn"}},
    ],
    ids=["case_id", "new_case"],
)
def test_a_retry_links_once_and_starts_no_second_case(client, people, make_case, request_for):
    case = make_case()
    manifest, files = unique_capture()
    headers = people["operator"]["headers"]
    first = upload(client, headers, manifest, files, request_for(case))
    after_first = counts()
    # The queue sends the very same request again when the first answer was lost.
    again = upload(client, headers, manifest, files, request_for(case))
    assert first.status_code == 201 and again.status_code == 200
    assert again.json == first.json
    assert counts() == after_first
    # And once more, after the case moved on and was closed: still the same answer.
    linked = db.session.get(Case, first.json["case"]["id"])
    linked.state = "selesai"
    db.session.commit()
    third = upload(client, headers, manifest, files, request_for(case))
    assert third.json["case"]["id"] == first.json["case"]["id"]
    assert "case_error" not in third.json
    assert counts() == after_first


def test_a_retry_after_a_refused_case_request_tries_again(client, people, make_case):
    case = make_case(state="selesai")
    manifest, files = unique_capture()
    headers = people["operator"]["headers"]
    first = upload(client, headers, manifest, files, {"case_id": case.id})
    assert first.json["case_error"]["code"] == "case_closed"
    new_case = {"new_case": {"title": "Perkara baru"}}
    again = upload(client, headers, manifest, files, new_case)
    assert again.status_code == 200 and again.json["case"]["created"] is True
    assert upload(client, headers, manifest, files, new_case).json == again.json
    assert db.session.scalar(select(func.count(Case.id))) == 2


def test_a_closed_case_keeps_the_capture_and_reports_why(client, people, make_case):
    closed = make_case(state="selesai")
    manifest, files = unique_capture()
    before = counts()
    response = upload(
        client, people["operator"]["headers"], manifest, files, {"case_id": closed.id}
    )
    assert response.status_code == 201
    assert response.json["capture_id"] == manifest["capture_id"] and response.json["signature"]
    assert "case" not in response.json
    error = response.json["case_error"]
    assert error["code"] == "case_closed" and "Selesai" in error["message"]
    assert stored(manifest) is not None
    assert counts()["CaseEvidence"] == before["CaseEvidence"]
    assert counts()["CaseEvent"] == before["CaseEvent"]


@pytest.mark.parametrize(
    ("request_body", "code"),
    [
        ({"case_id": 999999}, "case_not_found"),
        ({"new_case": {"title": "Perkara", "category": "tidak_ada"}}, "unknown_category"),
    ],
)
def test_a_case_that_cannot_be_done_keeps_the_capture(client, people, request_body, code):
    manifest, files = unique_capture()
    response = upload(client, people["operator"]["headers"], manifest, files, request_body)
    assert response.status_code == 201
    assert response.json["case_error"]["code"] == code
    assert response.json["case_error"]["message"]
    assert stored(manifest) is not None
    assert db.session.scalar(select(func.count(Case.id))) == 0


@pytest.mark.parametrize(
    "case_field",
    [
        "{not json",
        "[12]",
        json.dumps({}),
        json.dumps({"case_id": 1, "new_case": {"title": "x"}}),
        json.dumps({"case_id": "12"}),
        json.dumps({"new_case": {"title": "   "}}),
        json.dumps({"new_case": {"category": "hoaks"}}),
        json.dumps({"case_id": 1, "extra": True}),
    ],
    ids=["not_json", "array", "empty", "both", "string_id", "blank_title", "no_title", "unknown"],
)
def test_a_malformed_case_field_is_refused_before_anything_is_stored(client, people, case_field):
    manifest, files = unique_capture()
    before = counts()
    response = upload(client, people["operator"]["headers"], manifest, files, case_field)
    assert response.status_code == 400
    error = response.json["error"]
    assert error["status"] == 400 and error["code"] == "invalid_case" and error["message"]
    assert counts() == before
    dom_sha = next(a["sha256"] for a in manifest["artifacts"] if a["name"] == "dom.html")
    assert not get_store().exists(dom_sha)


def test_an_upload_without_a_case_field_is_unchanged(client, people):
    manifest, files = unique_capture()
    body = upload(client, people["operator"]["headers"], manifest, files).json
    assert "case" not in body and "case_error" not in body


# ---- POST /cases/<id>/evidence -------------------------------------------------------------


def test_attach_an_uploaded_capture(client, people, make_case):
    case = make_case()
    manifest, files = unique_capture()
    upload(client, people["operator"]["headers"], manifest, files)
    # Evidence is shared in the office: the koordinator attaches the operator's capture.
    headers = people["koordinator"]["headers"]
    path = f"/api/v1/cases/{case.id}/evidence"
    first = client.post(path, json={"capture_id": manifest["capture_id"]}, headers=headers)
    assert first.status_code == 201, first.json
    assert first.json["id"] == case.id and first.json["url"].endswith(f"/cases/{case.id}")
    again = client.post(path, json={"capture_id": manifest["capture_id"]}, headers=headers)
    assert again.status_code == 200 and again.json == first.json
    db.session.expire_all()
    assert len(case.evidence) == 1
    assert [e.kind for e in case.events].count("evidence_added") == 1


def test_attach_refusals_use_the_error_shape(client, people, make_case):
    closed = make_case(state="arsip")
    open_case = make_case()
    manifest, files = unique_capture()
    upload(client, people["operator"]["headers"], manifest, files)
    headers = people["operator"]["headers"]
    capture_id = manifest["capture_id"]

    def attach(case_id, body):
        return client.post(f"/api/v1/cases/{case_id}/evidence", json=body, headers=headers)

    refused = attach(closed.id, {"capture_id": capture_id})
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "case_closed"
    assert refused.json["error"]["status"] == 409
    missing_case = attach(999999, {"capture_id": capture_id})
    assert missing_case.status_code == 404 and missing_case.json["error"]["code"] == "not_found"
    missing_capture = attach(open_case.id, {"capture_id": str(uuid.uuid4())})
    assert missing_capture.status_code == 404
    invalid = attach(open_case.id, {"capture_id": "nope"})
    assert invalid.status_code == 422 and "capture_id" in invalid.json["error"]["details"]["json"]

    capture = stored(manifest)
    captures.withdraw_capture(people["koordinator"]["user"], capture, "salah tangkap")
    withdrawn = attach(open_case.id, {"capture_id": capture_id})
    assert withdrawn.status_code == 409
    assert withdrawn.json["error"]["code"] == "capture_withdrawn"
    db.session.expire_all()
    assert open_case.evidence == [] and closed.evidence == []


def test_openapi_documents_the_case_api(client):
    spec = client.get("/api/v1/openapi.json").json
    for path in ("/api/v1/cases", "/api/v1/categories", "/api/v1/cases/{case_id}/evidence"):
        assert path in spec["paths"], path
    schemas = spec["components"]["schemas"]
    assert {"case_id", "new_case"} <= set(schemas["CaseLinkRequest"]["properties"])
    assert {"case", "case_error"} <= set(schemas["Receipt"]["properties"])
    form = spec["paths"]["/api/v1/captures"]["post"]["requestBody"]["content"]
    assert "case" in form["multipart/form-data"]["schema"]["properties"]
    parameters = {p["name"] for p in spec["paths"]["/api/v1/cases"]["get"]["parameters"]}
    assert parameters == {"q", "limit"}


def test_the_upload_digest_ignores_the_case_field(client, people, make_case):
    """The case choice is not evidence: the signed manifest is the same with or without it."""
    case = make_case()
    manifest, files = unique_capture()
    body = upload(client, people["operator"]["headers"], manifest, files, {"case_id": case.id}).json
    with get_store().open(body["manifest_sha256"]) as reader:
        document = json.loads(reader.read())
    assert "case" not in document and document["capture_id"] == manifest["capture_id"]
