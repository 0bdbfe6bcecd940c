// Types of what Vite injects: import.meta.env and `?url` imports.
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** API base URL baked into a build deployed apart from the API, e.g. https://api.example.com. */
  readonly VITE_API_URL?: string;
}
