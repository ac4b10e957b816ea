/** `employees`: who works here, in which group, level, position and team, from when (SPEC §2). */
import { compareDates } from '@ladder/core';
import { type Reason, reason } from '../problems.js';
import type { EmployeeStatus, GroupCode, LevelCode, PositionCode } from '../types.js';
import { parseDay, parseYuan } from '../values.js';
import { type FieldIssue, type RowFields, defineKind, employeeNoField, enumParser, textOf } from './spec.js';

export const parseGroup = enumParser<GroupCode>(
  {
    basic: ['基础客服', '基础', '基础组', '普通客服'],
    vip: ['贵宾客服', '贵宾', '贵宾组', 'vip客服'],
    phone: ['话务客服', '话务', '话务组', '电话客服', '热线'],
    sales: ['客服销售', '销售', '销售客服', '销售组'],
  },
  reason(
    'must be basic, vip, phone or sales (基础客服/贵宾客服/话务客服/客服销售)',
    '必须是 基础客服、贵宾客服、话务客服、客服销售 之一(basic/vip/phone/sales)',
  ),
);

export const parseLevel = enumParser<LevelCode>(
  {
    trainee: ['新客服', '新客服(试用)', '试用', '试用客服', '新人'],
    junior: ['初级', '初级客服'],
    intermediate: ['中级', '中级客服'],
    senior: ['高级', '高级客服'],
    expert: ['资深', '资深客服', '专家'],
    vip_trainee: ['贵宾新客服', '贵宾新客服(试用)', 'vip新客服', '贵宾试用'],
    vip_junior: ['贵宾初级', '贵宾初级客服', 'vip初级'],
    vip_intermediate: ['贵宾中级', '贵宾中级客服', 'vip中级'],
    vip_senior: ['贵宾高级', '贵宾高级客服', 'vip高级'],
  },
  reason(
    'must be a level: trainee, junior, intermediate, senior, expert (sales), vip_trainee … vip_senior, or 新客服/初级/中级/高级/资深',
    '必须是等级:新客服(试用)、初级、中级、高级、资深(销售),或 trainee/junior/intermediate/senior/expert、vip_*',
  ),
);

export const parsePosition = enumParser<PositionCode>(
  {
    agent: ['客服', '坐席', '专员', '客服专员'],
    team_lead: ['组长', '小组长', '班长', 'lead', 'teamlead'],
    supervisor: ['主管', '客服主管'],
    manager: ['客服经理', '经理'],
  },
  reason(
    'must be agent, team_lead, supervisor or manager (客服/组长/主管/客服经理)',
    '必须是 客服、组长、主管、客服经理 之一(agent/team_lead/supervisor/manager)',
  ),
);

export const parseStatus = enumParser<EmployeeStatus>(
  {
    active: ['在职', '正常', '在岗'],
    left: ['离职', '已离职'],
    transferred: ['转岗', '已转岗', '调岗'],
  },
  reason('must be active, left or transferred (在职/离职/转岗)', '必须是 在职、离职、转岗 之一(active/left/transferred)'),
);

const GENERIC_TO_VIP: Partial<Record<LevelCode, LevelCode>> = {
  trainee: 'vip_trainee',
  junior: 'vip_junior',
  intermediate: 'vip_intermediate',
  senior: 'vip_senior',
};

/** Puts the level on the group's track (a vip group's 初级 is vip_junior), or says why it is not on it. */
export function levelForGroup(group: GroupCode, level: LevelCode): { level: LevelCode } | { error: Reason } {
  const isVip = level.startsWith('vip_');
  if (group === 'vip') {
    if (isVip) return { level };
    const vip = GENERIC_TO_VIP[level];
    return vip ? { level: vip } : { error: reason(`level ${level} is not on the vip track`, `等级 ${level} 不在贵宾客服的等级线上`) };
  }
  if (isVip)
    return { error: reason(`level ${level} belongs to the vip group, not ${group}`, `等级 ${level} 属于贵宾客服组,不属于 ${group}`) };
  if (group === 'sales' && level === 'trainee')
    return { error: reason('the sales track starts at junior (初级)', '客服销售的等级从初级开始') };
  if (group !== 'sales' && level === 'expert')
    return { error: reason(`level expert (资深) is on the sales track only, not ${group}`, '资深等级只属于客服销售') };
  return { level };
}

type Fields = RowFields<'employees'>;

