// Editing checklist files: every edit function changes only the value it edits (or inserts/removes one member),
// keeping comments, order, spacing and unknown fields byte-for-byte; files with errors are never rewritten.

import assert from 'node:assert/strict';
import {
  addEvidence,
  addNote,
  type EditResult,
  markReviewed,
  parseChecklist,
  removeEvidence,
  setApplicability,
  setOwner,
  setResponsibility,
  setStatus,
} from '../../../server/src/checklist/index';
import { applyResult, assertReplaced, catalog, HAND, ok } from './helpers';

/** Asserts that everything outside the item of `id` is unchanged, and the result reads cleanly. */
function onlyItemChanged(before: string, after: string, id: string): void {
  const loc = parseChecklist(before).locations.controls.get(id)!;
  const end = loc.offset + loc.length;
  assert.equal(after.slice(0, loc.offset), before.slice(0, loc.offset), 'text before the item is unchanged');
  assert.equal(after.slice(after.length - (before.length - end)), before.slice(end), 'text after the item is unchanged');
  const p = parseChecklist(after, { catalog: catalog() });
  assert.equal(p.valid, true, p.problems.map((x) => x.message).join(' | '));
}

/** Replaces the one occurrence of `from` in `text` by `to`. */
function swap(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `exactly one ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

const failed = (r: EditResult): Extract<EditResult, { ok: false }> => {
  assert.equal(r.ok, false, 'the edit is refused');
  return r as Extract<EditResult, { ok: false }>;
};

describe('checklist: edits', () => {
  describe('setStatus', () => {
    it('replaces only the value, keeping the trailing comment', () => {
      const r = ok(setStatus(HAND, '5.1.1', 'done'));
      const start = HAND.indexOf('"todo" // to start');
      assertReplaced(HAND, r.text, start, start + '"todo"'.length, '"done"');
      assert.deepEqual(r.edits.map((e) => [e.offset, e.length, e.newText]), [[start + 1, 4, 'done']]);
      applyResult(HAND, r);
    });

    it('edits a one-line item in place', () => {
      const r = ok(setStatus(HAND, '6.1.1', 'done'));
      const start = HAND.indexOf('"in-progress"');
      assertReplaced(HAND, r.text, start, start + '"in-progress"'.length, '"done"');
      applyResult(HAND, r);
    });

    it('makes no edit when the status is already set', () => {
      const r = ok(setStatus(HAND, '6.1.1', 'in-progress'));
      assert.deepEqual(r.edits, []);
      assert.equal(r.text, HAND);
    });

    it('rejects an unknown status', () => {
      failed(setStatus(HAND, '5.1.1', 'finished' as 'done'));
    });
  });

  describe('setOwner', () => {
    it('adds a field after a commented last line: comma before the comment, new line after it', () => {
      const r = ok(setOwner(HAND, '5.1.1', 'Ann'));
      assert.equal(r.text, swap(HAND, '"status": "todo" // to start in Q3\n', '"status": "todo", // to start in Q3\n      "owner": "Ann"\n'));
      onlyItemChanged(HAND, r.text, '5.1.1');
      applyResult(HAND, r);
    });

    it('adds a field to a one-line item on the same line', () => {
      const r = ok(setOwner(HAND, '6.1.1', 'Ann'));
      assert.equal(r.text, swap(HAND, '"status": "in-progress" }', '"status": "in-progress", "owner": "Ann" }'));
      applyResult(HAND, r);
    });

    it('replaces an existing owner and keeps the trailing comma', () => {
      const r = ok(setOwner(HAND, '11.2.7', 'Facilities'));
      assert.equal(r.text, swap(HAND, '"owner": "Security team",', '"owner": "Facilities",'));
    });

    it('removes the owner line whole, and nothing else', () => {
      const r = ok(setOwner(HAND, '11.2.7', undefined));
      assert.equal(r.text, swap(HAND, '      "owner": "Security team",\n', ''));
      onlyItemChanged(HAND, r.text, '11.2.7');
      applyResult(HAND, r);
    });

    it('removing the last field without a trailing comma also removes the comma before it', () => {
      const text = ok(setOwner(HAND, '5.1.1', 'Ann')).text;
      const r = ok(setOwner(text, '5.1.1', undefined));
      assert.equal(r.text, swap(text, '"status": "todo", // to start in Q3\n      "owner": "Ann"\n', '"status": "todo" // to start in Q3\n'));
      assert.equal(r.text, HAND);
    });
  });

  describe('setApplicability', () => {
    it('requires a justification to mark a control not applicable', () => {
      const r = failed(setApplicability(HAND, '5.1.1', false));
      assert.match(r.reason, /justification is required/);
      failed(setApplicability(HAND, '5.1.1', false, '   '));
    });

    it('sets applicable false with its justification', () => {
      const r = ok(setApplicability(HAND, '5.1.1', false, 'Covered by the group policy.'));
      assert.equal(
        r.text,
        swap(HAND, '"applicable": true,\n      "status": "todo" // to start in Q3\n', '"applicable": false,\n      "status": "todo", // to start in Q3\n      "justification": "Covered by the group policy."\n'),
      );
      onlyItemChanged(HAND, r.text, '5.1.1');
      const item = parseChecklist(r.text).checklist!.controls['5.1.1']!;
      assert.equal(item.applicable, false);
      assert.equal(item.justification, 'Covered by the group policy.');
    });

    it('making a control applicable again removes the old justification', () => {
      const r = ok(setApplicability(HAND, '11.2.7', true));
      assert.equal(r.text, swap(HAND, '"applicable": false,\n      "justification": "No own hardware.",\n', '"applicable": true,\n'));
      applyResult(HAND, r);
    });
  });

  describe('setResponsibility', () => {
    it('sets the owner party and what each side does, on a control the catalog does not know', () => {
      const r = ok(setResponsibility(HAND, '9.9.9', 'shared', { customerDoes: 'Reviews the logs.' }));
      assert.equal(r.text, swap(HAND, '"9.9.9": { "responsibility": "customer", "applicable": true, "status": "todo", "x-source": "old tool" }', '"9.9.9": { "responsibility": "shared", "applicable": true, "status": "todo", "x-source": "old tool", "customerDoes": "Reviews the logs." }'));
      const back = ok(setResponsibility(r.text, '9.9.9', 'customer', { customerDoes: null }));
      assert.equal(back.text, HAND);
    });

    it('rejects an unknown party', () => {
      failed(setResponsibility(HAND, '5.1.1', 'vendor' as 'provider'));
    });
  });

  describe('notes and evidence', () => {
    it('addNote creates the list, then appends to it', () => {
      const one = ok(addNote(HAND, '6.1.1', 'Roles listed in the wiki.'));
      assert.equal(one.text, swap(HAND, '"status": "in-progress" }', '"status": "in-progress", "notes": ["Roles listed in the wiki."] }'));
      const two = ok(addNote(one.text, '6.1.1', 'Second.'));
      assert.equal(two.text, swap(one.text, '["Roles listed in the wiki."]', '["Roles listed in the wiki.", "Second."]'));
    });

    it('addEvidence appends after a block comment, in the style of the entry before', () => {
      const r = ok(addEvidence(HAND, '11.2.7', { kind: 'file', ref: 'docs/datacentre.md' }));
      assert.equal(
        r.text,
        swap(HAND, '"https://aws.amazon.com/compliance/data-center/" } /* AWS page */\n', '"https://aws.amazon.com/compliance/data-center/" }, /* AWS page */\n        { "kind": "file", "ref": "docs/datacentre.md" }\n'),
      );
      onlyItemChanged(HAND, r.text, '11.2.7');
      applyResult(HAND, r);
    });

    it('addEvidence creates the list laid out like the file', () => {
      const r = ok(addEvidence(HAND, '5.1.1', { kind: 'ticket', ref: 'SEC-42', note: 'approval' }));
      assert.equal(
        r.text,
        swap(
          HAND,
          '"status": "todo" // to start in Q3\n',
          '"status": "todo", // to start in Q3\n      "evidence": [\n        {\n          "kind": "ticket",\n          "ref": "SEC-42",\n          "note": "approval"\n        }\n      ]\n',
        ),
      );
    });

    it('the same evidence twice is a no-op; a bad kind or empty ref is refused', () => {
      const r = ok(addEvidence(HAND, '11.2.7', { kind: 'url', ref: 'https://aws.amazon.com/compliance/data-center/' }));
      assert.deepEqual(r.edits, []);
      failed(addEvidence(HAND, '11.2.7', { kind: 'wiki' as 'url', ref: 'x' }));
      failed(addEvidence(HAND, '11.2.7', { kind: 'url', ref: ' ' }));
    });

    it('removeEvidence removes one entry', () => {
      const added = ok(addEvidence(HAND, '11.2.7', { kind: 'file', ref: 'docs/datacentre.md' })).text;
      const r = ok(removeEvidence(added, '11.2.7', 1));
      // The entry before loses the comma it got when the removed one was added.
      assert.equal(r.text, HAND);
      failed(removeEvidence(HAND, '11.2.7', 5));
    });
  });

  describe('markReviewed', () => {
    it('records the date it is given', () => {
      const r = ok(markReviewed(HAND, '6.1.1', '2024-06-30'));
      assert.equal(r.text, swap(HAND, '"status": "in-progress" }', '"status": "in-progress", "lastReviewed": "2024-06-30" }'));
      failed(markReviewed(HAND, '6.1.1', '2024-06-31'));
      failed(markReviewed(HAND, '6.1.1', '30.06.2024'));
    });
  });

  describe('items the file lacks', () => {
    it('adds a catalog control with its defaults, after the last item, keeping the trailing-comma style', () => {
      const r = ok(setStatus(HAND, '8.1.1', 'in-progress', { catalog: catalog() }));
      assert.equal(
        r.text,
        swap(HAND, '      "owner": "Security team",\n    },\n', '      "owner": "Security team",\n    },\n    "8.1.1": {\n      "responsibility": "shared",\n      "applicable": true,\n      "status": "in-progress"\n    },\n'),
      );
      applyResult(HAND, r);
    });

    it('refuses a control that is neither in the file nor in the catalog', () => {
      assert.match(failed(setStatus(HAND, '8.1.1', 'done')).reason, /not in the checklist/);
      assert.match(failed(setStatus(HAND, '99.1.1', 'done', { catalog: catalog() })).reason, /nor in catalog/);
      assert.match(failed(setStatus(HAND, 'x', 'done')).reason, /not a control id/);
    });
  });

  describe('files with errors', () => {
    const broken = [
      ['a schema error', swap(HAND, '"status": "in-progress"', '"status": "complete"')],
      ['a syntax error', swap(HAND, '"version": 1,', '"version": 1')],
      ['a missing justification', swap(HAND, '"justification": "No own hardware.",', '')],
    ] as const;
    for (const [name, text] of broken) {
      it(`are never rewritten (${name}), and the refusal says where the problem is`, () => {
        const edits: EditResult[] = [
          setStatus(text, '5.1.1', 'done'),
          setResponsibility(text, '5.1.1', 'customer'),
          setApplicability(text, '5.1.1', false, 'x'),
          setOwner(text, '5.1.1', 'Ann'),
          addNote(text, '5.1.1', 'n'),
          addEvidence(text, '5.1.1', { kind: 'url', ref: 'x' }),
          markReviewed(text, '5.1.1', '2024-01-01'),
        ];
        for (const r of edits) {
          const f = failed(r);
          assert.match(f.reason, /line \d+, column \d+/);
          assert.ok(f.problems.length > 0);
          assert.ok(f.problems.every((p) => p.severity === 'error' && p.range.start.line >= 0));
          assert.equal('text' in f, false);
        }
      });
    }
  });

  describe('layout', () => {
    it('follows CRLF line breaks and tab indentation', () => {
      const text = '{\r\n\t"version": 1,\r\n\t"catalog": {"standard": "ISO/IEC 27017", "dataVersion": "1.0.0"},\r\n\t"controls": {\r\n\t\t"5.1.1": {\r\n\t\t\t"responsibility": "shared",\r\n\t\t\t"applicable": true,\r\n\t\t\t"status": "todo"\r\n\t\t}\r\n\t}\r\n}\r\n';
      const r = ok(setOwner(text, '5.1.1', 'Ann'));
      assert.equal(r.text, text.replace('"status": "todo"\r\n', '"status": "todo",\r\n\t\t\t"owner": "Ann"\r\n'));
      const n = ok(addNote(r.text, '5.1.1', 'x'));
      assert.ok(n.text.includes('\t\t\t"owner": "Ann",\r\n\t\t\t"notes": [\r\n\t\t\t\t"x"\r\n\t\t\t]\r\n'), JSON.stringify(n.text));
    });

    it('a sequence of edits keeps every comment and unknown field of the file', () => {
      let text = HAND;
      for (const f of [
        (t: string) => setStatus(t, '5.1.1', 'done'),
        (t: string) => setOwner(t, '5.1.1', 'Ann'),
        (t: string) => addEvidence(t, '5.1.1', { kind: 'file', ref: 'policy.md' }),
        (t: string) => markReviewed(t, '5.1.1', '2024-07-01'),
        (t: string) => setApplicability(t, '6.1.1', false, 'Group-level roles.'),
        (t: string) => addNote(t, '9.9.9', 'Legacy id.'),
        (t: string) => setStatus(t, '18.1.1', 'todo', { catalog: catalog() }),
      ]) {
        const r = ok(f(text));
        applyResult(text, r);
        text = r.text;
      }
      for (const kept of ['// Our checklist. Reviewed monthly.\n', '"x-team": {"name":  "platform", "tags": [1,2,  3]}, // unknown top-level field\n', '/* Policies */', '// agreed with the provider', '// to start in Q3', '/* AWS page */', '"x-source": "old tool"', '"owner": "Security team",\n    },\n']) {
        assert.ok(text.includes(kept), `kept ${kept}`);
      }
      const p = parseChecklist(text, { catalog: catalog() });
      assert.equal(p.valid, true);
      assert.deepEqual(Object.keys(p.checklist!.controls), ['5.1.1', '6.1.1', '9.9.9', '11.2.7', '18.1.1']);
    });
  });
});
