import type { EmployeeStatus } from '../../db/schema.js';
import { AppError, type Db } from '../context.js';

/** An employee's state in force on a day (the latest employee_history row on or before it). */
export interface AgentOnDay {
  id: number;
  employeeNo: string;
  name: string;
  group: string;
  level: string;
  teamId: number | null;
  teamCode: string | null;
  status: EmployeeStatus;
}

/** The state on `day` of the given employees (all when `ids` is absent); employees without a state by then are left out. */
export async function agentsOnDay(db: Db, day: string, ids?: readonly number[]): Promise<Map<number, AgentOnDay>> {
  const result = new Map<number, AgentOnDay>();
  if (ids && ids.length === 0) return result;
  const unique = ids ? [...new Set(ids)] : undefined;
  const chunks = unique
    ? Array.from({ length: Math.ceil(unique.length / 500) }, (_, i) => unique.slice(i * 500, i * 500 + 500))
    : [undefined];
  for (const chunk of chunks) {
    let query = db
      .selectFrom('employee_history as h')
      .innerJoin('employees as e', 'e.id', 'h.employee_id')
      .leftJoin('teams as t', 't.id', 'h.team_id')
      .select([
        'e.id',
        'e.employee_no',
        'e.name',
        'h.group_code',
        'h.level',
        'h.team_id',
        't.code as team_code',
        'h.status',
        'h.effective_from',
      ])
      .where('h.effective_from', '<=', day)
      .orderBy('e.id')
      .orderBy('h.effective_from');
    if (chunk) query = query.where('e.id', 'in', chunk);
    for (const row of await query.execute()) {
      // Ordered by effective day: the last row seen on or before `day` is the one in force.
      result.set(row.id, {
        id: row.id,
        employeeNo: row.employee_no,
        name: row.name,
        group: row.group_code,
        level: row.level,
        teamId: row.team_id,
        teamCode: row.team_code,
        status: row.status,
      });
    }
  }
  return result;
}

export async function agentByNo(db: Db, employeeNo: string, day: string): Promise<AgentOnDay> {
  const employee = await db.selectFrom('employees').select('id').where('employee_no', '=', employeeNo).executeTakeFirst();
  if (!employee) throw new AppError('unknown_employee', `unknown employee number ${employeeNo}`);
  const agent = (await agentsOnDay(db, day, [employee.id])).get(employee.id);
  if (!agent) throw new AppError('unknown_employee', `${employeeNo} has no employment record on or before ${day}`);
  return agent;
}
