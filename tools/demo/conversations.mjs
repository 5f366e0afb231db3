/**
 * The demo's clients and what they say. Each conversation: who writes, through which bot, the client's
 * lines and a manager's answers interleaved ("c:" client, "m:" manager), and how it ends.
 */
export const conversations = [
  { channel: 'telegram', user: { first_name: 'Ana', last_name: 'Souza', username: 'ana_souza', language_code: 'pt-br' }, lines: ['c:/start', 'c:Olá! Vocês entregam em Lisboa? O meu pedido é o 4821.', 'm:Olá Ana! Entregamos sim, em 24-48h.', 'c:Perfeito, obrigada!'], end: 'close', tags: ['entrega'] },
  { channel: 'telegram', user: { first_name: 'John', last_name: 'Miller', username: 'jmiller', language_code: 'en' }, lines: ['c:/start', 'c:Hi! Do you have the blue sofa in stock?', 'm:Hi John, yes — two left in the Porto warehouse.', 'c:Great, can I reserve one until Friday?'], tags: ['sofa', 'vip'] },
  { channel: 'telegram', user: { first_name: 'Rui', username: 'rui_p', language_code: 'pt' }, lines: ['c:/start campanha_verao-2025', 'c:Vi a campanha de verão. O desconto vale para cadeiras?'], tags: ['campanha'] },
  { channel: 'viber', user: { name: 'Maria Oliveira' }, lines: ['c:Bom dia! Queria trocar o tamanho da camisola da encomenda 4821.', 'm:Bom dia Maria! Qual é o tamanho que pretende?', 'c:M, por favor.'] },
  { channel: 'telegram', user: { first_name: 'Beatriz', last_name: 'Lima', language_code: 'pt-br' }, lines: ['c:Oi, qual o prazo de entrega para São Paulo?', 'm:Oi Beatriz! De 5 a 7 dias úteis.', 'c:E o frete é grátis acima de R$ 300?', 'm:Sim, frete grátis acima de R$ 300.'], end: 'close' },
  { channel: 'telegram', user: { first_name: 'Emily', last_name: 'Clark', language_code: 'en' }, lines: ['c:Hello, I was charged twice for order 5120.', 'm:Sorry about that, Emily. I am checking with billing now.', 'c:Thanks, please let me know.'], tags: ['billing'] },
  { channel: 'viber', user: { name: 'Carlos Mendes' }, lines: ['c:Boa tarde, o sofá cinza tem garantia de quantos anos?'] },
  { channel: 'telegram', user: { first_name: 'Lucas', last_name: 'Ferreira', language_code: 'pt-br' }, lines: ['c:Vocês fazem montagem dos móveis?', 'm:Fazemos sim, Lucas! A montagem custa R$ 80.', 'c:Ótimo, quero agendar para sábado.'] },
  { channel: 'telegram', user: { first_name: 'Sophie', last_name: 'Martin', language_code: 'en' }, lines: ['c:Do you ship to France?'] },
  { channel: 'viber', user: { name: 'Inês Costa' }, lines: ['c:Olá! A minha encomenda chegou com um defeito na perna da mesa.', 'm:Lamentamos, Inês. Pode enviar uma foto?', 'c:Já envio, obrigada.'], tags: ['reclamação'] },
  { channel: 'telegram', user: { first_name: 'Pedro', last_name: 'Alves', language_code: 'pt' }, lines: ['c:Qual é o horário da loja do Porto?', 'm:Das 10h às 20h, de segunda a sábado.'], end: 'close' },
  { channel: 'telegram', user: { first_name: 'Michael', last_name: 'Brown', language_code: 'en' }, lines: ['c:Is the oak dining table available in 180cm?', 'm:It is, Michael. Would you like a quote with delivery?', 'c:Yes please, to Lisbon.'], tags: ['orçamento'] },
  { channel: 'viber', user: { name: 'Helena Rocha' }, lines: ['c:Bom dia, aceitam MB Way?'] },
  { channel: 'telegram', user: { first_name: 'Gabriel', last_name: 'Santos', language_code: 'pt-br' }, lines: ['c:Boa noite! Tem cupom de primeira compra?', 'm:Tem sim, Gabriel: BEMVINDO10 dá 10% de desconto.', 'c:Valeu!'], end: 'close' },
  { channel: 'telegram', user: { first_name: 'Olivia', last_name: 'Wilson', language_code: 'en' }, lines: ['c:Can I change the delivery address for order 6001?'] },
  { channel: 'telegram', user: { first_name: 'Mariana', last_name: 'Ribeiro', language_code: 'pt-br' }, lines: ['c:Olá, o sofá retrátil vem em veludo?', 'm:Vem sim, Mariana, em 4 cores.', 'c:Pode me mandar as cores?'], tags: ['sofa'] },
  { channel: 'viber', user: { name: 'Tiago Nunes' }, lines: ['c:Preciso da fatura da encomenda 4977 com NIF.', 'm:Claro, Tiago. Qual é o NIF?', 'c:123456789'], tags: ['billing'] },
  { channel: 'telegram', user: { first_name: 'Daniel', last_name: 'Garcia', language_code: 'en' }, lines: ['c:Hi, what is your return policy?', 'm:30 days, free returns in Portugal.'], end: 'close' },
  { channel: 'telegram', user: { first_name: 'Camila', last_name: 'Duarte', language_code: 'pt-br' }, lines: ['c:Vocês têm loja física no Rio?'] },
  { channel: 'telegram', user: { first_name: 'Hannah', last_name: 'Schmidt', language_code: 'en' }, lines: ['c:Hello! Are the lamps compatible with EU sockets?', 'm:Yes, all our lamps ship with EU plugs.', 'c:Perfect, ordering now.'] },
  { channel: 'viber', user: { name: 'Joana Pires' }, lines: ['c:Olá! Posso pagar em 3 prestações?', 'm:Pode sim, Joana, sem juros acima de 300€.'] },
  { channel: 'telegram', user: { first_name: 'Rafael', last_name: 'Moreira', language_code: 'pt-br' }, lines: ['c:Meu pedido 7002 está atrasado.', 'm:Oi Rafael, vou verificar com a transportadora.', 'c:Obrigado, aguardo.'], tags: ['entrega'] },
  { channel: 'telegram', user: { first_name: 'Laura', last_name: 'Rossi', language_code: 'en' }, lines: ['c:Do you offer gift cards?'] },
  { channel: 'viber', user: { name: 'André Lopes' }, lines: ['c:Bom dia! O colchão tem período de experiência?', 'm:Tem, André: 100 noites.', 'c:Excelente.'], end: 'close' },
];
