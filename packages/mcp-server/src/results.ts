/**
 * How tool outcomes look to an assistant: structured content plus a text rendering, and
 * failures as `isError` results that say what happened and what to do next. The one place
 * DomainErrors become MCP results.
 */
import { isDomainError } from '@zelto/core';

export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export function ok(structured: object, text: string): ToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured as Record<string, unknown> };
}

export function failure(text: string): ToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

export interface ErrorLogger {
  error(object: Record<string, unknown>, message?: string): void;
}

/** A thrown error as a tool result: DomainErrors keep their message and code; others are hidden. */
export function errorResult(error: unknown, logger: ErrorLogger, tool: string): ToolResult {
  if (isDomainError(error)) {
    const lines = [`${error.message}`];
    for (const issue of error.details.issues ?? []) lines.push(`- ${issue.path}: ${issue.message}`);
    if (error.details.billingPortalUrl) lines.push(`Add a payment method: ${error.details.billingPortalUrl}`);
    if (error.details.retryAfterSeconds) lines.push(`Retry after ${error.details.retryAfterSeconds} seconds.`);
    lines.push(`(error code: ${error.code})`);
    return failure(lines.join('\n'));
  }
  const id = Math.random().toString(36).slice(2, 10);
  logger.error({ err: error, tool, errorId: id }, 'tool failed');
  return failure(
    `Something went wrong on Zelto's side (error id ${id}). Nothing may have changed; try again, and report the id if it persists.`,
  );
}
