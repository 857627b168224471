import { AiPanel } from "./AiPanel";
import { Items } from "./Items";
import { Title } from "./Title";

export function App() {
  return (
    <main>
      <Title />
      <p className="lead">
        FastAPI, React, PostgreSQL and Ollama behind one port: everything on this page came through farm's proxy.
      </p>
      <div className="panels">
        <Items />
        <AiPanel />
      </div>
    </main>
  );
}
