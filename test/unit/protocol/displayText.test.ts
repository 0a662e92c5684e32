// The one escaper of text from files: one line, no terminal escape sequences, quoted strings capped.
import { strict as assert } from 'assert';
import { displayText, escapeText, MAX_QUOTED_CHARS, quoted } from '../../../src/protocol/displayText';

describe('protocol: displayText', () => {
  it('escapes newlines, carriage returns, tabs and the ESC of an SGR sequence', () => {
    assert.equal(escapeText('a\nb\rc\td\x1b[31mred\x1b[0m'), 'a\\nb\\rc\\td\\x1b[31mred\\x1b[0m');
  });

  it('escapes DEL, C1 controls (CSI 0x9b), line separators and bidi overrides', () => {
    assert.equal(escapeText('\x7f\x9b2J\u2028\u202egnp.'), '\\x7f\\x9b2J\\u2028\\u202egnp.');
  });

  it('leaves printable text, accents and CJK alone', () => {
    assert.equal(escapeText('fc1.weight — poids 重み'), 'fc1.weight — poids 重み');
  });

  it('caps a long string at 200 characters, then says how many more there were', () => {
    const long = 'x'.repeat(10_000_000);
    const shown = displayText(long);
    assert.equal(MAX_QUOTED_CHARS, 200);
    assert.equal(shown, `${'x'.repeat(200)}… (9999800 more)`);
  });

  it('quotes, escapes and caps a name from a file', () => {
    assert.equal(quoted('a\nb.safetensors: analysed fine'), '"a\\nb.safetensors: analysed fine"');
    assert.equal(quoted('y'.repeat(201)), `"${'y'.repeat(200)}… (1 more)"`);
  });
});
