// The training passes as WGSL compute shaders, generated for one ModelConfig, with the fused engine's arithmetic
// (assembly/index.ts) step for step, so the two agree to rounding:
//   window pass   one workgroup per window: the three LSTM layers one after another (an invocation per unit
//                 computes its four gates), the dropout masks from the fused engine's generator (mulberry32 drawn
//                 per seed, layer and sample, so the masks are the same bits), Dense relu, softmax, the window's
//                 cross-entropy; in training also backpropagation through time, leaving each step's dZ (the gate
//                 pre-activation gradients) and the head's gradients in the window's activation block;
//   gradient pass one invocation per weight: the sum over the batch's windows and steps in one fixed order (windows
//                 outer, steps inner: each window's activations are read in one run), so a step is reproducible bit for bit
//                 (no float atomics);
//   Adam pass     one invocation per weight: PyTorch-style weight decay (g += wd·w) and the fused engine's Adam.
// Plain strings, no GPU calls; webgpu-trainer.ts runs them.
import type { ModelConfig } from '@coinsphere/model/core';

import { weightSlots } from '../weight-layout.ts';

/** Where one window's activations lie in its block of the activation buffer (floats from the block's start). */
export interface TrainLayout {
  /** Per LSTM layer: activated gates (overwritten by dZ in the backward pass) [T, 4u], cell [T, u], output h [T, u],
   * dropped output [T, u], dropout mask [T, u], and dL/dh from above [T, u]. */
  layers: { g: number; c: number; h: number; hd: number; mk: number; dh: number }[];
  /** Dense relu output [D], its gradient [D] and the logits' gradient [C]. */
  a1: number;
  da: number;
  dlog: number;
  /** Floats per window (a multiple of 4). */
  stride: number;
}

export function trainLayout(config: ModelConfig): TrainLayout {
  const { windowBars: T, denseUnits: D, nClasses: C } = config;
  let at = 0;
  const take = (floats: number) => {
    const here = at;
    at += floats;
    return here;
  };
  const layers = config.lstmUnits.map((u) => ({ g: take(T * 4 * u), c: take(T * u), h: take(T * u), hd: take(T * u), mk: take(T * u), dh: take(T * u) }));
  const a1 = take(D), da = take(D), dlog = take(C);
  return { layers, a1, da, dlog, stride: Math.ceil(at / 4) * 4 };
}

/** Invocations per workgroup of the window pass: one per unit of the widest layer (and per dense unit), in 32s. */
export function trainWorkgroupSize(config: ModelConfig): number {
  return Math.ceil(Math.max(...config.lstmUnits, config.denseUnits, config.nClasses) / 32) * 32;
}

/** Bytes of workgroup memory the window pass declares at `windowsPerGroup` windows a workgroup. */
export function trainWorkgroupBytes(config: ModelConfig, windowsPerGroup = 1): number {
  const maxU = Math.max(...config.lstmUnits);
  return 4 * (5 * maxU * windowsPerGroup + config.denseUnits);
}

const u = (v: number) => `${v}u`;

/** The uniform block of the window pass: n windows, mode (0 forward only, 1 train), dropout seed, rate, 1/(1-rate), 1/n. */
export const WINDOW_PARAMS_BYTES = 32;

/** The constants every part of the window pass reads; B windows a workgroup. */
function passContext(config: ModelConfig, B: number) {
  const slots = weightSlots(config);
  return { ...config, B, slots, L: trainLayout(config), T: config.windowBars, F: config.nFeatures, D: config.denseUnits, C: config.nClasses };
}
type PassContext = ReturnType<typeof passContext>;

/** `line(b)` for each window b of the group, unrolled (per-window sums stay in registers). */
const each = (B: number, line: (b: number) => string, sep = '\n') => Array.from({ length: B }, (_, b) => line(b)).join(sep);
/** Opens window b's scope: its index and the start of its activation block. */
const windowScope = (k: PassContext, b: number) => `let win = win0 + ${u(b)}; let base = win * ${u(k.L.stride)};`;

