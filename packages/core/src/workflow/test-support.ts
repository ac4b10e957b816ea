/** Test helpers: the exhaustive state × event × role table of a machine. */
import { expect, it } from 'vitest';
import { type CaseBase, type EventBase, type Machine, permissions, type RefusalCode, transition } from './machine.js';
import { type Actor, type Role, ROLES } from './roles.js';

export interface Fixture<C, E> {
  /** A case in the given state that meets every guard of the event. */
  state: C;
  event: E;
  /** The actor's id when the step belongs to one person (the assignee, the agent, the applicant). */
  actorId?: string;
}

export type Expected<S extends string, T extends string> = Record<T, { from: readonly S[]; roles: readonly Role[] }>;

/**
 * For every state × event × role: allowed exactly when the expected table says so; otherwise
 * refused with case_closed (final state), invalid_state, or role_not_allowed, in that order.
 */
export function exhaustiveTable<S extends string, C extends CaseBase<S, E['type']>, E extends EventBase<string>>(
  machine: Machine<S, C, E>,
  expected: Expected<S, E['type']>,
  fixture: (state: S, event: E['type']) => Fixture<C, E>,
): void {
  it('publishes the expected permission table', () => {
    const table = Object.fromEntries(permissions(machine).map((p) => [p.event, { from: [...p.from].sort(), roles: [...p.roles].sort() }]));
    const want = Object.fromEntries(
      Object.entries(expected).map(([event, e]) => {
        const entry = e as { from: readonly S[]; roles: readonly Role[] };
        return [event, { from: [...entry.from].sort(), roles: [...entry.roles].sort() }];
      }),
    );
    expect(table).toEqual(want);
  });

  const rows: [S, E['type'], Role][] = [];
  for (const state of machine.states) for (const event of machine.events) for (const role of ROLES) rows.push([state, event, role]);
  it.each(rows)('%s × %s × %s', (state, event, role) => {
    const f = fixture(state, event);
    const actor: Actor = { id: f.actorId ?? `${role}-someone`, roles: [role] };
    const result = transition(machine, f.state, f.event, actor);
    const rule = expected[event];
    let code: RefusalCode | 'ok' = 'ok';
    if (machine.final.includes(state)) code = 'case_closed';
    else if (!rule.from.includes(state)) code = 'invalid_state';
    else if (!rule.roles.includes(role)) code = 'role_not_allowed';
    if (code === 'ok') {
      expect(result.ok ? 'ok' : `${result.code}: ${result.reason.en}`).toBe('ok');
      if (result.ok) {
        expect(result.step).toMatchObject({ event, from: state, by: actor.id, as: role });
        expect(result.state.history[result.state.history.length - 1]).toEqual(result.step);
      }
    } else {
      expect(result.ok ? 'ok' : result.code).toBe(code);
      if (!result.ok) {
        expect(result.reason.zh).not.toBe('');
        expect(result.reason.en).not.toBe('');
      }
    }
  });
}
