// The dashboard's configuration, read in one place: the API base URL (build-time VITE_API_URL, or `?api=` in
// the page URL, else the page's own origin, which is what `coinsphere serve` gives). Browser-only.

/** Where the dashboard finds the API, without a trailing slash. */
export interface WebEnv {
  apiBaseUrl: string;
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
    throw new Error(`API URL "${raw}" is not a URL. Pass ?api=http://127.0.0.1:8787 or leave it out to use this page's origin.`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`API URL "${raw}" must use http or https, e.g. ?api=https://api.example.com.`);
  }
  return { apiBaseUrl: url.href.replace(/\/+$/, '') };
}
