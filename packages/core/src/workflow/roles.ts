/** The roles of SPEC §1 and the person acting in a workflow. */
import type { Bilingual } from '../policy/model.js';

export const ROLES = ['agent', 'team_lead', 'qa_inspector', 'qa_manager', 'vip_manager', 'cs_manager', 'hr', 'director', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, Bilingual> = {
  agent: { zh: '客服', en: 'agent' },
  team_lead: { zh: '组长', en: 'team lead' },
  qa_inspector: { zh: '质检员', en: 'QA inspector' },
  qa_manager: { zh: '质检经理', en: 'QA manager' },
  vip_manager: { zh: '贵宾经理', en: 'VIP manager' },
  cs_manager: { zh: '客服经理', en: 'CS manager' },
  hr: { zh: '人力资源', en: 'HR' },
  director: { zh: '部门总监', en: 'director' },
  admin: { zh: '管理员', en: 'admin' },
};

/** Everyone in the department: every role but admin, who manages the system and takes no part in its cases. */
export const DEPARTMENT_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'admin');

/** A person acting: their user id and every role they hold. */
export interface Actor {
  id: string;
  roles: readonly Role[];
}
