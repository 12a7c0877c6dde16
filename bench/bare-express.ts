// The ingest baseline: a trivial Express JSON POST handler in its own process, `PORT` from the environment.
import express from 'express';
import { randomUUID } from 'node:crypto';
import { INGEST_PATH } from './payloads';

const ACCEPTED = 202;
const app = express();
app.use(express.json({ limit: '1mb' }));
app.post(INGEST_PATH, (req, res) => {
  const requestId = randomUUID();
  res.status(ACCEPTED).location(`${INGEST_PATH}/requests/${requestId}`).json({ requestId });
});
app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
