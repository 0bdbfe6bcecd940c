// The fused LSTM kernels (AssemblyScript → WebAssembly SIMD). One call runs a whole slice of a batch: forward
// through three LSTM layers, dropout, Dense relu, Dense softmax; in training also the loss, backpropagation
// through time and the slice's gradients; for explanations the same backward pass to the input window only (no
// weight gradients). Nothing here allocates: the JS wrapper lays out flat f32 buffers in
// (possibly shared) memory and passes their byte offsets in a descriptor. Instance globals are per thread.
//
// Layouts (row-major f32):
//   weights   tfjs order: W1 [F,4U1], R1 [U1,4U1], b1 [4U1], W2, R2, b2, W3, R3, b3, Wd1 [U3,D], bd1 [D],
//             Wd2 [D,C], bd2 [C]; gate columns i, f, c, o.
//   trans     WT_l [4U_l, in_l], RT_l [4U_l, U_l] for l = 1..3 (for the backward GEMMs).
//   sequences time-major [T, n, dim], so one step's rows are contiguous.

// ---- descriptor fields (i32 slots) ----
const D_T = 0, D_F = 1, D_U1 = 2, D_U2 = 3, D_U3 = 4, D_D = 5, D_C = 6, D_N = 7, D_MODE = 8;
const D_SAMPLE0 = 9, D_SEED = 10, D_DROPOUT = 11, D_INV_TOTAL = 12, D_X = 13, D_LABELS = 14;
const D_WEIGHTS = 15, D_TRANS = 16, D_GRAD = 17, D_DX = 18, D_OUT = 19, D_LOSS = 20, D_SEEDS = 21;
const MODE_EVALUATE = 1, MODE_TRAIN = 2, MODE_INPUT_GRAD = 3;

@inline function fld(desc: usize, i: i32): i32 {
  return load<i32>(desc + (<usize>i << 2));
}

// ---- vector math ----
@inline function splat(x: f32): v128 {
  return f32x4.splat(x);
}

/** e^x, range-reduced (Cody-Waite) with Cephes' degree-6 polynomial: ~1 ulp over [-87, 88]. */
@inline function vexp(x0: v128): v128 {
  const x = f32x4.min(f32x4.max(x0, splat(-87.0)), splat(88.0));
  const n = f32x4.nearest(f32x4.mul(x, splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, splat(-2.12194440e-4)));
  let p = splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), splat(1.0));
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, e);
}

@inline function vsigmoid(x: v128): v128 {
  return f32x4.div(splat(1.0), f32x4.add(splat(1.0), vexp(f32x4.neg(x))));
}

@inline function vtanh(x: v128): v128 {
  // 1 - 2/(e^{2x}+1): absolute error ~1e-7, no cancellation problem for large |x|
  return f32x4.sub(splat(1.0), f32x4.div(splat(2.0), f32x4.add(vexp(f32x4.add(x, x)), splat(1.0))));
}

// ---- GEMM: C[M,N] += A(M,K) · B[K,N];  A(i,k) = a[i*ars + k*acs], B row stride ldb, C row stride ldc ----
// Register block of 4 rows × 8 columns (8 v128 accumulators); N must be a multiple of 4.

function gemm(a: usize, ars: i32, acs: i32, b: usize, ldb: i32, c: usize, ldc: i32, M: i32, K: i32, N: i32): void {
  // Long K (the weight gradients, K = T·n): walk it in chunks whose rows of B stay in L2 across the row blocks.
  if (K <= 1024) {
    gemmBlock(a, ars, acs, b, ldb, c, ldc, M, K, N);
    return;
  }
  for (let k0 = 0; k0 < K; k0 += K_CHUNK) {
    gemmBlock(a + (<usize>(k0 * acs) << 2), ars, acs, b + (<usize>(k0 * ldb) << 2), ldb, c, ldc, M, min(K_CHUNK, K - k0), N);
  }
}
const K_CHUNK = 128;

