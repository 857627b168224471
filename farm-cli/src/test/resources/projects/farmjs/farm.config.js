// FARM stack configuration: FastAPI + AI/ML + React + MongoDB/PostgreSQL.
// `farm dev` evaluates this file with Node.js and runs the stack it describes.

/** @typedef {import('@farm/core').FarmConfig} FarmConfig */

/** @param {FarmConfig} config */
function defineConfig(config) {
  return config;
}

export default defineConfig({
  name: 'farmjs-sample',
  template: 'ai-chat',
  features: ['auth', 'ai'],

  database: {
    type: 'postgresql',
    url: process.env.DATABASE_URL || 'postgresql://localhost:5432/farmjs_sample',
  },

  ai: {
    providers: {
      ollama: {
        enabled: true,
        url: 'http://localhost:11434',
        models: ['llama3.1', 'codestral'],
        defaultModel: 'llama3.1',
        autoPull: ['llama3.1', 'nomic-embed-text'],
      },
      openai: {
        enabled: false,
        apiKey: process.env.OPENAI_API_KEY,
        models: ['gpt-4o-mini'],
      },
    },
    routing: {
      development: 'ollama',
      production: 'openai',
    },
  },

  development: {
    ports: {
      frontend: 3000,
      backend: 8000,
      proxy: 4100,
      ollama: 11434,
    },
    hotReload: true,
  },

  build: {
    target: 'node18',
    sourcemap: true,
  },
});
