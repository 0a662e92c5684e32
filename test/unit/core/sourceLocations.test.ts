// Layer definitions found in real model files: torchvision's resnet.py and mobilenetv2.py (Debian's
// python3-torchvision 0.14.1), transformers-style GPT-2 and Llama excerpts, a user's own file. The
// layer names are the real state_dict() keys (make_source_fixtures.py); the expected lines are
// written here by hand from reading the files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateLayers, locatedShare, type LayerLocation } from '../../../src/core/source/match';

const DIR = join(__dirname, '..', '..', 'fixtures', 'source');
const KEYS: Record<string, [string, number[]][]> = JSON.parse(readFileSync(join(DIR, 'state_dict_keys.json'), 'utf8'));
const source = (file: string) => readFileSync(join(DIR, file), 'utf8');

/** The layers the analysis sees: weights of two or more dimensions (docs/metrics.md "Inputs"). */
function layerNames(model: string): string[] {
  return KEYS[model].filter(([k, shape]) => k.endsWith('.weight') && shape.length >= 2).map(([k]) => k.slice(0, -7));
}

/** 0-based line of the first `snippet` after `after` in `text`. */
function lineOf(text: string, snippet: string, after = ''): number {
  const from = after ? text.indexOf(after) : 0;
  assert.ok(from >= 0, `anchor ${after} not in the file`);
  const at = text.indexOf(snippet, from);
  assert.ok(at >= 0, `${snippet} not in the file after ${after}`);
  return text.slice(0, at).split('\n').length - 1;
}

/** Where each layer's own (not repeated) definition starts. */
function leafLines(locations: LayerLocation[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of locations) if (!l.repeated) for (const name of l.layers) out.set(name, l.range.start.line);
  return out;
}

/** Every layer is found, and each on a line the table allows. */
function checkModel(
  file: string,
  model: string,
  table: [RegExp, ...[string, string?][]][],
  names = layerNames(model),
): LayerLocation[] {
  const text = source(file);
  const locations = locateLayers(text, 'python', names)!;
  const lines = leafLines(locations);
  assert.deepEqual(
    names.filter((n) => !lines.has(n)),
    [],
    'layers not located',
  );
  for (const name of names) {
    const row = table.find(([re]) => re.test(name));
    assert.ok(row, `no expectation for ${name}`);
    const allowed = (row.slice(1) as [string, string?][]).map(([snippet, after]) => lineOf(text, snippet, after));
    assert.ok(
      allowed.includes(lines.get(name)!),
      `${name} at line ${lines.get(name)! + 1}, expected ${allowed.map((l) => l + 1)}`,
    );
  }
  return locations;
}

function repeatedAt(locations: LayerLocation[], line: number): LayerLocation | undefined {
  return locations.find((l) => l.repeated && l.range.start.line === line);
}

