/**
 * The baseline: a bare node:http server answering every request with a small JSON body, the least
 * any Node HTTP service can do. Guildhall's numbers are reported as ratios against it.
 */
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const body = JSON.stringify({
    status: 'ok',
    timestamp: new Date().toISOString(),
    service: 'bare',
    path: req.url,
  });
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`listening ${address.port}\n`);
});
process.once('SIGTERM', () => server.close());
