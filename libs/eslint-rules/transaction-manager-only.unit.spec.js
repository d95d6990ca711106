const { RuleTester } = require('eslint');
const tseslint = require('typescript-eslint');
const rule = require('./transaction-manager-only');

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

tester.run('transaction-manager-only', rule, {
  valid: [
    'dataSource.transaction(async (manager) => { await manager.query("select 1"); await manager.getRepository(Plan).save(p); })',
    'this.dataSource.transaction(async (m) => { await store.append(id, "plan", events, { manager: m }); await outbox.enqueue(m, rows); })',
    'await this.planRepository.save(plan); await dataSource.transaction(async (manager) => manager.query("select 1"));',
  ],
  invalid: [
    {
      code: 'this.dataSource.transaction(async (manager) => { await manager.query("x"); await this.planRepository.save(plan); })',
      errors: [{ messageId: 'outer' }],
    },
    {
      code: 'dataSource.transaction(async (manager) => { await dataSource.query("insert into outbox values (1)"); })',
      errors: [{ messageId: 'outer' }],
    },
    {
      code: 'ds.transaction(async (tx) => { await this.dataSource.getRepository(Plan).findOneBy({ id }); })',
      errors: [{ messageId: 'outer' }],
    },
  ],
});
