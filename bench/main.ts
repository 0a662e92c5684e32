// `npm run bench [engine|layers|trainer|phase]…`: every benchmark (or those named), each next to a baseline measured in
// the same run.
import { benchEngine } from './engine';
import { benchPhase } from './phase';
import { benchLayers } from './layers';
import { benchTrainer } from './trainer';

const BENCHES: Record<string, () => Promise<void> | void> = {
  engine: benchEngine,
  layers: benchLayers,
  trainer: benchTrainer,
  phase: benchPhase,
};

(async () => {
  const named = process.argv.slice(2);
  const unknown = named.filter((n) => !(n in BENCHES));
  if (unknown.length)
    throw new Error(`unknown bench ${unknown.join(', ')}; the benches are ${Object.keys(BENCHES).join(', ')}`);
  for (const [name, bench] of Object.entries(BENCHES)) if (named.length === 0 || named.includes(name)) await bench();
})().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
