// Brings registry rows from before relative locations and artifact digests up to date, given the artifacts root the
// CLI runs with (every command opens the database through it): an absolute location under the root becomes relative,
// and a row without a digest gets one when its artifact's metadata.json still holds exactly the metadata registered
// with it (the `metadata` column keeps that copy), so an unchanged artifact keeps serving and an edited one does not.
// Rows it cannot bring up to date are left as they are; every loader refuses them naming the fix. Node only (fs).
import { artifactDigest, ARTIFACT_FILES, sameMetadata } from '@coinsphere/model/core';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { modelLabel, relativeToRoot } from './artifact-location.ts';
import type { Orm } from './database.ts';
import { modelsToUpgrade, updateModelArtifact, type ModelRecord } from './queries/models.ts';

/** What upgradeModelRows changed, and the rows it left (each with why). */
export interface ModelUpgradeReport {
  relocated: number;
  digested: number;
  left: Array<{ model: string; reason: string }>;
}

async function digestOf(row: ModelRecord, dir: string): Promise<string | { reason: string }> {
  const bytes = await readFile(join(dir, ARTIFACT_FILES.metadata)).catch(() => null);
  if (!bytes) return { reason: `no ${ARTIFACT_FILES.metadata} under ${dir}` };
  if (!sameMetadata(bytes, row.metadata)) return { reason: `its ${ARTIFACT_FILES.metadata} differs from the metadata registered with it` };
  return artifactDigest(bytes);
}

/** Upgrades every row with an absolute location or no digest (see the header); returns what it did. */
export async function upgradeModelRows(orm: Orm, artifactsRoot: string): Promise<ModelUpgradeReport> {
  const report: ModelUpgradeReport = { relocated: 0, digested: 0, left: [] };
  for (const row of await modelsToUpgrade(orm)) {
    const rel = relativeToRoot(artifactsRoot, row.location);
    if (rel === null) {
      report.left.push({ model: modelLabel(row), reason: `${row.location} is outside the artifacts root ${resolve(artifactsRoot)}` });
      continue;
    }
    const change: { location?: string; digest?: string } = isAbsolute(row.location) ? { location: rel } : {};
    if (row.digest === null) {
      const digest = await digestOf(row, resolve(artifactsRoot, rel));
      if (typeof digest === 'string') change.digest = digest;
      else report.left.push({ model: modelLabel(row), reason: digest.reason });
    }
    await updateModelArtifact(orm, row.id, change);
    if (change.location !== undefined) report.relocated++;
    if (change.digest !== undefined) report.digested++;
  }
  return report;
}
