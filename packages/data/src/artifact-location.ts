// What `models.location` means: an artifact folder relative to the artifacts root (COINSPHERE_ARTIFACTS, default
// ./artifacts), with `/` separators, so a copied or restored project reads its own artifacts. Rows from before hold
// an absolute path: one under the root reads as the same folder (and relocateModels in the CLI rewrites it as
// relative); one outside the root is refused, never read, since it is another project's folder. Node only (paths).
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A registered location that cannot be read under the artifacts root; the message names it and the fix. */
export class ArtifactLocationError extends Error {
  override name = 'ArtifactLocationError';
}

/** `path` relative to `root` with `/` separators, or null when it is not inside `root`. */
export function relativeToRoot(root: string, path: string): string | null {
  const rel = relative(resolve(root), resolve(root, path));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/** The location to register for the artifact folder `dir`: relative to `root`. Throws when `dir` is outside it. */
export function toArtifactLocation(root: string, dir: string): string {
  const rel = relativeToRoot(root, dir);
  if (rel === null) throw new ArtifactLocationError(`The artifact folder ${resolve(dir)} is not under the artifacts root ${resolve(root)}; write artifacts under the root (--out or COINSPHERE_ARTIFACTS moves it).`);
  return rel;
}

/**
 * The folder of a registered `location` under `root`: a relative one resolved against it (refused when it would
 * leave it), an absolute one accepted only inside it. `model` names the model in the error. Throws
 * ArtifactLocationError naming the location, the root and the fix.
 */
export function resolveArtifactLocation(root: string, location: string, model: string): string {
  const base = resolve(root);
  const rel = relativeToRoot(base, location);
  if (rel !== null) return resolve(base, rel);
  if (!isAbsolute(location)) throw new ArtifactLocationError(`Model ${model} has location "${location}", which leaves the artifacts root ${base}; re-register it by retraining (coinsphere train).`);
  throw new ArtifactLocationError(
    `Model ${model} is registered at ${location}, outside this project's artifacts root ${base} (a copied or restored project?), so it is not read. ` +
      `Run from the project that holds that folder, set COINSPHERE_ARTIFACTS to the root it lies under, or retrain here (coinsphere train).`,
  );
}

/** How errors name a registered model: `SYMBOL hd version`. */
export function modelLabel(m: { symbol: string; horizonDays: number; version: string }): string {
  return `${m.symbol} ${m.horizonDays}d ${m.version}`;
}
