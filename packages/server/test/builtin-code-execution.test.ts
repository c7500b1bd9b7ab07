/**
 * code_execution: real Python (Pyodide) in a worker thread — results, limits, isolation — through the sandbox
 * and through the ServerTool interface.
 */
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PythonSandbox } from '../src/builtins/code-execution/sandbox.ts';
import { type CodeExecutionTool, codeExecutionTool } from '../src/builtins/code-execution/tool.ts';

const FIB = `def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a

fib(50)`;

let sandbox: PythonSandbox;

beforeAll(async () => {
  sandbox = new PythonSandbox({ timeoutMs: 2_000, memoryLimitMb: 128, graceMs: 500 });
  await sandbox.warm();
}, 60_000);

afterAll(async () => {
  await sandbox.close();
});

describe('running Python', () => {
  it('computes the 50th Fibonacci number', async () => {
    const result = await sandbox.run(FIB);
    expect(result).toMatchObject({ ok: true, value: '12586269025' });
  });

  it('captures stdout, stderr and the last expression', async () => {
    const result = await sandbox.run('import sys\nprint("hello")\nprint("warn", file=sys.stderr)\n6 * 7');
    expect(result).toMatchObject({ ok: true, stdout: 'hello\n', stderr: 'warn\n', value: '42' });
  });

  it('has no value for a statement or None', async () => {
    expect((await sandbox.run('x = 1')).value).toBeUndefined();
    expect((await sandbox.run('None')).value).toBeUndefined();
  });

  it('reports an exception with its traceback, without the sandbox frames', async () => {
    const result = await sandbox.run('def f():\n    return 1 / 0\nf()');
    expect(result.ok).toBe(false);
    expect(result.error).toContain('Traceback (most recent call last):');
    expect(result.error).toContain('File "<code>", line 2, in f');
    expect(result.error).toContain('ZeroDivisionError: division by zero');
    expect(result.error).not.toContain('_pyodide');
  });

  it('reports a syntax error', async () => {
    const result = await sandbox.run('def broken(:\n  pass');
    expect(result.ok).toBe(false);
    expect(result.error).toContain('SyntaxError');
  });

  it('keeps output printed before a failure', async () => {
    const result = await sandbox.run('print("before")\nraise ValueError("boom")');
    expect(result).toMatchObject({ ok: false, stdout: 'before\n' });
    expect(result.error).toContain('ValueError: boom');
  });

  it('cuts a print flood at the output limit', async () => {
    const small = new PythonSandbox({ outputLimitChars: 1_000 });
    try {
      const result = await small.run('for i in range(100000): print(i)');
      expect(result.ok).toBe(true);
      expect(result.truncated).toBe(true);
      expect(result.stdout.length).toBe(1_000);
    } finally {
      await small.close();
    }
  }, 60_000);

  it('starts each program in a fresh namespace and undoes changes to modules and builtins', async () => {
    await sandbox.run(
      'secret = 1\nimport builtins, json\nbuiltins.leak = 2\njson.leak = 3\nopen("/tmp/note", "w").write("x")',
    );
    const result = await sandbox.run(
      'import builtins, json, os\n("secret" in globals(), hasattr(builtins, "leak"), hasattr(json, "leak"), os.path.exists("/tmp/note"))',
    );
    expect(result.value).toBe('(False, False, False, False)');
  });

  it('is fast once warm', async () => {
    const started = performance.now();
    const result = await sandbox.run('sum(range(1000))');
    expect(result.value).toBe('499500');
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('limits', () => {
  it('stops an endless loop at the time limit, and the next program still runs', async () => {
    const result = await sandbox.run('while True: pass');
    expect(result).toMatchObject({ ok: false, limit: 'time' });
    expect(result.error).toContain('time limit');
    expect(result.durationMs).toBeGreaterThanOrEqual(1_900);
    expect((await sandbox.run('1 + 1')).value).toBe('2');
  });

  it('kills a loop that swallows the interrupt, then starts a fresh worker', async () => {
    const code = 'while True:\n    try:\n        while True: pass\n    except BaseException:\n        pass';
    const result = await sandbox.run(code);
    expect(result).toMatchObject({ ok: false, limit: 'time' });
    expect((await sandbox.run('2 + 2')).value).toBe('4');
  }, 60_000);

  it('stops a growing list at the memory limit, and the next program still runs', async () => {
    const result = await sandbox.run('x = []\nwhile True:\n    x.append(" " * 10**6)');
    expect(result).toMatchObject({ ok: false, limit: 'memory' });
    expect(result.error).toContain('MemoryError');
    expect((await sandbox.run('3 + 3')).value).toBe('6');
  }, 60_000);

  it('refuses one huge allocation', async () => {
    const bomb = await sandbox.run("x = ' ' * 10**10");
    expect(bomb.ok).toBe(false);
    const big = await sandbox.run('x = bytearray(2**30)');
    expect(big).toMatchObject({ ok: false, limit: 'memory' });
    expect((await sandbox.run('4 + 4')).value).toBe('8');
  }, 60_000);

  it('does not block the main thread while Python runs', async () => {
    const echo = createServer((socket) => socket.end('pong'));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const running = sandbox.run('while True: pass');
    await sleep(200); // Python is spinning now
    const timerStart = performance.now();
    await sleep(20);
    expect(performance.now() - timerStart).toBeLessThan(250);
    const pingStart = performance.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const client = connect((echo.address() as AddressInfo).port, '127.0.0.1');
      client.on('data', (data) => resolve(String(data)));
      client.on('error', reject);
    });
    expect(reply).toBe('pong');
    expect(performance.now() - pingStart).toBeLessThan(500);
    echo.close();
    expect((await running).limit).toBe('time');
  });

  it('a cancelled program stops and reports it', async () => {
    const controller = new AbortController();
    const running = sandbox.run('while True: pass', controller.signal);
    setTimeout(() => controller.abort(), 200);
    const result = await running;
    expect(result).toMatchObject({ ok: false, cancelled: true });
    expect(result.durationMs).toBeLessThan(1_500);
  });

  it('queues programs: one at a time, in order', async () => {
    const results = await Promise.all(
      [1, 2, 3].map((n) => sandbox.run(`import time\ntime.sleep(0.05)\n${n}`)),
    );
    expect(results.map((r) => r.value)).toEqual(['1', '2', '3']);
  });
});

describe('isolation', () => {
  let listener: Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as AddressInfo).port;
  });

  afterAll(() => {
    listener.close();
    expect(connections).toBe(0); // no program reached the listener
  });

  it('has no host file system', async () => {
    const result = await sandbox.run("open('/etc/passwd').read()");
    expect(result.ok).toBe(false);
    expect(result.error).toContain('FileNotFoundError');
    expect((await sandbox.run('import os\nsorted(os.listdir("/"))')).value).toBe(
      "['dev', 'home', 'lib', 'proc', 'tmp']",
    );
  });

  it('cannot mount the host file system through Pyodide', async () => {
    const result = await sandbox.run('import pyodide_js\npyodide_js.mountNodeFS("/host", "/")');
    expect(result.ok).toBe(false);
    expect(result.error).toContain('ImportError');
  });

  it('has no network: pyodide.http, js.fetch, sockets and urllib fail', async () => {
    const programs = [
      `import pyodide.http\npyodide.http.pyfetch("http://127.0.0.1:${port}/")`,
      'import js\njs.fetch',
      `import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=1)`,
      `import urllib.request\nurllib.request.urlopen("http://127.0.0.1:${port}/", timeout=1)`,
      'import micropip',
    ];
    for (const code of programs) {
      const result = await sandbox.run(code);
      expect(result.ok, code).toBe(false);
    }
    expect(connections).toBe(0);
  });

  it('cannot run host commands', async () => {
    const result = await sandbox.run('import os\nos.system("echo escaped > /tmp/escaped")');
    expect(result.ok).toBe(false);
    expect(result.error).toContain('subprocesses are not available');
    const viaSubprocess = await sandbox.run('import subprocess\nsubprocess.run(["ls"])');
    expect(viaSubprocess.ok).toBe(false);
  });

  it('cannot reach JavaScript globals or compile JavaScript', async () => {
    const result = await sandbox.run(
      'from pyodide.ffi import to_js\narr = to_js([1])\n(arr.constructor.constructor, getattr(__import__("js"), "process", None))',
    );
    expect(result.value).toBe('(None, None)');
    const runJs = await sandbox.run('from pyodide.code import run_js\nrun_js("process.exit(1)")');
    expect(runJs.ok).toBe(false);
  });

  it('cannot schedule work that would outlive the program', async () => {
    const result = await sandbox.run(
      'import asyncio\nasyncio.get_event_loop().call_later(0, print, "later")',
    );
    expect(result.ok).toBe(false);
    expect(result.error).toContain('not available in the code sandbox');
    expect((await sandbox.run('print("now")')).stdout).toBe('now\n');
  });

  it('cannot plant anything on JavaScript prototypes for later programs', async () => {
    await sandbox.run(
      'from pyodide.ffi import to_js\ntry:\n    to_js([1]).constructor.prototype.stash = "secret"\nexcept Exception:\n    pass',
    );
    const later = await sandbox.run('from pyodide.ffi import to_js\nhasattr(to_js([1]), "stash")');
    expect(later.value).toBe('False');
  });

  it('does not see the server environment', async () => {
    process.env.INTERPLAY_TEST_SECRET = 'do-not-leak';
    const result = await sandbox.run('import os\n"INTERPLAY_TEST_SECRET" in os.environ');
    expect(result.value).toBe('False');
  });

  it('recovers when a program breaks the interpreter', async () => {
    const result = await sandbox.run('import os\nos._exit(1)');
    expect(result.ok).toBe(false);
    expect((await sandbox.run('5 + 5')).value).toBe('10');
  }, 60_000);
});

