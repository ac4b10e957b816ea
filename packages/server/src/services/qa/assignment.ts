/**
 * R-QA-3: who inspects. The policy says, per group and kind, whether the agent's team lead or the
 * QA (品管) group inspects; among the people who qualify, the one with the fewest open
 * inspections (assigned, in progress, submitted) gets the next one — ties go to the first login —
 * so work stays balanced as it is handed out. Nobody is assigned their own conversations.
 */
import { inspectorFor, type InspectionKind, type QaInspector, type QaRules, scorecardFor } from '@ladder/core';
import { audit } from '../audit.js';
import type { Db, ServiceContext } from '../context.js';
import type { AgentOnDay } from './agents.js';
import { qaDb } from './db.js';
import { loginsWithRole } from './users.js';

/** Open inspections per inspector: what "workload" means for balancing. */
export async function openWorkload(db: Db): Promise<Map<string, number>> {
  const rows = await qaDb(db)
    .selectFrom('qa_inspections')
    .select(['inspector', (eb) => eb.fn.countAll<number>().as('open')])
    .where('status', 'in', ['assigned', 'in_progress', 'submitted'])
    .where('withdrawn_at', 'is', null)
    .groupBy('inspector')
    .execute();
  return new Map(rows.map((r) => [r.inspector, Number(r.open)]));
}

/** The people who may inspect this agent's `kind` under the policy: QA inspectors, or the leads of the agent's team. */
export async function eligibleInspectors(
  db: Db,
  qa: QaRules,
  agent: AgentOnDay,
  kind: InspectionKind,
): Promise<{ who: QaInspector; logins: string[] }> {
  const who = inspectorFor(qa, agent.group, kind);
  let logins: string[];
  if (who === 'qa_group') logins = await loginsWithRole(db, 'qa_inspector');
  else logins = agent.teamId === null ? [] : await loginsWithRole(db, 'team_lead', agent.teamId);
  return { who, logins: logins.filter((login) => login !== agent.employeeNo) };
}

/** The least-loaded eligible inspector, or null when nobody qualifies; the chosen one's load goes up by one. */
export function pickInspector(logins: readonly string[], load: Map<string, number>): string | null {
  let best: string | null = null;
  for (const login of [...logins].sort()) {
    if (best === null || (load.get(login) ?? 0) < (load.get(best) ?? 0)) best = login;
  }
  if (best !== null) load.set(best, (load.get(best) ?? 0) + 1);
  return best;
}

/** The items of an agent's sample for a day, in rank order, each with its open inspection if it has one. */
export function sampleItemsQuery(db: Db, employeeId: number, day: string) {
  return qaDb(db)
    .selectFrom('qa_sample_items as i')
    .innerJoin('qa_samples as s', 's.id', 'i.sample_id')
    .leftJoin('qa_inspections as n', (join) => join.onRef('n.sample_item_id', '=', 'i.id').on('n.withdrawn_at', 'is', null))
    .select(['i.id', 'i.conversation_id', 'i.conversation_key', 'n.id as inspection_id'])
    .where('s.employee_id', '=', employeeId)
    .where('s.day', '=', day)
    .where('i.removed_revision', 'is', null)
    .orderBy('i.rank');
}

export interface Assignment {
  inspectionId: number;
  conversation: string;
  inspector: string;
}

/**
 * Creates the inspections of sample items that have none yet (assigned to the least-loaded
 * eligible inspector); items nobody may inspect stay unassigned and are returned as such.
 */
export async function assignSampleItems(
  db: Db,
  ctx: ServiceContext,
  qa: QaRules,
  agent: AgentOnDay,
  day: string,
  load: Map<string, number>,
): Promise<{ assigned: Assignment[]; unassigned: string[] }> {
  const q = qaDb(db);
  const items = await sampleItemsQuery(db, agent.id, day).execute();
  const open = items.filter((i) => i.inspection_id === null);
  if (open.length === 0) return { assigned: [], unassigned: [] };
  const { logins } = await eligibleInspectors(db, qa, agent, 'conversations');
  const card = scorecardFor(qa, agent.group, day);
  // Inspectors are picked item by item (each pick moves the load), then stored in one statement.
  const picked: { item: (typeof open)[number]; inspector: string }[] = [];
  const unassigned: string[] = [];
  for (const item of open) {
    const inspector = pickInspector(logins, load);
    if (inspector === null) unassigned.push(item.conversation_key);
    else picked.push({ item, inspector });
  }
  const assigned: Assignment[] = [];
  if (picked.length > 0) {
    const rows = await q
      .insertInto('qa_inspections')
      .values(
        picked.map(({ item, inspector }) => ({
          sample_item_id: item.id,
          conversation_id: item.conversation_id,
          employee_id: agent.id,
          day,
          kind: 'conversations' as const,
          inspector,
          status: 'assigned' as const,
          scorecard: card.code,
          scorecard_version: card.version.version,
          published_on: null,
          total_points: null,
          created_at: ctx.now(),
          updated_at: ctx.now(),
          withdrawn_at: null,
          withdrawn_reason: null,
        })),
      )
      .returning(['id', 'sample_item_id'])
      .execute();
    const idOfItem = new Map(rows.map((row) => [row.sample_item_id, row.id]));
    for (const { item, inspector } of picked) {
      assigned.push({ inspectionId: idOfItem.get(item.id) as number, conversation: item.conversation_key, inspector });
    }
  }
  if (assigned.length > 0) {
    await audit(db, ctx, {
      action: 'qa.inspections_assigned',
      entity: 'qa_inspections',
      key: `${agent.employeeNo}@${day}`,
      reason: 'R-QA-3: least open inspections first',
      details: assigned,
    });
  }
  return { assigned, unassigned };
}
