/** Prompt templates with `{placeholder}` slots, rendered strictly: no slot left, no value unused. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const SLOT = /\{([a-z_]+)\}/g;

export function placeholdersOf(body: string): string[] {
  return [...new Set([...body.matchAll(SLOT)].map((m) => m[1]))];
}

export function renderTemplate(body: string, values: Record<string, string>): string {
  const slots = placeholdersOf(body);
  const missing = slots.filter((s) => values[s] === undefined);
  if (missing.length) throw new TemplateError(`template placeholders without a value: ${missing.map((m) => `{${m}}`).join(', ')}`);
  const unknown = Object.keys(values).filter((k) => !slots.includes(k));
  if (unknown.length) throw new TemplateError(`values for placeholders the template does not have: ${unknown.join(', ')}`);
  return body.replace(SLOT, (_m, name: string) => values[name]);
}
