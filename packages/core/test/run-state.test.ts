/** RunState: approvals and the versioned JSON form. */
import { describe, expect, it } from 'vitest';
import {
  RUN_STATE_SCHEMA_VERSION,
  RunState,
  RunStateError,
  RunStateVersionError,
  SUPPORTED_RUN_STATE_VERSIONS,
} from '../src/index.ts';

function pausedState(): RunState {
  const s = new RunState({ mode: 'stateful' });
  s.lastInteractionId = 'int_7';
  s.stepCount = 2;
  s.usage = { total_tokens: 30 };
  s.calls = [
    {
      call: { id: 'c1', name: 'delete_file', arguments: { path: '/tmp/a' } },
      step: 2,
      status: 'awaiting_approval',
    },
    {
      call: { id: 'c2', name: 'list', arguments: {} },
      step: 2,
      status: 'done',
      result: {
        callId: 'c2',
        name: 'list',
        result: 'a',
        isError: false,
        durationMs: 1,
        error: new Error('x'),
      },
    },
  ];
  s.steps = [
    {
      step: 2,
      interactionId: 'int_7',
      status: 'requires_action',
      output: [{ type: 'model_output', content: [{ type: 'text', text: 'long text …' }] }],
      text: 'long text …',
      toolCalls: [{ id: 'c1', name: 'delete_file', arguments: { path: '/tmp/a' } }],
      offeredTools: ['delete_file', 'list'],
      toolResults: [],
      usage: { total_tokens: 30 },
    },
  ];
  return s;
}

describe('RunState', () => {
  it('lists interruptions and records approve / reject decisions', () => {
    const s = pausedState();
    expect(s.interruptions).toEqual([
      { callId: 'c1', toolName: 'delete_file', arguments: { path: '/tmp/a' }, step: 2 },
    ]);
    s.reject('c1', 'not today');
    expect(s.calls[0]).toMatchObject({ status: 'rejected', rejectionReason: 'not today' });
    s.approve('c1');
    expect(s.calls[0]?.status).toBe('approved');
    expect(s.calls[0]?.rejectionReason).toBeUndefined();
    expect(s.interruptions).toEqual([]);
  });

  it('refuses decisions about unknown or finished calls', () => {
    const s = pausedState();
    expect(() => s.approve('nope')).toThrow(RunStateError);
    expect(() => s.approve('c2')).toThrow(/not waiting for approval/);
  });

  it('is small in stateful mode: last interaction id, pending calls, counters — no transcript', () => {
    const json = pausedState().toJSON();
    expect(json).toEqual({
      schemaVersion: RUN_STATE_SCHEMA_VERSION,
      runId: expect.stringMatching(/^run_/),
      mode: 'stateful',
      lastInteractionId: 'int_7',
      stepCount: 2,
      usage: { total_tokens: 30 },
      pendingInput: [],
      calls: [
        {
          call: { id: 'c1', name: 'delete_file', arguments: { path: '/tmp/a' } },
          step: 2,
          status: 'awaiting_approval',
        },
        {
          call: { id: 'c2', name: 'list', arguments: {} },
          step: 2,
          status: 'done',
          result: { callId: 'c2', name: 'list', result: 'a', isError: false, durationMs: 1 },
        },
      ],
      steps: [
        {
          step: 2,
          interactionId: 'int_7',
          status: 'requires_action',
          toolCalls: [{ id: 'c1', name: 'delete_file' }],
          offeredTools: ['delete_file', 'list'],
          usage: { total_tokens: 30 },
        },
      ],
    });
    expect(JSON.stringify(json)).not.toContain('long text');
  });

  it('round-trips through JSON text, as in another process', () => {
    const original = pausedState();
    const restored = RunState.fromJSON(JSON.stringify(original));
    expect(restored.runId).toBe(original.runId);
    expect(restored.lastInteractionId).toBe('int_7');
    expect(restored.interruptions).toEqual(original.interruptions);
    expect(restored.steps[0]).toMatchObject({
      step: 2,
      restored: true,
      toolCalls: [{ name: 'delete_file' }],
    });
    expect(restored.toJSON()).toEqual(original.toJSON());
  });

  it('keeps the full history in stateless mode', () => {
    const s = new RunState({ mode: 'stateless' });
    s.history = [{ type: 'thought', signature: 'sig-1' }];
    const restored = RunState.fromJSON(s.toJSON());
    expect(restored.mode).toBe('stateless');
    expect(restored.history).toEqual([{ type: 'thought', signature: 'sig-1' }]);
  });

  it('throws a typed RunStateVersionError on a schemaVersion mismatch', () => {
    const json = { ...pausedState().toJSON(), schemaVersion: 999 };
    const error = (() => {
      try {
        RunState.fromJSON(json);
      } catch (e) {
        return e;
      }
    })() as RunStateVersionError;
    expect(error).toBeInstanceOf(RunStateVersionError);
    expect(error.code).toBe('run_state_version_mismatch');
    expect(error.found).toBe(999);
    expect(error.expected).toBe(RUN_STATE_SCHEMA_VERSION);
    expect(error.supported).toEqual(SUPPORTED_RUN_STATE_VERSIONS);
    expect(error.message).toBe(
      'Run state has schemaVersion 999; this version of @interplay/core reads 1, 2, 3.',
    );
    expect(() => RunState.fromJSON({ runId: 'x' })).toThrow(RunStateVersionError);
  });

  it('throws RunStateError on malformed input', () => {
    expect(() => RunState.fromJSON('{not json')).toThrow(RunStateError);
    const broken = { ...pausedState().toJSON(), calls: [{ call: { id: 1 } }] };
    expect(() => RunState.fromJSON(broken)).toThrow(/malformed: calls\.0/);
  });

  it('reads a state written in version 1 (steps without offered tools) and writes it back as the current one', () => {
    const v1 = {
      schemaVersion: 1,
      runId: 'run_v1',
      mode: 'stateful',
      lastInteractionId: 'int_3',
      stepCount: 1,
      usage: { total_tokens: 15 },
      pendingInput: [],
      calls: [
        {
          call: { id: 'c1', name: 'delete_file', arguments: { path: '/a' } },
          step: 1,
          status: 'awaiting_approval',
        },
      ],
      steps: [
        {
          step: 1,
          interactionId: 'int_3',
          status: 'requires_action',
          toolCalls: [{ id: 'c1', name: 'delete_file' }],
          usage: { total_tokens: 15 },
        },
      ],
    };
    const state = RunState.fromJSON(JSON.stringify(v1));
    expect(state.interruptions).toEqual([
      { callId: 'c1', toolName: 'delete_file', arguments: { path: '/a' }, step: 1 },
    ]);
    expect(state.steps[0]?.offeredTools).toBeUndefined();
    expect(state.toJSON()).toMatchObject({ schemaVersion: RUN_STATE_SCHEMA_VERSION, runId: 'run_v1' });
    expect(() => RunState.fromJSON({ ...v1, steps: [{ step: 'one' }] })).toThrow(/malformed: steps\.0\.step/);
  });
});
