"""Local stand-ins of the Twilio Verify v2 and Vonage Verify v2 REST APIs.

Each listens on 127.0.0.1 with a free port, in a thread of the test process,
and follows the provider's documented paths, HTTP Basic auth, request fields
and error bodies closely enough for the real SDKs to talk to it. It records
every request it receives, keeps the codes it "sent" (the test reads them like
the phone would), and can be told to fail: an error answer, a hang past the
client's timeout, a dropped connection, or being down altogether.
"""

import base64
import json
import re
import secrets
import socket
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

E164 = re.compile(r"^\+[1-9]\d{1,14}$")
# The locales each API accepts (Twilio: its supported-languages page; Vonage
# Verify v2: a closed list); anything else is refused as the API refuses it.
TWILIO_LOCALES = set(
    (
        "af ar ca cs da de el en en-GB es et fi fr he hi hr hu id it ja kn ko lt mr ms nb "
        "nl pl pt pt-BR ro ru sv te th tl tr uk vi zh zh-CN zh-HK"
    ).split()
)
VONAGE_LOCALES = {
    "en-us", "en-gb", "es-es", "es-mx", "es-us", "it-it", "fr-fr", "de-de",
    "ru-ru", "hi-in", "pt-br", "pt-pt", "id-id",
}  # fmt: skip
# A hung request is released after this long at most, so no test thread lingers.
HANG_SECONDS = 10


@dataclass
class Received:
    """One request as the stand-in saw it."""

    operation: str  # "start", "check", "cancel" or "unknown"
    method: str
    path: str
    auth: tuple[str, str] | None
    content_type: str
    body: dict


@dataclass
class Message:
    """A code the stand-in 'sent' to a phone."""

    to: str  # as the provider received it (Vonage: without "+")
    channel: str
    code: str
    locale: str | None = None  # the language asked for, in the provider's own code


@dataclass
class Failure:
    """An injected failure: an error answer, "hang" or "drop"."""

    operation: str | None  # None: every operation
    kind: str  # "answer", "hang" or "drop"
    status: int = 500
    body: dict | str = field(default_factory=dict)
    times: int | None = None  # None: until cleared


