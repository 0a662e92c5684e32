// package.json's settings schema against the defaults written in code: one source for each default.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../../src/protocol/settings';
import { SETTINGS_SECTION } from '../../../src/extension/run/launch';
import { ANALYSIS_SETTING_KEYS, DEFAULT_HOST_SETTINGS, HOST_SETTING_KEYS } from '../../../src/extension/settingsTable';
import { TRAINER_BACKENDS } from '../../../src/trainer/options';

interface SchemaProperty {
  default?: unknown;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SchemaProperty> } };
};
const schema = manifest.contributes.configuration.properties;
const property = (key: string): SchemaProperty => {
  const p = schema[`${SETTINGS_SECTION}.${key}`];
  assert.ok(p, `package.json has no setting ${SETTINGS_SECTION}.${key}`);
  return p;
};

describe('settings defaults: package.json agrees with the code', () => {
  for (const [field, key] of Object.entries(ANALYSIS_SETTING_KEYS)) {
    it(`${key} defaults to DEFAULT_SETTINGS.${field}`, () => {
      assert.deepEqual(property(key).default, DEFAULT_SETTINGS[field as keyof typeof ANALYSIS_SETTING_KEYS]);
    });
  }

  for (const [field, key] of Object.entries(HOST_SETTING_KEYS)) {
    it(`${key} defaults to DEFAULT_HOST_SETTINGS.${field}`, () => {
      assert.deepEqual(property(key).default, DEFAULT_HOST_SETTINGS[field as keyof typeof HOST_SETTING_KEYS]);
    });
  }

  it('every setting with a default in package.json is read through one of the two tables', () => {
    const known = [...Object.values(ANALYSIS_SETTING_KEYS), ...Object.values(HOST_SETTING_KEYS)].map(
      (k) => `${SETTINGS_SECTION}.${k}`,
    );
    const withDefault = Object.keys(schema).filter((k) => schema[k].default !== undefined);
    assert.deepEqual(
      withDefault.filter((k) => !known.includes(k)),
      [],
    );
  });

  it("the trainer backend's choices are the ones the trainer takes", () => {
    const backend = schema[`${SETTINGS_SECTION}.trainer.backend`] as { enum?: string[] };
    assert.deepEqual(backend.enum, [...TRAINER_BACKENDS]);
  });
});