function gemmBlock(a: usize, ars: i32, acs: i32, b: usize, ldb: i32, c: usize, ldc: i32, M: i32, K: i32, N: i32): void {
  const sa = <usize>acs << 2, sb = <usize>ldb << 2;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = a + (<usize>(i * ars) << 2);
    const a1 = a0 + (<usize>ars << 2), a2 = a1 + (<usize>ars << 2), a3 = a2 + (<usize>ars << 2);
    const c0 = c + (<usize>(i * ldc) << 2);
    const c1 = c0 + (<usize>ldc << 2), c2 = c1 + (<usize>ldc << 2), c3 = c2 + (<usize>ldc << 2);
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      const jo = <usize>j << 2;
      let x00 = v128.load(c0 + jo), x01 = v128.load(c0 + jo, 16);
      let x10 = v128.load(c1 + jo), x11 = v128.load(c1 + jo, 16);
      let x20 = v128.load(c2 + jo), x21 = v128.load(c2 + jo, 16);
      let x30 = v128.load(c3 + jo), x31 = v128.load(c3 + jo, 16);
      let pb = b + jo;
      let ka: usize = 0;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb), b1 = v128.load(pb, 16);
        const s0 = v128.load32_splat(a0 + ka), s1 = v128.load32_splat(a1 + ka);
        const s2 = v128.load32_splat(a2 + ka), s3 = v128.load32_splat(a3 + ka);
        x00 = f32x4.add(x00, f32x4.mul(s0, b0)); x01 = f32x4.add(x01, f32x4.mul(s0, b1));
        x10 = f32x4.add(x10, f32x4.mul(s1, b0)); x11 = f32x4.add(x11, f32x4.mul(s1, b1));
        x20 = f32x4.add(x20, f32x4.mul(s2, b0)); x21 = f32x4.add(x21, f32x4.mul(s2, b1));
        x30 = f32x4.add(x30, f32x4.mul(s3, b0)); x31 = f32x4.add(x31, f32x4.mul(s3, b1));
        pb += sb;
        ka += sa;
      }
      v128.store(c0 + jo, x00); v128.store(c0 + jo, x01, 16);
      v128.store(c1 + jo, x10); v128.store(c1 + jo, x11, 16);
      v128.store(c2 + jo, x20); v128.store(c2 + jo, x21, 16);
      v128.store(c3 + jo, x30); v128.store(c3 + jo, x31, 16);
    }
    for (; j < N; j += 4) {
      const jo = <usize>j << 2;
      let x0 = v128.load(c0 + jo), x1 = v128.load(c1 + jo), x2 = v128.load(c2 + jo), x3 = v128.load(c3 + jo);
      let pb = b + jo;
      let ka: usize = 0;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb);
        x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(a0 + ka), b0));
        x1 = f32x4.add(x1, f32x4.mul(v128.load32_splat(a1 + ka), b0));
        x2 = f32x4.add(x2, f32x4.mul(v128.load32_splat(a2 + ka), b0));
        x3 = f32x4.add(x3, f32x4.mul(v128.load32_splat(a3 + ka), b0));
        pb += sb;
        ka += sa;
      }
      v128.store(c0 + jo, x0); v128.store(c1 + jo, x1); v128.store(c2 + jo, x2); v128.store(c3 + jo, x3);
    }
  }
  for (; i < M; i++) gemmRow(a + (<usize>(i * ars) << 2), sa, b, sb, c + (<usize>(i * ldc) << 2), K, N);
}

/** One row of C (the batch-1 case): 16 columns at a time, then 4. */
function gemmRow(a0: usize, sa: usize, b: usize, sb: usize, c0: usize, K: i32, N: i32): void {
  let j = 0;
  for (; j + 16 <= N; j += 16) {
    const jo = <usize>j << 2;
    let x0 = v128.load(c0 + jo), x1 = v128.load(c0 + jo, 16);
    let x2 = v128.load(c0 + jo, 32), x3 = v128.load(c0 + jo, 48);
    let pb = b + jo;
    let ka: usize = 0;
    for (let k = 0; k < K; k++) {
      const s = v128.load32_splat(a0 + ka);
      x0 = f32x4.add(x0, f32x4.mul(s, v128.load(pb)));
      x1 = f32x4.add(x1, f32x4.mul(s, v128.load(pb, 16)));
      x2 = f32x4.add(x2, f32x4.mul(s, v128.load(pb, 32)));
      x3 = f32x4.add(x3, f32x4.mul(s, v128.load(pb, 48)));
      pb += sb;
      ka += sa;
    }
    v128.store(c0 + jo, x0); v128.store(c0 + jo, x1, 16); v128.store(c0 + jo, x2, 32); v128.store(c0 + jo, x3, 48);
  }
  for (; j < N; j += 4) {
    const jo = <usize>j << 2;
    let x0 = v128.load(c0 + jo);
    let pb = b + jo;
    let ka: usize = 0;
    for (let k = 0; k < K; k++) {
      x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(a0 + ka), v128.load(pb)));
      pb += sb;
      ka += sa;
    }
    v128.store(c0 + jo, x0);
  }
}

