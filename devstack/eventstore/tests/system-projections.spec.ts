import { jsonEvent, NotFoundError, UnknownError } from '@eventstore/db-client';
import { status } from '@grpc/grpc-js';
import { collect, startHarness, type Harness } from './harness';

const SYSTEM_PROJECTIONS = ['$by_category', '$by_event_type'];

describe('the projections management API for the system projections', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it('reports them running, as statistics and in the list of continuous projections', async () => {
    for (const name of SYSTEM_PROJECTIONS) {
      const details = await harness.client.getProjectionStatus(name);
      expect(details).toMatchObject({
        name,
        effectiveName: name,
        projectionStatus: 'Running',
        progress: 100,
      });
    }
    const listed = await harness.client.listProjections();
    expect(listed.map((projection) => projection.name)).toEqual(expect.arrayContaining(SYSTEM_PROJECTIONS));
  });

  it('enables a running system projection (a no-op, as on EventStoreDB)', async () => {
    await harness.client.enableProjection('$by_category');
    await harness.client.enableProjection('$by_event_type');
    await harness.client.appendToStream('proj-1', jsonEvent({ type: 'Projected', data: {} }));
    expect(await collect(harness.client.readStream('$ce-proj'))).toHaveLength(1);
    expect((await harness.client.getProjectionStatus('$by_category')).projectionStatus).toBe('Running');
  });

  it('answers an unknown projection with NOT_FOUND and the real text', async () => {
    await expect(harness.client.enableProjection('no-such')).rejects.toMatchObject({
      code: status.NOT_FOUND,
      message: "5 NOT_FOUND: Projection 'no-such' not found",
    });
    await expect(harness.client.getProjectionStatus('no-such')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses what it cannot do instead of pretending: disabling, state, user-defined projections', async () => {
    const refused = { code: status.UNIMPLEMENTED };
    await expect(harness.client.disableProjection('$by_category')).rejects.toBeInstanceOf(UnknownError);
    await expect(harness.client.disableProjection('$by_category')).rejects.toMatchObject(refused);
    await expect(harness.client.getProjectionState('$by_category')).rejects.toMatchObject(refused);
    await expect(harness.client.createProjection('mine', 'fromAll().when({})')).rejects.toMatchObject(
      refused,
    );
    // Nothing was switched off behind the refusal.
    await harness.client.appendToStream('proj-2', jsonEvent({ type: 'Projected', data: {} }));
    expect(await collect(harness.client.readStream('$ce-proj'))).toHaveLength(2);
  });
});

describe('with the system projections off', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ systemProjections: false });
  });
  afterAll(() => harness.close());

  it('reports them stopped and refuses to enable them (they cannot start at run time here)', async () => {
    expect((await harness.client.getProjectionStatus('$by_category')).projectionStatus).toBe('Stopped');
    await expect(harness.client.enableProjection('$by_category')).rejects.toMatchObject({
      code: status.UNIMPLEMENTED,
    });
  });
});
