import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlflowClient, MlflowError, toMlflowKey } from './mlflow.ts';
import { startMlflowTestServer, type MlflowTestServer } from './mlflow-test-server.ts';

describe('MlflowClient against a local server speaking the MLflow REST API', () => {
  let server: MlflowTestServer;
  beforeAll(async () => {
    server = await startMlflowTestServer();
  });
  afterAll(() => server.close());

  it('creates the experiment once and reuses it', async () => {
    const client = new MlflowClient(server.url);
    const a = await client.ensureExperiment('coinsphere');
    const b = await client.ensureExperiment('coinsphere');
    expect(a).toBe(b);
    expect(server.experiments.get('coinsphere')).toBe(a);
  });

  it('logs params, per-epoch metrics in batches within the limits, and terminates the run', async () => {
    const client = new MlflowClient(server.url);
    const exp = await client.ensureExperiment('batches');
    const runId = await client.createRun(exp, 'BTC-7d', { symbol: 'BTC' });
    const metrics = Array.from({ length: 2500 }, (_, i) => ({ key: 'val loss(ce)', value: 1 / (i + 1), step: i, timestamp: 1 }));
    const params = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, { n: i }]));
    await client.logBatch(runId, params, metrics);
    await client.setTerminated(runId, 'FINISHED');
    const run = server.runs.get(runId)!;
    expect(run.tags.symbol).toBe('BTC');
    expect(Object.keys(run.params)).toHaveLength(150);
    expect(run.params.p7).toBe('{"n":7}');
    expect(run.metrics).toHaveLength(2500);
    expect(run.metrics[0]!.key).toBe(toMlflowKey('val loss(ce)'));
    expect(run.status).toBe('FINISHED');
  });

  it('surfaces MLflow errors with their error code', async () => {
    const client = new MlflowClient(server.url);
    const error = await client.setTerminated('nope', 'FAILED').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlflowError);
    expect((error as MlflowError).errorCode).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((error as MlflowError).status).toBe(404);
  });
});
