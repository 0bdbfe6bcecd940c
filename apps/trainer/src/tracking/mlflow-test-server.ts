// A local MLflow tracking server for tests: the REST API 2.0 endpoints the trainer uses, with MLflow's
// response shapes, its error format ({ error_code, message }) and its validation of required fields.
// It keeps runs in memory so a test can read back what was logged. Test-only; never imported by the product.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface StoredRun {
  runId: string;
  experimentId: string;
  runName: string;
  status: string;
  tags: Record<string, string>;
  params: Record<string, string>;
  metrics: Array<{ key: string; value: number; step: number; timestamp: number }>;
  endTime?: number;
}

export interface MlflowTestServer {
  url: string;
  experiments: Map<string, string>;
  runs: Map<string, StoredRun>;
  close: () => Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Starts the server on 127.0.0.1 on a free port. */
export async function startMlflowTestServer(): Promise<MlflowTestServer> {
  const experiments = new Map<string, string>();
  const runs = new Map<string, StoredRun>();
  let nextId = 1;
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, code: string, message: string) => send(status, { error_code: code, message });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace('/api/2.0/mlflow/', '');
    const body = req.method === 'POST' ? await readJson(req) : {};
    const run = typeof body.run_id === 'string' ? runs.get(body.run_id) : undefined;
    const needRun = () => {
      if (!run) fail(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${String(body.run_id)}' not found`);
      return run;
    };
    switch (`${req.method} ${path}`) {
      case 'GET experiments/get-by-name': {
        const name = url.searchParams.get('experiment_name') ?? '';
        const id = experiments.get(name);
        if (!id) return fail(404, 'RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'`);
        return send(200, { experiment: { experiment_id: id, name, lifecycle_stage: 'active' } });
      }
      case 'POST experiments/create': {
        if (typeof body.name !== 'string') return fail(400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'name'");
        const id = String(nextId++);
        experiments.set(body.name, id);
        return send(200, { experiment_id: id });
      }
      case 'POST runs/create': {
        const experimentId = String(body.experiment_id ?? '');
        if (![...experiments.values()].includes(experimentId)) return fail(404, 'RESOURCE_DOES_NOT_EXIST', 'No experiment');
        const runId = `run${nextId++}`;
        const tags = Object.fromEntries(((body.tags ?? []) as Array<{ key: string; value: string }>).map((t) => [t.key, t.value]));
        runs.set(runId, { runId, experimentId, runName: String(body.run_name ?? ''), status: 'RUNNING', tags, params: {}, metrics: [] });
        return send(200, { run: { info: { run_id: runId, experiment_id: experimentId, status: 'RUNNING' }, data: {} } });
      }
      case 'POST runs/log-metric': {
        const r = needRun();
        if (!r) return;
        if (typeof body.value !== 'number' || typeof body.key !== 'string') return fail(400, 'INVALID_PARAMETER_VALUE', 'key and value are required');
        r.metrics.push({ key: body.key, value: body.value, step: Number(body.step ?? 0), timestamp: Number(body.timestamp) });
        return send(200, {});
      }
      case 'POST runs/log-batch': {
        const r = needRun();
        if (!r) return;
        const metrics = (body.metrics ?? []) as StoredRun['metrics'];
        const params = (body.params ?? []) as Array<{ key: string; value: string }>;
        if (metrics.length > 1000 || params.length > 100) return fail(400, 'INVALID_PARAMETER_VALUE', 'A batch logging request can contain at most 1000 metrics and 100 params');
        for (const p of params) {
          if (r.params[p.key] !== undefined && r.params[p.key] !== p.value) return fail(400, 'INVALID_PARAMETER_VALUE', `Changing param values is not allowed. Param with key='${p.key}' was already logged`);
          r.params[p.key] = p.value;
        }
        r.metrics.push(...metrics);
        return send(200, {});
      }
      case 'POST runs/update': {
        const r = needRun();
        if (!r) return;
        r.status = String(body.status);
        r.endTime = Number(body.end_time);
        return send(200, { run_info: { run_id: r.runId, status: r.status } });
      }
      default:
        return fail(404, 'ENDPOINT_NOT_FOUND', `No endpoint ${req.method} ${path}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    experiments,
    runs,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