/** Layer l's forward steps, one invocation per unit for each of the group's windows, storing what the backward pass reads. */
function forwardLayerWgsl(k: PassContext, l: number): string {
  const { T, F, B, lstmUnits, slots, L } = k;
  const U = lstmUnits[l]!, inputs = l === 0 ? F : lstmUnits[l - 1]!;
  const [W, R, Bi] = [slots[3 * l]!.offset, slots[3 * l + 1]!.offset, slots[3 * l + 2]!.offset];
  const A = L.layers[l]!;
  const input = l === 0 ? `x[(win * ${u(T)} + t) * ${u(F)} + k]` : `act[base + ${u(L.layers[l - 1]!.hd)} + t * ${u(inputs)} + k]`;
  const last = l === 2; // only the last step of the last layer reaches the head, and only it draws a mask
  return `
// ---- LSTM layer ${l + 1} (${inputs} -> ${U}) ----
{
  if (j < ${u(U)}) { for (var b = 0u; b < ${u(B)}; b++) { hw[b * ${u(U)} + j] = 0.0; } }
  workgroupBarrier();
  var cp: array<f32, ${B}>;
  let rs0 = (P.seed * 0x9e3779b1u) ^ (${u(l + 1)} * 0xc2b2ae35u);
  for (var t = 0u; t < ${u(T)}; t++) {
    var h: array<f32, ${B}>;
    if (j < ${u(U)}) {
      ${each(B, (b) => `var zi${b} = w[${u(Bi)} + j]; var zf${b} = w[${u(Bi + U)} + j]; var zg${b} = w[${u(Bi + 2 * U)} + j]; var zo${b} = w[${u(Bi + 3 * U)} + j];`, '\n      ')}
      for (var k = 0u; k < ${u(inputs)}; k++) {
        let o = ${u(W)} + k * ${u(4 * U)} + j;
        let w0 = w[o]; let w1 = w[o + ${u(U)}]; let w2 = w[o + ${u(2 * U)}]; let w3 = w[o + ${u(3 * U)}];
        ${each(B, (b) => `{ ${windowScope(k, b)} let xv = ${input}; zi${b} += xv * w0; zf${b} += xv * w1; zg${b} += xv * w2; zo${b} += xv * w3; }`, '\n        ')}
      }
      for (var k = 0u; k < ${u(U)}; k++) {
        let o = ${u(R)} + k * ${u(4 * U)} + j;
        let w0 = w[o]; let w1 = w[o + ${u(U)}]; let w2 = w[o + ${u(2 * U)}]; let w3 = w[o + ${u(3 * U)}];
        ${each(B, (b) => `{ let hv = hw[${u(b * U)} + k]; zi${b} += hv * w0; zf${b} += hv * w1; zg${b} += hv * w2; zo${b} += hv * w3; }`, '\n        ')}
      }
      ${each(B, (b) => `{
        ${windowScope(k, b)}
        let gi = sigmoid(zi${b}); let gf = sigmoid(zf${b}); let gg = tanh1(zg${b}); let go = sigmoid(zo${b});
        let c = gi * gg + gf * cp[${b}];
        cp[${b}] = c;
        let hh = go * tanh1(c);
        h[${b}] = hh;
        let gt = base + ${u(A.g)} + t * ${u(4 * U)} + j;
        act[gt] = gi; act[gt + ${u(U)}] = gf; act[gt + ${u(2 * U)}] = gg; act[gt + ${u(3 * U)}] = go;
        let ut = base + t * ${u(U)} + j;
        act[ut + ${u(A.c)}] = c;
        act[ut + ${u(A.h)}] = hh;
        var m = 1.0;
        if (P.rate > 0.0${last ? ` && t == ${u(T - 1)}` : ''}) { m = select(0.0, P.keep, uniform01(rs0 ^ (win * 0x85ebca6bu), ${last ? 'j' : `t * ${u(U)} + j`}) >= P.rate); }
        act[ut + ${u(A.mk)}] = m;
        act[ut + ${u(A.hd)}] = hh * m;
      }`, '\n      ')}
    }
    workgroupBarrier();
    if (j < ${u(U)}) { ${each(B, (b) => `hw[${u(b * U)} + j] = h[${b}];`, ' ')} }
    workgroupBarrier();
  }
  storageBarrier();
}`;
}

