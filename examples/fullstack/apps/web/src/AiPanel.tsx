import { useState, type FormEvent } from "react";
import type { GenerateRequest } from "./api/generated";

type Route = "api" | "ollama";

/**
 * Asks the local model and shows its answer token by token, either through the API (/api/ai/generate re-streams
 * Ollama's tokens as plain text) or straight from Ollama through the proxy (/ollama/generate, NDJSON).
 */
export function AiPanel() {
  const [prompt, setPrompt] = useState("Say hello");
  const [route, setRoute] = useState<Route>("api");
  const [answer, setAnswer] = useState("");
  const [status, setStatus] = useState("idle");

  const ask = async (e: FormEvent) => {
    e.preventDefault();
    setAnswer("");
    setStatus("streaming");
    const request: GenerateRequest = { prompt, model: "llama3.1" };
    try {
      const url = route === "api" ? "/api/ai/generate" : "/ollama/generate";
      const body = route === "api" ? request : { ...request, stream: true };
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok || !response.body) {
        setStatus(`failed: HTTP ${response.status} ${await response.text()}`);
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let pending = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (route === "api") {
          setAnswer((text) => text + value);
        } else {
          pending += value;
          const lines = pending.split("\n");
          pending = lines.pop() ?? "";
          for (const line of lines.filter((l) => l.trim() !== "")) {
            const token = (JSON.parse(line) as { response?: string }).response ?? "";
            setAnswer((text) => text + token);
          }
        }
      }
      setStatus("done");
    } catch (error) {
      setStatus(`failed: ${String(error)}`);
    }
  };

  return (
    <section className="panel">
      <h2>Ask the local model</h2>
      <form onSubmit={ask}>
        <input data-testid="prompt" value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        <select data-testid="route" value={route} onChange={(e) => setRoute(e.target.value as Route)}>
          <option value="api">via /api/ai/generate</option>
          <option value="ollama">via /ollama</option>
        </select>
        <button type="submit" data-testid="ask" disabled={status === "streaming"}>
          Ask
        </button>
      </form>
      <pre className="answer" data-testid="answer" data-status={status}>
        {answer}
      </pre>
      <p className="status">{status}</p>
    </section>
  );
}
