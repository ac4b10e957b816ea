import type { Db } from '../context.js';

/**
 * Who an agent reference in a help-desk export is: an account mapped with `agent-accounts`
 * (per source), else an employee number. Loaded once per import.
 */
export class AgentResolver {
  private readonly accounts = new Map<string, number>();
  private readonly employees = new Map<string, number>();

  static async load(db: Db): Promise<AgentResolver> {
    const resolver = new AgentResolver();
    for (const row of await db.selectFrom('agent_accounts').select(['source', 'account', 'employee_id']).execute()) {
      resolver.accounts.set(`${row.source}\u0000${row.account}`, row.employee_id);
    }
    for (const row of await db.selectFrom('employees').select(['id', 'employee_no']).execute())
      resolver.employees.set(row.employee_no, row.id);
    return resolver;
  }

  employee(employeeNo: string): number | undefined {
    return this.employees.get(employeeNo);
  }

  agent(source: string, agent: string): number | undefined {
    return this.accounts.get(`${source}\u0000${agent}`) ?? this.employees.get(agent);
  }

  /** Accounts mapped earlier in the same import (an agent-accounts file) are known from then on. */
  remember(source: string, account: string, employeeId: number): void {
    this.accounts.set(`${source}\u0000${account}`, employeeId);
  }

  rememberEmployee(employeeNo: string, id: number): void {
    this.employees.set(employeeNo, id);
  }
}
