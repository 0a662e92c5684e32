import { engineBackend } from './src/core/backend';
import { tfKernels } from './src/core/kernels/tfKernels';
import { greedyCover } from './src/core/clusters';
import { topSpectrum } from './src/core/spectrum';
(async () => {
  await engineBackend();
  for (const [n, d] of [[768, 769], [3072, 769], [768, 3073]]) {
    const data = new Float32Array(n * d);
    let s = 1;
    for (let i = 0; i < data.length; i++) { s = (s * 16807) % 2147483647; data[i] = s / 2147483647 - 0.5; }
    for (let i = 0; i < n; i++) { let q = 0; for (let j = 0; j < d; j++) q += data[i*d+j]**2; q = Math.sqrt(q); for (let j = 0; j < d; j++) data[i*d+j] /= q; }
    const m = tfKernels.upload(data, n, d);
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    greedyCover(tfKernels, m, rows, 0.95, false);
    let t0 = performance.now();
    for (let r = 0; r < 3; r++) greedyCover(tfKernels, m, rows, 0.95, false);
    const cover = (performance.now() - t0) / 3;
    t0 = performance.now();
    for (let r = 0; r < 3; r++) topSpectrum(tfKernels, m);
    console.log(`${n}x${d} cover ${cover.toFixed(0)} ms, spectrum ${((performance.now() - t0) / 3).toFixed(0)} ms`);
  }
})();
