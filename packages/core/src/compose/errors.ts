/** Errors of flow composition. Step failures are not thrown: they are data in the `FlowResult`. */
import { InterplayError } from '../errors.ts';

/** A flow cannot be built as written (duplicate step names, an unknown `from`, an empty chain, …). */
export class FlowDefinitionError extends InterplayError {
  constructor(message: string) {
    super('flow_definition_invalid', message);
  }
}

/** A saved flow handle cannot be read (malformed, another `version`) or resumed without its flow. */
export class FlowResumeError extends InterplayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('flow_resume_failed', message, options);
  }
}
