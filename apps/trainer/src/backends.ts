// Picks and initialises the tfjs backend the trainer runs on. A fixed list of names, an error that lists the
// allowed ones, and an install hint for the optional native backends (whose install downloads TensorFlow).
import * as tf from '@tensorflow/tfjs';

// tfjs prints "Hi, looks like you are running TensorFlow.js in Node.js. To speed things up dramatically, install
// our node backend…" (tfjs-backend-cpu, on the first tensor it writes) and other console warnings meant for
// developers: noise in a CLI's output that no user can act on. PROD turns them off. It is set here, on import,
// because every trainer path that runs tfjs picks its backend through this module; set only in main.ts (as it
// was), it missed every process that does not enter through main.ts: test workers calling the commands'
// functions (publish.test.ts printed the banner) and child processes such as the fold workers.
tf.env().set('PROD', true);

export { BACKENDS, parseBackend, type BackendName } from './backend-names.ts';
import type { BackendName } from './backend-names.ts';
import { dawnGpu } from './dawn-gpu.ts';

/** What was chosen and why, printed once by the trainer. */
export interface BackendChoice {
  name: Exclude<BackendName, 'auto'>;
  /** The tfjs backend name actually active (tensorflow, webgpu, wasm, cpu). */
  tfBackend: string;
  detail: string;
}

const NATIVE = {
  'node-gpu': { pkg: '@tensorflow/tfjs-node-gpu', note: 'needs CUDA and cuDNN' },
  node: { pkg: '@tensorflow/tfjs-node', note: 'native TensorFlow on the CPU' },
} as const;

async function tryNative(name: 'node-gpu' | 'node'): Promise<BackendChoice> {
  const { pkg, note } = NATIVE[name];
  try {
    await import(/* @vite-ignore */ pkg);
  } catch (cause) {
    throw new Error(
      `Backend "${name}" needs ${pkg}, which is not installed (${note}). Install it with ` +
        `\`npm install ${pkg}@4.22.0\` (it downloads a native TensorFlow, so it needs internet), or use --backend wasm.`,
      { cause },
    );
  }
  await tf.setBackend('tensorflow');
  await tf.ready();
  return { name, tfBackend: 'tensorflow', detail: `${pkg} (${note})` };
}

/** True when the adapter is a software rasteriser (SwiftShader, llvmpipe): correct, but slower than wasm. */
function isSoftwareAdapter(description: string): boolean {
  return /swiftshader|llvmpipe|software|cpu/i.test(description);
}

/** The adapter's description through the process's one Dawn instance (dawn-gpu.ts: a second crashes Dawn). */
let dawn: Promise<string> | undefined;

async function startDawn(): Promise<string> {
  const gpu = await dawnGpu();
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      'Backend "webgpu" found no GPU adapter through Dawn/Vulkan (needs the Vulkan loader: apt-get install libvulkan1). ' +
        'On a machine without a GPU set ' +
        'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (Debian package chromium), or use --backend wasm.',
    );
  }
  const info = adapter.info;
  return `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.trim();
}

async function tryWebgpu(): Promise<BackendChoice> {
  dawn ??= startDawn();
  const description = await dawn;
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not initialise its webgpu backend.');
  await tf.ready();
  return { name: 'webgpu', tfBackend: 'webgpu', detail: `Dawn adapter: ${description || 'unknown'}` };
}

async function tryWasm(): Promise<BackendChoice> {
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not initialise its wasm backend.');
  await tf.ready();
  return { name: 'wasm', tfBackend: 'wasm', detail: '@tensorflow/tfjs-backend-wasm (SIMD)' };
}

async function useCpu(): Promise<BackendChoice> {
  await tf.setBackend('cpu');
  await tf.ready();
  return { name: 'cpu', tfBackend: 'cpu', detail: 'tfjs pure-JS cpu backend (slowest)' };
}

/**
 * Activates the requested backend. `auto` tries, fastest first: node-gpu, node, webgpu on a hardware adapter,
 * wasm, cpu, and says which it took and why the faster ones were passed over.
 */
export async function selectBackend(name: BackendName): Promise<BackendChoice> {
  switch (name) {
    case 'node-gpu':
    case 'node':
      return tryNative(name);
    case 'webgpu':
      return tryWebgpu();
    case 'wasm':
      return tryWasm();
    case 'cpu':
      return useCpu();
    case 'auto':
      return selectAuto();
  }
}

async function selectAuto(): Promise<BackendChoice> {
  const passed: string[] = [];
  for (const native of ['node-gpu', 'node'] as const) {
    try {
      const choice = await tryNative(native);
      return { ...choice, detail: `auto: ${choice.detail}` };
    } catch {
      passed.push(`${native} not installed`);
    }
  }
  try {
    const choice = await tryWebgpu();
    if (!isSoftwareAdapter(choice.detail)) return { ...choice, detail: `auto: ${choice.detail}` };
    passed.push(`webgpu is a software adapter (${choice.detail})`);
  } catch (error) {
    passed.push(`webgpu unavailable (${(error as Error).message.split('.')[0]})`);
  }
  try {
    const choice = await tryWasm();
    return { ...choice, detail: `auto: ${choice.detail}; passed over: ${passed.join('; ')}` };
  } catch {
    passed.push('wasm failed to start');
  }
  const choice = await useCpu();
  return { ...choice, detail: `auto: ${choice.detail}; passed over: ${passed.join('; ')}` };
}
