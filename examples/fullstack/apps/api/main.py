"""The FARM example's API: items in PostgreSQL, a WebSocket that broadcasts their changes, and an AI route that
re-streams Ollama's tokens as they come.

farm runs it without --reload (see farm.yaml): farm's watch restarts uvicorn when a .py file changes, so farm knows
when the backend is down and its proxy holds requests meanwhile.
"""
import asyncio
import json
import os
import urllib.error
import urllib.request
from contextlib import contextmanager
from typing import Iterator, List, Set

import psycopg2
import psycopg2.extras
import uvicorn
from fastapi import FastAPI, HTTPException, Request, WebSocket, WebSocketDisconnect
from fastapi.openapi.utils import get_openapi
from fastapi.responses import StreamingResponse

from models import GenerateRequest, Item, ItemCreate, ItemEvent



def _end_lost_websockets() -> None:
    """uvicorn before 0.20 with wsproto (Debian 12's python3-uvicorn 0.17) never tells the app that a WebSocket whose
    client vanished without a close frame is gone: its handler waits forever, and so does uvicorn's graceful shutdown,
    until farm's stop_timeout kills it. A page that reloads, or React's StrictMode mounting twice, leaves such sockets.
    Later uvicorn releases send the disconnect themselves; this does it for the old ones."""
    try:
        from uvicorn.protocols.websockets.wsproto_impl import WSProtocol
    except ImportError:
        return
    if tuple(int(part) for part in uvicorn.__version__.split(".")[:2]) >= (0, 20):
        return
    lost = WSProtocol.connection_lost

    def connection_lost(self, exc):
        if exc is None:
            self.queue.put_nowait({"type": "websocket.disconnect", "code": 1006})
        lost(self, exc)

    WSProtocol.connection_lost = connection_lost


_end_lost_websockets()

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://app@127.0.0.1:55432/app")
OLLAMA_URL = os.environ.get("OLLAMA_URL", "http://127.0.0.1:11434").rstrip("/")

# Operation ids are the functions' names, so the generated client has listItems-like names: list_items, create_item.
app = FastAPI(title="FARM example", generate_unique_id_function=lambda route: route.name)
sockets: Set[WebSocket] = set()


def openapi() -> dict:
    """FastAPI's document, plus ItemEvent: OpenAPI has no place for WebSocket messages, but the web app wants its type."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        event = ItemEvent.schema(ref_template="#/components/schemas/{model}")
        event.pop("definitions", None)
        schema["components"]["schemas"]["ItemEvent"] = event
        app.openapi_schema = schema
    return app.openapi_schema


app.openapi = openapi


@contextmanager
def database() -> Iterator["psycopg2.extensions.cursor"]:
    connection = psycopg2.connect(DATABASE_URL, connect_timeout=5)
    try:
        with connection:
            with connection.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cursor:
                yield cursor
    finally:
        connection.close()


@app.middleware("http")
async def served_by(request: Request, call_next):
    """Names the process that answered, so a client can tell the answers of two backend runs apart."""
    response = await call_next(request)
    response.headers["X-Served-By"] = str(os.getpid())
    return response


@app.get("/health")
def health() -> dict:
    with database() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "pid": os.getpid()}


@app.get("/api/items", response_model=List[Item])
def list_items() -> List[Item]:
    with database() as cursor:
        cursor.execute("SELECT id, name FROM items ORDER BY id")
        return [Item(**row) for row in cursor.fetchall()]


@app.post("/api/items", response_model=Item, status_code=201)
async def create_item(body: ItemCreate) -> Item:
    item = await asyncio.to_thread(insert_item, body)
    await broadcast(ItemEvent(type="created", item=item))
    return item


@app.delete("/api/items/{item_id}", response_model=Item)
async def delete_item(item_id: int) -> Item:
    item = await asyncio.to_thread(remove_item, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail=f"no item {item_id}")
    await broadcast(ItemEvent(type="deleted", item=item))
    return item


def insert_item(body: ItemCreate) -> Item:
    with database() as cursor:
        cursor.execute("INSERT INTO items (name) VALUES (%s) RETURNING id, name", (body.name,))
        return Item(**cursor.fetchone())


def remove_item(item_id: int):
    with database() as cursor:
        cursor.execute("DELETE FROM items WHERE id = %s RETURNING id, name", (item_id,))
        row = cursor.fetchone()
        return Item(**row) if row else None


@app.websocket("/ws")
async def events(socket: WebSocket) -> None:
    """Sends every item change to every connected page, as JSON ItemEvents."""
    await socket.accept()
    sockets.add(socket)
    try:
        while True:
            await socket.receive_text()  # pages send nothing; this notices when they leave
    except WebSocketDisconnect:
        pass
    finally:
        sockets.discard(socket)


async def broadcast(event: ItemEvent) -> None:
    message = event.json()
    for socket in list(sockets):
        try:
            await socket.send_text(message)
        except Exception:  # a page that left meanwhile
            sockets.discard(socket)


@app.post(
    "/api/ai/generate",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "the tokens, as they come"}},
)
def generate(body: GenerateRequest) -> StreamingResponse:
    """Asks Ollama to generate, and passes its tokens on as plain text, each as soon as it arrives."""
    request = urllib.request.Request(
        OLLAMA_URL + "/api/generate",
        data=json.dumps({"model": body.model, "prompt": body.prompt, "stream": True}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        upstream = urllib.request.urlopen(request, timeout=300)
    except urllib.error.HTTPError as e:
        raise HTTPException(status_code=502, detail=f"Ollama at {OLLAMA_URL} answered {e.code}: {e.read().decode()}")
    except OSError as e:
        raise HTTPException(status_code=502, detail=f"cannot reach Ollama at {OLLAMA_URL}: {e}")

    def tokens() -> Iterator[bytes]:
        with upstream:
            for line in upstream:  # Ollama streams NDJSON: one {"response": "...", "done": false} per token
                if not line.strip():
                    continue
                chunk = json.loads(line)
                if chunk.get("error"):
                    yield ("\n[error: " + chunk["error"] + "]").encode()
                    return
                if chunk.get("response"):
                    yield chunk["response"].encode()
                if chunk.get("done"):
                    return

    return StreamingResponse(tokens(), media_type="text/plain; charset=utf-8")
