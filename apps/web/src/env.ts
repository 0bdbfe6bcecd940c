// The dashboard's configuration, read in one place: the API base URL (build-time VITE_API_URL, or `?api=` in
// the page URL, else the page's own origin, which is what `coinsphere serve` gives). Browser-only.

/** Where the dashboard finds the API, without a trailing slash. */
export interface WebEnv {
  apiBaseUrl: string;
}

/** The ?api= (or VITE_API_URL) value is not an http(s) URL; the message says so in words, with an example. */
export class BadApiUrlError extends Error {
  override name = 'BadApiUrlError';
}

/**
 * Reads and validates the configuration. `?api=` wins over VITE_API_URL so one static build can be pointed at
 * any deployment. Throws when the value is not an http(s) URL, naming it and an example.
 */
export function readWebEnv(location: Location, buildApiUrl: string | undefined = import.meta.env.VITE_API_URL): WebEnv {
  const raw = new URLSearchParams(location.search).get('api') ?? buildApiUrl ?? location.origin;
  let url: URL;
  try {
    url = new URL(raw, location.origin);
  } catch (cause) {
    throw new BadApiUrlError(`the API address "${raw}" is not a web address. Pass one such as ?api=http://127.0.0.1:8787, or leave ?api= out to use this page's own server.`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BadApiUrlError(`the API address "${raw}" must start with http:// or https://, e.g. ?api=https://api.example.com, or leave ?api= out to use this page's own server.`);
  }
  return { apiBaseUrl: url.href.replace(/\/+$/, '') };
}
