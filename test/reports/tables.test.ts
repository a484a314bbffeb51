import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toCsv } from '../../src/reports/tables.js';

describe('toCsv', () => {
  test('writes a header row, then one row per entry', () => {
    const csv = toCsv({
      head: ['uid', 'seconds'],
      rows: [
        [42, 1.5],
        ['ann', null],
      ],
    });
    assert.equal(csv, 'uid,seconds\n42,1.5\nann,\n');
  });

  test('writes text that looks like a formula as text', () => {
    const csv = toCsv({
      head: ['uname'],
      rows: [
        ['=HYPERLINK("http://x","y")'],
        ['+1'],
        ['@sum'],
        ['-2'],
        ['plain'],
      ],
    });
    assert.equal(
      csv,
      'uname\n"\'=HYPERLINK(""http://x"",""y"")"\n\'+1\n\'@sum\n\'-2\nplain\n',
    );
  });

  test('leaves numbers alone, negative ones too', () => {
    assert.equal(toCsv({ head: ['n'], rows: [[-3]] }), 'n\n-3\n');
  });
});
