// `npm run bench`: every benchmark, each printed next to a baseline measured in the same run.
import { benchEngine } from './engine';

(async () => {
  await benchEngine();
})().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
