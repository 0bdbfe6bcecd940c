// The whole forward pass as one WGSL compute shader, generated for one ModelConfig: one workgroup per window,
// the three LSTM layers as a wavefront (invocations 0..U1-1 run layer 1 at step s while the next U2 run layer 2 at
// step s-1 and the last U3 layer 3 at step s-2), so a window takes T+2 barrier-separated steps instead of 3T and no
// layer output leaves workgroup memory; then Dense relu and Dense softmax. One dispatch runs every window of a
// call: no per-step launches. A plain string, no GPU calls.
import type { ModelConfig } from '@coinsphere/model/core';

import { weightSlots } from '../weight-layout.ts';
import { packedLayers } from './gpu-weights.ts';

/** Invocations per workgroup for `config`: one per unit of all three layers (and per dense unit of each window), in 32s. */
export function forwardWorkgroupSize(config: ModelConfig, windowsPerGroup = 1): number {
  const units = config.lstmUnits[0] + config.lstmUnits[1] + config.lstmUnits[2];
  return Math.ceil(Math.max(units, config.denseUnits * windowsPerGroup) / 32) * 32;
}

/** Bytes of workgroup memory the shader declares: per window, each layer's h twice [2, units] and the dense activations [D]. */
export function forwardWorkgroupBytes(config: ModelConfig, windowsPerGroup = 1): number {
  return 4 * windowsPerGroup * (2 * (config.lstmUnits[0] + config.lstmUnits[1] + config.lstmUnits[2]) + config.denseUnits);
}

const f = (v: number) => `${v}u`;
/** The lines of `line(b)` for each window b of the group (unrolled: the per-window sums stay in registers). */
const each = (B: number, line: (b: number) => string, sep = '\n        ') => Array.from({ length: B }, (_, b) => line(b)).join(sep);

/** Four weight vec4s from packed row k (the loop variable) of a [rows, u] block at `at`, as r0..r3. */
const rows4 = (at: number, u: number) => `let o = ${f(at)} + k * ${f(u)} + q;
          let r0 = lw4[o]; let r1 = lw4[o + ${f(u)}]; let r2 = lw4[o + ${f(2 * u)}]; let r3 = lw4[o + ${f(3 * u)}];`;

/**
 * One layer's step for invocation q of the layer, for each of the group's B windows at its time step (set by the
 * caller). Each weight vec4 loaded is used for all B windows. h is [2, B, units / 4] of vec4 (one load gives four
 * units); reads the previous wave step's buffer `rd`, writes this one's `wr`. Layer 1 reads x through `x1(b, k)`;
 * the others read the layer below's h.
 */
function stepWgsl(l: number, config: ModelConfig, B: number, x1: (b: number, k: string) => string): string {
  const { w, r, inputs } = packedLayers(config)[l]!;
  const u = config.lstmUnits[l]!;
  const h = `h${l + 1}`, below = `h${l}`;
  const at = (buf: string, b: number, units: number) => `(${buf} * ${f(B)} + ${f(b)}) * ${f(units / 4)}`;
  const input = l === 0
    ? `for (var k = 0u; k < ${f(inputs)}; k++) {
          let wk = lw4[${f(w)} + k * ${f(u)} + q];
          ${each(B, (b) => `z${b} += ${x1(b, 'k')} * wk;`, ' ')}
        }`
    : `for (var k = 0u; k < ${f(inputs)}; k += 4u) {
          ${rows4(w, u)}
          ${each(B, (b) => `{ let hv = ${below}[${at('rd', b, inputs)} + k / 4u]; z${b} += hv.x * r0 + hv.y * r1 + hv.z * r2 + hv.w * r3; }`, '\n          ')}
        }`;
  return `
        ${each(B, (b) => `var z${b} = bias;`, ' ')}
        ${input}
        for (var k = 0u; k < ${f(u)}; k += 4u) {
          ${rows4(r, u)}
          ${each(B, (b) => `{ let hv = ${h}[${at('rd', b, u)} + k / 4u]; z${b} += hv.x * r0 + hv.y * r1 + hv.z * r2 + hv.w * r3; }`, '\n          ')}
        }
        // z = (i, f, g, o)
        ${each(B, (b) => `c[${b}] = sigmoid(z${b}.y) * c[${b}] + sigmoid(z${b}.x) * tanh1(z${b}.z); ${h}[${at('wr', b, u)} + q / 4u][q % 4u] = sigmoid(z${b}.w) * tanh1(c[${b}]);`)}`;
}

