/**
 * People and roles, just enough for the workflow guards (SPEC §1). A person is a login: an
 * employee's login is their employee number, staff without an employee record have a staff login.
 *
 * - Every employee acts as `agent` on their own results without being granted anything.
 * - A team lead's role names the team (teams.code) they lead; one person may lead several teams.
 * - Roles are granted and revoked by an admin, audited; revoked roles are kept with who and when.
 *   Until somebody holds `admin`, the only grant allowed is `admin` itself (first-run bootstrap).
 */
import { type Actor, type Role, ROLES } from '@ladder/core';
import { audit } from '../audit.js';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { qaDb } from './db.js';
import { writeTransaction } from '../../db/sqlite-dialect.js';

export interface QaActor extends Actor {
  /** The employee this login belongs to, if any. */
  employeeId: number | null;
  /** The teams (teams.id) this person leads. */
  leadsTeams: number[];
}

export interface GrantRequest {
  login: string;
  role: Role;
  /** Required for team_lead: the team's code. */
  team?: string;
  /** The person's name, for a new user (defaults to the employee's name or the login). */
  name?: string;
}

function requireRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new AppError('invalid_input', `unknown role ${role} (roles: ${ROLES.join(', ')})`);
  return role as Role;
}

async function teamIdOf(db: Db, code: string): Promise<number> {
  const team = await db.selectFrom('teams').select('id').where('code', '=', code).executeTakeFirst();
  if (!team) throw new AppError('unknown_team', `unknown team ${code}`);
  return team.id;
}

/** Who `login` is and every role they hold now. */
export async function resolveActor(db: Db, login: string): Promise<QaActor> {
  const q = qaDb(db);
  const user = await q.selectFrom('users').select(['id', 'employee_id']).where('login', '=', login).executeTakeFirst();
  const employee = await db.selectFrom('employees').select('id').where('employee_no', '=', login).executeTakeFirst();
  const roles = new Set<Role>();
  const leadsTeams: number[] = [];
  if (employee) roles.add('agent');
  if (user) {
    const granted = await q
      .selectFrom('user_roles')
      .select(['role', 'team_id'])
      .where('user_id', '=', user.id)
      .where('revoked_at', 'is', null)
      .orderBy('id')
      .execute();
    for (const g of granted) {
      roles.add(g.role);
      if (g.role === 'team_lead' && g.team_id !== null) leadsTeams.push(g.team_id);
    }
  }
  return { id: login, roles: ROLES.filter((r) => roles.has(r)), employeeId: employee?.id ?? user?.employee_id ?? null, leadsTeams };
}

/** The acting person, refused when they hold none of `roles` (when given). */
export async function actingAs(db: Db, ctx: ServiceContext, roles?: readonly Role[]): Promise<QaActor> {
  const actor = await resolveActor(db, ctx.actor);
  if (actor.roles.length === 0) {
    throw new AppError(
      'unknown_user',
      `${ctx.actor} is neither an employee nor a user with a role (an admin grants roles: ladder qa users grant)`,
    );
  }
  if (roles && !roles.some((r) => actor.roles.includes(r))) {
    throw new AppError('role_not_allowed', `only ${roles.join(', ')} may do this; ${ctx.actor} is ${actor.roles.join(', ')}`);
  }
  return actor;
}

