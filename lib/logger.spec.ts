import { Writable } from 'node:stream';
import { createLogger } from './logger';

describe('the logger', () => {
  it('never writes a declared personal field in plain text, however deep the object carrying it', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('test', { destination });
    logger.info(
      {
        customer: { id: 'c-1', name: 'Ada Lovelace', email: 'ada@example.com' },
        payload: { CUST_NAME: 'Bob Babbage', shippingAddress: { city: 'Marylebone' } },
        command: { customer: { name: 'Carol' } },
      },
      'an order',
    );
    const line = lines.join('');
    for (const plain of ['Ada Lovelace', 'ada@example.com', 'Bob Babbage', 'Marylebone', 'Carol']) {
      expect(line).not.toContain(plain);
    }
    expect(line).toContain('"id":"c-1"');
  });
});