// ---- scratch layout (byte offsets, set by layout() for the current slice) ----
let T = 0, F = 0, U1 = 0, U2 = 0, U3 = 0, DU = 0, NC = 0, N = 0, MAXU = 0;
let X0: usize = 0, DHA: usize = 0, DHB: usize = 0, DHN: usize = 0, DCN: usize = 0;
let A1: usize = 0, P: usize = 0, DA: usize = 0, DLOG: usize = 0, DH3: usize = 0, DX0: usize = 0, END: usize = 0;
/** False in MODE_INPUT_GRAD: the backward pass skips every weight gradient and computes dX of layer 1 instead. */
let WGRAD = true;
// per layer: gates G [T,n,4U], cell C, tanh(cell) TC, output H, dropped output HD, mask M (each [T,n,U])
// These tables live in the first 256 bytes of the slice's own scratch (not in module statics): with shared
// memory every thread's instance would otherwise write the same addresses.
const G = 0, CC = 3, TC = 6, H = 9, HD = 12, MK = 15, WO = 18, GO = 31, US = 44, INS = 47;
let SCR: usize = 0;
@inline function tget(i: i32): usize {
  return load<usize>(SCR + (<usize>i << 2));
}
@inline function tset(i: i32, v: usize): void {
  store<usize>(SCR + (<usize>i << 2), v);
}

function take(p: usize, floats: i32): usize {
  return p + ((<usize>floats << 2) + 63) & ~(<usize>63);
}

function layout(desc: usize, scratch: usize): void {
  T = fld(desc, D_T); F = fld(desc, D_F); U1 = fld(desc, D_U1); U2 = fld(desc, D_U2); U3 = fld(desc, D_U3);
  DU = fld(desc, D_D); NC = fld(desc, D_C); N = fld(desc, D_N);
  MAXU = max(U1, max(U2, U3));
  const mode = fld(desc, D_MODE);
  const train = mode >= MODE_TRAIN; // the input gradient needs the same buffers (its masks are all ones)
  WGRAD = mode == MODE_TRAIN;
  const tn = T * N;
  SCR = scratch;
  tset(US + 0, U1); tset(US + 1, U2); tset(US + 2, U3);
  tset(INS + 0, F); tset(INS + 1, U1); tset(INS + 2, U2);
  let p = scratch + 256;
  X0 = p; p = take(p, tn * F);
  for (let l = 0; l < 3; l++) {
    const u = <i32>tget(US + l);
    tset(G + l, p); p = take(p, tn * 4 * u);
    tset(CC + l, p); p = take(p, tn * u);
    tset(TC + l, p); p = take(p, tn * u);
    tset(H + l, p); p = take(p, tn * u);
    if (train) {
      tset(HD + l, p); p = take(p, tn * u);
      tset(MK + l, p); p = take(p, tn * u);
    } else {
      tset(HD + l, tget(H + l)); tset(MK + l, 0);
    }
  }
  A1 = p; p = take(p, N * DU);
  P = p; p = take(p, N * NC);
  if (train) {
    DHA = p; p = take(p, tn * MAXU);
    DHB = p; p = take(p, tn * MAXU);
    DHN = p; p = take(p, N * MAXU);
    DCN = p; p = take(p, N * MAXU);
    DA = p; p = take(p, N * DU);
    DLOG = p; p = take(p, N * NC);
    DH3 = p; p = take(p, N * U3);
  }
  if (mode == MODE_INPUT_GRAD) {
    DX0 = p; p = take(p, tn * ((F + 3) & ~3)); // rows padded to 4 floats (lstmBackward)
  }
  END = p;
}

