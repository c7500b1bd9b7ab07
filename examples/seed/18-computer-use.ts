/**
 * Seed: "Built-in tools — Computer use". The declaration goes to the model; the model answers with UI actions
 * (`function_call`s such as `navigate`, `click_at`, `type_text_at`) that the *client* performs in its browser,
 * sending back screenshots as `function_result`s. This example shows the first round trip: the request and
 * the actions the model asks for (status `requires_action`).
 *
 *   node examples/seed/18-computer-use.ts
 *
 * Offline: Interplay's server passes computer_use through to the provider; the default script has no
 * computer-use rule, so this example adds one that answers like the computer-use model's first step does
 * (a short plan and a `navigate` action).
 */
import { setup } from '../_shared/setup.ts';

const env = await setup({
  rules: [
    {
      name: 'computer use: first action',
      when: { tools: ['computer_use'], last: 'user_input' },
      respond: [
        { type: 'text', text: 'I will start by opening Google Shopping and searching for smart fridges.' },
        {
          type: 'function_call',
          name: 'navigate',
          arguments: {
            url: 'https://www.google.com/search?tbm=shop&q=smart+fridge+touchscreen+2+doors+25+cu+ft',
          },
        },
      ],
    },
  ],
});
try {
  const { interaction } = await env.client.create({
    model: 'gemini-2.5-computer-use-preview-10-2025',
    input:
      'Search for highly rated smart fridges with touchscreen, 2 doors, around 25 cu ft, priced below 4000 ' +
      'dollars on Google Shopping. Create a bulleted list of the 3 cheapest options in the format of name, ' +
      'description, price in an easy-to-read layout.',
    tools: [
      { type: 'computer_use', environment: 'browser', excluded_predefined_functions: ['drag_and_drop'] },
    ],
  });

  // The response contains the actions for the computer interface, or text explaining them.
  for (const step of interaction.output) {
    if (step.type === 'function_call') console.log(`Action: ${step.name}(${JSON.stringify(step.arguments)})`);
    else if (step.type === 'model_output') {
      for (const part of step.content ?? []) if (part.type === 'text') console.log(`Model: ${part.text}`);
    } else console.log(step);
  }
  console.log(
    `Status: ${interaction.status} — the client now performs the action and sends a screenshot back.`,
  );
} finally {
  await env.close();
}
