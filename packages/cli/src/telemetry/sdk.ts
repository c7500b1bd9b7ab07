/**
 * The OpenTelemetry SDK for the `serve`, `run` and `demo` commands, registered only when an OTLP endpoint is
 * configured (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`): the SDK and its exporter
 * are imported then, so a command without them loads none of it. Spans go out over OTLP/HTTP, as protobuf
 * (`OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`, the default) or JSON (`http/json`); the exporter reads its
 * endpoint, headers and timeout from the standard variables itself. `OTEL_SERVICE_NAME` (or
 * `OTEL_RESOURCE_ATTRIBUTES`) names the service; the command's own name is the default.
 *
 * @example
 * const telemetry = await startTelemetry('interplay-serve');
 * // … the command runs; its spans are batched and exported …
 * await telemetry?.shutdown(); // flush what is left before the process exits
 */
/** The environment asks for an export this command cannot do (e.g. `OTEL_EXPORTER_OTLP_PROTOCOL=grpc`). */
export class TelemetryConfigError extends Error {
  readonly code = 'invalid_telemetry_config';
}

export interface Telemetry {
  /** Export the spans still buffered, then stop. */
  shutdown(): Promise<void>;
}

const PROTOCOLS = ['http/protobuf', 'http/json'] as const;

/** Whether the environment asks for traces to be exported. */
export function telemetryConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Register the SDK when an endpoint is configured (`undefined` otherwise); throws on an unsupported protocol. */
export async function startTelemetry(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Telemetry | undefined> {
  if (!telemetryConfigured(env)) return undefined;
  const variable = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = env[variable] || 'http/protobuf';
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new TelemetryConfigError(
      `${variable}='${protocol}' is not supported: use ${PROTOCOLS.join(' or ')}`,
    );
  }
  const [{ NodeTracerProvider, BatchSpanProcessor }, resources, { OTLPTraceExporter }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
    protocol === 'http/json'
      ? import('@opentelemetry/exporter-trace-otlp-http')
      : import('@opentelemetry/exporter-trace-otlp-proto'),
  ]);
  // The environment's service name and attributes win over the command's default name.
  const resource = resources
    .resourceFromAttributes({ 'service.name': serviceName })
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // AsyncLocalStorage as the context manager, W3C trace context (and baggage) as the propagator.
  provider.register();
  return { shutdown: () => provider.shutdown() };
}
