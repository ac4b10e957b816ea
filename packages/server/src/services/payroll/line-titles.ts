/** What a person calls each payslip line, in both languages. */
const LINE_TITLES: Record<string, string> = {
  base: '基本工资 base',
  unpaid_days: '缺勤扣款 unpaid days',
  overtime_workday: '工作日加班 workday OT',
  overtime_rest_day: '休息日加班 rest-day OT',
  overtime_holiday: '节假日加班 holiday OT',
  performance: '绩效工资 performance',
  bonus_month: '月度奖金 month bonus',
  bonus_quarter: '季度奖金 quarter bonus',
  bonus_year: '年度奖金 year bonus',
};

export function lineTitle(code: string): string {
  if (LINE_TITLES[code]) return LINE_TITLES[code];
  if (code.startsWith('retro_')) return `追溯调整 retro ${code.slice(6)}`;
  if (code.startsWith('leave_')) return `请假扣款 leave ${code.slice(6)}`;
  if (code.startsWith('allowance_')) return `津贴 allowance ${code.slice(10)}`;
  if (code.startsWith('commission_')) return `提成 commission ${code.slice(11)}`;
  return code;
}
