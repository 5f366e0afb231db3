/**
 * The variables of a canned response's text (`{{contact.first_name}}` …): which ones exist, which
 * names a text uses that do not, and the text with them filled in. Pure and import-free, because the
 * web composer renders with the same code the server validates with (web/src imports this file).
 */

/** Every variable a canned response may use; anything else between `{{ }}` is refused when saving. */
export const cannedVariables = ['contact.name', 'contact.first_name', 'agent.name', 'bot.name'] as const;
export type CannedVariable = (typeof cannedVariables)[number];
export type VariableValues = Record<CannedVariable, string>;

/** `{{ name }}`: whatever sits between double braces, spaces around it ignored. */
const reference = () => /\{\{\s*([^{}]*?)\s*\}\}/g;

const isKnown = (name: string): name is CannedVariable => (cannedVariables as readonly string[]).includes(name);

/** The variable names `text` uses that are not known, each once, in order of first use. */
export function unknownVariables(text: string): string[] {
  const unknown = new Set<string>();
  for (const match of text.matchAll(reference())) if (!isKnown(match[1])) unknown.add(match[1]);
  return [...unknown];
}

/**
 * `text` with every variable replaced by its value, in one pass (a value that itself looks like
 * `{{…}}` stays as it is). An unknown name becomes nothing: saving refuses such texts, so this only
 * guards against one slipping through, and a client must never see raw braces.
 */
export function renderTemplate(text: string, values: VariableValues): string {
  return text.replace(reference(), (_, name: string) => (isKnown(name) ? values[name] : ''));
}

/** The first word of a name ("Maria" of "Maria da Silva"), or the name itself when it has one word. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

/** The values for one chat: the contact's and bot's names and the agent's. */
export function variableValues(input: { contactName: string; agentName: string; botName: string }): VariableValues {
  return {
    'contact.name': input.contactName.trim(),
    'contact.first_name': firstName(input.contactName),
    'agent.name': input.agentName.trim(),
    'bot.name': input.botName.trim(),
  };
}