/** Bytes of scratch a slice of the descriptor's dims and mode needs; writes its table at `scratch`. */
export function scratchBytes(desc: usize, scratch: usize): i32 {
  layout(desc, scratch);
  return <i32>(END - scratch);
}

// ---- weight offsets ----
function wOffsets(w: usize, out: i32): void {
  let p = w;
  for (let l = 0; l < 3; l++) {
    const u = <i32>tget(US + l), inn = <i32>tget(INS + l);
    tset(out + l * 3, p); p += <usize>(inn * 4 * u) << 2;
    tset(out + l * 3 + 1, p); p += <usize>(u * 4 * u) << 2;
    tset(out + l * 3 + 2, p); p += <usize>(4 * u) << 2;
  }
  tset(out + 9, p); p += <usize>(U3 * DU) << 2;
  tset(out + 10, p); p += <usize>DU << 2;
  tset(out + 11, p); p += <usize>(DU * NC) << 2;
  tset(out + 12, p);
}

function transOffset(tr: usize, l: i32, recurrent: bool): usize {
  let p = tr;
  for (let k = 0; k < l; k++) p += (4 * tget(US + k) * (tget(INS + k) + tget(US + k))) << 2;
  if (recurrent) p += (4 * tget(US + l) * tget(INS + l)) << 2;
  return p;
}

// ---- forward ----
function lstmForward(l: i32, xin: usize): void {
  const u = <i32>tget(US + l), inn = <i32>tget(INS + l), g4 = 4 * u;
  const g = tget(G + l), cc = tget(CC + l), tc = tget(TC + l), h = tget(H + l);
  const w = tget(WO + l * 3), r = tget(WO + l * 3 + 1), bias = tget(WO + l * 3 + 2);
  const rows = T * N;
  for (let row = 0; row < rows; row++) memory.copy(g + (<usize>(row * g4) << 2), bias, <usize>g4 << 2);
  gemm(xin, inn, 1, w, g4, g, g4, rows, inn, g4); // [T*n, 4u] += [T*n, in] · [in, 4u]
  const stepG = <usize>(N * g4) << 2, stepU = <usize>(N * u) << 2;
  for (let t = 0; t < T; t++) {
    const gt = g + <usize>t * stepG, ct = cc + <usize>t * stepU, tct = tc + <usize>t * stepU, ht = h + <usize>t * stepU;
    if (t > 0) gemm(ht - stepU, u, 1, r, g4, gt, g4, N, u, g4); // += h[t-1] · R
    for (let b = 0; b < N; b++) {
      const gb = gt + (<usize>(b * g4) << 2), ub = <usize>(b * u) << 2;
      for (let j = 0; j < u; j += 4) {
        const jo = <usize>j << 2;
        const gi = vsigmoid(v128.load(gb + jo));
        const gf = vsigmoid(v128.load(gb + jo + (<usize>u << 2)));
        const gg = vtanh(v128.load(gb + jo + (<usize>u << 3)));
        const go = vsigmoid(v128.load(gb + jo + (<usize>(3 * u) << 2)));
        let c = f32x4.mul(gi, gg);
        if (t > 0) c = f32x4.add(c, f32x4.mul(gf, v128.load(ct - stepU + ub + jo)));
        const tcv = vtanh(c);
        v128.store(gb + jo, gi); v128.store(gb + jo + (<usize>u << 2), gf);
        v128.store(gb + jo + (<usize>u << 3), gg); v128.store(gb + jo + (<usize>(3 * u) << 2), go);
        v128.store(ct + ub + jo, c); v128.store(tct + ub + jo, tcv);
        v128.store(ht + ub + jo, f32x4.mul(go, tcv));
      }
    }
  }
}

/** mulberry32 step over a state word kept in a global (per instance). */
let rngState: u32 = 0;
@inline function nextUniform(): f32 {
  rngState += 0x6d2b79f5;
  let t = rngState;
  t = (t ^ (t >> 15)) * (t | 1);
  t ^= t + (t ^ (t >> 7)) * (t | 61);
  return <f32>((t ^ (t >> 14)) >> 8) * (1.0 / 16777216.0);
}