class StandIn:
    """What both stand-ins share: the server, recording, auth and failures."""

    # Every stand-in started in this process, so a test can look at all of them.
    started: list["StandIn"] = []
    # Checks of one verification the provider allows; the next one is refused.
    max_checks = 5

    def __init__(self, username: str, password: str):
        self.username = username
        self.password = password
        self.received: list[Received] = []
        self.messages: list[Message] = []
        self.failures: list[Failure] = []
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._connections: set[socket.socket] = set()
        self.port: int | None = None

    # --- Control, from the test ---------------------------------------------------

    def start(self) -> "StandIn":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                standin._connections.add(self.connection)

            def finish(self):
                standin._connections.discard(self.connection)
                super().finish()

            def do_POST(self):
                standin._handle(self)

            def do_DELETE(self):
                standin._handle(self)

            def do_GET(self):
                standin._handle(self)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port or 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        StandIn.started.append(self)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening: the port refuses connections until start() again."""
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        # Kept-alive connections too: a stopped provider answers nothing.
        for connection in list(self._connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail(
        self,
        operation: str | None,
        status: int = 500,
        body: dict | str | None = None,
        *,
        times: int | None = None,
    ) -> None:
        """Answer `operation` (or every operation) with this error."""
        self.failures.append(Failure(operation, "answer", status, body or {}, times))

    def hang(self, operation: str | None = None) -> None:
        """Accept requests and answer only after HANG_SECONDS (or when healed)."""
        self.failures.append(Failure(operation, "hang"))

    def drop(self, operation: str | None = None) -> None:
        """Read the request, then close the connection without an answer."""
        self.failures.append(Failure(operation, "drop"))

    def heal(self) -> None:
        self.failures.clear()
        self._release.set()
        self._release = threading.Event()

    def last_code(self, to: str | None = None) -> str:
        messages = [m for m in self.messages if to is None or m.to == to]
        assert messages, "the stand-in sent no code"
        return messages[-1].code

    def of(self, operation: str) -> list[Received]:
        return [r for r in self.received if r.operation == operation]

    # --- Serving -------------------------------------------------------------------

    def route(self, method: str, path: str) -> tuple[str, callable]:
        raise NotImplementedError

    def error_body(self, status: int, code: int | None, message: str) -> dict:
        raise NotImplementedError

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        content_type = handler.headers.get("Content-Type", "")
        if content_type.startswith("application/json"):
            body = json.loads(raw or b"{}")
        else:
            body = dict(parse_qsl(raw.decode()))
        operation, action = self.route(handler.command, handler.path)
        with self._lock:
            self.received.append(
                Received(
                    operation,
                    handler.command,
                    handler.path,
                    _basic_auth(handler.headers.get("Authorization")),
                    content_type,
                    body,
                )
            )
            failure = self._failure_for(operation)
        if failure is not None and failure.kind == "hang":
            # Then answer normally: a client without a timeout would see a success.
            self._release.wait(HANG_SECONDS)
            failure = None
        if failure is not None and failure.kind == "drop":
            return _close(handler)
        if failure is not None:
            return _answer(handler, failure.status, failure.body)
        if self.received[-1].auth != (self.username, self.password):
            return _answer(handler, 401, self.error_body(401, 20003, "Authenticate"))
        with self._lock:
            status, answer = action(body)
        return _answer(handler, status, answer)

    def _failure_for(self, operation: str) -> Failure | None:
        for failure in self.failures:
            if failure.operation in (None, operation):
                if failure.times is not None:
                    failure.times -= 1
                    if failure.times <= 0:
                        self.failures.remove(failure)
                return failure
        return None


def _basic_auth(header: str | None) -> tuple[str, str] | None:
    if not header or not header.startswith("Basic "):
        return None
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return user, password


def _answer(handler: BaseHTTPRequestHandler, status: int, body: dict | str | None) -> None:
    """Answer JSON (a dict), HTML (a str, as a proxy in front of an API would) or nothing."""
    if isinstance(body, str):
        data, content_type = body.encode(), "text/html"
    else:
        data, content_type = (
            (b"" if body is None else json.dumps(body).encode()),
            "application/json",
        )
    try:
        handler.send_response(status)
        if body is not None:
            handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    except OSError:
        handler.close_connection = True  # the client gave up (timeout)


def _close(handler: BaseHTTPRequestHandler) -> None:
    handler.close_connection = True
    try:
        handler.connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _code(length: int) -> str:
    return f"{secrets.randbelow(10**length):0{length}d}"


# --- Twilio Verify v2 ----------------------------------------------------------------


class TwilioVerify(StandIn):
    """https://verify.twilio.com/v2/Services/{ServiceSid}/... with the account SID/token.

    Like Twilio, it keeps one pending verification per number: a start to a number
    with one pending re-sends its code and answers its SID, whoever asks, and a
    cancel ends it for everyone holding that SID. A check by `To` hits the number's
    pending verification; a check by `VerificationSid` hits that one only.
    """

    MAX_SENDS = 5

    def __init__(self, account_sid: str, auth_token: str, service_sid: str):
        super().__init__(account_sid, auth_token)
        self.service_sid = service_sid
        self.verifications: dict[str, dict] = {}

    def route(self, method, path):
        prefix = f"/v2/Services/{self.service_sid}"
        if method == "POST" and path == f"{prefix}/Verifications":
            return "start", self._start
        if method == "POST" and path == f"{prefix}/VerificationCheck":
            return "check", self._check
        match = re.fullmatch(rf"{prefix}/Verifications/(VE[0-9a-f]{{32}})", path)
        if method == "POST" and match:
            return "cancel", lambda body: self._update(match.group(1), body)
        return "unknown", lambda body: (404, self.error_body(404, 20404, "Not found"))

    def error_body(self, status, code, message):
        return {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        }

    def _pending(self, to: str) -> dict | None:
        for verification in self.verifications.values():
            if verification["to"] == to and verification["status"] == "pending":
                return verification
        return None

    def _resource(self, v: dict) -> dict:
        return {
            "sid": v["sid"],
            "service_sid": self.service_sid,
            "account_sid": self.username,
            "to": v["to"],
            "channel": v["channel"],
            "status": v["status"],
            "valid": v["status"] == "approved",
            "lookup": {},
            "amount": None,
            "payee": None,
            "send_code_attempts": [{"channel": v["channel"]}] * v["sends"],
            "date_created": "2026-11-26T00:00:00Z",
            "date_updated": "2026-11-26T00:00:00Z",
            "sna": None,
            "url": f"https://verify.twilio.com/v2/Services/{self.service_sid}/Verifications/{v['sid']}",
        }

    def _start(self, body):
        to, channel = body.get("To", ""), body.get("Channel", "")
        if not E164.match(to):
            return 400, self.error_body(400, 60200, "Invalid parameter `To`: " + to)
        if channel not in ("sms", "call", "email", "whatsapp"):
            return 400, self.error_body(400, 60200, "Invalid parameter: Channel")
        locale = body.get("Locale")
        if locale is not None and locale not in TWILIO_LOCALES:
            return 400, self.error_body(400, 60200, "Invalid parameter: Locale")
        verification = self._pending(to)
        if verification is None:
            sid = "VE" + uuid.uuid4().hex
            verification = {
                "sid": sid,
                "to": to,
                "code": _code(6),
                "status": "pending",
                "sends": 0,
                "checks": 0,
            }
            self.verifications[sid] = verification
        elif verification["sends"] >= self.MAX_SENDS:
            return 429, self.error_body(429, 60203, "Max send attempts reached")
        # While a verification is pending, Twilio sends the same code again.
        verification["sends"] += 1
        verification["channel"] = channel
        self.messages.append(Message(to, channel, verification["code"], locale))
        return 201, self._resource(verification)

    def _check(self, body):
        sid, to, code = body.get("VerificationSid"), body.get("To"), body.get("Code", "")
        if sid:
            verification = self.verifications.get(sid)
            if verification is not None and verification["status"] != "pending":
                verification = None
        elif to:
            verification = self._pending(to)
        else:
            return 400, self.error_body(400, 60200, "Either To or VerificationSid is required")
        if verification is None:
            return 404, self.error_body(
                404,
                20404,
                f"The requested resource /Services/{self.service_sid}/VerificationCheck was not found",
            )
        if verification["checks"] >= self.max_checks:
            return 429, self.error_body(429, 60202, "Max check attempts reached")
        verification["checks"] += 1
        if secrets.compare_digest(code, verification["code"]):
            verification["status"] = "approved"
        return 200, self._resource(verification)

    def _update(self, sid, body):
        verification = self.verifications.get(sid)
        if verification is None or verification["status"] != "pending":
            return 404, self.error_body(
                404,
                20404,
                f"The requested resource /Services/{self.service_sid}/Verifications/{sid} was not found",
            )
        if body.get("Status") not in ("canceled", "approved"):
            return 400, self.error_body(400, 60200, "Invalid parameter: Status")
        verification["status"] = body["Status"]
        return 200, self._resource(verification)


# --- Vonage Verify v2 ----------------------------------------------------------------


class VonageVerify(StandIn):
    """https://api.nexmo.com/v2/verify with the API key/secret."""

    def __init__(self, api_key: str, api_secret: str):
        super().__init__(api_key, api_secret)
        self.requests: dict[str, dict] = {}

    def route(self, method, path):
        if method == "POST" and path == "/v2/verify":
            return "start", self._start
        match = re.fullmatch(r"/v2/verify/([0-9a-f-]{36})", path)
        if match and method == "POST":
            return "check", lambda body: self._check(match.group(1), body)
        if match and method == "DELETE":
            return "cancel", lambda body: self._cancel(match.group(1))
        return "unknown", lambda body: (404, self.error_body(404, None, "Not found"))

    def error_body(self, status, code, message):
        titles = {
            400: "Invalid Code",
            401: "Unauthorized",
            404: "Not Found",
            409: "Conflict",
            410: "Gone",
            422: "Invalid params",
            429: "Rate Limit Hit",
            500: "Internal Error",
        }
        return {
            "type": "https://developer.vonage.com/api-errors",
            "title": titles.get(status, "Error"),
            "detail": message,
            "instance": str(uuid.uuid4()),
        }

    def _open(self, to: str) -> dict | None:
        for request in self.requests.values():
            if request["to"] == to and request["status"] == "open":
                return request
        return None

    def _start(self, body):
        brand = body.get("brand") or ""
        workflow = body.get("workflow") or []
        if not 1 <= len(brand) <= 16 or not workflow:
            return 422, self.error_body(422, None, "brand and workflow are required")
        step = workflow[0]
        to, channel = str(step.get("to", "")), step.get("channel")
        if not re.fullmatch(r"[1-9]\d{6,14}", to) or channel not in ("sms", "voice"):
            body = self.error_body(422, None, "The value of one or more parameters is invalid")
            body["invalid_parameters"] = [{"name": "to", "reason": "Invalid phone number"}]
            return 422, body
        locale = body.get("locale")
        if locale is not None and locale not in VONAGE_LOCALES:
            body = self.error_body(422, None, "The value of one or more parameters is invalid")
            body["invalid_parameters"] = [{"name": "locale", "reason": "Invalid locale"}]
            return 422, body
        existing = self._open(to)
        if existing is not None:
            body = self.error_body(
                409, None, "Concurrent verifications to the same number are not allowed."
            )
            body["request_id"] = existing["request_id"]
            return 409, body
        request_id = str(uuid.uuid4())
        code = _code(int(body.get("code_length") or 4))
        self.requests[request_id] = {
            "request_id": request_id,
            "to": to,
            "channel": channel,
            "code": code,
            "status": "open",
            "attempts": 0,
        }
        self.messages.append(Message(to, channel, code, locale))
        return 202, {"request_id": request_id}

    def _check(self, request_id, body):
        request = self.requests.get(request_id)
        if request is None or request["status"] in ("completed", "cancelled", "expired"):
            return 404, self.error_body(
                404, None, f"Request '{request_id}' was not found or it has been verified already."
            )
        if request["status"] == "failed":
            return 410, self.error_body(410, None, "Invalid code: too many attempts.")
        request["attempts"] += 1
        if secrets.compare_digest(str(body.get("code", "")), request["code"]):
            request["status"] = "completed"
            return 200, {"request_id": request_id, "status": "completed"}
        if request["attempts"] >= self.max_checks:
            request["status"] = "failed"
        return 400, self.error_body(
            400, None, "The code you provided does not match the expected value."
        )

    def _cancel(self, request_id):
        request = self.requests.get(request_id)
        if request is None or request["status"] != "open":
            return 404, self.error_body(
                404, None, f"Request '{request_id}' was not found or it has been verified already."
            )
        request["status"] = "cancelled"
        return 204, None
