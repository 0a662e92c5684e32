// A checkpoint written by real PyTorch (torch.save of a state dict) whose figures are computed by hand,
// for the untrusted session, where the extension may view checkpoints but not train.
// run.mjs copies it into the workspace before the session starts; the spec checks the analysis against it.
const fs = require('node:fs');
const path = require('node:path');

/** Its file name inside the untrusted workspace. */
const HANDMADE_FILE = 'handmade.pt';

/**
 * fc1 has 4 neurons with input vectors v = (w, b): (1, 0), (2, 0), (0, 1), (−1, 0) and outgoing weights 1,
 * so A = (1, 2, 1, 1), all active. With τ = 0.95: {1, 0} (cos 1), {2}, {3} → 3 clusters, the largest of 2;
 * masses (3, 1, 1) give effectiveClusters = exp(−(0.6 ln 0.6 + 2 · 0.2 ln 0.2)) = 2.5864.
 * fc2 has one neuron and is skipped (docs/metrics.md: layers with fewer than 2 neurons).
 */
const HANDMADE_EXPECTED = {
  layer: 'fc1',
  neurons: 4,
  inputDim: 2,
  active: 4,
  clusters: 3,
  largestCluster: 2,
  effectiveClusters: 2.5864,
};

/** Made by ../fixtures/make_handmade.py with real PyTorch and committed, so CI needs no Python. */
const SOURCE = path.join(__dirname, '..', 'fixtures', HANDMADE_FILE);

/** Copies the committed checkpoint to `file` (inside the session's workspace). */
function writeHandmadeCheckpoint(file) {
  fs.copyFileSync(SOURCE, file);
}

module.exports = { HANDMADE_FILE, HANDMADE_EXPECTED, writeHandmadeCheckpoint };
