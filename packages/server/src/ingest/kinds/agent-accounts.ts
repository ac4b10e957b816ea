/** `agent-accounts`: which help-desk account belongs to which employee. */
import { reason } from '../problems.js';
import { defineKind, employeeNoField, sourceField, textOf } from './spec.js';

export const agentAccounts = defineKind<'agent-accounts'>({
  kind: 'agent-accounts',
  title: reason('Agent accounts', '客服账号对照'),
  fields: {
    employeeNo: employeeNoField,
    source: sourceField,
    account: {
      zh: '账号',
      en: 'account',
      aliases: ['客服账号', '系统账号', '账户', '账户名', '账号名称', 'agent', 'login', 'email'],
      required: true,
      example: 'alice@acme.io',
      note: reason(
        "the agent's name, email or id in that system, exactly as its exports write it",
        '该客服在该系统中的名称、邮箱或编号,与导出文件中写法一致',
      ),
      parse: textOf(200),
    },
  },
  key: ['source', 'account'],
});
