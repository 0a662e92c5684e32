// The small shared helpers of protocol: file-name stems, timestamps, the loss as people read it.
import assert from 'node:assert/strict';
import { fileStem, timestamp } from '../../../src/protocol/fileNames';
import { formatLoss } from '../../../src/protocol/trainerProgress';

describe('file names', () => {
  it('turns each run of unsafe characters into one dash and trims dashes at the ends', () => {
    assert.equal(fileStem('relu 1d / run #2'), 'relu-1d-run-2');
    assert.equal(fileStem('../etc/passwd'), '..-etc-passwd');
    assert.equal(fileStem('train_v1.py'), 'train_v1.py');
  });

  it('falls back to "run" when nothing usable is left', () => {
    assert.equal(fileStem(' / '), 'run');
    assert.equal(fileStem(''), 'run');
  });

  it('writes a local time as yyyymmdd-hhmmss', () => {
    assert.equal(timestamp(new Date(2025, 0, 31, 14, 25, 1)), '20250131-142501');
    assert.equal(timestamp(new Date(2026, 11, 1, 9, 5, 0)), '20261201-090500');
  });
});

describe('formatLoss', () => {
  it('three significant digits, in exponent form below 0.01', () => {
    assert.equal(formatLoss(0.5), '0.500');
    assert.equal(formatLoss(12.3456), '12.3');
    assert.equal(formatLoss(0.00123), '1.23e-3');
    assert.equal(formatLoss(-0.000456789), '-4.57e-4');
    assert.equal(formatLoss(0), '0.00');
  });

  it('says NaN and Infinity as they are', () => {
    assert.equal(formatLoss(NaN), 'NaN');
    assert.equal(formatLoss(Infinity), 'Infinity');
  });
});
