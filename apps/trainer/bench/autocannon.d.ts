// The slice of autocannon's API the benches use (the package ships no types).
declare module 'autocannon' {
  interface Histogram {
    average: number;
    p50: number;
    p99: number;
  }
  interface Result {
    requests: Histogram;
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    /** Responses by status code, e.g. { '200': { count }, '503': { count } }. */
    statusCodeStats?: Record<string, { count: number }>;
  }
  function autocannon(opts: { url: string; connections?: number; duration?: number; pipelining?: number; method?: string; headers?: Record<string, string>; body?: string }): Promise<Result>;
  export default autocannon;
}