/** Dense relu on layer 3's last h of each window (invocation b·D + d), then softmax (invocation b), into probs. */
function headWgsl(config: ModelConfig, B: number): string {
  const { windowBars: T, lstmUnits: [, , u3], denseUnits: D, nClasses: C } = config;
  const [wd1, bd1, wd2, bd2] = weightSlots(config).slice(9).map((s) => s.offset) as [number, number, number, number];
  const last = (T + 1) & 1; // the buffer layer 3 wrote h[T-1] into (wave step T+1)
  return `  if (j < ${f(B * D)}) {
    let b = j / ${f(D)};
    let d = j % ${f(D)};
    var s = w[${f(bd1)} + d];
    let h = (${f(last * B)} + b) * ${f(u3 / 4)};
    for (var k = 0u; k < ${f(u3)}; k++) { s += h3[h + k / 4u][k % 4u] * w[${f(wd1)} + k * ${f(D)} + d]; }
    a1[j] = max(s, 0.0);
  }
  workgroupBarrier();
  if (j < ${f(B)}) {
    var z: array<f32, ${C}>;
    var mx = -3.4e38;
    for (var k = 0u; k < ${f(C)}; k++) {
      var s = w[${f(bd2)} + k];
      for (var d = 0u; d < ${f(D)}; d++) { s += a1[j * ${f(D)} + d] * w[${f(wd2)} + d * ${f(C)} + k]; }
      z[k] = s;
      mx = max(mx, s);
    }
    var sum = 0.0;
    for (var k = 0u; k < ${f(C)}; k++) { z[k] = exp(z[k] - mx); sum += z[k]; }
    for (var k = 0u; k < ${f(C)}; k++) { probs[(group.x * ${f(B)} + j) * ${f(C)} + k] = z[k] / sum; }
  }
`;
}

/**
 * WGSL of the forward pass for `config`, `windowsPerGroup` (B) windows per workgroup. Bindings (group 0): 0 the
 * LSTM weights packed by gpu-weights.ts, 1 the flat tfjs-order block of weight-layout.ts (the dense layers are read
 * from it), 2 windows x [n, T, F], 3 probabilities [n, C], n a multiple of B. Dispatch n / B workgroups.
 */
export function forwardWgsl(config: ModelConfig, windowsPerGroup = 1): string {
  const B = windowsPerGroup;
  const { windowBars: T, nFeatures: F, lstmUnits: [u1, u2, u3], denseUnits: D, nClasses: C } = config;
  const layers = packedLayers(config);
  const [o2, o3, end] = [u1, u1 + u2, u1 + u2 + u3]; // first invocation of layers 2 and 3, and past layer 3
  const wg = forwardWorkgroupSize(config, B);
  return `// generated by forward-wgsl.ts for T=${T} F=${F} units=${u1}-${u2}-${u3} dense=${D} classes=${C}, ${B} window(s) a workgroup
@group(0) @binding(0) var<storage, read> lw4: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> probs: array<f32>;

var<workgroup> h1: array<vec4<f32>, ${(2 * B * u1) / 4}>; // [2, B, U1 / 4]
var<workgroup> h2: array<vec4<f32>, ${(2 * B * u2) / 4}>;
var<workgroup> h3: array<vec4<f32>, ${(2 * B * u3) / 4}>;
var<workgroup> a1: array<f32, ${B * D}>;

// clamped so exp never overflows: the result is exactly 0 or 1 in f32 well before the clamp
fn sigmoid(z: f32) -> f32 { return 1.0 / (1.0 + exp(-clamp(z, -80.0, 80.0))); }
// 1 - 2/(e^{2z}+1), as the fused engine computes it (no cancellation for large |z|)
fn tanh1(z: f32) -> f32 { return 1.0 - 2.0 / (exp(2.0 * clamp(z, -20.0, 20.0)) + 1.0); }

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) j: u32) {
  let win0 = group.x * ${f(B)}; // the group's first window
  for (var i = j; i < ${f((2 * B * u1) / 4)}; i += ${f(wg)}) { h1[i] = vec4<f32>(0.0); }
  for (var i = j; i < ${f((2 * B * u2) / 4)}; i += ${f(wg)}) { h2[i] = vec4<f32>(0.0); }
  for (var i = j; i < ${f((2 * B * u3) / 4)}; i += ${f(wg)}) { h3[i] = vec4<f32>(0.0); }
  var c: array<f32, ${B}>; // this invocation's unit's cell state, per window (zero)
  var bias = vec4<f32>(0.0);
  if (j < ${f(o2)}) { bias = lw4[${f(layers[0]!.b)} + j]; }
  else if (j < ${f(o3)}) { bias = lw4[${f(layers[1]!.b)} + j - ${f(o2)}]; }
  else if (j < ${f(end)}) { bias = lw4[${f(layers[2]!.b)} + j - ${f(o3)}]; }
  workgroupBarrier();
  for (var s = 0u; s < ${f(T + 2)}; s++) {
    let rd = (s + 1u) & 1u; // the buffers wave step s-1 wrote
    let wr = s & 1u;
    if (j < ${f(o2)}) {
      if (s < ${f(T)}) { // layer 1 at step t = s
        let q = j;${stepWgsl(0, config, B, (b, k) => `x[((win0 + ${f(b)}) * ${f(T)} + s) * ${f(F)} + ${k}]`)}
      }
    } else if (j < ${f(o3)}) {
      if (s >= 1u && s <= ${f(T)}) { // layer 2 at step t = s-1, reading layer 1's h[t]
        let q = j - ${f(o2)};${stepWgsl(1, config, B, () => '')}
      }
    } else if (j < ${f(end)}) {
      if (s >= 2u) { // layer 3 at step t = s-2, reading layer 2's h[t]
        let q = j - ${f(o3)};${stepWgsl(2, config, B, () => '')}
      }
    }
    workgroupBarrier();
  }
${headWgsl(config, B)}}
`;
}
