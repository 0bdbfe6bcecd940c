// `coinsphere predict` over a registry in a project folder (embedded database and artifacts root, as a user has
// them): the served model is verified as a whole against the digest registered with it, and its location is read
// under the project's own artifacts root, so a copied project reads its own files. A seeded tiny model saved in the
// real artifact format and registered the way training registers it; the database is a real PGlite.
import { listModels, modelsToUpgrade, openDatabase, registerModel, updateModelArtifact, upgradeModelRows, upsertCandles, type Database } from '@coinsphere/data';
import { ARTIFACT_FILES, buildModel, DEFAULT_TRAINING_CONFIG, makeSyntheticCandles, metadataFromDataset, prepareDataset, saveArtifact, type ModelConfig } from '@coinsphere/model';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDir, registrationOf, writeArtifactFiles } from '../artifact-files.ts';
import { openProjectDatabase } from '../cli/database.ts';
import { predictServed } from './predict.ts';

const TINY: ModelConfig = { windowBars: 10, nFeatures: 20, lstmUnits: [8, 8, 4], denseUnits: 4, nClasses: 3, dropout: 0.2 };
const candles = makeSyntheticCandles(300, 4);
let work: string;

/** The files of a tiny seeded model of TEST at 7 days, version `version`, and its metadata as written. */
async function tinyArtifact(version: string) {
  const ds = prepareDataset(candles, { horizonDays: 7, windowBars: TINY.windowBars });
  const model = buildModel(TINY, 9);
  const files = new Map<string, Uint8Array | string>();
  const input = metadataFromDataset(ds, { symbol: 'TEST', modelVersion: version, dataSource: 'synthetic', modelConfig: TINY, trainingConfig: DEFAULT_TRAINING_CONFIG, metrics: null, temperature: 1.4 });
  const metadata = await saveArtifact(model, input, async (name, data) => void files.set(name, data));
  model.dispose();
  return { files, metadata: metadata as unknown as Record<string, unknown> };
}

/** A project folder: its embedded database with TEST's candles and the model registered as `train` does. */
async function makeProject(name: string): Promise<void> {
  const p = projectAt(name);
  const db = await openDatabase(p.db);
  try {
    await upsertCandles(db, candles.map((k) => ({ ...k, symbol: 'TEST', interval: '1d' as const, source: 'synthetic' })));
    const { files, metadata } = await tinyArtifact('v1');
    const dir = artifactDir(p.artifacts, 'TEST', 7, 'v1');
    const registration = await registrationOf(p.artifacts, dir, files);
    await writeArtifactFiles(dir, files);
    await registerModel(db.orm, { symbol: 'TEST', horizonDays: 7, version: 'v1', ...registration, metrics: {}, metadata });
  } finally {
    await db.close();
  }
}

