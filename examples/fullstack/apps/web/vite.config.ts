import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// farm runs Vite behind its proxy (farm.yaml: the route "/"), and the page is opened at the proxy's port. Vite's HMR
// client connects its websocket to the port the page came from, so HMR goes through the proxy as well; nothing here
// names the proxy's port, which farm may choose (farm dev --port N). Host and port come from farm.yaml's command.
export default defineConfig({
  plugins: [react()],
  server: {
    strictPort: true,
  },
});
