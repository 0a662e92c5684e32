// A TypeScript "training script": proves the extension's launch line runs .ts through tsx.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir: string = process.env.CONDENSATION_LENS_RUN_DIR ?? '.';
writeFileSync(join(dir, 'ran-as-typescript.txt'), 'ok');