describe('layer locations in source text', () => {
  describe("torchvision's resnet.py", () => {
    const text = source('resnet.py');
    const stem: [RegExp, ...[string, string?][]][] = [
      [/^conv1$/, ['self.conv1 = nn.Conv2d(3, self.inplanes']],
      [/^fc$/, ['self.fc = nn.Linear(512 * block.expansion']],
    ];

    it('resnet18: every conv of the BasicBlocks on its line in BasicBlock, the stem and fc in ResNet', () => {
      const locations = checkModel('resnet.py', 'resnet18', [
        ...stem,
        [/^layer\d\.\d\.conv1$/, ['self.conv1 = conv3x3(inplanes, planes, stride)', 'class BasicBlock']],
        [/^layer\d\.\d\.conv2$/, ['self.conv2 = conv3x3(planes, planes)', 'class BasicBlock']],
        // The block's `downsample` parameter is followed to what _make_layer passes: its nn.Sequential.
        [
          /^layer\d\.0\.downsample\.0$/,
          ['conv1x1(self.inplanes, planes * block.expansion, stride)', 'def _make_layer'],
        ],
      ]);
      const layer1 = repeatedAt(locations, lineOf(text, 'self.layer1 = self._make_layer('));
      assert.deepEqual(layer1?.layers, ['layer1.0.conv1', 'layer1.0.conv2', 'layer1.1.conv1', 'layer1.1.conv2']);
      const conv1 = locations.find((l) => !l.repeated && l.layers.includes('layer3.1.conv1'))!;
      assert.equal(conv1.label, 'layer*.*.conv1');
      assert.equal(conv1.layers.length, 8);
    });

    it('resnet50: the same file, now the Bottleneck (conv3 is only there) explains the blocks', () => {
      checkModel('resnet.py', 'resnet50', [
        ...stem,
        [/^layer\d\.\d+\.conv1$/, ['self.conv1 = conv1x1(inplanes, width)', 'class Bottleneck']],
        [/^layer\d\.\d+\.conv2$/, ['self.conv2 = conv3x3(width, width, stride, groups, dilation)', 'class Bottleneck']],
        [/^layer\d\.\d+\.conv3$/, ['self.conv3 = conv1x1(width, planes * self.expansion)', 'class Bottleneck']],
        [
          /^layer\d\.0\.downsample\.0$/,
          ['conv1x1(self.inplanes, planes * block.expansion, stride)', 'def _make_layer'],
        ],
      ]);
    });

    it('strips the prefixes of DataParallel, torch.compile and Lightning', () => {
      const names = ['module.fc', '_orig_mod.layer2.1.conv2', 'model.conv1'];
      const lines = leafLines(locateLayers(text, 'python', names)!);
      assert.equal(lines.get('module.fc'), lineOf(text, 'self.fc = nn.Linear('));
      assert.equal(lines.get('_orig_mod.layer2.1.conv2'), lineOf(text, 'self.conv2 = conv3x3(planes, planes)'));
      assert.equal(lines.get('model.conv1'), lineOf(text, 'self.conv1 = nn.Conv2d(3'));
    });

    it('finds nothing for names the file does not define', () => {
      const names = ['layer1.0.conv9', 'encoder.fc', 'fc.extra'];
      assert.deepEqual(locateLayers(text, 'python', names), []);
      assert.equal(locatedShare([], names), 0);
    });
  });

  it("torchvision's mobilenetv2.py: Sequentials of lists built with append, extend and loops", () => {
    const ir = 'class InvertedResidual';
    checkModel('mobilenetv2.py', 'mobilenet_v2', [
      [/^features\.0\.0$/, ['Conv2dNormActivation(3, input_channel, stride=2']],
      [/^features\.18\.0$/, ['Conv2dNormActivation(\n', '# building last several layers']],
      // Whether a block's first entry is the expansion depends on expand_ratio, known only when it runs.
      [
        /^features\.\d+\.conv\.0\.0$/,
        ['Conv2dNormActivation(inp, hidden_dim', ir],
        ['Conv2dNormActivation(\n', '# dw'],
      ],
      [/^features\.\d+\.conv\.1\.0$/, ['Conv2dNormActivation(\n', '# dw']],
      [/^features\.\d+\.conv\.[12]$/, ['nn.Conv2d(hidden_dim, oup, 1, 1, 0, bias=False)', ir]],
      [/^classifier\.1$/, ['nn.Linear(self.last_channel, num_classes)']],
    ]);
  });

  it('GPT-2 (transformers style): blocks of a ModuleList comprehension, Conv1D layers, the head', () => {
    const text = source('gpt2_style.py');
    const names = layerNames('gpt2');
    const locations = checkModel('gpt2_style.py', 'gpt2', [
      [/^transformer\.wte$/, ['self.wte = nn.Embedding(']],
      [/^transformer\.wpe$/, ['self.wpe = nn.Embedding(']],
      // Cross-attention blocks define c_attn in the other branch of the same if.
      [/\.attn\.c_attn$/, ['self.c_attn = Conv1D(3 * self.embed_dim'], ['self.c_attn = Conv1D(2 * self.embed_dim']],
      [/\.attn\.c_proj$/, ['self.c_proj = Conv1D(self.embed_dim, self.embed_dim)']],
      [/\.mlp\.c_fc$/, ['self.c_fc = Conv1D(']],
      [/\.mlp\.c_proj$/, ['self.c_proj = Conv1D(embed_dim, intermediate_size)']],
      [/^lm_head$/, ['self.lm_head = nn.Linear(']],
    ]);
    const h = repeatedAt(locations, lineOf(text, 'self.h = nn.ModuleList('));
    assert.deepEqual(
      h?.layers,
      names.filter((n) => n.startsWith('transformer.h.')),
    );
    assert.equal(h?.label, 'transformer.h.*.…');
  });

  it('Llama (transformers style): model.layers.N.self_attn / mlp projections, with the model. prefix as a real attribute', () => {
    const text = source('llama_style.py');
    const locations = checkModel('llama_style.py', 'llama', [
      [/^model\.embed_tokens$/, ['self.embed_tokens = nn.Embedding(']],
      [/q_proj$/, ['self.q_proj = nn.Linear(']],
      [/k_proj$/, ['self.k_proj = nn.Linear(']],
      [/v_proj$/, ['self.v_proj = nn.Linear(']],
      [/o_proj$/, ['self.o_proj = nn.Linear(']],
      [/gate_proj$/, ['self.gate_proj = nn.Linear(']],
      [/up_proj$/, ['self.up_proj = nn.Linear(']],
      [/down_proj$/, ['self.down_proj = nn.Linear(']],
      [/^lm_head$/, ['self.lm_head = nn.Linear(']],
    ]);
    const layers = repeatedAt(locations, lineOf(text, 'self.layers = nn.ModuleList('));
    assert.equal(layers?.layers.length, 2 * 7);
  });

  it("a user's own file: Sequential indices, OrderedDict names, a ModuleList filled in a loop, a nested class", () => {
    const text = source('own_model.py');
    const locations = checkModel('own_model.py', 'own_model', [
      [/^fc1$/, ['self.fc1 = nn.Linear(1, width)']],
      [/^features\.0$/, ['nn.Conv1d(1, 4, 3)']],
      [/^features\.2$/, ['nn.Conv1d(4, 8, 3)']],
      [/^named\.lin$/, ['nn.Linear(width, width)', '("lin"']],
      [/^named\.out$/, ['nn.Linear(width, width)', '("out"']],
      [/^blocks\.\d$/, ['nn.Linear(width, width))', 'self.blocks.append(']],
      [/^head\.proj$/, ['self.proj = nn.Linear(width, 2)']],
    ]);
    const blocks = repeatedAt(locations, lineOf(text, 'self.blocks = nn.ModuleList()'));
    assert.deepEqual(blocks?.layers, ['blocks.0', 'blocks.1', 'blocks.2']);
  });

  it("Keras layers by their name='…', with or without the model's scope before it", () => {
    const text = source('own_model.py');
    const lines = leafLines(locateLayers(text, 'python', ['hidden', 'sequential/conv_a'])!);
    assert.equal(lines.get('hidden'), lineOf(text, 'keras.layers.Dense(64'));
    assert.equal(lines.get('sequential/conv_a'), lineOf(text, 'keras.layers.Conv2D(8'));
  });

  it("TF.js tf.layers.dense({ …, name: '…' }) in JavaScript and TypeScript", () => {
    const text = source('tfjs_model.js');
    for (const language of ['javascript', 'typescript']) {
      const locations = locateLayers(text, language, ['hidden', 'out', 'missing'])!;
      const lines = leafLines(locations);
      assert.equal(lines.get('hidden'), lineOf(text, 'tf.layers.dense({ inputShape'));
      assert.equal(lines.get('out'), lineOf(text, 'tf.layers.dense({\n'));
      assert.equal(lines.has('missing'), false);
      assert.equal(locatedShare(locations, ['hidden', 'out', 'missing']), 2 / 3);
    }
  });

  it('parses nothing for a language without a rule', () => {
    assert.equal(locateLayers(source('own_model.py'), 'plaintext', ['fc1']), undefined);
  });
});