/** Backpropagation through time in layer l, then dL/dh of the layer below through its dropout mask. */
function backwardLayerWgsl(k: PassContext, l: number): string {
  const { T, B, lstmUnits, slots, L } = k;
  const U = lstmUnits[l]!;
  const R = slots[3 * l + 1]!.offset;
  const A = L.layers[l]!;
  return `
// ---- BPTT through layer ${l + 1} ----
{
  if (j < ${u(U)}) { for (var b = 0u; b < ${u(B)}; b++) { hw[b * ${u(U)} + j] = 0.0; } } // dL/dh[t] from step t+1
  workgroupBarrier();
  var dcn: array<f32, ${B}>; // dL/dc[t] from step t+1, through the forget gate
  for (var s = 0u; s < ${u(T)}; s++) {
    let t = ${u(T - 1)} - s;
    if (j < ${u(U)}) {
      ${each(B, (b) => `{
        ${windowScope(k, b)}
        let gt = base + ${u(A.g)} + t * ${u(4 * U)} + j;
        let gi = act[gt]; let gf = act[gt + ${u(U)}]; let gg = act[gt + ${u(2 * U)}]; let go = act[gt + ${u(3 * U)}];
        let ut = base + t * ${u(U)} + j;
        let tc = tanh1(act[ut + ${u(A.c)}]);
        let dh = act[ut + ${u(A.dh)}] + hw[${u(b * U)} + j];
        let dov = dh * tc;
        let dc = dcn[${b}] + dh * go * (1.0 - tc * tc);
        var cprev = 0.0;
        if (t > 0u) { cprev = act[ut - ${u(U)} + ${u(A.c)}]; }
        dcn[${b}] = dc * gf;
        let dzi = dc * gg * (gi * (1.0 - gi));
        let dzf = dc * cprev * (gf * (1.0 - gf));
        let dzg = dc * gi * (1.0 - gg * gg);
        let dzo = dov * (go * (1.0 - go));
        act[gt] = dzi; act[gt + ${u(U)}] = dzf; act[gt + ${u(2 * U)}] = dzg; act[gt + ${u(3 * U)}] = dzo;
        let z = ${u(b * 4 * U)} + j;
        zw[z] = dzi; zw[z + ${u(U)}] = dzf; zw[z + ${u(2 * U)}] = dzg; zw[z + ${u(3 * U)}] = dzo;
      }`, '\n      ')}
    }
    workgroupBarrier();
    var dhn: array<f32, ${B}>; // zeroed each step (a var in a loop is not re-zeroed on every implementation)
    ${each(B, (b) => `dhn[${b}] = 0.0;`, ' ')}
    if (j < ${u(U)}) {
      let o = ${u(R)} + j * ${u(4 * U)};
      for (var c = 0u; c < ${u(4 * U)}; c++) { let wv = w[o + c]; ${each(B, (b) => `dhn[${b}] += zw[${u(b * 4 * U)} + c] * wv;`, ' ')} }
    }
    workgroupBarrier();
    if (j < ${u(U)}) { ${each(B, (b) => `hw[${u(b * U)} + j] = dhn[${b}];`, ' ')} }
  }
  storageBarrier();${l > 0 ? belowGradientWgsl(k, l) : ''}
}`;
}

/** dL/dh of the layer below layer l (l > 0): dZ · Wᵀ for each window of the group, through that layer's dropout mask. */
function belowGradientWgsl(k: PassContext, l: number): string {
  const { T, B, lstmUnits, slots, L } = k;
  const U = lstmUnits[l]!, inputs = lstmUnits[l - 1]!;
  const W = slots[3 * l]!.offset;
  const A = L.layers[l]!, below = L.layers[l - 1]!;
  return `
  // dL/dh of layer ${l} = dZ · Wᵀ, through layer ${l}'s dropout mask
  if (j < ${u(inputs)}) {
    let o = ${u(W)} + j * ${u(4 * U)};
    for (var t = 0u; t < ${u(T)}; t++) {
      var s: array<f32, ${B}>;
      ${each(B, (b) => `s[${b}] = 0.0;`, ' ')}
      for (var c = 0u; c < ${u(4 * U)}; c++) {
        let wv = w[o + c];
        ${each(B, (b) => `s[${b}] += act[(win0 + ${u(b)}) * ${u(L.stride)} + ${u(A.g)} + t * ${u(4 * U)} + c] * wv;`, '\n        ')}
      }
      ${each(B, (b) => `{ ${windowScope(k, b)} let ut = base + t * ${u(inputs)} + j; act[ut + ${u(below.dh)}] = s[${b}] * act[ut + ${u(below.mk)}]; }`, '\n      ')}
    }
  }
  storageBarrier();`;
}