/** Dropout masks drawn per (seed, layer, global sample), so they do not depend on how the batch is split. */
function makeMask(l: i32, desc: usize): void {
  const u = <i32>tget(US + l), mk = tget(MK + l), hd = tget(HD + l), h = tget(H + l);
  const rate = reinterpret<f32>(fld(desc, D_DROPOUT));
  const keep: f32 = rate > 0 ? <f32>1.0 / (<f32>1.0 - rate) : 1.0;
  const s0 = fld(desc, D_SAMPLE0), seed = <u32>fld(desc, D_SEED);
  const last = l == 2; // only the last step of the last LSTM layer is used
  for (let b = 0; b < N; b++) {
    rngState = seed * 0x9e3779b1 ^ (<u32>(s0 + b) * 0x85ebca6b) ^ (<u32>(l + 1) * 0xc2b2ae35);
    for (let t = last ? T - 1 : 0; t < T; t++) {
      const base = <usize>((t * N + b) * u) << 2;
      for (let j = 0; j < u; j++) {
        const m: f32 = rate > 0 ? (nextUniform() >= rate ? keep : 0) : 1;
        const o = base + (<usize>j << 2);
        store<f32>(mk + o, m);
        store<f32>(hd + o, load<f32>(h + o) * m);
      }
    }
  }
}

function denseForward(): void {
  const h3 = tget(HD + 2) + (<usize>((T - 1) * N * U3) << 2); // [n, U3]
  const wd1 = tget(WO + 9), bd1 = tget(WO + 10), wd2 = tget(WO + 11), bd2 = tget(WO + 12);
  for (let b = 0; b < N; b++) {
    for (let k = 0; k < DU; k++) {
      let s = load<f32>(bd1 + (<usize>k << 2));
      for (let j = 0; j < U3; j++) s += load<f32>(h3 + (<usize>(b * U3 + j) << 2)) * load<f32>(wd1 + (<usize>(j * DU + k) << 2));
      store<f32>(A1 + (<usize>(b * DU + k) << 2), s > 0 ? s : 0);
    }
    let mx: f32 = -Infinity;
    for (let c = 0; c < NC; c++) {
      let s = load<f32>(bd2 + (<usize>c << 2));
      for (let k = 0; k < DU; k++) s += load<f32>(A1 + (<usize>(b * DU + k) << 2)) * load<f32>(wd2 + (<usize>(k * NC + c) << 2));
      store<f32>(P + (<usize>(b * NC + c) << 2), s);
      mx = max(mx, s);
    }
    let sum: f32 = 0;
    for (let c = 0; c < NC; c++) {
      const o = P + (<usize>(b * NC + c) << 2);
      const e = <f32>Math.exp(<f64>(load<f32>(o) - mx));
      store<f32>(o, e);
      sum += e;
    }
    for (let c = 0; c < NC; c++) {
      const o = P + (<usize>(b * NC + c) << 2);
      store<f32>(o, load<f32>(o) / sum);
    }
  }
}

function forward(desc: usize): void {
  const train = fld(desc, D_MODE) >= MODE_TRAIN;
  // input [n, T, F] → time-major [T, n, F]
  const x = <usize>fld(desc, D_X);
  for (let b = 0; b < N; b++)
    for (let t = 0; t < T; t++)
      memory.copy(X0 + (<usize>((t * N + b) * F) << 2), x + (<usize>((b * T + t) * F) << 2), <usize>F << 2);
  let xin = X0;
  for (let l = 0; l < 3; l++) {
    lstmForward(l, xin);
    if (train) makeMask(l, desc);
    xin = tget(HD + l);
  }
  denseForward();
}

