import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Grants } from '../../src/identity/grants.js';

describe('Grants', () => {
  test('a name grants that channel only', () => {
    const grants = Grants.of(['/chat/general']);
    assert.equal(grants.allows('/chat/general'), true);
    assert.equal(grants.allows('/chat/general/x'), false);
    assert.equal(grants.allows('/chat/*'), false);
  });

  test('/* grants one more segment, with Bayeux meaning', () => {
    const grants = Grants.of(['/chat/*']);
    assert.equal(grants.allows('/chat/a'), true);
    assert.equal(grants.allows('/chat'), false);
    assert.equal(grants.allows('/chat/a/b'), false);
    assert.equal(grants.allows('/chat/*'), true);
    assert.equal(grants.allows('/chat/**'), false);
  });

  test('/** grants one or more segments and every pattern below', () => {
    const grants = Grants.of(['/chat/**']);
    assert.equal(grants.allows('/chat/a/b/c'), true);
    assert.equal(grants.allows('/chat'), false);
    assert.equal(grants.allows('/chat/*'), true);
    assert.equal(grants.allows('/chat/a/**'), true);
    assert.equal(grants.allows('/**'), false);
    assert.equal(grants.allows('/*'), false);
  });

  test('a pattern is allowed only when every channel it matches is', () => {
    const grants = Grants.of(['/classes/4', '/classes/5']);
    assert.equal(grants.allows('/classes/*'), false);
    assert.equal(Grants.of(['/**']).allows('/**'), true);
    assert.equal(Grants.of(['/**']).allows('/anything/at/all'), true);
  });

  test('rooms and time channels grant their whole subtree', () => {
    const grants = Grants.subtrees(['/classes/4']);
    assert.equal(grants.allows('/classes/4'), true);
    assert.equal(grants.allows('/classes/4/user_list'), true);
    assert.equal(grants.allows('/classes/4/**'), true);
    assert.equal(grants.allows('/classes/40'), false);
    assert.equal(grants.allows('/classes/*'), false);
    const all = Grants.subtrees(['/classes/*']);
    assert.equal(all.allows('/classes/7/user_list'), true);
    assert.equal(all.allows('/classes'), false);
  });

  test('a union allows what any part allows', () => {
    const union = Grants.union(Grants.of(['/a']), Grants.subtrees(['/b']));
    assert.equal(union.allows('/a'), true);
    assert.equal(union.allows('/b/x'), true);
    assert.equal(union.allows('/c'), false);
  });
});
