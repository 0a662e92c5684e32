// `npm run bench`: every benchmark, each printed next to a baseline measured in the same run.
import { benchEngine } from './engine';
import { benchLayers } from './layers';
import { benchTrainer } from './trainer';

(async () => {
  await benchEngine();
  benchLayers();
  await benchTrainer();
})().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
