import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml } from './html.js';
import { field, layout } from './layout.js';

describe('the html tag', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes every interpolation but markup it built itself, and renders nothing for null, undefined and booleans', () => {
    const inner = html`<em>${'<b>'}</em>`;
    expect(html`<p title="${'"onmouseover="x'}">${inner}${['<i>', html`<br>`]}${null}${false}${true}${undefined}${0}</p>`.toString()).toBe(
      '<p title="&quot;onmouseover=&quot;x"><em>&lt;b&gt;</em>&lt;i&gt;<br>0</p>',
    );
  });

  it('cannot be handed a string to pass off as markup', () => {
    const Forge = SafeHtml as unknown as new (markup: string, key: symbol) => SafeHtml;
    expect(() => new Forge('<script>alert(1)</script>', Symbol('SafeHtml'))).toThrow(TypeError);
  });

  it('escapes organization names, logo URLs and field values in the layout and fields', () => {
    const page = layout({
      title: '"><script>',
      organization: { name: '<img src=x onerror=alert(1)>', logoUrl: 'http://x.test/logo"onerror="alert(1)' },
      body: field({ id: 'f', name: 'n', label: '<b>', value: '"><script>', error: '<i>' }),
    }).toString();
    expect(page).not.toMatch(/<script|<img src=x|<b>|<i>|"onerror=/);
    expect(page).toContain('<img src="http://x.test/logo&quot;onerror=&quot;alert(1)" alt="" width="48" height="48">');
  });
});
