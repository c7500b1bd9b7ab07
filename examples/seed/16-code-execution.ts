/**
 * Seed: "Built-in tools — Code execution": "Calculate the 50th Fibonacci number."
 *
 *   node examples/seed/16-code-execution.ts
 *
 * Offline, the scripted model writes the program, and Interplay's server really runs it: Python in a
 * WebAssembly sandbox (Pyodide, in a worker thread). The first run loads the interpreter (a few seconds).
 */
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup();
try {
  const { interaction } = await env.client.create({
    model: env.model,
    input: 'Calculate the 50th Fibonacci number.',
    tools: [{ type: 'code_execution' }],
  });

  for (const step of interaction.output) {
    if (step.type === 'code_execution_call') console.log(`Code:\n${step.arguments.code}\n`);
    if (step.type === 'code_execution_result') console.log(`Result: ${JSON.stringify(step.result)}\n`);
  }
  console.log(lastText(interaction.output));
} finally {
  await env.close();
}
