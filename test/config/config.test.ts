import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { envName, loadConfig } from '../../src/config/load.js';
import { parseConfig, redactConfig } from '../../src/config/schema.js';

describe('configuration', () => {
  test('defaults match the public contract', () => {
    const config = loadConfig({}, {});
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 9292);
    assert.equal(config.database, './data/faye-online.sqlite');
    assert.equal(config.timeout, 25);
    assert.equal(config.leaveGrace, 3);
    assert.equal(config.publishTick, 100);
    assert.equal(config.checkpointInterval, 15);
    assert.ok(Object.isFrozen(config));
  });

  test('environment variables map onto options and flags win over them', () => {
    const env = { FAYE_ONLINE_PORT: '9400', FAYE_ONLINE_LEAVE_GRACE: '2' };
    const config = loadConfig({ port: '9500' }, env);
    assert.equal(config.port, 9500);
    assert.equal(config.leaveGrace, 2);
    assert.equal(envName('leaveGrace'), 'FAYE_ONLINE_LEAVE_GRACE');
  });

  test('a leave grace longer than the timeout is refused with a sentence', () => {
    assert.throws(() => loadConfig({ leaveGrace: '30', timeout: '25' }, {}), {
      message:
        'invalid configuration: leaveGrace: leave grace (30 s) must not be ' +
        'longer than the timeout (25 s)',
    });
  });

  test('a negative port is refused naming the option', () => {
    assert.throws(() => loadConfig({ port: '-1' }, {}), /port: Too small/);
  });

  test('a value that is no number is refused naming its source', () => {
    assert.throws(() => loadConfig({}, { FAYE_ONLINE_TIMEOUT: 'soon' }), {
      message:
        'invalid configuration: FAYE_ONLINE_TIMEOUT: expected a number, got "soon"',
    });
  });

  test('numbers are decimal: a hexadecimal port is refused', () => {
    assert.throws(() => loadConfig({ port: '0x50' }, {}), {
      message: 'invalid configuration: --port: expected a number, got "0x50"',
    });
  });

  test('unknown keys and unknown variables are refused', () => {
    assert.throws(() => parseConfig({ prot: 1 }), /unknown option\(s\): prot/);
    assert.throws(() => loadConfig({}, { FAYE_ONLINE_PROT: '1' }), {
      message:
        'invalid configuration: unknown environment variable FAYE_ONLINE_PROT',
    });
  });

  test('the logged configuration hides secrets and database passwords', () => {
    const shown = redactConfig(
      parseConfig({ secret: 's3cret', database: 'postgres://u:pw@h/db' }),
    );
    assert.equal(shown.secret, '[set]');
    assert.equal(shown.database, 'postgres://u:***@h/db');
    assert.doesNotMatch(JSON.stringify(shown), /s3cret|pw@/);
  });
});