describe('the code_execution ServerTool', () => {
  let tool: CodeExecutionTool;
  const ctx = () => ({
    declaration: { type: 'code_execution' as const },
    signal: new AbortController().signal,
    interactionId: 'i1',
  });

  beforeAll(async () => {
    tool = codeExecutionTool({ timeoutMs: 2_000 });
    await tool.pool.warm();
  }, 60_000);

  afterAll(async () => {
    await tool.close();
  });

  it('serves code_execution_call → code_execution_result', async () => {
    expect(tool.toolType).toBe('code_execution');
    expect(tool.callType).toBe('code_execution_call');
    const call = {
      type: 'code_execution_call' as const,
      id: 'c1',
      arguments: { language: 'python', code: FIB },
    };
    const result = await tool.execute(call, ctx());
    expect(result).toEqual({ type: 'code_execution_result', call_id: 'c1', result: '12586269025' });
  });

  it('puts output, then the value, in result', async () => {
    const call = {
      type: 'code_execution_call' as const,
      id: 'c2',
      arguments: { code: 'print("a")\nprint("b")\n1 + 2' },
    };
    const result = await tool.execute(call, ctx());
    expect(result.result).toBe('a\nb\n3');
    expect(result.is_error).toBeUndefined();
  });

  it('marks a failure is_error with the traceback', async () => {
    const call = { type: 'code_execution_call' as const, id: 'c3', arguments: { code: 'print("x")\n[][1]' } };
    const result = await tool.execute(call, ctx());
    expect(result.is_error).toBe(true);
    expect(result.result).toMatch(/^x\nTraceback[\s\S]*IndexError: list index out of range$/);
  });

  it('marks a time limit is_error', async () => {
    const call = { type: 'code_execution_call' as const, id: 'c4', arguments: { code: 'while True: pass' } };
    const result = await tool.execute(call, ctx());
    expect(result).toMatchObject({ call_id: 'c4', is_error: true });
    expect(result.result).toContain('time limit');
  });

  it('refuses other languages and empty code', async () => {
    const bash = await tool.execute(
      { type: 'code_execution_call', id: 'c5', arguments: { language: 'bash', code: 'ls' } },
      ctx(),
    );
    expect(bash).toMatchObject({ is_error: true });
    const empty = await tool.execute({ type: 'code_execution_call', id: 'c6', arguments: {} }, ctx());
    expect(empty).toMatchObject({ is_error: true, result: 'the call has no code to run' });
  });
});
