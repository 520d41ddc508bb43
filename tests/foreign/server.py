"""A second, independent Blnk-compatible alerts server, written from the contract alone.

It makes the choices the contract leaves open differently from the built-in server: the list
comes in an envelope with paging fields (or bare, with --bare), creates answer 200, timestamps
end in Z with no fraction, absent titles are left out, assigned_to is null, unknown fields are
added, and errors carry Blnk core's error_detail. Its Data API (instance "inst_foreign") answers
a record inside {"data": [record]}, writes numbers as strings, holds an amount beyond 2^53, and
refuses a second key that lacks the data:read scope (403). Used by tests/foreign.rs; loopback only.
"""

import json
import sys
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY = sys.argv[1]
NO_DATA_KEY = KEY + "_alerts_only"
INSTANCE = "inst_foreign"
TXN = "txn_5b0c5d8e-1f2a-4c3b-9d4e-6f7a8b9c0d1e"
SRC = "bln_0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
IDT = "idt_9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f"
RECORDS = {
    ("transactions", TXN): {"transaction_id": TXN, "precise_amount": "90071992547409930001", "precision": "100",
                            "amount": 900719925474099300.01, "currency": "USD", "source": SRC,
                            "destination": "bln_ffffffff-0000-4000-8000-000000000000", "status": "QUEUED",
                            "reference": "ref_foreign", "created_at": "2026-11-30T10:00:00Z", "meta_data": None,
                            "sources": None, "atomic": False},
    ("balances", SRC): {"balance_id": SRC, "balance": "-125000", "credit_balance": 0, "debit_balance": "125000",
                        "currency": "USD", "identity_id": IDT, "ledger_id": "ldg_foreign",
                        "created_at": "2025-01-01T00:00:00Z", "version": 7},
    ("identities", IDT): {"identity_id": IDT, "identity_type": "individual", "first_name": "tkn_ab12",
                          "last_name": "tkn_cd34", "email_address": "x@example.com", "country": "Kenya",
                          "meta_data": {"tokenized_fields": ["first_name", "last_name"]}},
}
BARE = "--bare" in sys.argv
ALERTS = {}
STATUSES = {k: {"key": k, "name": n, "colour": c} for k, n, c in [
    ("FLAGGED", "Flagged", "#EF4444"), ("INVESTIGATING", "Investigating", "#F59E0B"),
    ("RESOLVED", "Resolved", "#10B981")]}
KINDS = {"bln_": ("Balance", "affected_balances"), "bal_": ("Balance", "affected_balances"),
         "txn_": ("Transaction", "affected_transactions"), "idt_": ("Identity", "affected_identities")}


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def fail(self, code, message):
        self.answer(code, {"error": message, "error_detail": {"code": code, "message": message, "details": None}})

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            return json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return None

    def authorised(self):
        if self.headers.get("Authorization") == "Bearer " + NO_DATA_KEY and not self.path.startswith("/data"):
            return True
        if self.headers.get("Authorization") == "Bearer " + NO_DATA_KEY:
            self.fail(403, "this key lacks the data:read scope")
            return False
        if self.headers.get("Authorization") != "Bearer " + KEY:
            self.fail(401, "unauthorized")
            return False
        return True

    def parts(self):
        return [p for p in self.path.split("?")[0].split("/") if p]

    def do_GET(self):
        if not self.authorised():
            return
        parts = self.parts()
        if parts == ["alerts"]:
            data = sorted(ALERTS.values(), key=lambda a: a["created_at"], reverse=True)
            return self.answer(200, data if BARE else {"data": data, "total": len(data), "page": 1, "pageSize": 1000})
        if parts == ["alerts", "statuses"]:
            return self.answer(200, {"data": list(STATUSES.values()), "allowed_colours": ["#3B82F6", "#10B981"]})
        if len(parts) == 2 and parts[0] == "alerts" and parts[1] in ALERTS:
            return self.answer(200, ALERTS[parts[1]])
        if len(parts) == 3 and parts[0] == "data":
            query = dict(p.split("=", 1) for p in (self.path.split("?", 1) + [""])[1].split("&") if "=" in p)
            if not query.get("instance_id"):
                return self.fail(400, "instance_id is required")
            if query["instance_id"] != INSTANCE:
                return self.fail(404, "instance not found")
            record = RECORDS.get((parts[1], parts[2]))
            if record is None:
                return self.fail(404, "record not found")
            return self.answer(200, {"data": [record]})
        self.fail(404, "not found")

    def do_POST(self):
        if not self.authorised():
            return
        parts, body = self.parts(), self.body()
        if len(parts) == 3 and parts[:2] == ["alerts", "flag"]:
            entity = parts[2]
            kind = KINDS.get(entity[:4])
            if kind is None:
                return self.fail(400, "entity cannot be flagged")
            if not body or not str(body.get("description") or "").strip():
                return self.fail(400, "description is required")
            alert = {"anomaly_id": "ano_" + str(uuid.uuid4()), "description": body["description"],
                     "type": kind[0], "assigned_to": None, "status": "FLAGGED",
                     "created_at": now(), "updated_at": now(), "risk_score": 0.97,
                     "affected_balances": [], "affected_identities": [], "affected_transactions": []}
            if body.get("title"):
                alert["title"] = body["title"]
            alert[kind[1]].append(entity)
            ALERTS[alert["anomaly_id"]] = alert
            return self.answer(200, alert)
        self.fail(404, "not found")

    def do_PUT(self):
        if not self.authorised():
            return
        parts, body = self.parts(), self.body()
        if len(parts) == 3 and parts[:2] == ["alerts", "flag"] and parts[2] in ALERTS:
            alert = ALERTS[parts[2]]
            if body is None:
                return self.fail(400, "invalid body")
            status = body.get("status")
            if status is not None and status.upper() not in STATUSES:
                return self.fail(400, "unknown status " + status)
            for field in ("title", "description"):
                if field in body:
                    alert[field] = body[field]
            if status is not None:
                alert["status"] = status.upper()
            alert["updated_at"] = now()
            return self.answer(200, alert)
        self.fail(404, "alert not found")


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