/** Dense relu, softmax and the cross-entropy of window b of the group. */
function headForwardWgsl(k: PassContext, b: number): string {
  const { T, D, C, lstmUnits, slots, L } = k;
  const [wd1, bd1, wd2, bd2] = slots.slice(9).map((s) => s.offset) as [number, number, number, number];
  const u3 = lstmUnits[2]!;
  return `  { // ---- window ${b} of the group: Dense relu, softmax, cross-entropy ----
  ${windowScope(k, b)}
  let h3 = base + ${u(L.layers[2]!.hd + (T - 1) * u3)};
  if (j < ${u(D)}) {
    var s = w[${u(bd1)} + j];
    for (var k = 0u; k < ${u(u3)}; k++) { s += act[h3 + k] * w[${u(wd1)} + k * ${u(D)} + j]; }
    let a = max(s, 0.0);
    dw[j] = a;
    act[base + ${u(L.a1)} + j] = a;
  }
  workgroupBarrier();
  if (j == 0u) {
    var z: array<f32, ${C}>;
    var mx = -3.4e38;
    for (var c = 0u; c < ${u(C)}; c++) {
      var s = w[${u(bd2)} + c];
      for (var k = 0u; k < ${u(D)}; k++) { s += dw[k] * w[${u(wd2)} + k * ${u(C)} + c]; }
      z[c] = s;
      mx = max(mx, s);
    }
    var sum = 0.0;
    for (var c = 0u; c < ${u(C)}; c++) { z[c] = exp(z[c] - mx); sum += z[c]; }
    let y = lab[win];
    for (var c = 0u; c < ${u(C)}; c++) {
      let p = z[c] / sum;
      outp[win * ${u(C + 1)} + c] = p;
      act[base + ${u(L.dlog)} + c] = (p - select(0.0, 1.0, c == y)) * P.invN;
      if (c == y) { outp[win * ${u(C + 1)} + ${u(C)}] = -log(max(p, 1e-30)); }
    }
  }
  storageBarrier();
  workgroupBarrier();
  }`;
}

/** The head's backward pass of window b of the group, down to dL/dh3. */
function headBackwardWgsl(k: PassContext, b: number): string {
  const { T, D, C, lstmUnits, slots, L } = k;
  const [wd1, , wd2] = slots.slice(9).map((s) => s.offset) as [number, number, number, number];
  const u3 = lstmUnits[2]!;
  const L3 = L.layers[2]!;
  return `  { // ---- window ${b} of the group: the head's backward pass ----
  ${windowScope(k, b)}
  var da = 0.0;
  if (j < ${u(D)}) {
    var s = 0.0;
    for (var c = 0u; c < ${u(C)}; c++) { s += act[base + ${u(L.dlog)} + c] * w[${u(wd2)} + j * ${u(C)} + c]; }
    da = select(0.0, s, act[base + ${u(L.a1)} + j] > 0.0);
    act[base + ${u(L.da)} + j] = da;
  }
  workgroupBarrier();
  if (j < ${u(D)}) { dw[j] = da; }
  workgroupBarrier();
  if (j < ${u(u3)}) {
    var s = 0.0;
    for (var k = 0u; k < ${u(D)}; k++) { s += dw[k] * w[${u(wd1)} + j * ${u(D)} + k]; }
    for (var t = 0u; t < ${u(T - 1)}; t++) { act[base + ${u(L3.dh)} + t * ${u(u3)} + j] = 0.0; }
    let last = base + ${u((T - 1) * u3)} + j;
    act[last + ${u(L3.dh)}] = s * act[last + ${u(L3.mk)}];
  }
  workgroupBarrier();
  }`;
}

/**
 * WGSL of the window pass, `windowsPerGroup` (B) windows a workgroup (each weight loaded serves all B). Bindings:
 * 0 the flat tfjs-order weights, 1 windows x [n, T, F], 2 labels [n] (u32), 3 activations [n, stride], 4 out
 * [n, C + 1] (probabilities and the window's cross-entropy), 5 the params; every buffer holds n rounded up to a
 * multiple of B windows. Dispatch ceil(n / B) workgroups.
 */