// ---- backward ----
function denseBackward(desc: usize): void {
  const inv = reinterpret<f32>(fld(desc, D_INV_TOTAL));
  const labels = <usize>fld(desc, D_LABELS);
  const h3 = tget(HD + 2) + (<usize>((T - 1) * N * U3) << 2);
  const wd1 = tget(WO + 9), wd2 = tget(WO + 11);
  const gwd1 = tget(GO + 9), gbd1 = tget(GO + 10), gwd2 = tget(GO + 11), gbd2 = tget(GO + 12);
  for (let b = 0; b < N; b++) {
    if (WGRAD) crossEntropyLogitGrad(b, load<i32>(labels + (<usize>b << 2)), inv);
    else probabilityLogitGrad(b, <usize>fld(desc, D_SEEDS));
    for (let k = 0; k < DU; k++) {
      const a = load<f32>(A1 + (<usize>(b * DU + k) << 2));
      let s: f32 = 0;
      for (let c = 0; c < NC; c++) {
        const d = load<f32>(DLOG + (<usize>(b * NC + c) << 2));
        const o = gwd2 + (<usize>(k * NC + c) << 2);
        if (WGRAD) store<f32>(o, load<f32>(o) + a * d);
        s += d * load<f32>(wd2 + (<usize>(k * NC + c) << 2));
      }
      store<f32>(DA + (<usize>(b * DU + k) << 2), a > 0 ? s : 0);
    }
    if (WGRAD) for (let c = 0; c < NC; c++) {
      const o = gbd2 + (<usize>c << 2);
      store<f32>(o, load<f32>(o) + load<f32>(DLOG + (<usize>(b * NC + c) << 2)));
    }
    for (let j = 0; j < U3; j++) {
      const hv = load<f32>(h3 + (<usize>(b * U3 + j) << 2));
      let s: f32 = 0;
      for (let k = 0; k < DU; k++) {
        const d = load<f32>(DA + (<usize>(b * DU + k) << 2));
        const o = gwd1 + (<usize>(j * DU + k) << 2);
        if (WGRAD) store<f32>(o, load<f32>(o) + hv * d);
        s += d * load<f32>(wd1 + (<usize>(j * DU + k) << 2));
      }
      store<f32>(DH3 + (<usize>(b * U3 + j) << 2), s);
    }
    if (WGRAD) for (let k = 0; k < DU; k++) {
      const o = gbd1 + (<usize>k << 2);
      store<f32>(o, load<f32>(o) + load<f32>(DA + (<usize>(b * DU + k) << 2)));
    }
  }
}

/** d(mean cross-entropy)/d logits of sample b: (p - onehot(y)) / total. */
function crossEntropyLogitGrad(b: i32, y: i32, inv: f32): void {
  for (let c = 0; c < NC; c++) {
    const d = (load<f32>(P + (<usize>(b * NC + c) << 2)) - (c == y ? <f32>1 : <f32>0)) * inv;
    store<f32>(DLOG + (<usize>(b * NC + c) << 2), d);
  }
}

/** d(Σ_c s_c p_c)/d logit_j of sample b, through the softmax: p_j (s_j - Σ_c s_c p_c); s = seeds [n, C]. */
function probabilityLogitGrad(b: i32, seeds: usize): void {
  let dot: f32 = 0;
  for (let c = 0; c < NC; c++) dot += load<f32>(seeds + (<usize>(b * NC + c) << 2)) * load<f32>(P + (<usize>(b * NC + c) << 2));
  for (let c = 0; c < NC; c++) {
    const o = <usize>(b * NC + c) << 2;
    store<f32>(DLOG + o, load<f32>(P + o) * (load<f32>(seeds + o) - dot));
  }
}

