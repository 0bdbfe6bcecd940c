// Wrangler bundles a `.wasm` import as a compiled WebAssembly.Module (its CompiledWasm module rule).
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
