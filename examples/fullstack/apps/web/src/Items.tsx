import { useEffect, useState, type FormEvent } from "react";
import { create_item, delete_item, list_items, type Item, type ItemEvent } from "./api/generated";
import { listen, type LiveState } from "./live";

/** The items in PostgreSQL, read and changed through the generated client, kept fresh by /ws broadcasts. */
export function Items() {
  const [items, setItems] = useState<Item[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [name, setName] = useState("");
  const [live, setLive] = useState<LiveState>({ connected: false, connects: 0, events: 0 });

  useEffect(() => {
    list_items().then(
      (result) => setItems(result.data),
      (e: unknown) => setError(String(e)),
    );
    return listen((event: ItemEvent) => {
      setItems((current) => apply(current ?? [], event));
    }, setLive);
  }, []);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const result = await create_item({ body: { name } });
    if (result.status === 201) {
      setName("");
      setItems((current) => apply(current ?? [], { type: "created", item: result.data }));
    } else {
      setError(result.data.detail?.map((d) => d.msg).join("; ") ?? `HTTP ${result.status}`);
    }
  };

  return (
    <section className="panel">
      <h2>Items</h2>
      <p className="live" data-testid="live" data-connects={live.connects} data-events={live.events}>
        {live.connected ? "● live" : "○ reconnecting…"} (connected {live.connects}×, {live.events} events)
      </p>
      {error && <p className="error">{error}</p>}
      {items === undefined ? (
        <p>Loading…</p>
      ) : (
        <ul data-testid="items">
          {items.map((item) => (
            <li key={item.id} data-id={item.id}>
              <span>{item.name}</span>
              <button aria-label={`delete ${item.name}`} onClick={() => delete_item({ path: { item_id: item.id } })}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add}>
        <input data-testid="new-item" value={name} onChange={(e) => setName(e.target.value)} placeholder="New item" />
        <button type="submit" disabled={name.trim() === ""}>
          Add
        </button>
      </form>
    </section>
  );
}

function apply(items: Item[], event: ItemEvent): Item[] {
  const others = items.filter((item) => item.id !== event.item.id);
  return event.type === "deleted" ? others : [...others, event.item].sort((a, b) => a.id - b.id);
}
