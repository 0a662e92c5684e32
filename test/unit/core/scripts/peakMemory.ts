// Child process of memory.test.ts: analyses one layer of a checkpoint and prints the peak RSS before and after.
import { analyzeLayerFile } from '../../../../src/core/analyze';
import { engineBackend } from '../../../../src/core/backend';
import { poolKernels } from '../../../../src/core/kernels/poolKernels';
import { withDefaults } from '../../../../src/protocol/settings';

void (async () => {
  // The loaded engine: its backend and the second thread of its kernels (the layer is large enough to use it).
  await engineBackend();
  await poolKernels();
  const loaded = process.resourceUsage().maxRSS * 1024;
  const summary = await analyzeLayerFile(process.argv[2], process.argv[3], withDefaults());
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ loaded, peak, neurons: summary.neurons }));
})();