/** Opens the project's database as every command does (migrated, rows upgraded against its artifacts root). */
async function withProject<T>(p: { db: string; artifacts: string }, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openProjectDatabase({ db: p.db }, p.artifacts);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

function editTemperature(path: string, temperature: number): void {
  const m = JSON.parse(readFileSync(path, 'utf8')) as { temperature: number };
  m.temperature = temperature;
  writeFileSync(path, `${JSON.stringify(m, null, 2)}\n`);
}

/** A project folder `name`'s paths. */
const projectAt = (name: string) => ({ root: join(work, name), db: join(work, name, '.coinsphere', 'db'), artifacts: join(work, name, 'artifacts') });

/** A copy of the original project (cp -a proj proj2). */
function copyProject(name: string) {
  cpSync(projectAt('original').root, projectAt(name).root, { recursive: true });
  return projectAt(name);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cs-predict-'));
  await makeProject('original');
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('predict: the artifact is verified as a whole against its registered digest', () => {
  it('refuses a served model whose metadata.json was edited after registration (temperature 0.05), naming the model, the field and the fix', async () => {
    const p = copyProject('edited');
    const refused = await withProject(p, async (db) => {
      expect((await predictServed(db, 'TEST', 7, { artifactsRoot: p.artifacts })).modelVersion).toBe('v1'); // before the edit
      editTemperature(join(p.artifacts, 'TEST', '7d', 'v1', ARTIFACT_FILES.metadata), 0.05);
      return predictServed(db, 'TEST', 7, { artifactsRoot: p.artifacts }).catch((e: unknown) => e as Error);
    });
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/metadata\.json of model TEST 7d v1 has sha256 [0-9a-f]{64} but the registry records [0-9a-f]{64}/);
    expect((refused as Error).message).toContain('temperature (registered 1.4, now 0.05)');
    expect((refused as Error).message).toMatch(/Retrain it \(`coinsphere train/);
  });
});

describe('predict: locations are relative to the artifacts root', () => {
  it('a copied project reads its own artifacts, not the original folder', async () => {
    const copy = copyProject('copy');
    rmSync(join(copy.artifacts, '..', '..', 'original', 'artifacts'), { recursive: true, force: true }); // the original's files are gone: only the copy's can serve
    const out = await withProject(copy, (db) => predictServed(db, 'TEST', 7, { artifactsRoot: copy.artifacts }));
    expect(out.artifactDir).toBe(join(copy.artifacts, 'TEST', '7d', 'v1'));
    expect(out.modelVersion).toBe('v1');
  });

  it('upgrades rows from before: an absolute location under the root turns relative, an unchanged artifact gets its digest, an edited one is refused', async () => {
    const p = projectAt('old');
    const db = await openDatabase(p.db);
    try {
      await upsertCandles(db, candles.map((k) => ({ ...k, symbol: 'TEST', interval: '1d' as const, source: 'synthetic' })));
      for (const [h, version] of [[7, 'v-old'], [14, 'v-edited']] as const) {
        const { files, metadata } = await tinyArtifact(version);
        const dir = artifactDir(p.artifacts, 'TEST', 7, version);
        await writeArtifactFiles(dir, files);
        await registerModel(db.orm, { symbol: 'TEST', horizonDays: h, version, location: dir, digest: null, metrics: {}, metadata }); // as rows were registered before
      }
      editTemperature(join(p.artifacts, 'TEST', '7d', 'v-edited', ARTIFACT_FILES.metadata), 0.05);
      await upgradeModelRows(db.orm, p.artifacts); // what every command does on opening the database
      const left = await modelsToUpgrade(db.orm);
      expect(left.map((m) => [m.version, m.location, m.digest])).toEqual([['v-edited', 'TEST/7d/v-edited', null]]); // relocated, but no digest for the edited one
    } finally {
      await db.close();
    }
    cpSync(p.root, projectAt('old-copy').root, { recursive: true });
    const copy = projectAt('old-copy');
    await withProject(copy, async (c) => {
      expect((await predictServed(c, 'TEST', 7, { artifactsRoot: copy.artifacts })).artifactDir).toBe(join(copy.artifacts, 'TEST', '7d', 'v-old'));
      const refused = predictServed(c, 'TEST', 14, { artifactsRoot: copy.artifacts });
      await expect(refused).rejects.toThrow(/Model TEST 14d v-edited is registered without an artifact digest, so its metadata\.json cannot be verified and is not used\. Retrain it/);
    });
  });

  it('refuses an absolute location outside the artifacts root, naming it and the fix', async () => {
    const p = copyProject('elsewhere');
    const outside = join(p.artifacts, 'TEST', '7d', 'v1');
    const other = join(work, 'other-root');
    const refused = await withProject({ db: p.db, artifacts: other }, async (db) => {
      await updateModelArtifact(db.orm, (await listModels(db.orm))[0]!.id, { location: outside }); // an old row that names another folder
      return predictServed(db, 'TEST', 7, { artifactsRoot: other }).catch((e: unknown) => e as Error);
    });
    expect((refused as Error).message).toContain(`Model TEST 7d v1 is registered at ${outside}, outside this project's artifacts root ${other}`);
    expect((refused as Error).message).toMatch(/set COINSPHERE_ARTIFACTS to the root it lies under, or retrain here \(coinsphere train\)/);
  });
});