async function adminExists(db: Db): Promise<boolean> {
  const row = await qaDb(db)
    .selectFrom('user_roles')
    .select('id')
    .where('role', '=', 'admin')
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

async function mayManageRoles(db: Db, ctx: ServiceContext, role: Role): Promise<void> {
  if (!(await adminExists(db))) {
    if (role === 'admin') return;
    throw new AppError('role_not_allowed', 'nobody holds the admin role yet: grant admin first (ladder qa users grant LOGIN admin)');
  }
  const actor = await resolveActor(db, ctx.actor);
  if (!actor.roles.includes('admin'))
    throw new AppError('role_not_allowed', `only an admin grants or revokes roles; ${ctx.actor} is not one`);
}

/** Grants a role (creating the user when new); granting a role already held changes nothing. */
export async function grantRole(ctx: ServiceContext, request: GrantRequest): Promise<{ created: boolean; granted: boolean }> {
  const role = requireRole(request.role);
  const login = request.login.trim();
  if (login === '') throw new AppError('invalid_input', 'a login is required');
  if (role === 'agent') throw new AppError('invalid_input', 'every employee is an agent already; agent is not granted');
  if ((role === 'team_lead') !== (request.team !== undefined)) {
    throw new AppError(
      'invalid_input',
      role === 'team_lead' ? 'a team lead role needs --team CODE' : 'only the team_lead role takes a team',
    );
  }
  return writeTransaction(ctx.store.db).execute(async (trx) => {
    await mayManageRoles(trx, ctx, role);
    const q = qaDb(trx);
    const teamId = request.team === undefined ? null : await teamIdOf(trx, request.team);
    let user = await q.selectFrom('users').select(['id']).where('login', '=', login).executeTakeFirst();
    let created = false;
    if (!user) {
      const employee = await trx.selectFrom('employees').select(['id', 'name']).where('employee_no', '=', login).executeTakeFirst();
      user = await q
        .insertInto('users')
        .values({
          login,
          name: request.name ?? employee?.name ?? login,
          employee_id: employee?.id ?? null,
          created_at: ctx.now(),
          created_by: ctx.actor,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      created = true;
      await audit(trx, ctx, { action: 'user.created', entity: 'users', key: login, details: { employee: employee ? login : null } });
    }
    let existing = q
      .selectFrom('user_roles')
      .select('id')
      .where('user_id', '=', user.id)
      .where('role', '=', role)
      .where('revoked_at', 'is', null);
    existing = teamId === null ? existing.where('team_id', 'is', null) : existing.where('team_id', '=', teamId);
    if (await existing.executeTakeFirst()) return { created, granted: false };
    await q
      .insertInto('user_roles')
      .values({ user_id: user.id, role, team_id: teamId, granted_at: ctx.now(), granted_by: ctx.actor, revoked_at: null, revoked_by: null })
      .execute();
    await audit(trx, ctx, { action: 'user.role_granted', entity: 'users', key: login, details: { role, team: request.team ?? null } });
    return { created, granted: true };
  });
}

/** Revokes a role; the grant stays on record with who revoked it and when. */
export async function revokeRole(ctx: ServiceContext, login: string, roleName: string, team?: string, reason?: string): Promise<void> {
  const role = requireRole(roleName);
  await writeTransaction(ctx.store.db).execute(async (trx) => {
    await mayManageRoles(trx, ctx, role);
    const q = qaDb(trx);
    const user = await q.selectFrom('users').select('id').where('login', '=', login).executeTakeFirst();
    if (!user) throw new AppError('unknown_user', `no user ${login}`);
    let query = q
      .updateTable('user_roles')
      .set({ revoked_at: ctx.now(), revoked_by: ctx.actor })
      .where('user_id', '=', user.id)
      .where('role', '=', role);
    if (team !== undefined) query = query.where('team_id', '=', await teamIdOf(trx, team));
    const result = await query.where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0)
      throw new AppError('not_found', `${login} does not hold ${role}${team ? ` for team ${team}` : ''}`);
    await audit(trx, ctx, {
      action: 'user.role_revoked',
      entity: 'users',
      key: login,
      reason: reason ?? null,
      details: { role, team: team ?? null },
    });
  });
}

export interface UserView {
  login: string;
  name: string;
  employee: boolean;
  roles: { role: Role; team: string | null }[];
}

/** Every user with their current roles, by login. */
export async function listUsers(db: Db): Promise<UserView[]> {
  const q = qaDb(db);
  const users = await q.selectFrom('users').select(['id', 'login', 'name', 'employee_id']).orderBy('login').execute();
  const roles = await q
    .selectFrom('user_roles as r')
    .leftJoin('teams as t', 't.id', 'r.team_id')
    .select(['r.user_id', 'r.role', 't.code'])
    .where('r.revoked_at', 'is', null)
    .orderBy('r.id')
    .execute();
  return users.map((u) => ({
    login: u.login,
    name: u.name,
    employee: u.employee_id !== null,
    roles: roles.filter((r) => r.user_id === u.id).map((r) => ({ role: r.role, team: r.code })),
  }));
}

/** The logins holding a role now (for team_lead: of the given team), in login order. */
export async function loginsWithRole(db: Db, role: Role, teamId?: number): Promise<string[]> {
  let query = qaDb(db)
    .selectFrom('user_roles as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select('u.login')
    .where('r.role', '=', role)
    .where('r.revoked_at', 'is', null);
  if (teamId !== undefined) query = query.where('r.team_id', '=', teamId);
  const rows = await query.orderBy('u.login').execute();
  return [...new Set(rows.map((r) => r.login))];
}
