/**
 * Walls around the Python worker's JavaScript realm. Python code can always reach JavaScript through Pyodide's
 * FFI (`pyodide.ffi`), so the JS realm itself must hold nothing dangerous once the interpreter has loaded:
 * no Node module that touches the host (files, processes, sockets, DNS, HTTP, inspector), no way to load
 * another module, no network globals, no `process`, and no way to compile code from strings.
 * Runs inside the worker only. See docs/server/builtin-tools.md, "What is isolated".
 */
import { createRequire, registerHooks, syncBuiltinESMExports } from 'node:module';

const PAGE = 65_536;

/**
 * Caps WebAssembly memory growth. Emscripten's malloc grows the heap through `Memory#grow`; a refusal makes
 * malloc return NULL, which Python turns into `MemoryError` instead of the host running out of memory.
 * Call before loading Pyodide.
 */
export function capWasmMemory(limitBytes: number): void {
  const proto = WebAssembly.Memory.prototype;
  const grow = proto.grow;
  Object.defineProperty(proto, 'grow', {
    value: function cappedGrow(this: WebAssembly.Memory, delta: number): number {
      if (this.buffer.byteLength + delta * PAGE > limitBytes) {
        throw new RangeError(`WebAssembly memory limit of ${limitBytes} bytes reached`);
      }
      return grow.call(this, delta);
    },
    writable: false,
    configurable: false,
  });
}

/** Node built-ins whose every function is replaced by one that throws (Pyodide keeps references to some). */
const HOST_MODULES = [
  'node:fs',
  'node:fs/promises',
  'node:child_process',
  'node:net',
  'node:tls',
  'node:dgram',
  'node:dns',
  'node:dns/promises',
  'node:http',
  'node:https',
  'node:http2',
  'node:inspector',
  'node:vm',
  'node:worker_threads',
  'node:cluster',
  'node:module',
];

/** Globals that reach the network, other threads, the host process, or compile code. */
const HOST_GLOBALS = [
  'fetch',
  'WebSocket',
  'EventSource',
  'XMLHttpRequest',
  'BroadcastChannel',
  'require',
  'process',
  'localStorage',
  'sessionStorage',
  'eval',
];

/**
 * Call once the interpreter has loaded and the worker holds what it needs (its message port). After this,
 * the thread can load no module and touch no host resource.
 */
export function lockDownRealm(): void {
  const require = createRequire(import.meta.url);
  const modules = HOST_MODULES.map((name) => ({ name, exports: require(name) as Record<string, unknown> }));
  blockModuleLoading();
  disableHostModules(modules);
  removeHostGlobals();
  disableCodeGeneration();
  freezeIntrinsics();
}

function blockModuleLoading(): void {
  registerHooks({
    resolve(specifier) {
      throw new Error(`module loading is disabled in the code sandbox ('${specifier}')`);
    },
  });
}

function disableHostModules(modules: { name: string; exports: Record<string, unknown> }[]): void {
  for (const { name, exports } of modules) {
    for (const key of Object.keys(exports)) {
      if (typeof exports[key] !== 'function') continue;
      try {
        exports[key] = refuse(name, key);
      } catch {
        // a non-writable export: nothing in Pyodide reaches it through this object
      }
    }
  }
  syncBuiltinESMExports(); // makes `import * as fs` namespaces see the replacements too
}

function refuse(module: string, name: string): () => never {
  return () => {
    throw new Error(`${module} ${name}() is not available in the code sandbox`);
  };
}

function removeHostGlobals(): void {
  const global = globalThis as Record<string, unknown>;
  for (const name of HOST_GLOBALS) {
    try {
      delete global[name];
    } catch {
      // non-configurable: leave it
    }
    try {
      if (name in global) Object.defineProperty(global, name, { value: undefined, writable: false });
    } catch {
      // non-configurable and non-writable: nothing more to do
    }
  }
}

/**
 * `anyFunction.constructor` is `Function` (or its async/generator kin), which compiles code from a string —
 * from there, `globalThis`. Removing the `constructor` links leaves Python's JS objects with no path to it.
 */
function disableCodeGeneration(): void {
  const kinds = [() => {}, async () => {}, function* () {}, async function* () {}].map(
    (fn) => Object.getPrototypeOf(fn) as object,
  );
  for (const proto of kinds) {
    Object.defineProperty(proto, 'constructor', { value: undefined, writable: false, configurable: false });
  }
}

/**
 * Freezes every object reachable from the globals (constructors, prototypes, namespaces, iterator prototypes…).
 * Python can reach built-in prototypes through the FFI (`to_js([]).constructor.prototype`) and could otherwise
 * plant a function there that a later program — another user's — would call, or stash data there.
 */
function freezeIntrinsics(): void {
  const seen = new Set<unknown>([globalThis]);
  const pending: unknown[] = Object.getOwnPropertyNames(globalThis).map((name) => {
    try {
      return (globalThis as Record<string, unknown>)[name];
    } catch {
      return undefined;
    }
  });
  pending.push(
    ...[[].values(), new Map().entries(), new Set().values(), ''[Symbol.iterator](), (function* () {})()],
  );
  while (pending.length > 0) {
    const value = pending.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value))
      continue;
    seen.add(value);
    pending.push(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (!descriptor) continue;
      pending.push(descriptor.value, descriptor.get, descriptor.set);
    }
    Object.freeze(value);
  }
}
