"""The API's Pydantic models. farm regenerates apps/web/src/api/generated.ts from /openapi.json when this file changes:
add a field to Item, save, and the web app's types have it a moment later."""
from typing import Literal

from pydantic import BaseModel, Field


class ItemCreate(BaseModel):
    """What a client sends to add an item."""

    name: str = Field(min_length=1, max_length=200)


class Item(ItemCreate):
    """An item as stored in PostgreSQL."""

    id: int


class ItemEvent(BaseModel):
    """What the /ws WebSocket broadcasts when an item is added or deleted."""

    type: Literal["created", "deleted"]
    item: Item


class GenerateRequest(BaseModel):
    """A prompt for the local model."""

    prompt: str = Field(min_length=1)
    model: str = "llama3.1"
