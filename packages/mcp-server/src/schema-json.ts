/**
 * The JSON Schemas a tool advertises, derived from the same zod schemas as REST and kept
 * small (an owner's whole tools/list stays under 16,000 characters):
 *  - inputs keep types, descriptions, defaults and short enums (what guides an assistant)
 *    and leave the limits to the core, which validates every call, so MCP and REST report
 *    bad input with the same messages;
 *  - outputs describe their top-level fields (the text rendering and the structured content
 *    carry the rest), and the structured content is checked against the full zod schema
 *    before it is sent.
 */
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { z } from 'zod';

type Json = Record<string, unknown>;

const INPUT_KEYS = new Set(['type', 'properties', 'items', 'description', 'default', 'enum', 'format', 'required', 'anyOf', 'const']);
const OUTPUT_KEYS = new Set(['type', 'properties', 'items', 'anyOf', 'const']);
const LONG_ENUM = 8;

function inputNode(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(inputNode);
  if (node === null || typeof node !== 'object') return node;
  const source = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (!INPUT_KEYS.has(key)) continue;
    if (key === 'enum' && Array.isArray(value) && value.length > LONG_ENUM) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, inputNode(v)]));
    } else out[key] = key === 'items' || key === 'anyOf' ? inputNode(value) : value;
  }
  return out;
}

/** The top-level fields and their types; what is nested inside them is just "object" or "array". */
function outputNode(node: unknown, objectDepth: number): unknown {
  if (Array.isArray(node)) return node.map((n) => outputNode(n, objectDepth));
  if (node === null || typeof node !== 'object') return node;
  const source = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (!OUTPUT_KEYS.has(key)) continue;
    if (key === 'properties') {
      if (objectDepth >= 1) continue;
      out.properties = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, outputNode(v, objectDepth + 1)]));
    } else if (key === 'items') {
      out.items = outputNode(value, objectDepth);
    } else if (key === 'anyOf') {
      out.anyOf = (value as unknown[]).map((v) => outputNode(v, objectDepth));
    } else out[key] = value;
  }
  return out;
}

function standard(json: Json, validate: (value: unknown) => unknown): StandardSchemaWithJSON {
  return {
    '~standard': { version: 1, vendor: 'zelto', validate, jsonSchema: { input: () => json, output: () => json } },
  } as unknown as StandardSchemaWithJSON;
}

// A server is built per HTTP request: convert each schema once, not once per request.
const inputs = new WeakMap<z.ZodType, StandardSchemaWithJSON>();
const outputs = new WeakMap<z.ZodType, StandardSchemaWithJSON>();

/** What a tool advertises as its input; the core validates it. */
export function inputSchemaOf(schema: z.ZodType): StandardSchemaWithJSON {
  let converted = inputs.get(schema);
  if (!converted) {
    const json = inputNode(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' })) as Json;
    converted = standard(json, (value) => ({ value }));
    inputs.set(schema, converted);
  }
  return converted;
}

/** What a tool promises to answer; zod checks it before it is sent. */
export function outputSchemaOf(schema: z.ZodType): StandardSchemaWithJSON {
  let converted = outputs.get(schema);
  if (!converted) {
    // A registry of its own: no ids, so nothing becomes a $ref and every entity is inlined.
    const json = outputNode(
      z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any', metadata: z.registry() }),
      0,
    ) as Json;
    converted = standard(json, (value) => schema['~standard'].validate(value));
    outputs.set(schema, converted);
  }
  return converted;
}
