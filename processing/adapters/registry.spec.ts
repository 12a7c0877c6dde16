import { SUPPORTED_PROFILES, adapt } from './registry';

describe('choosing an adapter by (applies, profile)', () => {
  it('knows the web UI profile for every concept and the ERP export for orders', () => {
    expect(SUPPORTED_PROFILES).toEqual([
      'Order web/v1',
      'Order erp-export/v1',
      'Payment web/v1',
      'Shipping web/v1',
    ]);
  });

  it('refuses an unknown pair with a reason instead of crashing', () => {
    const supported = 'supported: Order web/v1, Order erp-export/v1, Payment web/v1, Shipping web/v1';
    expect(adapt({ applies: 'Payment', profile: 'erp-export/v1', requestId: 'r', payload: {} })).toEqual({
      ok: false,
      reason: `no adapter for applies "Payment" with profile "erp-export/v1"; ${supported}`,
    });
    expect(adapt({ applies: 'Invoice', profile: 'web/v1', requestId: 'r', payload: {} })).toEqual({
      ok: false,
      reason: `no adapter for applies "Invoice" with profile "web/v1"; ${supported}`,
    });
    expect(adapt({ applies: 'toString', profile: '', requestId: 'r', payload: undefined })).toMatchObject({
      ok: false,
    });
  });

  it('never throws, whatever the payload', () => {
    const odd: unknown[] = [undefined, null, 0, '', [], { action: {} }, { action: 'place', lines: 'x' }];
    for (const payload of odd) {
      for (const profile of SUPPORTED_PROFILES) {
        const [applies = '', name = ''] = profile.split(' ');
        expect(adapt({ applies, profile: name, requestId: 'r', payload })).toMatchObject({ ok: false });
      }
    }
  });
});
