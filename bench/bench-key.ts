import { apiKeyEntry, generateApiKey } from '../lib/auth/api-keys';
import { SCOPES } from '../lib/auth/scopes';

/** The benchmarks' API key (every scope), new per run; the services get its hash. */
export const BENCH_KEY = generateApiKey();
export const BENCH_API_KEYS = apiKeyEntry('bench', BENCH_KEY, SCOPES);
export const BENCH_AUTHORIZATION = { authorization: `Bearer ${BENCH_KEY}` } as const;
/** Load is what the benchmarks measure: the per-key ingest limit must not shape it. */
export const BENCH_RATE_LIMIT = '1000000000';
