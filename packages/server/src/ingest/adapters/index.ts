/** Every help-desk adapter, by name. */
import type { AdapterKind } from '../types.js';
import type { AdapterSpec } from './adapter.js';
import { chatwootAgents } from './chatwoot-agents.js';
import { chatwootCsat } from './chatwoot-csat.js';
import { chatwootEvents } from './chatwoot-events.js';
import { cnAgentDaily } from './cn-agent-daily.js';
import { zendeskTickets } from './zendesk-tickets.js';

export const ADAPTERS: Record<AdapterKind, AdapterSpec> = {
  'chatwoot-events': chatwootEvents,
  'chatwoot-csat': chatwootCsat,
  'chatwoot-agents': chatwootAgents,
  'zendesk-tickets': zendeskTickets,
  'cn-agent-daily': cnAgentDaily,
};
