/**
 * Custom agents (the agents resource, agents/custom/agent-store.ts) in Postgres: behind a load balancer an
 * agent created through one replica is run by name on any other, so it is a row they all read.
 */

import type { CustomAgent } from '../agents/custom/agent-resource.ts';
import { type AgentPage, type AgentStore, agentExists, page } from '../agents/custom/agent-store.ts';
import type { PgDatabase } from './postgres-database.ts';
import { StoreError } from './store.ts';

/** The owner as the unique index sees it: open mode's agents (owner NULL) are one owner's too. */
const OWNER = "COALESCE(owner, '') = COALESCE($1::text, '')";

export class PostgresAgentStore implements AgentStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async createAgent(owner: string | null, agent: CustomAgent): Promise<void> {
    try {
      await this.#db.query('INSERT INTO agents (owner, id, created, body_json) VALUES ($1, $2, $3, $4)', [
        owner,
        agent.id,
        agent.create_time,
        JSON.stringify(agent),
      ]);
    } catch (error) {
      if (error instanceof StoreError && error.code === 'conflict') throw agentExists(agent.id);
      throw error;
    }
  }

  async getAgent(owner: string | null, id: string): Promise<CustomAgent | undefined> {
    const { rows } = await this.#db.query(`SELECT body_json FROM agents WHERE ${OWNER} AND id = $2`, [
      owner,
      id,
    ]);
    return rows[0] ? (JSON.parse(String(rows[0].body_json)) as CustomAgent) : undefined;
  }

  async listAgents(owner: string | null, pageSize: number, pageToken?: string): Promise<AgentPage> {
    const { rows } = await this.#db.query(
      `SELECT body_json FROM agents WHERE ${OWNER} AND id > $2 ORDER BY id LIMIT $3`,
      [owner, pageToken ?? '', pageSize + 1],
    );
    return page(
      rows.map((row) => JSON.parse(String(row.body_json)) as CustomAgent),
      pageSize,
    );
  }

  async deleteAgent(owner: string | null, id: string): Promise<boolean> {
    const { rowCount } = await this.#db.query(`DELETE FROM agents WHERE ${OWNER} AND id = $2`, [owner, id]);
    return rowCount > 0;
  }
}
