// The layout-keeping JSON edit primitives under the checklist edits.

import assert from 'node:assert/strict';
import { compactJson, detectLayout, diffEdit, setJsonValue } from '../../../server/src/checklist/jsonEdit';

describe('checklist: JSON edits that keep the layout', () => {
  it('detects line breaks and indentation', () => {
    assert.deepEqual(detectLayout('{\n    "a": 1\n}'), { eol: '\n', unit: '    ' });
    assert.deepEqual(detectLayout('{\r\n\t"a": 1\r\n}'), { eol: '\r\n', unit: '\t' });
    assert.deepEqual(detectLayout('{"a": 1}'), { eol: '\n', unit: '  ' });
  });

  it('inserts into empty objects and arrays, and into ones holding only a comment', () => {
    assert.equal(setJsonValue('{\n  "o": {}\n}', ['o', 'k'], 1), '{\n  "o": {\n    "k": 1\n  }\n}');
    assert.equal(setJsonValue('{\n  "a": []\n}', ['a', -1], 'x'), '{\n  "a": [\n    "x"\n  ]\n}');
    assert.equal(setJsonValue('{\n  "o": {\n    // none yet\n  }\n}', ['o', 'k'], 1), '{\n  "o": {\n    // none yet\n    "k": 1\n  }\n}');
  });

  it('inserts after a member whose line ends with the closing bracket', () => {
    assert.equal(setJsonValue('{\n  "a": 1,\n  "b": 2 }', ['c'], 3), '{\n  "a": 1,\n  "b": 2,\n  "c": 3 }');
  });

  it('removes a member sharing a line with others, first, middle or last', () => {
    assert.equal(setJsonValue('{ "a": 1, "b": 2, "c": 3 }', ['a'], undefined), '{ "b": 2, "c": 3 }');
    assert.equal(setJsonValue('{ "a": 1, "b": 2, "c": 3 }', ['b'], undefined), '{ "a": 1, "c": 3 }');
    assert.equal(setJsonValue('{ "a": 1, "b": 2, "c": 3 }', ['c'], undefined), '{ "a": 1, "b": 2 }');
    assert.equal(setJsonValue('{\n  "x": 0, // keep\n  "a": 1, "b": 2\n}', ['a'], undefined), '{\n  "x": 0, // keep\n  "b": 2\n}');
  });

  it('removes a multi-line member with its lines, keeping the comments of its neighbours', () => {
    const text = '{\n  "a": 1, // about a\n  "b": [\n    1\n  ], // about b\n  "c": 3\n}';
    assert.equal(setJsonValue(text, ['b'], undefined), '{\n  "a": 1, // about a\n  "c": 3\n}');
    assert.equal(setJsonValue(text, ['c'], undefined), '{\n  "a": 1, // about a\n  "b": [\n    1\n  ] // about b\n}');
  });

  it('replaces values exactly, laying out new objects like their surroundings', () => {
    assert.equal(setJsonValue('{ "a": /* c */ 1 }', ['a'], 2), '{ "a": /* c */ 2 }');
    assert.equal(setJsonValue('{\n  "a": 1\n}', ['a'], { b: [1] }), '{\n  "a": {\n    "b": [\n      1\n    ]\n  }\n}');
    assert.equal(setJsonValue('{\n  "a": { "x": 1 }\n}', ['a'], { y: 2 }), '{\n  "a": { "y": 2 }\n}');
  });

  it('writes compact JSON the way people do, and diffs to one minimal edit', () => {
    assert.equal(compactJson({ a: 1, b: [1, 'x'], c: {}, d: undefined }), '{ "a": 1, "b": [1, "x"], "c": {} }');
    assert.deepEqual(diffEdit('abcXdef', 'abcYYdef'), { offset: 3, length: 1, content: 'YY' });
    assert.equal(diffEdit('same', 'same'), undefined);
    // Never splits a CRLF pair.
    assert.deepEqual(diffEdit('a\r\nb', 'a\nb'), { offset: 1, length: 2, content: '\n' });
  });
});
