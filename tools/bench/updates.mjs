/**
 * Real-shaped messenger callbacks built without the fakes, for driving webhooks at full speed:
 * Telegram `Update`s (sent with the secret header) and Viber `message` callbacks (signed with
 * HMAC-SHA256 of the exact bytes, message_token a bare 64-bit number as Viber writes it).
 * Also the pools of names and texts the benchmarks and the data generator share.
 */
import { createHash, createHmac } from 'node:crypto';

export const firstNames = ['João', 'Maria', 'Ana', 'Pedro', 'Luísa', 'Carlos', 'Beatriz', 'Rafael', 'Fernanda', 'Tiago', 'Sofia', 'Miguel', 'Inês', 'Gabriel', 'Larissa', 'Bruno', 'Camila', 'Diego', 'Helena', 'Lucas', 'Emily', 'James', 'Olivia', 'Noah', 'Grace', 'Henry', 'Chloe', 'Daniel', 'Amelia', 'Jack'];
export const lastNames = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Araújo', 'Smith', 'Johnson', 'Brown', 'Taylor', 'Wilson'];
export const clientTexts = [
  'Olá, bom dia! Vocês têm o sofá cinza em estoque?',
  'Qual é o prazo de entrega para São Paulo?',
  'Gostaria de saber o preço da mesa de jantar de madeira maciça.',
  'Vocês aceitam pagamento via Pix ou cartão parcelado?',
  'Meu pedido ainda não chegou, podem verificar por favor?',
  'Hi! Is the leather armchair still available?',
  'Can you ship to Lisbon? How much would delivery cost?',
  'I would like to return the lamp, it arrived broken.',
  'Do you have a showroom where I can see the wardrobe?',
  'Obrigado pelo atendimento, vou pensar e retorno amanhã.',
  'Tem desconto para compra de duas cadeiras?',
  'Please send me the invoice for order 4521.',
  'A cor do tapete é mais clara do que na foto?',
  'What are your opening hours on Saturday?',
  'Quero trocar o endereço de entrega do meu pedido.',
  'Is there a warranty on the mattress?',
];
export const agentTexts = [
  'Olá! Sim, temos em estoque. Posso reservar para você?',
  'O prazo de entrega é de 5 a 7 dias úteis.',
  'Aceitamos Pix, boleto e cartão em até 10x sem juros.',
  'Hi! Yes, it is available. Shall I reserve it for you?',
  'Delivery to Lisbon costs 35 EUR and takes about a week.',
  'Vou verificar com a transportadora e retorno em seguida.',
  'Sorry about that! We will arrange a pickup and a refund.',
  'Enviei a fatura para o seu e-mail.',
];

export const pick = (arr, i) => arr[((i % arr.length) + arr.length) % arr.length];

/** A Telegram text update from client `userId` (a positive integer), as Telegram's webhook body. */
export function telegramTextUpdate({ updateId, userId, messageId = 1, text, firstName, lastName, date = Math.floor(Date.now() / 1000) }) {
  const from = { id: userId, is_bot: false, first_name: firstName ?? pick(firstNames, userId), ...(lastName !== null ? { last_name: lastName ?? pick(lastNames, Math.floor(userId / 7)) } : {}), language_code: 'pt-br' };
  const chat = { id: userId, first_name: from.first_name, ...(from.last_name ? { last_name: from.last_name } : {}), type: 'private' };
  return JSON.stringify({ update_id: updateId, message: { message_id: messageId, from, chat, date, text: text ?? pick(clientTexts, updateId) } });
}

/** Headers of a Telegram webhook delivery. */
export const telegramHeaders = (secret) => ({ 'content-type': 'application/json', ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }) });

/**
 * A Viber `message` callback's exact bytes: `messageToken` (BigInt) is written as a bare number, as
 * Viber does (JSON.stringify cannot), so tokens above 2^53 keep every digit.
 */
export function viberMessageBody({ messageToken, userId, name, text, timestamp = Date.now() }) {
  const json = JSON.stringify({
    event: 'message', timestamp, chat_hostname: 'SN-CHAT-05_', message_token: '__TOKEN__',
    sender: { id: userId, name, language: 'pt', country: 'BR', api_version: 10 },
    message: { text, type: 'text' }, silent: false,
  });
  return json.replace('"__TOKEN__"', BigInt(messageToken).toString());
}

/** Headers of a Viber callback: the HMAC-SHA256 (hex) of the exact body bytes under the bot token. */
export const viberHeaders = (token, body) => ({ 'content-type': 'application/json', 'x-viber-content-signature': createHmac('sha256', token).update(body, 'utf8').digest('hex') });

/** A Viber user id shaped like the real ones (base64 of 16 bytes), distinct per `n`. */
/** A Viber-shaped user id (base64 of 16 bytes), distinct for every (n, salt). */
export const viberUserId = (n, salt = 'vb') => createHash('sha256').update(`${salt}:${n}`).digest().subarray(0, 16).toString('base64');
