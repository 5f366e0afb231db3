import { describe, expect, it } from 'vitest';
import { channels, generateWebhookSecret, getAdapter } from '../../../worker/messengers/registry';

describe('registry', () => {
  it('has one adapter per channel, named after it', () => {
    for (const channel of channels) expect(getAdapter(channel)?.channel).toBe(channel);
    expect(getAdapter('whatsapp')).toBeUndefined();
    expect(getAdapter('toString')).toBeUndefined();
  });

  it('reports the text limits', () => {
    expect(getAdapter('telegram')?.maxTextLength).toBe(4096);
    expect(getAdapter('viber')?.maxTextLength).toBe(7000);
  });

  it('generates 48-hex-char secrets Telegram accepts, fresh each time', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^[0-9a-f]{48}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
