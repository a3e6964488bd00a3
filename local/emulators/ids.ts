import { createHash } from 'node:crypto';

/** Deterministic resource IDs in Alibaba's shapes (`ep-bp1…`, `sg-bp1…`), unique per emulator run. */
export class IdFactory {
  private counter = 0;
  constructor(private readonly seed = 'zpl-emulator') {}

  next(prefix: string, length = 20): string {
    const digest = createHash('sha256').update(`${this.seed}:${++this.counter}`).digest('hex');
    return `${prefix}-bp1${digest.slice(0, length - 3)}`;
  }

  /** PrivateZone zone IDs are 32 bare hex characters, with no prefix. */
  zoneId(): string {
    return createHash('sha256').update(`${this.seed}:zone:${++this.counter}`).digest('hex').slice(0, 32);
  }

  nextNumber(): number {
    return 1_000_000 + ++this.counter;
  }

  requestId(): string {
    const h = createHash('sha256').update(`${this.seed}:req:${++this.counter}`).digest('hex').toUpperCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }
}

/** The `host`-th address of an IPv4 CIDR block. */
export function addressInCidr(cidr: string, host: number): string {
  const [base, bits] = cidr.split('/');
  const n = base!.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const size = 2 ** (32 - Number(bits));
  if (host <= 0 || host >= size - 1) throw new RangeError(`no host ${host} in ${cidr}`);
  const ip = n + host;
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join('.');
}
