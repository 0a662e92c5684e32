// Child process of the memory tests: analyses one checkpoint and prints its report entry and peak RSS as JSON.
import { analyzeCheckpointFile } from '../../../../src/core/analyze';
import { withDefaults } from '../../../../src/protocol/settings';

void analyzeCheckpointFile(process.argv[2], withDefaults()).then((report) => {
  process.stdout.write(JSON.stringify({ report, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
});
