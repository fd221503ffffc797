// Creating a checklist: default responsibility by service model, and the file it writes.

import assert from 'node:assert/strict';
import { SERVICE_MODELS } from '../../../server/src/catalog/catalog';
import { createChecklist, defaultResponsibility, parseChecklist } from '../../../server/src/checklist/index';
import { catalog } from './helpers';

const record = (id: string) => catalog().controls.find((c) => c.id === id)!;

describe('checklist: create', () => {
  it('takes the catalog default of the one service model in use', () => {
    // 12.3.1: IaaS customer, PaaS shared, SaaS provider.
    const backup = record('12.3.1');
    assert.deepEqual([backup.responsibility.IaaS, backup.responsibility.PaaS, backup.responsibility.SaaS], ['customer', 'shared', 'provider']);
    assert.equal(defaultResponsibility(backup, ['IaaS']), 'customer');
    assert.equal(defaultResponsibility(backup, ['PaaS']), 'shared');
    assert.equal(defaultResponsibility(backup, ['SaaS']), 'provider');
  });

  it('with several models, takes the most customer-heavy: customer > shared > provider', () => {
    const backup = record('12.3.1');
    assert.equal(defaultResponsibility(backup, ['PaaS', 'SaaS']), 'shared');
    assert.equal(defaultResponsibility(backup, ['SaaS', 'IaaS']), 'customer');
    assert.equal(defaultResponsibility(backup, ['IaaS', 'PaaS', 'SaaS']), 'customer');
    // No model: all three count.
    assert.equal(defaultResponsibility(backup, []), 'customer');
    // CLD.9.5.1 is the provider's under every model.
    assert.equal(defaultResponsibility(record('CLD.9.5.1'), [...SERVICE_MODELS]), 'provider');
  });

  it('writes every catalog control in catalog order: applicable, to do, responsibility for the models', () => {
    for (const models of [['IaaS'], ['PaaS'], ['SaaS'], ['PaaS', 'SaaS']] as const) {
      const { checklist } = createChecklist({ catalog: catalog(), providers: ['aws'], models: [...models], services: [], today: '2024-05-01' });
      assert.deepEqual(Object.keys(checklist.controls), catalog().controls.map((c) => c.id));
      for (const c of catalog().controls) {
        const item = checklist.controls[c.id]!;
        assert.deepEqual(item, { responsibility: defaultResponsibility(c, [...models]), applicable: true, status: 'todo' }, c.id);
      }
    }
    const saas = createChecklist({ catalog: catalog(), providers: [], models: ['SaaS'], services: [], today: '2024-05-01' }).checklist;
    const iaas = createChecklist({ catalog: catalog(), providers: [], models: ['IaaS'], services: [], today: '2024-05-01' }).checklist;
    const count = (c: typeof saas, o: string) => Object.values(c.controls).filter((i) => i.responsibility === o).length;
    assert.ok(count(saas, 'provider') > count(iaas, 'provider'), 'SaaS leaves more to the provider than IaaS');
    assert.ok(count(iaas, 'customer') > count(saas, 'customer'), 'IaaS leaves more to the customer than SaaS');
  });

  it('records the catalog, providers, models and services, behind a comment that explains the file', () => {
    const services = [{ name: 'RDS', provider: 'aws', model: 'PaaS' as const, detectedFrom: ['aws_db_instance'] }];
    const { text, checklist } = createChecklist({ catalog: catalog(), providers: ['gcp', 'aws', 'aws'], models: ['SaaS', 'PaaS'], services, today: '2024-05-01' });
    assert.match(text, /^\/\/ ISO\/IEC 27017 shared-responsibility checklist .*created 2024-05-01 .*catalog \d+\.\d+\.\d+\.\n/);
    assert.deepEqual(checklist.catalog, { standard: 'ISO/IEC 27017', edition: catalog().edition, dataVersion: catalog().dataVersion });
    assert.deepEqual(checklist.providers, ['aws', 'gcp']);
    assert.deepEqual(checklist.models, ['PaaS', 'SaaS']);
    assert.deepEqual(checklist.services, services);
    const body = text.slice(text.indexOf('{'));
    assert.equal(body, `${JSON.stringify(checklist, null, 2)}\n`, 'pretty-printed JSON');
    const p = parseChecklist(text, { catalog: catalog() });
    assert.deepEqual(p.problems, []);
    assert.deepEqual(p.checklist, checklist);
  });
});
