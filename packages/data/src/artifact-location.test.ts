// What models.location means, by calling the functions: relative to the artifacts root, never leaving it, and an
// absolute location from before read only when it lies under the root.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relativeToRoot, resolveArtifactLocation, toArtifactLocation } from './artifact-location.ts';

const ROOT = '/srv/proj/artifacts';

describe('artifact locations', () => {
  it('registers a folder under the root as a relative path with / separators, and refuses one outside it', () => {
    expect(toArtifactLocation(ROOT, join(ROOT, 'POOLED', '7d', 'v1'))).toBe('POOLED/7d/v1');
    expect(() => toArtifactLocation(ROOT, '/srv/other/POOLED/7d/v1')).toThrow(/\/srv\/other\/POOLED\/7d\/v1 is not under the artifacts root \/srv\/proj\/artifacts/);
    expect(relativeToRoot(ROOT, ROOT)).toBeNull(); // the root itself is no artifact folder
  });

  it('resolves a relative location against the root it is given, so a copy reads its own folder', () => {
    expect(resolveArtifactLocation(ROOT, 'BTC/7d/v1', 'BTC 7d v1')).toBe('/srv/proj/artifacts/BTC/7d/v1');
    expect(resolveArtifactLocation('/srv/proj2/artifacts', 'BTC/7d/v1', 'BTC 7d v1')).toBe('/srv/proj2/artifacts/BTC/7d/v1');
  });

  it('reads an absolute location from before only under the root; refuses one outside it or a relative one that leaves it', () => {
    expect(resolveArtifactLocation(ROOT, '/srv/proj/artifacts/BTC/7d/v1', 'BTC 7d v1')).toBe('/srv/proj/artifacts/BTC/7d/v1');
    expect(() => resolveArtifactLocation('/srv/proj2/artifacts', '/srv/proj/artifacts/BTC/7d/v1', 'BTC 7d v1')).toThrow(
      /Model BTC 7d v1 is registered at \/srv\/proj\/artifacts\/BTC\/7d\/v1, outside this project's artifacts root \/srv\/proj2\/artifacts .*retrain here/,
    );
    expect(() => resolveArtifactLocation(ROOT, '../../etc', 'BTC 7d v1')).toThrow(/location "\.\.\/\.\.\/etc", which leaves the artifacts root/);
  });
});