/** dH (gradient w.r.t. this layer's raw outputs, [T,n,u]) → weight gradients and, if dx != 0, dX [T,n,in]. */
function lstmBackward(l: i32, xin: usize, dh: usize, dx: usize, trans: usize): void {
  const u = <i32>tget(US + l), inn = <i32>tget(INS + l), g4 = 4 * u;
  const g = tget(G + l), cc = tget(CC + l), tc = tget(TC + l), h = tget(H + l);
  const rt = transOffset(trans, l, true), wt = transOffset(trans, l, false);
  const stepG = <usize>(N * g4) << 2, stepU = <usize>(N * u) << 2;
  const uo = <usize>u << 2;
  memory.fill(DCN, 0, stepU);
  memory.fill(DHN, 0, stepU);
  const one = splat(1.0);
  for (let t = T - 1; t >= 0; t--) {
    const gt = g + <usize>t * stepG, ct = cc + <usize>t * stepU, tct = tc + <usize>t * stepU, dht = dh + <usize>t * stepU;
    for (let b = 0; b < N; b++) {
      const gb = gt + (<usize>(b * g4) << 2), ub = <usize>(b * u) << 2;
      for (let j = 0; j < u; j += 4) {
        const jo = <usize>j << 2;
        const gi = v128.load(gb + jo), gf = v128.load(gb + jo + uo);
        const gg = v128.load(gb + jo + (uo << 1)), go = v128.load(gb + jo + 3 * uo);
        const tcv = v128.load(tct + ub + jo);
        const dhv = f32x4.add(v128.load(dht + ub + jo), v128.load(DHN + ub + jo));
        const dov = f32x4.mul(dhv, tcv);
        const dc = f32x4.add(v128.load(DCN + ub + jo), f32x4.mul(f32x4.mul(dhv, go), f32x4.sub(one, f32x4.mul(tcv, tcv))));
        const cprev = t > 0 ? v128.load(ct - stepU + ub + jo) : f32x4.splat(0);
        v128.store(DCN + ub + jo, f32x4.mul(dc, gf));
        v128.store(gb + jo, f32x4.mul(f32x4.mul(dc, gg), f32x4.mul(gi, f32x4.sub(one, gi))));
        v128.store(gb + jo + uo, f32x4.mul(f32x4.mul(dc, cprev), f32x4.mul(gf, f32x4.sub(one, gf))));
        v128.store(gb + jo + (uo << 1), f32x4.mul(f32x4.mul(dc, gi), f32x4.sub(one, f32x4.mul(gg, gg))));
        v128.store(gb + jo + 3 * uo, f32x4.mul(dov, f32x4.mul(go, f32x4.sub(one, go))));
      }
    }
    if (t > 0) {
      memory.fill(DHN, 0, stepU);
      gemm(gt, g4, 1, rt, u, DHN, u, N, g4, u); // dh_next = dG[t] · R^T
    }
  }
  // G now holds dZ for every step [T*n, 4u]
  if (WGRAD) weightGrads(l, xin, g, h, g4, inn, u, stepG);
  const rows = T * N;
  if (dx != 0) {
    // rows of dX padded to 4 floats (the GEMM's lanes; only the input window's F may not be a multiple of 4): the
    // padding columns read past each row of Wᵀ, into memory that is ours, and are dropped by the caller
    const ldx = (inn + 3) & ~3;
    memory.fill(dx, 0, <usize>(rows * ldx) << 2);
    gemm(g, g4, 1, wt, inn, dx, ldx, rows, g4, ldx); // dX [T*n, in] = dZ · W^T
  }
}

/** The layer's weight gradients from dZ in G: dW, dR and the bias, added into the slice's gradient block. */
function weightGrads(l: i32, xin: usize, g: usize, h: usize, g4: i32, inn: i32, u: i32, stepG: usize): void {
  const gw = tget(GO + l * 3), gr = tget(GO + l * 3 + 1), gbias = tget(GO + l * 3 + 2);
  gemm(xin, 1, inn, g, g4, gw, g4, inn, T * N, g4); // dW [in,4u] += X^T · dZ
  if (T > 1) gemm(h, 1, u, g + stepG, g4, gr, g4, u, (T - 1) * N, g4); // dR [u,4u] += H[t-1]^T · dZ[t]
  const rows = T * N;
  for (let row = 0; row < rows; row++) {
    const gr0 = g + (<usize>(row * g4) << 2);
    for (let j = 0; j < g4; j += 4) {
      const o = gbias + (<usize>j << 2);
      v128.store(o, f32x4.add(v128.load(o), v128.load(gr0 + (<usize>j << 2))));
    }
  }
}

