/** Canned-response variables: which names are refused, and how a text is filled in (properties and examples). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cannedVariables, firstName, renderTemplate, unknownVariables, variableValues, type VariableValues } from '../../../worker/domain/canned';

const values: VariableValues = { 'contact.name': 'Maria da Silva', 'contact.first_name': 'Maria', 'agent.name': 'Ana', 'bot.name': 'Loja Centro' };

describe('unknownVariables', () => {
  it('accepts every known variable, with or without spaces inside the braces', () => {
    expect(unknownVariables('Olá {{contact.first_name}}, aqui é {{ agent.name }} da {{bot.name}} ({{contact.name}})')).toEqual([]);
  });

  it('names each unknown variable once, in order, and ignores text that only looks like braces', () => {
    expect(unknownVariables('{{contact.email}} {x} {{ order.id }} {{contact.email}} {{contact.name}} }} {{')).toEqual(['contact.email', 'order.id']);
  });

  it('treats a wrong case or an empty name as unknown', () => {
    expect(unknownVariables('{{Contact.Name}} {{}}')).toEqual(['Contact.Name', '']);
  });
});

describe('renderTemplate', () => {
  it('fills every known variable', () => {
    expect(renderTemplate('Olá {{contact.first_name}}! Sou {{ agent.name }}, da {{bot.name}}. ({{contact.name}})', values))
      .toBe('Olá Maria! Sou Ana, da Loja Centro. (Maria da Silva)');
  });

  it('never lets braces through for an unknown name', () => {
    expect(renderTemplate('a{{order.id}}b', values)).toBe('ab');
  });

  it('variableValues takes the first word of the contact name', () => {
    expect(variableValues({ contactName: '  João  Pedro ', agentName: 'Bruno', botName: 'Bot' })).toEqual({
      'contact.name': 'João  Pedro', 'contact.first_name': 'João', 'agent.name': 'Bruno', 'bot.name': 'Bot',
    });
    expect(firstName('Olga')).toBe('Olga');
  });

  // Literal pieces (no braces) and variable references, in any order: the result is the pieces with
  // each reference replaced by its value, in one pass, whatever the values hold (braces included).
  const literal = fc.string({ maxLength: 20 }).filter((s) => !s.includes('{') && !s.includes('}'));
  const variable = fc.constantFrom(...cannedVariables);
  const piece = fc.oneof(literal.map((text) => ({ text })), fc.tuple(variable, fc.boolean()).map(([name, spaced]) => ({ name, spaced })));
  const anyValues = fc.record(Object.fromEntries(cannedVariables.map((v) => [v, fc.string({ maxLength: 20 })])) as Record<keyof VariableValues, fc.Arbitrary<string>>);

  it('is the literal text with each reference replaced by its value (property)', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), anyValues, (pieces, vals) => {
        const template = pieces.map((p) => ('text' in p ? p.text : p.spaced ? `{{ ${p.name} }}` : `{{${p.name}}}`)).join('');
        const expected = pieces.map((p) => ('text' in p ? p.text : vals[p.name])).join('');
        expect(unknownVariables(template)).toEqual([]);
        expect(renderTemplate(template, vals)).toBe(expected);
      }),
    );
  });

  it('a reference to any other name, anywhere in a valid text, is named as unknown (property)', () => {
    const otherName = fc.stringMatching(/^[a-z_.]{1,20}$/).filter((n) => !(cannedVariables as readonly string[]).includes(n));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.nat(), otherName, (pieces, at, name) => {
        const parts = pieces.map((p) => ('text' in p ? p.text : `{{${p.name}}}`));
        parts.splice(at % (parts.length + 1), 0, `{{${name}}}`);
        expect(unknownVariables(parts.join(''))).toEqual([name]);
      }),
    );
  });
});
