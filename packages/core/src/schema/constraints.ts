/**
 * Constraints Gemini does not enforce move into the description, phrased for the model: string length and
 * pattern, exclusive bounds, `multipleOf`, `uniqueItems`, property counts, `contains`, `not`. `minimum`,
 * `maximum`, `minItems` and `maxItems` stay as keywords (Gemini supports them); the ±2^53-1 bounds zod puts on
 * every integer are noise and are dropped.
 */
import { describeBriefly } from './describe.ts';
import { appendDescription, isSchemaObject, type JsonSchema } from './json-schema.ts';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const plural = (n: number, unit: string): string =>
  `${n} ${unit === 'property' && n !== 1 ? 'properties' : n === 1 ? unit : `${unit}s`}`;

function lengthPhrase(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  if (min !== undefined && max !== undefined) {
    return min === max ? `Exactly ${plural(min, unit)}.` : `Between ${min} and ${plural(max, unit)}.`;
  }
  if (min !== undefined) return `At least ${plural(min, unit)}.`;
  if (max !== undefined) return `At most ${plural(max, unit)}.`;
  return undefined;
}

export function constraints(node: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...node };
  const say = (phrase: string | undefined) => {
    if (phrase) appendDescription(out, phrase);
  };
  const take = (key: string): unknown => {
    const value = out[key];
    delete out[key];
    return value;
  };

  if (out.minimum === -Number.MAX_SAFE_INTEGER) delete out.minimum;
  if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;

  const minLength = num(take('minLength'));
  const maxLength = num(take('maxLength'));
  say(lengthPhrase(minLength === 0 ? undefined : minLength, maxLength, 'character'));
  const pattern = take('pattern');
  if (typeof pattern === 'string') say(`Must match the regular expression /${pattern}/.`);

  // Draft-04 boolean exclusive bounds qualify minimum/maximum.
  let exMin = take('exclusiveMinimum');
  let exMax = take('exclusiveMaximum');
  if (exMin === true && num(out.minimum) !== undefined) exMin = take('minimum');
  if (exMax === true && num(out.maximum) !== undefined) exMax = take('maximum');
  if (num(exMin) !== undefined) say(`Must be greater than ${exMin}.`);
  if (num(exMax) !== undefined && exMax !== Number.MAX_SAFE_INTEGER) say(`Must be less than ${exMax}.`);

  const multipleOf = num(take('multipleOf'));
  if (multipleOf !== undefined) say(`Must be a multiple of ${multipleOf}.`);
  if (take('uniqueItems') === true) say('Items must be unique.');
  say(lengthPhrase(num(take('minProperties')), num(take('maxProperties')), 'property'));

  const contains = take('contains');
  if (isSchemaObject(contains)) say(`Must contain at least one item that is ${describeBriefly(contains)}.`);
  const not = take('not');
  if (isSchemaObject(not) && Object.keys(not).length > 0) say(`Must not be ${describeBriefly(not)}.`);
  return out;
}
