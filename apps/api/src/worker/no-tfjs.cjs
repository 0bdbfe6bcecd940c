// The Worker has no tfjs: wrangler.toml aliases @tensorflow/tfjs to this empty module, so that the tfjs-free
// functions of @coinsphere/model (features, windows, metadata, applyTemperature) bundle without ~1 MB of tfjs.
// Nothing in the Worker calls tfjs; a call would fail with "tf.x is not a function". CommonJS on purpose:
// esbuild checks named imports against an ESM module (a warning per tf.* name) but not against CommonJS.
module.exports = {};
