import type { ItemEvent } from "./api/generated";

/** What the page knows about its /ws connection. */
export type LiveState = { connected: boolean; connects: number; events: number };

/**
 * Listens to the API's /ws WebSocket (through the proxy, on the page's own port) and reconnects when it drops, as it
 * does whenever farm restarts the API after a .py change. Returns a function that stops it.
 */
export function listen(onEvent: (event: ItemEvent) => void, onState: (state: LiveState) => void): () => void {
  const state: LiveState = { connected: false, connects: 0, events: 0 };
  let socket: WebSocket | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const connect = () => {
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
    socket = new WebSocket(url);
    socket.onopen = () => {
      state.connected = true;
      state.connects += 1;
      onState({ ...state });
    };
    socket.onmessage = (message) => {
      state.events += 1;
      onState({ ...state });
      onEvent(JSON.parse(message.data) as ItemEvent);
    };
    socket.onclose = () => {
      if (state.connected) {
        state.connected = false;
        onState({ ...state });
      }
      if (!stopped) {
        retry = setTimeout(connect, 250);
      }
    };
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    socket?.close();
  };
}
