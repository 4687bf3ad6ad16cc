#!/usr/bin/env python3
"""A stand-in for the model APIs that coding agents call, for tests that run the real agents.

Standard library only (Python 3.11+). It answers every prompt with one fixed text (--reply) and
speaks just enough of each protocol for the agents' command-line clients to print that text:

  Anthropic Messages   POST /v1/messages (SSE when "stream": true, JSON otherwise),
                       POST /v1/messages/count_tokens, GET /v1/models, HEAD/GET /, /api/... -> {}
  OpenAI Responses     POST /v1/responses (SSE when "stream": true, JSON otherwise),
                       GET /v1/responses upgraded to a WebSocket (Codex's preferred transport:
                       each "response.create" text message is answered with the same events as
                       JSON text frames; recorded as "event": "ws_message"),
                       GET /v1/models, GET /models
  OpenAI Chat          POST /v1/chat/completions (SSE or JSON)
  Gemini               POST /v1beta/models/{model}:streamGenerateContent?alt=sse,
                       :generateContent, :countTokens, GET /v1beta/models
  anything else        404 with a JSON error body

The same paths are served without the /v1 prefix, for clients whose base URL already ends in /v1.

With --cert/--key it speaks HTTPS (HTTP/1.1 only, offered by ALPN); without, plain HTTP. The TLS
handshake runs in the request's thread, so a client that rejects the certificate does not stall
the others; that failure is recorded as a line with "event": "tls_error" (the alert in "error"
says, for example, "unknown ca" when the client did not trust --cert's issuer). A connection closed
before its first request is recorded as "event": "no_request": over TLS 1.3 that is how most
clients that reject the certificate look from the server's side (they check it after the
handshake), though an idle pooled connection closed at exit looks the same.

--proxy-port starts a second, plain-HTTP listener that acts as an HTTP proxy: CONNECT to
localhost, 127.0.0.1, ::1 or mock-llm.test (any port) is tunnelled to the main listener, any other
CONNECT and any absolute-URI request is answered 403; every one is recorded with "event": "proxy".
Point an agent's HTTPS_PROXY there to list the hosts it tries to reach. With --proxy-intercept
every CONNECT is tunnelled to the main listener, so that, given a --cert whose names cover those
hosts, the requests an agent makes to its vendor's other services are recorded path by path.

--record FILE appends one JSON object per line for each request: time, method, path, headers
(names lower-cased), body_length, and the client's address; with --record-bodies also the body
(as text, or base64 when it is not UTF-8).

--port-file FILE receives the chosen port (--port 0 picks a free one) once the server listens,
written atomically, so a test can wait for the file and then connect. SIGTERM and SIGINT stop the
server cleanly.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import select
import signal
import socket
import ssl
import sys
import threading
import time
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DEFAULT_REPLY = "Hello from the mock LLM API."
PROXY_TUNNEL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "mock-llm.test"}

ANTHROPIC_MODELS = ["claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"]
OPENAI_MODELS = ["gpt-5", "gpt-5-codex", "gpt-4.1", "o4-mini"]
GEMINI_MODELS = ["gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"]


class Recorder:
    """Appends one JSON line per event to a file, safely from many threads."""

    def __init__(self, path: str | None, bodies: bool):
        self._path = path
        self._bodies = bodies
        self._lock = threading.Lock()

    def record(self, entry: dict, body: bytes | None = None) -> None:
        if not self._path:
            return
        entry = {"time": round(time.time(), 3), **entry}
        if body is not None:
            entry["body_length"] = len(body)
            if self._bodies:
                try:
                    entry["body"] = body.decode("utf-8")
                except UnicodeDecodeError:
                    entry["body_base64"] = base64.b64encode(body).decode("ascii")
        line = json.dumps(entry, separators=(",", ":"), ensure_ascii=False) + "\n"
        with self._lock:
            with open(self._path, "a", encoding="utf-8") as f:
                f.write(line)
                f.flush()


def rough_tokens(data) -> int:
    return max(1, len(json.dumps(data, ensure_ascii=False)) // 4) if data else 1


def new_id(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:24]


def sample_from_schema(schema, depth: int = 0):
    """A small value that satisfies a JSON schema (for clients asking for structured output)."""
    if not isinstance(schema, dict) or depth > 8:
        return None
    if "enum" in schema and schema["enum"]:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf", "allOf"):
        if schema.get(key):
            return sample_from_schema(schema[key][0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), kind[0] if kind else None)
    kind = (kind or "").lower()
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        return {name: sample_from_schema(sub, depth + 1) for name, sub in props.items()}
    if kind == "array":
        item = sample_from_schema(schema.get("items"), depth + 1)
        return [item] if schema.get("minItems") else []
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)  # scores and counts are often 1-based
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return "mock"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mock-llm-api/1"
    sys_version = ""

    # set on the subclass by make_server
    reply_text: str = DEFAULT_REPLY
    recorder: Recorder = Recorder(None, False)
    is_proxy: bool = False
    intercept: bool = False
    websocket_enabled: bool = True
    main_port: int = 0
    quiet: bool = True

    def handle(self):
        self._requests = 0
        super().handle()
        if self._requests == 0 and not self.is_proxy:
            # A client that opened a connection and left without a request: over TLS 1.3 this is
            # usually a client that did not trust the certificate (it checks after the handshake).
            self.recorder.record({"event": "no_request", "client": self.client_address[0],
                                  "tls": self.server.ssl_context is not None})

    def log_message(self, fmt, *args):
        if not self.quiet:
            sys.stderr.write("mock-llm-api: %s %s\n" % (self.address_string(), fmt % args))

    # ---- plumbing ---------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline()
                if not size_line:
                    break
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _json_body(self, body: bytes):
        encoding = (self.headers.get("Content-Encoding") or "").lower()
        try:
            if encoding in ("gzip", "deflate"):
                body = zlib.decompress(body, 47)
            return json.loads(body) if body else {}
        except (ValueError, zlib.error):
            return {}  # e.g. zstd, which the standard library cannot read: answer anyway

    def _send_json(self, status: int, obj, extra_headers: dict | None = None) -> None:
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _start_sse(self, extra_headers: dict | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _sse(self, event: str | None, data) -> None:
        payload = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
        text = (f"event: {event}\n" if event else "") + f"data: {payload}\n\n"
        self._chunk(text.encode("utf-8"))

    def _end_sse(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _not_found(self, path: str) -> None:
        self._send_json(404, {"type": "error", "error": {
            "type": "not_found_error", "message": f"mock-llm-api: no route for {self.command} {path}",
            "code": "not_found"}})

    # ---- dispatch ---------------------------------------------------------------------------

    def _handle(self) -> None:
        if self.is_proxy and (self.command == "CONNECT" or not self.path.startswith("/")):
            self._proxy()
            return
        self._requests += 1
        body = self._read_body()
        url = urlsplit(self.path)
        path = url.path
        self.recorder.record({
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "client": self.client_address[0],
        }, body)
        req = self._json_body(body) if self.command in ("POST", "PUT", "PATCH") else {}
        if not isinstance(req, dict):
            req = {}
        # Accept both /v1/... and the same path without the version prefix.
        p = path[3:] if path.startswith("/v1/") else path
        anthropic = "anthropic-version" in self.headers or "x-api-key" in self.headers

        if self.command in ("HEAD", "GET") and path in ("/", ""):
            self._send_json(200, {"status": "ok", "service": "mock-llm-api"})
        elif self.command == "POST" and p == "/messages":
            self._anthropic_messages(req)
        elif self.command == "POST" and p == "/messages/count_tokens":
            self._send_json(200, {"input_tokens": rough_tokens(req.get("messages"))})
        elif (self.command == "GET" and p == "/responses" and self.websocket_enabled
              and "websocket" in (self.headers.get("Upgrade") or "").lower()):
            self._websocket(path)
        elif self.command == "POST" and p == "/responses":
            self._openai_responses(req)
        elif self.command == "POST" and p == "/chat/completions":
            self._openai_chat(req)
        elif self.command == "GET" and p == "/models":
            self._models(anthropic, url.query)
        elif self.command == "GET" and p.startswith("/models/"):
            self._model(anthropic, p[len("/models/"):])
        elif path.startswith("/v1beta/models") or path.startswith("/v1/models/") and ":" in path:
            self._gemini(path, req)
        elif path.startswith("/api/"):
            self._send_json(200, {})
        else:
            self._not_found(path)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    def do_CONNECT(self):
        self._requests += 1
        if self.is_proxy:
            self._proxy()
        else:
            self.recorder.record({"method": "CONNECT", "path": self.path,
                                  "headers": {k.lower(): v for k, v in self.headers.items()},
                                  "client": self.client_address[0]}, b"")
            self._send_json(405, {"error": "not a proxy"})

    # ---- Anthropic --------------------------------------------------------------------------

    def _anthropic_text(self, req) -> str:
        fmt = req.get("output_format") or (req.get("output_config") or {}).get("format")
        if isinstance(fmt, dict) and fmt.get("type") == "json_schema" and fmt.get("schema"):
            return json.dumps(sample_from_schema(fmt["schema"]))
        return self.reply_text

    def _wants_tool_call(self, req) -> bool:
        """--tool-command: the first turn of a conversation that offers the Bash tool asks for it."""
        if not self.tool_command or not any(t.get("name") == "Bash" for t in req.get("tools") or []):
            return False
        for message in req.get("messages") or []:
            content = message.get("content")
            if isinstance(content, list) and any(isinstance(c, dict) and c.get("type") == "tool_result" for c in content):
                return False
        return True

    def _anthropic_tool_call(self, req) -> None:
        model = req.get("model") or ANTHROPIC_MODELS[0]
        call = {"command": self.tool_command, "description": "Run the test's command"}
        tool_id = new_id("toolu_mock")
        headers = {"request-id": new_id("req_mock"), "anthropic-organization-id": "mock-org"}
        usage = {"input_tokens": rough_tokens(req.get("messages")), "output_tokens": 20,
                 "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
        if not req.get("stream"):
            self._send_json(200, {
                "id": new_id("msg_mock"), "type": "message", "role": "assistant", "model": model,
                "content": [{"type": "tool_use", "id": tool_id, "name": "Bash", "input": call}],
                "stop_reason": "tool_use", "stop_sequence": None, "usage": usage}, headers)
            return
        self._start_sse(headers)
        self._sse("message_start", {"type": "message_start", "message": {
            "id": new_id("msg_mock"), "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": None, "stop_sequence": None, "usage": usage}})
        self._sse("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {
            "type": "tool_use", "id": tool_id, "name": "Bash", "input": {}}})
        self._sse("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {
            "type": "input_json_delta", "partial_json": json.dumps(call)}})
        self._sse("content_block_stop", {"type": "content_block_stop", "index": 0})
        self._sse("message_delta", {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                                    "usage": {"output_tokens": 20}})
        self._sse("message_stop", {"type": "message_stop"})
        self._end_sse()

    def _anthropic_messages(self, req) -> None:
        if self.first_token_ms:
            time.sleep(self.first_token_ms / 1000)  # a real model's time to its first token
        if self._wants_tool_call(req):
            self._anthropic_tool_call(req)
            return
        model = req.get("model") or ANTHROPIC_MODELS[0]
        text = self._anthropic_text(req)
        in_tok = rough_tokens(req.get("messages")) + rough_tokens(req.get("system"))
        out_tok = rough_tokens(text)
        msg_id = new_id("msg_mock")
        headers = {"request-id": new_id("req_mock"), "anthropic-organization-id": "mock-org"}
        if not req.get("stream"):
            self._send_json(200, {
                "id": msg_id, "type": "message", "role": "assistant", "model": model,
                "content": [{"type": "text", "text": text}],
                "stop_reason": "end_turn", "stop_sequence": None,
                "usage": {"input_tokens": in_tok, "output_tokens": out_tok,
                          "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
            }, headers)
            return
        self._start_sse(headers)
        self._sse("message_start", {"type": "message_start", "message": {
            "id": msg_id, "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": in_tok, "output_tokens": 1,
                      "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}}})
        self._sse("content_block_start", {"type": "content_block_start", "index": 0,
                                          "content_block": {"type": "text", "text": ""}})
        self._sse("ping", {"type": "ping"})
        for piece in split_text(text):
            self._sse("content_block_delta", {"type": "content_block_delta", "index": 0,
                                              "delta": {"type": "text_delta", "text": piece}})
        self._sse("content_block_stop", {"type": "content_block_stop", "index": 0})
        self._sse("message_delta", {"type": "message_delta",
                                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                                    "usage": {"input_tokens": in_tok, "output_tokens": out_tok}})
        self._sse("message_stop", {"type": "message_stop"})
        self._end_sse()

    # ---- OpenAI -----------------------------------------------------------------------------

    def _openai_text(self, req) -> str:
        fmt = (req.get("text") or {}).get("format") if isinstance(req.get("text"), dict) else None
        if isinstance(fmt, dict) and fmt.get("type") == "json_schema" and fmt.get("schema"):
            return json.dumps(sample_from_schema(fmt["schema"]))
        rf = req.get("response_format")
        if isinstance(rf, dict) and rf.get("type") == "json_schema":
            return json.dumps(sample_from_schema((rf.get("json_schema") or {}).get("schema")))
        return self.reply_text

    def _responses_events(self, req) -> list[dict]:
        """The Responses API events for one request, as sent over SSE or a WebSocket."""
        model = req.get("model") or OPENAI_MODELS[0]
        resp_id, item_id, created = new_id("resp_mock"), new_id("msg_mock"), int(time.time())
        in_tok = rough_tokens(req.get("input")) + rough_tokens(req.get("instructions"))

        def response(status, output, usage):
            r = {"id": resp_id, "object": "response", "created_at": created, "status": status,
                 "model": model, "output": output, "error": None, "incomplete_details": None}
            if usage is not None:
                r["usage"] = usage
            return r

        def usage(out_tok):
            return {"input_tokens": in_tok, "input_tokens_details": {"cached_tokens": 0},
                    "output_tokens": out_tok, "output_tokens_details": {"reasoning_tokens": 0},
                    "total_tokens": in_tok + out_tok}

        events = [{"type": "response.created", "response": response("in_progress", [], None)}]
        if req.get("generate") is False:  # a WebSocket "prewarm": no output, just completed
            events.append({"type": "response.completed",
                           "response": response("completed", [], usage(0))})
        else:
            text = self._openai_text(req)
            item = {"id": item_id, "type": "message", "status": "completed", "role": "assistant",
                    "content": [{"type": "output_text", "text": text, "annotations": []}]}
            part = {"type": "output_text", "text": "", "annotations": []}
            where = {"item_id": item_id, "output_index": 0, "content_index": 0}
            events += [
                {"type": "response.in_progress", "response": response("in_progress", [], None)},
                {"type": "response.output_item.added", "output_index": 0,
                 "item": {**item, "status": "in_progress", "content": []}},
                {"type": "response.content_part.added", **where, "part": part}]
            events += [{"type": "response.output_text.delta", **where, "delta": piece}
                       for piece in split_text(text)]
            events += [
                {"type": "response.output_text.done", **where, "text": text},
                {"type": "response.content_part.done", **where, "part": {**part, "text": text}},
                {"type": "response.output_item.done", "output_index": 0, "item": item},
                {"type": "response.completed",
                 "response": response("completed", [item], usage(rough_tokens(text)))}]
        for n, e in enumerate(events):
            e["sequence_number"] = n
        return events

    def _openai_responses(self, req) -> None:
        events = self._responses_events(req)
        headers = {"x-request-id": new_id("req_mock"),
                   "openai-model": req.get("model") or OPENAI_MODELS[0]}
        if not req.get("stream"):
            done = events[-1]["response"]
            done["output_text"] = "".join(
                c.get("text", "") for o in done["output"] for c in o.get("content", []))
            self._send_json(200, done, headers)
            return
        self._start_sse(headers)
        for e in events:
            self._sse(e["type"], e)
        self._end_sse()

    # ---- WebSocket (the Responses API over a WebSocket, as Codex prefers) --------------------

    def _websocket(self, path: str) -> None:
        key = self.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1(
            (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode("ascii")).digest()).decode()
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.send_header("x-request-id", new_id("req_mock"))
        self.end_headers()  # no Sec-WebSocket-Extensions: frames stay uncompressed
        self.wfile.flush()
        self.close_connection = True
        message, message_op = b"", 0
        while True:
            frame = self._ws_read_frame()
            if frame is None:
                return
            fin, opcode, payload = frame
            if opcode == 8:
                self._ws_send(8, payload[:2])
                return
            if opcode == 9:
                self._ws_send(10, payload)
                continue
            if opcode in (1, 2):
                message, message_op = payload, opcode
            elif opcode == 0:
                message += payload
            else:
                continue
            if not fin:
                continue
            self.recorder.record({"event": "ws_message", "path": path,
                                  "client": self.client_address[0]}, message)
            try:
                req = json.loads(message) if message_op == 1 else {}
            except ValueError:
                req = {}
            if isinstance(req, dict) and req.get("type") == "response.create":
                for e in self._responses_events(req):
                    self._ws_send(1, json.dumps(e, separators=(",", ":")).encode("utf-8"))
            # anything else ("response.processed", ...) needs no answer

    def _ws_read_frame(self):
        def exact(n):
            data = self.rfile.read(n)
            return data if len(data) == n else None
        head = exact(2)
        if head is None:
            return None
        fin, opcode = head[0] & 0x80, head[0] & 0x0F
        masked, length = head[1] & 0x80, head[1] & 0x7F
        if length == 126:
            ext = exact(2)
            length = int.from_bytes(ext, "big") if ext else None
        elif length == 127:
            ext = exact(8)
            length = int.from_bytes(ext, "big") if ext else None
        if length is None:
            return None
        mask = exact(4) if masked else b"\0\0\0\0"
        payload = exact(length) if length else b""
        if mask is None or payload is None:
            return None
        if masked:
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        return bool(fin), opcode, payload

    def _ws_send(self, opcode: int, payload: bytes) -> None:
        n = len(payload)
        if n < 126:
            head = bytes([0x80 | opcode, n])
        elif n < 65536:
            head = bytes([0x80 | opcode, 126]) + n.to_bytes(2, "big")
        else:
            head = bytes([0x80 | opcode, 127]) + n.to_bytes(8, "big")
        self.wfile.write(head + payload)
        self.wfile.flush()

    def _openai_chat(self, req) -> None:
        model = req.get("model") or OPENAI_MODELS[0]
        text = self._openai_text(req)
        in_tok, out_tok = rough_tokens(req.get("messages")), rough_tokens(text)
        chat_id, created = new_id("chatcmpl-mock"), int(time.time())
        usage = {"prompt_tokens": in_tok, "completion_tokens": out_tok,
                 "total_tokens": in_tok + out_tok}
        if not req.get("stream"):
            self._send_json(200, {
                "id": chat_id, "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": text}}],
                "usage": usage})
            return
        self._start_sse()

        def chunk(delta, finish=None, with_usage=False):
            c = {"id": chat_id, "object": "chat.completion.chunk", "created": created,
                 "model": model, "choices": [{"index": 0, "delta": delta,
                                              "finish_reason": finish}]}
            if with_usage:
                c["usage"] = usage
            self._sse(None, c)

        chunk({"role": "assistant", "content": ""})
        for piece in split_text(text):
            chunk({"content": piece})
        chunk({}, "stop", True)
        self._sse(None, "[DONE]")
        self._end_sse()

    def _models(self, anthropic: bool, query: str) -> None:
        if anthropic:
            data = [{"type": "model", "id": m, "display_name": m,
                     "created_at": "2025-01-01T00:00:00Z"} for m in ANTHROPIC_MODELS]
            self._send_json(200, {"data": data, "has_more": False,
                                  "first_id": data[0]["id"], "last_id": data[-1]["id"]})
        else:
            data = [{"id": m, "object": "model", "created": 1735689600, "owned_by": "mock"}
                    for m in OPENAI_MODELS]
            # "models": [] is the shape of Codex's own model catalogue (an empty one means "use
            # the built-in defaults"); "data" is the OpenAI list shape.
            self._send_json(200, {"object": "list", "data": data, "models": []})

    def _model(self, anthropic: bool, name: str) -> None:
        if anthropic:
            self._send_json(200, {"type": "model", "id": name, "display_name": name,
                                  "created_at": "2025-01-01T00:00:00Z"})
        else:
            self._send_json(200, {"id": name, "object": "model", "created": 1735689600,
                                  "owned_by": "mock"})

    # ---- Gemini -----------------------------------------------------------------------------

    def _gemini(self, path: str, req) -> None:
        if self.command == "GET" and re.match(r"^/v1(?:beta|alpha)?/models/?$", path):
            self._send_json(200, {"models": [
                {"name": f"models/{m}", "displayName": m, "inputTokenLimit": 1048576,
                 "outputTokenLimit": 65536,
                 "supportedGenerationMethods": ["generateContent", "countTokens"]}
                for m in GEMINI_MODELS]})
            return
        m = re.match(r"^/v1(?:beta|alpha)?/models/([^:/]+)(?::([A-Za-z]+))?$", path)
        if not m:
            self._not_found(path)
            return
        model, method = m.group(1), m.group(2)
        if self.command == "GET" and method is None:
            self._send_json(200, {"name": f"models/{model}", "displayName": model})
            return
        gen = req.get("generationConfig") or req.get("generation_config") or {}
        in_tok = rough_tokens(req.get("contents")) + rough_tokens(req.get("systemInstruction"))
        if method == "countTokens":
            self._send_json(200, {"totalTokens": in_tok})
            return
        if method in ("embedContent", "batchEmbedContents"):
            vec = {"values": [0.0] * 8}
            n = len(req.get("requests") or [0])
            self._send_json(200, {"embeddings": [vec] * n} if method == "batchEmbedContents"
                            else {"embedding": vec})
            return
        if method not in ("generateContent", "streamGenerateContent"):
            self._not_found(path)
            return
        schema = gen.get("responseJsonSchema") or gen.get("responseSchema")
        if gen.get("responseMimeType") == "application/json" and schema:
            text = json.dumps(sample_from_schema(schema))
        else:
            text = self.reply_text
        out_tok = rough_tokens(text)
        usage = {"promptTokenCount": in_tok, "candidatesTokenCount": out_tok,
                 "totalTokenCount": in_tok + out_tok}

        def response(piece, final):
            cand = {"content": {"role": "model", "parts": [{"text": piece}]}, "index": 0}
            r = {"candidates": [cand], "modelVersion": model, "responseId": new_id("mock")}
            if final:
                cand["finishReason"] = "STOP"
                r["usageMetadata"] = usage
            return r

        if method == "generateContent":
            self._send_json(200, response(text, True))
            return
        query = parse_qs(urlsplit(self.path).query)
        pieces = split_text(text)
        if query.get("alt") == ["sse"]:
            self._start_sse()
            for i, piece in enumerate(pieces):
                self._sse(None, response(piece, i == len(pieces) - 1))
            self._end_sse()
        else:  # without alt=sse the stream is one JSON array
            self._send_json(200, [response(p, i == len(pieces) - 1) for i, p in enumerate(pieces)])

    # ---- proxy ------------------------------------------------------------------------------

    def _proxy(self) -> None:
        target = self.path
        if self.command == "CONNECT":
            host, _, port = target.rpartition(":")
        else:
            u = urlsplit(target)
            host, port = u.hostname or "", str(u.port or (443 if u.scheme == "https" else 80))
        self.recorder.record({"event": "proxy", "method": self.command, "path": target,
                              "host": host.strip("[]"), "port": port,
                              "headers": {k.lower(): v for k, v in self.headers.items()},
                              "client": self.client_address[0]})
        tunnel = self.intercept or host.lower() in PROXY_TUNNEL_HOSTS
        if self.command != "CONNECT" or not tunnel:
            self.close_connection = True
            self._send_json(403, {"error": f"mock-llm-api proxy: {target} is not reachable"},
                            {"Connection": "close"})
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", self.main_port), timeout=10)
        except OSError as e:
            self.close_connection = True
            self._send_json(502, {"error": str(e)}, {"Connection": "close"})
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        client = self.connection
        upstream.settimeout(None)
        client.settimeout(None)
        try:
            socks = [client, upstream]
            while True:
                readable, _, _ = select.select(socks, [], [], 300)
                if not readable:
                    break
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is client else client).sendall(data)
        except OSError:
            pass
        finally:
            upstream.close()


def split_text(text: str) -> list[str]:
    """The reply in a few pieces, so that streaming clients see more than one delta."""
    words = re.findall(r"\S+\s*|\s+", text) or [""]
    n = max(1, len(words) // 3)
    return ["".join(words[i:i + n]) for i in range(0, len(words), n)]


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, handler, ssl_context: ssl.SSLContext | None, recorder: Recorder):
        self.ssl_context = ssl_context
        self.recorder = recorder
        super().__init__(addr, handler)

    def finish_request(self, request, client_address):
        # Runs in the request's own thread: the TLS handshake happens here, not in accept().
        if self.ssl_context is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(30)
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as e:
            self.recorder.record({"event": "tls_error", "client": client_address[0],
                                  "error": str(e)})
            return
        tls.settimeout(None)
        try:
            super().finish_request(tls, client_address)
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, TimeoutError)):
            return  # the client went away
        super().handle_error(request, client_address)


def make_handler(reply: str, recorder: Recorder, is_proxy: bool, main_port: int, quiet: bool,
                 intercept: bool = False, websocket: bool = True, tool_command: str | None = None,
                 first_token_ms: int = 0):
    return type("BoundHandler", (Handler,), {
        "reply_text": reply, "recorder": recorder, "is_proxy": is_proxy,
        "main_port": main_port, "quiet": quiet, "intercept": intercept,
        "websocket_enabled": websocket, "tool_command": tool_command, "first_token_ms": first_token_ms})


def write_atomically(path: str, text: str) -> None:
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        prog="mock_llm_api.py",
        description="Mock Anthropic / OpenAI / Gemini model API for running real coding agents "
                    "in tests. Every prompt gets the same --reply.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one")
    p.add_argument("--cert", help="PEM certificate (chain) for HTTPS; without it, plain HTTP")
    p.add_argument("--key", help="PEM private key for --cert")
    p.add_argument("--record", metavar="FILE",
                   help="append one JSON line per request (method, path, headers, body_length)")
    p.add_argument("--record-bodies", action="store_true",
                   help="also record each request body in --record")
    p.add_argument("--port-file", metavar="FILE",
                   help="write the listening port here once the server is listening")
    p.add_argument("--reply", default=DEFAULT_REPLY,
                   help=f"the text the model answers (default: {DEFAULT_REPLY!r})")
    p.add_argument("--proxy-port", type=int, default=None,
                   help="also listen here (plain HTTP) as a recording HTTP proxy that tunnels "
                        "CONNECT to localhost/mock-llm.test to this server and refuses the rest; "
                        "0 picks a free port")
    p.add_argument("--proxy-intercept", action="store_true",
                   help="tunnel every CONNECT, whatever its host, to this server")
    p.add_argument("--proxy-port-file", metavar="FILE",
                   help="write the proxy's port here once it is listening")
    p.add_argument("--no-websocket", action="store_true",
                   help="answer the Responses API's WebSocket upgrade with 404 (clients then "
                        "fall back to SSE over HTTPS, after retrying)")
    p.add_argument("--tool-command", metavar="CMD",
                   help="Messages API: the first turn that offers the Bash tool asks the agent to run CMD "
                        "with it; the turn with its result gets --reply")
    p.add_argument("--first-token-ms", type=int, default=0, metavar="MS",
                   help="Messages API: wait this long before answering, as a real model takes to its first token")
    p.add_argument("--verbose", action="store_true", help="log each request to stderr")
    args = p.parse_args(argv)
    if bool(args.cert) != bool(args.key):
        p.error("--cert and --key go together")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    recorder = Recorder(args.record, args.record_bodies)
    ctx = None
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        ctx.set_alpn_protocols(["http/1.1"])
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    Server.address_family = family
    main_server = Server((args.host, args.port), None, ctx, recorder)
    port = main_server.server_address[1]
    main_server.RequestHandlerClass = make_handler(args.reply, recorder, False, port,
                                                   not args.verbose, False,
                                                   not args.no_websocket, args.tool_command,
                                                   args.first_token_ms)
    servers = [main_server]
    if args.proxy_port is not None:
        proxy = Server((args.host, args.proxy_port),
                       make_handler(args.reply, recorder, True, port, not args.verbose,
                                    args.proxy_intercept),
                       None, recorder)
        servers.append(proxy)

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2},
                                daemon=True) for s in servers]
    for t in threads:
        t.start()
    scheme = "https" if ctx else "http"
    if args.port_file:
        write_atomically(args.port_file, f"{port}\n")
    if len(servers) > 1:
        pport = servers[1].server_address[1]
        if args.proxy_port_file:
            write_atomically(args.proxy_port_file, f"{pport}\n")
        print(f"mock-llm-api: proxy on http://{args.host}:{pport}", file=sys.stderr, flush=True)
    print(f"mock-llm-api: listening on {scheme}://{args.host}:{port}", file=sys.stderr, flush=True)
    stop.wait()
    for s in servers:
        s.shutdown()
        s.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