export function windowPassWgsl(config: ModelConfig, windowsPerGroup = 1): string {
  const B = windowsPerGroup;
  const { windowBars: T, nFeatures: F, lstmUnits, denseUnits: D, nClasses: C } = config;
  const wg = trainWorkgroupSize(config);
  const maxU = Math.max(...lstmUnits);
  const k = passContext(config, B);
  return `// generated by train-wgsl.ts for T=${T} F=${F} units=${lstmUnits.join('-')} dense=${D} classes=${C}: the window pass
struct Params { n: u32, mode: u32, seed: u32, rate: f32, keep: f32, invN: f32, pad0: u32, pad1: u32 }
@group(0) @binding(0) var<storage, read> w: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> lab: array<u32>;
@group(0) @binding(3) var<storage, read_write> act: array<f32>;
@group(0) @binding(4) var<storage, read_write> outp: array<f32>;
@group(0) @binding(5) var<uniform> P: Params;

var<workgroup> hw: array<f32, ${B * maxU}>; // per window: h[t-1] forward, dL/dh[t] from step t+1 backward
var<workgroup> zw: array<f32, ${B * 4 * maxU}>; // per window: one step's dZ
var<workgroup> dw: array<f32, ${D}>; // one window's Dense relu output, then its gradient

fn sigmoid(z: f32) -> f32 { return 1.0 / (1.0 + exp(-clamp(z, -80.0, 80.0))); }
fn tanh1(z: f32) -> f32 { return 1.0 - 2.0 / (exp(2.0 * clamp(z, -20.0, 20.0)) + 1.0); }

// draw k of the fused engine's mulberry32 stream from state s0 (the state advances by a constant before each draw)
fn uniform01(s0: u32, k: u32) -> f32 {
  var t = s0 + (k + 1u) * 0x6d2b79f5u;
  t = (t ^ (t >> 15u)) * (t | 1u);
  t ^= t + (t ^ (t >> 7u)) * (t | 61u);
  return f32((t ^ (t >> 14u)) >> 8u) * (1.0 / 16777216.0);
}

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) j: u32) {
  let win0 = group.x * ${u(B)}; // the group's first window
${[0, 1, 2].map((l) => forwardLayerWgsl(k, l)).join('\n')}
${each(B, (b) => headForwardWgsl(k, b))}
  if (P.mode == 0u) { return; }
${each(B, (b) => headBackwardWgsl(k, b))}
  storageBarrier();
${[2, 1, 0].map((l) => backwardLayerWgsl(k, l)).join('\n')}
}
`;
}

/** Invocations per workgroup of the gradient and Adam passes (one per weight). */
export const PER_WEIGHT_WORKGROUP = 64;

/**
 * WGSL of the gradient pass: gradient[i] = the sum over windows and steps for weight i of the flat tfjs-order block,
 * in a fixed order. Bindings: 0 windows x, 1 activations, 2 the gradient [weights], 3 the params (n in the first
 * word). Dispatch ceil(weights / 64) workgroups.
 */
