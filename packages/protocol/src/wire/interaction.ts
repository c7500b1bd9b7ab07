/** The Interaction resource in both revisions. */
import type { InteractionStatus, Usage } from './common.ts';
import type { Content, Turn } from './content.ts';
import type { Step } from './step.ts';
import type { Tool } from './tool.ts';

interface InteractionBase {
  id: string;
  status: InteractionStatus;
  object?: 'interaction';
  model?: string;
  agent?: string;
  created?: string;
  updated?: string;
  usage?: Usage;
  previous_interaction_id?: string;
  system_instruction?: string;
  tools?: Tool[];
  generation_config?: Record<string, unknown>;
  agent_config?: Record<string, unknown>;
  response_format?: unknown;
  response_mime_type?: string;
  response_modalities?: string[];
  service_tier?: string;
  webhook_config?: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface LegacyInteraction extends InteractionBase {
  /** `"model"` for model runs, `"agent"` for agent runs. */
  role?: string;
  outputs?: Content[];
  /** Echoed only with `include_input=true`. */
  input?: string | Content | Content[] | Turn[];
}

export interface StepsInteraction extends InteractionBase {
  /** POST returns output steps only; GET starts with the `user_input` step(s). */
  steps?: Step[];
  errors?: { code?: string; message?: string; [extra: string]: unknown }[];
  input?: unknown;
  labels?: Record<string, string>;
  environment_id?: string;
  continuation_token?: string;
}
