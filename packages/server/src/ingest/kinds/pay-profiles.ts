/** `pay-profiles`: where and how a person is paid (R-NET): city, contribution base, bank account. */
import { reason } from '../problems.js';
import { parseBoolean, parseDay, parseText, parseYuan } from '../values.js';
import { defineKind, employeeNoField, textOf } from './spec.js';

export const payProfiles = defineKind<'pay-profiles'>({
  kind: 'pay-profiles',
  title: reason('Pay profiles (city, contribution base, bank account)', '薪资档案(参保城市、缴费基数、银行账户)'),
  fields: {
    employeeNo: employeeNoField,
    effectiveFrom: {
      zh: '生效日期',
      en: 'effectiveFrom',
      aliases: ['起始日期', '开始日期', 'effective from'],
      required: true,
      example: '2026-01-01',
      note: reason('from this day on the profile holds', '自该日起适用'),
      parse: parseDay,
    },
    city: {
      zh: '参保城市',
      en: 'city',
      aliases: ['城市', '社保城市', '缴纳地'],
      required: true,
      example: '上海',
      note: reason('a city of the China data: shanghai / 上海, beijing / 北京', '已有社保数据的城市:上海、北京'),
      parse: (text) => parseText(text, 40),
    },
    contributionBase: {
      zh: '缴费基数',
      en: 'contributionBase',
      aliases: ['社保基数', '缴费工资基数', 'contribution base'],
      required: false,
      example: '8000',
      note: reason("yuan, usually last year's average monthly wage; empty: each month's gross", '元,通常为上年月平均工资;留空则按当月应发'),
      parse: (text) => parseYuan(text, { positive: true }),
      empty: null,
    },
    firstIncomeOfYear: {
      zh: '本年首次取得工资',
      en: 'firstIncomeOfYear',
      aliases: ['年度首次取得工资', '首次取得工资', 'first income of year'],
      required: false,
      example: '否',
      note: reason(
        'yes when the person had no wages earlier in the year (basic deduction from January)',
        '本年此前无工资收入时填“是”(基本减除费用从一月起算)',
      ),
      parse: parseBoolean,
      empty: false,
    },
    bankName: {
      zh: '开户行',
      en: 'bankName',
      aliases: ['开户银行', '银行', 'bank'],
      required: false,
      example: '招商银行上海分行',
      parse: textOf(100),
      empty: null,
    },
    bankAccount: {
      zh: '银行账号',
      en: 'bankAccount',
      aliases: ['账号', '银行卡号', '卡号', 'account'],
      required: false,
      example: '6225880212345678',
      parse: (text) =>
        /^[0-9 -]{8,40}$/.test(text)
          ? { ok: true, value: text.replace(/[ -]/g, '') }
          : { ok: false, reason: reason('must be 8–40 digits', '应为 8–40 位数字') },
      empty: null,
    },
    accountName: {
      zh: '户名',
      en: 'accountName',
      aliases: ['账户名', '开户名', 'account name'],
      required: false,
      example: '张伟',
      parse: textOf(100),
      empty: null,
    },
  },
  key: ['employeeNo', 'effectiveFrom'],
});
