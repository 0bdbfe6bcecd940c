// The type of a model loaded in the browser on one backend. Apart from browser-model.ts, which loads
// tfjs-model.ts on demand: tfjs-model.ts importing this type from there was an import cycle. Types only.
import type { ArtifactMetadata, NetworkRunner } from '@coinsphere/model/core';
import type { BackendName } from './backends.ts';

/** A model ready to run on one backend: its verified metadata and one runner per network of the ensemble. */
export interface BrowserModel {
  readonly backend: BackendName;
  readonly metadata: ArtifactMetadata;
  /** Softmax rows [n, nClasses] (before temperature) for windows x [n, windowBars, nFeatures], per network. */
  readonly runners: NetworkRunner[];
  dispose(): void;
}
