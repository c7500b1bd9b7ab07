/**
 * The request bodies the server benchmarks send: the cheapest create there is, and a realistic agent request —
 * what an agent framework sends on every turn of a conversation: a system instruction, five function tools
 * with JSON-schema parameters, a generation config and the user's message (~2.6 KB). Tools and the system
 * instruction are per interaction (the API does not carry them along a chain), so every turn re-sends them.
 */
import { MODEL } from './scripts.ts';

export const CREATE_PATH = '/v1beta/interactions';

/** The smallest create: `{ model, input: 'Hello', store: true }`. */
export const CHEAP_BODY = JSON.stringify({ model: MODEL, input: 'Hello', store: true });

const SYSTEM_INSTRUCTION =
  'You are the support assistant of Northwind Outfitters, an online shop for outdoor equipment. Answer in the ' +
  "customer's language, briefly and politely. Use the tools to look up orders, stock and shipping before you " +
  'answer a question about them; never guess an order status, a delivery date or a price. When a customer ' +
  'asks for a refund, check the order first and explain the return policy: unused items within 30 days, ' +
  'shipping paid by the shop for defects only. Escalate to a human agent when the customer is upset.';

const string = (description: string) => ({ type: 'string', description });

const TOOLS = [
  {
    type: 'function',
    name: 'lookup_order',
    description: 'Find an order by its number or by the e-mail address of the customer who placed it.',
    parameters: {
      type: 'object',
      properties: {
        order_number: string('Order number, e.g. NW-2026-004211.'),
        email: string('E-mail address the order was placed with.'),
      },
    },
  },
  {
    type: 'function',
    name: 'check_stock',
    description: 'Current stock of a product in the central warehouse and the expected restock date.',
    parameters: {
      type: 'object',
      properties: {
        sku: string('Product SKU.'),
        size: { type: 'string', enum: ['XS', 'S', 'M', 'L', 'XL', 'XXL'], description: 'Size, if any.' },
      },
      required: ['sku'],
    },
  },
  {
    type: 'function',
    name: 'track_shipment',
    description: 'Carrier status and expected delivery date of a shipment.',
    parameters: {
      type: 'object',
      properties: { tracking_id: string('Tracking id from the order.') },
      required: ['tracking_id'],
    },
  },
  {
    type: 'function',
    name: 'create_return',
    description: 'Open a return for items of an order; returns the return label URL.',
    parameters: {
      type: 'object',
      properties: {
        order_number: string('Order number.'),
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: { sku: string('Product SKU.'), quantity: { type: 'integer', minimum: 1 } },
            required: ['sku', 'quantity'],
          },
        },
        reason: { type: 'string', enum: ['defect', 'wrong_size', 'not_as_described', 'other'] },
      },
      required: ['order_number', 'items', 'reason'],
    },
  },
  {
    type: 'function',
    name: 'escalate',
    description: 'Hand the conversation to a human agent with a short summary of the problem.',
    parameters: {
      type: 'object',
      properties: {
        summary: string('One or two sentences for the human agent.'),
        priority: { type: 'string', enum: ['low', 'normal', 'high'] },
      },
      required: ['summary'],
    },
  },
];

/** What a customer writes on turn `turn` (the text differs per turn, the size does not). */
export function customerMessage(turn: number): string {
  return (
    `Message ${turn}: I ordered hiking boots and a rain jacket last week, order NW-2026-004211, and the ` +
    'tracking page has not changed for three days. When does it arrive?'
  );
}

/** The realistic agent request (~2.6 KB), continuing `previousId` when given. */
export function agentBody(turn: number, previousId?: string): string {
  return JSON.stringify({
    model: MODEL,
    ...(previousId === undefined ? {} : { previous_interaction_id: previousId }),
    system_instruction: SYSTEM_INSTRUCTION,
    tools: TOOLS,
    generation_config: { temperature: 0.4, max_output_tokens: 1024 },
    input: customerMessage(turn),
    store: true,
  });
}
