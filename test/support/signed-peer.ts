import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NonceBook, verifySignature, type Verified } from '../../local/rpc/signature.ts';

/** One request as a signed-RPC peer read it: parameters, headers and what the emulator's verifier made of the signature. */
export interface PeerRequest {
  method: string;
  query: Record<string, string>;
  form: Record<string, string>;
  headers: Record<string, string>;
  verified: Verified;
}

/**
 * A loopback peer that checks each raw request's signature with the emulator's verifier (one
 * access key, `secret`) and answers what `answer` returns for it, as JSON: the wire as an
 * Alibaba gateway sees it, without the emulator behind it.
 */
export function signedPeer(accessKeyId: string, secret: string, answer: (r: PeerRequest) => unknown): Server {
  return createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const u = new URL(req.url ?? '/', 'http://peer');
    const query = Object.fromEntries(u.searchParams);
    const form = Object.fromEntries(new URLSearchParams(body.toString()));
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const verified = verifySignature(
      { method: req.method!, pathname: u.pathname, query, form, headers, body },
      (id) => (id === accessKeyId ? secret : undefined),
      new NonceBook(),
    );
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer({ method: req.method!, query, form, headers, verified })));
  });
}

/** Starts `server` on a loopback port and answers its base URL. */
export async function listenLoopback(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
