// Inside a TypeORM `transaction(async (manager) => ...)` callback, every query must go through that
// callback's manager. A repository or DataSource from outside runs on another connection: its writes
// escape the transaction (they commit even when the transaction rolls back) and can deadlock against it.
// docs/service-kit.md, "Lint"; Medplum keeps a lint rule for the same pitfall.

const dbMethods = new Set(['query', 'getRepository', 'createQueryBuilder', 'save', 'insert', 'update', 'delete', 'remove', 'find', 'findOne', 'findOneBy', 'findBy', 'count', 'upsert', 'manager']);

const rootName = (node) => {
  let current = node;
  while (current && current.type === 'MemberExpression') current = current.object;
  if (!current) return undefined;
  if (current.type === 'ThisExpression') return 'this';
  return current.type === 'Identifier' ? current.name : undefined;
};

const isTransactionCall = (node) =>
  node.callee.type === 'MemberExpression' &&
  node.callee.property.type === 'Identifier' &&
  node.callee.property.name === 'transaction';

module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'inside a TypeORM transaction() callback, use only the transaction’s manager' },
    schema: [],
    messages: {
      outer: '`{{name}}` is used inside a transaction() callback: use the callback’s manager ({{manager}}) so the work joins the transaction.',
    },
  },
  create(context) {
    const stack = [];
    return {
      CallExpression(node) {
        if (isTransactionCall(node)) {
          const callback = node.arguments.find((a) => a.type === 'ArrowFunctionExpression' || a.type === 'FunctionExpression');
          const param = callback?.params[0];
          if (callback && param?.type === 'Identifier') stack.push({ callback, manager: param.name });
          return;
        }
        const frame = stack[stack.length - 1];
        if (!frame || node.callee.type !== 'MemberExpression') return;
        const method = node.callee.property.type === 'Identifier' ? node.callee.property.name : undefined;
        const root = rootName(node.callee.object);
        const text = context.sourceCode.getText(node.callee.object);
        if (method && dbMethods.has(method) && root !== frame.manager && /(repository|dataSource)$/i.test(text)) {
          context.report({ node, messageId: 'outer', data: { name: text, manager: frame.manager } });
        }
      },
      'CallExpression:exit'(node) {
        const frame = stack[stack.length - 1];
        if (frame && node.arguments.includes(frame.callback)) stack.pop();
      },
    };
  },
};
