/**
 * Where custom agents are kept, per owner (API key). The SQLite store keeps them in its `agents` table
 * (migration v8), the Postgres store in its own (store/postgres-agents.ts, so every replica sees them); a
 * store without agents gets the in-memory one, which lasts as long as the server process.
 */
import { InteractionsError } from '@interplay/protocol';
import type { Statements } from '../../store/statements.ts';
import type { CustomAgent } from './agent-resource.ts';

export interface AgentPage {
  agents: CustomAgent[];
  nextPageToken?: string;
}

export interface AgentStore {
  /** Throws `conflict` (409) when the owner has an agent with this id. */
  createAgent(owner: string | null, agent: CustomAgent): Promise<void>;
  getAgent(owner: string | null, id: string): Promise<CustomAgent | undefined>;
  /** Ordered by id; `pageToken` is the last id of the previous page. */
  listAgents(owner: string | null, pageSize: number, pageToken?: string): Promise<AgentPage>;
  deleteAgent(owner: string | null, id: string): Promise<boolean>;
}

export const agentExists = (id: string) =>
  new InteractionsError('conflict', `An agent with id '${id}' already exists.`, { field: 'id' });

export class MemoryAgentStore implements AgentStore {
  readonly #agents = new Map<string, CustomAgent>();

  async createAgent(owner: string | null, agent: CustomAgent): Promise<void> {
    const key = `${owner ?? ''}/${agent.id}`;
    if (this.#agents.has(key)) throw agentExists(agent.id);
    this.#agents.set(key, agent);
  }

  async getAgent(owner: string | null, id: string): Promise<CustomAgent | undefined> {
    return this.#agents.get(`${owner ?? ''}/${id}`);
  }

  async listAgents(owner: string | null, pageSize: number, pageToken?: string): Promise<AgentPage> {
    const prefix = `${owner ?? ''}/`;
    const mine = [...this.#agents]
      .filter(([key, agent]) => key.startsWith(prefix) && (pageToken === undefined || agent.id > pageToken))
      .map(([, agent]) => agent)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    return page(mine, pageSize);
  }

  async deleteAgent(owner: string | null, id: string): Promise<boolean> {
    return this.#agents.delete(`${owner ?? ''}/${id}`);
  }
}

export class SqliteAgentStore implements AgentStore {
  readonly #sql: Statements;

  constructor(sql: Statements) {
    this.#sql = sql;
  }

  async createAgent(owner: string | null, agent: CustomAgent): Promise<void> {
    this.#sql.assertOpen();
    try {
      this.#sql.run(
        'INSERT INTO agents (owner, id, created, body_json) VALUES (?, ?, ?, ?)',
        owner,
        agent.id,
        agent.create_time,
        JSON.stringify(agent),
      );
    } catch (error) {
      if (String((error as Error).message).includes('UNIQUE')) throw agentExists(agent.id);
      throw error;
    }
  }

  async getAgent(owner: string | null, id: string): Promise<CustomAgent | undefined> {
    this.#sql.assertOpen();
    const row = this.#sql.get('SELECT body_json FROM agents WHERE owner IS ? AND id = ?', owner, id);
    return row ? (JSON.parse(String(row.body_json)) as CustomAgent) : undefined;
  }

  async listAgents(owner: string | null, pageSize: number, pageToken?: string): Promise<AgentPage> {
    this.#sql.assertOpen();
    // `? + 0`: SQLite's planner reads a bare bound LIMIT, which recompiles the statement at every page.
    const rows = this.#sql.all(
      'SELECT body_json FROM agents WHERE owner IS ? AND id > ? ORDER BY id LIMIT ? + 0',
      owner,
      pageToken ?? '',
      pageSize + 1,
    );
    return page(
      rows.map((row) => JSON.parse(String(row.body_json)) as CustomAgent),
      pageSize,
    );
  }

  async deleteAgent(owner: string | null, id: string): Promise<boolean> {
    this.#sql.assertOpen();
    return this.#sql.run('DELETE FROM agents WHERE owner IS ? AND id = ?', owner, id) > 0;
  }
}

/** `pageSize` agents of `sorted`, and a token when more follow. */
export function page(sorted: CustomAgent[], pageSize: number): AgentPage {
  const agents = sorted.slice(0, pageSize);
  const last = agents.at(-1);
  return sorted.length > pageSize && last ? { agents, nextPageToken: last.id } : { agents };
}