function backward(desc: usize): void {
  const trans = <usize>fld(desc, D_TRANS);
  denseBackward(desc);
  // dH3: zero except the last step, through dropout mask 3
  const tn3 = T * N * U3;
  memory.fill(DHA, 0, <usize>tn3 << 2);
  const last = <usize>((T - 1) * N * U3) << 2;
  for (let k = 0; k < N * U3; k++) {
    const o = <usize>k << 2;
    store<f32>(DHA + last + o, load<f32>(DH3 + o) * load<f32>(tget(MK + 2) + last + o));
  }
  let dh = DHA, dx = DHB;
  for (let l = 2; l >= 0; l--) {
    const xin = l > 0 ? tget(HD + l - 1) : X0;
    lstmBackward(l, xin, dh, l > 0 ? dx : WGRAD ? 0 : DX0, trans);
    if (l > 0) {
      // through the dropout mask of the layer below
      const mk = tget(MK + l - 1), cnt = T * N * <i32>tget(US + l - 1);
      for (let k = 0; k < cnt; k += 4) {
        const o = <usize>k << 2;
        v128.store(dx + o, f32x4.mul(v128.load(dx + o), v128.load(mk + o)));
      }
      const s = dh; dh = dx; dx = s;
    }
  }
}

function lossOf(desc: usize): void {
  const labels = <usize>fld(desc, D_LABELS);
  let sum: f64 = 0;
  for (let b = 0; b < N; b++) {
    const y = load<i32>(labels + (<usize>b << 2));
    const p = load<f32>(P + (<usize>(b * NC + y) << 2));
    sum -= Math.log(<f64>max(p, <f32>1e-30));
  }
  store<f32>(<usize>fld(desc, D_LOSS), <f32>sum);
}

/**
 * Runs one slice in the calling thread's `scratch`: mode 0 predict (writes probabilities), 1 evaluate (+ loss
 * sum), 2 train (+ gradients added into the slice's gradient block), 3 input gradient (+ d(Σ_c seeds_c · p_c)/dx
 * [n, T, F] written at D_DX; no weight gradient; run with dropout 0).
 */
export function runSlice(desc: usize, scratch: usize): void {
  layout(desc, scratch);
  wOffsets(<usize>fld(desc, D_WEIGHTS), WO);
  const mode = fld(desc, D_MODE);
  forward(desc);
  memory.copy(<usize>fld(desc, D_OUT), P, <usize>(N * NC) << 2);
  if (mode == MODE_EVALUATE || mode == MODE_TRAIN) lossOf(desc);
  if (mode == MODE_TRAIN) {
    wOffsets(<usize>fld(desc, D_GRAD), GO);
    backward(desc);
  }
  if (mode == MODE_INPUT_GRAD) {
    backward(desc);
    // time-major [T, n, F] → [n, T, F], the caller's layout
    const dx = <usize>fld(desc, D_DX), f4 = (F + 3) & ~3;
    for (let b = 0; b < N; b++)
      for (let t = 0; t < T; t++)
        memory.copy(dx + (<usize>((b * T + t) * F) << 2), DX0 + (<usize>((t * N + b) * f4) << 2), <usize>F << 2);
  }
}

// ---- optimiser and helpers (called by the coordinating thread) ----

/** dst[i] += src[i], count a multiple of 4. */
export function addInto(dst: usize, src: usize, count: i32): void {
  for (let i = 0; i < count; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
}

/** Adam with PyTorch's weight decay (g += wd·w); bc1 = 1 - β1^t, bc2 = 1 - β2^t. count a multiple of 4. */
export function adam(w: usize, g: usize, m: usize, v: usize, count: i32, lr: f32, b1: f32, b2: f32, eps: f32, wd: f32, bc1: f32, bc2: f32): void {
  const vb1 = splat(b1), vb2 = splat(b2), vc1 = splat(1 - b1), vc2 = splat(1 - b2);
  const vwd = splat(wd), vlr = splat(lr / bc1), vbc2 = splat(<f32>1 / bc2), veps = splat(eps);
  for (let i = 0; i < count; i += 4) {
    const o = <usize>i << 2;
    const wv = v128.load(w + o);
    const gv = f32x4.add(v128.load(g + o), f32x4.mul(vwd, wv));
    const mv = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, gv));
    const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(vc2, f32x4.mul(gv, gv)));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    const den = f32x4.add(f32x4.sqrt(f32x4.mul(vv, vbc2)), veps);
    v128.store(w + o, f32x4.sub(wv, f32x4.div(f32x4.mul(vlr, mv), den)));
  }
}

/** dst [cols, rows] = src [rows, cols]ᵀ. */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      store<f32>(dst + (<usize>(c * rows + r) << 2), load<f32>(src + (<usize>(r * cols + c) << 2)));
}
