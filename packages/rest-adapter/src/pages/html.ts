/**
 * Escaping HTML by construction: the `html` tag escapes every interpolated value unless it is
 * already `SafeHtml` (the output of another `html` template). There is deliberately no way to
 * mark an arbitrary string as safe, so an organization name, an email address or a core
 * message can never become markup.
 */

const constructionKey: unique symbol = Symbol('SafeHtml');

/** Markup that was built by `html` and is safe to embed as-is. */
export class SafeHtml {
  readonly #markup: string;

  constructor(markup: string, key: typeof constructionKey) {
    // Only this module can mint SafeHtml: the key is not exported.
    if (key !== constructionKey) throw new TypeError('SafeHtml is built with the html tag only');
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

/** What may be interpolated: escaped text, safe markup, nothing (null, undefined, false), or lists of those. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** A template tag that escapes every interpolation (`true` renders nothing, so `cond && html\`...\`` works). */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i] as HtmlValue) + (strings[i + 1] ?? '');
  return new SafeHtml(out, constructionKey);
}