export const employees = defineKind<'employees'>({
  kind: 'employees',
  title: reason('Employees', '员工'),
  fields: {
    employeeNo: employeeNoField,
    name: { zh: '姓名', en: 'name', aliases: ['员工姓名', '名字', 'full name'], required: true, example: '张三', parse: textOf(100) },
    group: {
      zh: '客服组',
      en: 'group',
      aliases: ['组别', '客服类型', '类别'],
      required: true,
      example: '基础客服',
      note: reason(
        'basic/vip/phone/sales or 基础客服/贵宾客服/话务客服/客服销售',
        '基础客服/贵宾客服/话务客服/客服销售 或 basic/vip/phone/sales',
      ),
      parse: parseGroup,
    },
    level: {
      zh: '等级',
      en: 'level',
      aliases: ['客服等级', '岗位等级', '级别'],
      required: true,
      example: '中级客服',
      note: reason(
        'a level of the group’s track (SPEC §2); in the vip group 初级 means vip_junior',
        '该组等级线上的等级;贵宾组的“初级”即贵宾初级',
      ),
      parse: parseLevel,
    },
    position: {
      zh: '岗位',
      en: 'position',
      aliases: ['职位', '职务'],
      required: false,
      example: '客服',
      note: reason('agent (default), team_lead, supervisor or manager', '客服(默认)、组长、主管 或 客服经理'),
      parse: parsePosition,
      empty: 'agent',
    },
    team: { zh: '团队', en: 'team', aliases: ['小组', '班组', '所属团队', '组'], required: true, example: '一组', parse: textOf(100) },
    hiredOn: {
      zh: '入职日期',
      en: 'hiredOn',
      aliases: ['hired on', 'hire date', '入职时间'],
      required: true,
      example: '2026-03-02',
      parse: parseDay,
    },
    probationEnd: {
      zh: '试用期结束',
      en: 'probationEnd',
      aliases: ['试用期结束日期', '转正日期', 'probation end'],
      required: false,
      example: '2026-06-01',
      parse: parseDay,
      empty: null,
    },
    basePay: {
      zh: '基本工资',
      en: 'basePay',
      aliases: ['底薪', '基本工资(元)', 'base pay'],
      required: false,
      example: '',
      note: reason('yuan per month; empty: the level’s base pay from the policy', '元/月;留空则按政策中的等级底薪'),
      parse: (text) => parseYuan(text),
      empty: null,
    },
    effectiveFrom: {
      zh: '生效日期',
      en: 'effectiveFrom',
      aliases: ['effective from', '生效时间', '变更日期'],
      required: false,
      example: '2026-03-02',
      note: reason('from when this row holds; empty: the hire date', '本行信息的生效日期;留空则为入职日期'),
      parse: parseDay,
      empty: (row) => row.hiredOn as Fields['effectiveFrom'],
    },
    status: {
      zh: '状态',
      en: 'status',
      aliases: ['在职状态', '员工状态'],
      required: false,
      example: '在职',
      note: reason('active (default), left or transferred', '在职(默认)、离职 或 转岗'),
      parse: parseStatus,
      empty: 'active',
    },
    transferTo: {
      zh: '转岗部门',
      en: 'transferTo',
      aliases: ['transfer to', '调往部门', '转入部门'],
      required: false,
      example: '',
      note: reason(
        'for status transferred: the department (operations, brand, marketing, admin…)',
        '状态为转岗时填写去向部门(运营、品牌、市场、行政等)',
      ),
      parse: textOf(100),
      empty: null,
    },
  },
  finish(row) {
    const issues: FieldIssue<Fields>[] = [];
    const onTrack = levelForGroup(row.group, row.level);
    if ('error' in onTrack) issues.push({ field: 'level', reason: onTrack.error });
    else row.level = onTrack.level;
    if (row.probationEnd !== null && compareDates(row.probationEnd, row.hiredOn) < 0)
      issues.push({ field: 'probationEnd', reason: reason('is before the hire date', '早于入职日期') });
    if (compareDates(row.effectiveFrom, row.hiredOn) < 0)
      issues.push({ field: 'effectiveFrom', reason: reason('is before the hire date', '早于入职日期') });
    if (row.status === 'transferred' && row.transferTo === null)
      issues.push({ field: 'status', reason: reason('a transferred employee needs 转岗部门 (transferTo)', '转岗需要填写转岗部门') });
    if (row.status !== 'transferred' && row.transferTo !== null)
      issues.push({ field: 'transferTo', reason: reason('only for status transferred (转岗)', '只有状态为转岗时才填写') });
    return issues;
  },
  key: ['employeeNo', 'effectiveFrom'],
});
