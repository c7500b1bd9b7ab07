/** What every route handler gets: the shared services and the request at hand. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Revision } from '@interplay/protocol';
import type { Logger } from 'pino';
import type { AgentStore } from '../agents/custom/agent-store.ts';
import type { ResolvedOptions } from '../config.ts';
import type { UploadSessionStore } from '../files/upload.ts';
import type { InteractionService } from '../service/interaction-service.ts';
import type { Store } from '../store/store.ts';
import type { WebhookService } from '../webhooks/webhook-service.ts';
import type { Route } from './router.ts';

export interface Services {
  store: Store;
  /** Custom agents: the store's, or in memory when the store keeps none. */
  agents: AgentStore;
  interactions: InteractionService;
  uploads: UploadSessionStore;
  options: ResolvedOptions;
  logger: Logger;
  /** Pending PROCESSING → ACTIVE timers of uploaded files. */
  activations: Set<NodeJS.Timeout>;
  /** The webhooks resource and its deliveries; absent when the store keeps no webhooks. */
  webhooks?: WebhookService;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  route: Route;
  query: URLSearchParams;
  /** sha256 of the caller's key; `null` in open mode. */
  owner: string | null;
  revision: Revision;
  /** Scheme + host the client used (or `publicUrl`), for file URIs and upload URLs. */
  baseUrl: string;
  services: Services;
}
