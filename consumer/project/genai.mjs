// The official SDK, unchanged, against `npx interplay serve` (INTERPLAY_BASE_URL): a stateful conversation.
import { GoogleGenAI } from '@google/genai';

const ai = new GoogleGenAI({ apiKey: 'offline', httpOptions: { baseUrl: process.env.INTERPLAY_BASE_URL } });
const model = 'gemini-3-flash-preview';
const first = await ai.interactions.create({ model, input: 'Hi, my name is Phil.' });
const second = await ai.interactions.create({
  model,
  input: 'What is my name?',
  previous_interaction_id: first.id,
});
console.log(JSON.stringify({ status: second.status, text: second.output_text }));