export function gradientPassWgsl(config: ModelConfig): string {
  const { windowBars: T, nFeatures: F, lstmUnits, denseUnits: D, nClasses: C } = config;
  const slots = weightSlots(config);
  const L = trainLayout(config);
  const last = slots[slots.length - 1]!;
  const total = last.offset + last.size;
  const S = L.stride;
  const branches: string[] = [];
  lstmUnits.forEach((U, l) => {
    const inputs = l === 0 ? F : lstmUnits[l - 1]!;
    const A = L.layers[l]!;
    const [W, R, Bi] = [slots[3 * l]!, slots[3 * l + 1]!, slots[3 * l + 2]!];
    const input = l === 0 ? `x[(b * ${u(T)} + t) * ${u(F)} + k]` : `act[b * ${u(S)} + ${u(L.layers[l - 1]!.hd)} + t * ${u(inputs)} + k]`;
    const dz = (t: string) => `act[b * ${u(S)} + ${u(A.g)} + ${t} * ${u(4 * U)} + c]`;
    branches.push(`if (i < ${u(W.offset + W.size)}) { // lstm_${l + 1}/kernel [${inputs}, ${4 * U}]: Σ x[t, k] dZ[t, c]
    let k = (i - ${u(W.offset)}) / ${u(4 * U)}; let c = (i - ${u(W.offset)}) % ${u(4 * U)};
    for (var b = 0u; b < n; b++) { for (var t = 0u; t < ${u(T)}; t++) { s += ${input} * ${dz('t')}; } }
  }`, `if (i < ${u(R.offset + R.size)}) { // lstm_${l + 1}/recurrent_kernel: Σ h[t-1, k] dZ[t, c]
    let k = (i - ${u(R.offset)}) / ${u(4 * U)}; let c = (i - ${u(R.offset)}) % ${u(4 * U)};
    for (var b = 0u; b < n; b++) { for (var t = 1u; t < ${u(T)}; t++) { s += act[b * ${u(S)} + ${u(A.h)} + (t - 1u) * ${u(U)} + k] * ${dz('t')}; } }
  }`, `if (i < ${u(Bi.offset + Bi.size)}) { // lstm_${l + 1}/bias: Σ dZ[t, c]
    let c = i - ${u(Bi.offset)};
    for (var b = 0u; b < n; b++) { for (var t = 0u; t < ${u(T)}; t++) { s += ${dz('t')}; } }
  }`);
  });
  const [wd1, bd1, wd2, bd2] = slots.slice(9) as [typeof last, typeof last, typeof last, typeof last];
  const h3 = `b * ${u(S)} + ${u(L.layers[2]!.hd + (T - 1) * lstmUnits[2]!)}`;
  branches.push(`if (i < ${u(wd1.offset + wd1.size)}) { // dense_1/kernel [U3, D]
    let k = (i - ${u(wd1.offset)}) / ${u(D)}; let d = (i - ${u(wd1.offset)}) % ${u(D)};
    for (var b = 0u; b < n; b++) { s += act[${h3} + k] * act[b * ${u(S)} + ${u(L.da)} + d]; }
  }`, `if (i < ${u(bd1.offset + bd1.size)}) {
    let d = i - ${u(bd1.offset)};
    for (var b = 0u; b < n; b++) { s += act[b * ${u(S)} + ${u(L.da)} + d]; }
  }`, `if (i < ${u(wd2.offset + wd2.size)}) { // direction/kernel [D, C]
    let k = (i - ${u(wd2.offset)}) / ${u(C)}; let c = (i - ${u(wd2.offset)}) % ${u(C)};
    for (var b = 0u; b < n; b++) { s += act[b * ${u(S)} + ${u(L.a1)} + k] * act[b * ${u(S)} + ${u(L.dlog)} + c]; }
  }`, `{
    let c = i - ${u(bd2.offset)};
    for (var b = 0u; b < n; b++) { s += act[b * ${u(S)} + ${u(L.dlog)} + c]; }
  }`);
  return `// generated by train-wgsl.ts: the gradient pass, ${total} weights
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> act: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;
@group(0) @binding(3) var<uniform> P: vec4<u32>;

@compute @workgroup_size(${PER_WEIGHT_WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= ${u(total)}) { return; }
  let n = P.x;
  var s = 0.0;
  ${branches.join(' else ')}
  grad[i] = s;
}
`;
}

/** The uniform block of the Adam pass: lr/(1-β1^t), β1, 1-β1, β2, 1-β2, 1/(1-β2^t), ε, weight decay (f32 each). */
export const ADAM_PARAMS_BYTES = 32;

/**
 * WGSL of the Adam pass (the fused engine's `adam`): g += wd·w; m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²;
 * w -= (lr / (1-β1^t)) m / (sqrt(v / (1-β2^t)) + ε). Bindings: 0 weights, 1 gradient, 2 m, 3 v, 4 the params.
 */
export function adamPassWgsl(config: ModelConfig): string {
  const slots = weightSlots(config);
  const last = slots[slots.length - 1]!;
  return `// generated by train-wgsl.ts: the Adam pass
struct Adam { lr: f32, b1: f32, c1: f32, b2: f32, c2: f32, ibc2: f32, eps: f32, wd: f32 }
@group(0) @binding(0) var<storage, read_write> w: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<uniform> A: Adam;

@compute @workgroup_size(${PER_WEIGHT_WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= ${u(last.offset + last.size)}) { return; }
  let wv = w[i];
  let g = grad[i] + A.wd * wv;
  let mv = A.b1 * m[i] + A.c1 * g;
  let vv = A.b2 * v[i] + A.c2 * (g * g);
  m[i] = mv;
  v[i] = vv;
  w[i] = wv - (A.lr * mv) / (sqrt(vv * A.ibc2) + A.eps);
}
`;
}
