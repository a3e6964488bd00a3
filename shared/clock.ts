/**
 * One injectable clock for the emulators, the local engine and the steps.
 * A virtual clock can run faster than real time (scale) or only when told (scale 0),
 * so a provisioning that takes ten minutes in the cloud replays in seconds in tests.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, in this clock's time. */
  now(): number;
  /** Resolves once this clock has moved `ms` forward. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

interface Sleeper {
  until: number;
  resolve: () => void;
  timer?: NodeJS.Timeout;
}

export class VirtualClock implements Clock {
  private baseReal = Date.now();
  private baseVirtual: number;
  private readonly sleepers = new Set<Sleeper>();

  /** @param scale virtual ms per real ms; 0 means time moves only through `advance`. */
  constructor(private scaleFactor = 1, start = Date.now()) {
    if (!(scaleFactor >= 0)) throw new RangeError('clock scale must be >= 0');
    this.baseVirtual = start;
  }

  get scale(): number {
    return this.scaleFactor;
  }

  now(): number {
    return this.baseVirtual + (Date.now() - this.baseReal) * this.scaleFactor;
  }

  setScale(scale: number): void {
    if (!(scale >= 0)) throw new RangeError('clock scale must be >= 0');
    this.baseVirtual = this.now();
    this.baseReal = Date.now();
    this.scaleFactor = scale;
    this.wakeDue();
  }

  /** Moves virtual time forward at once, waking every sleeper that is now due. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('can only advance the clock forward');
    this.baseVirtual += ms;
    this.wakeDue();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper: Sleeper = { until: this.now() + Math.max(0, ms), resolve };
      this.sleepers.add(sleeper);
      this.schedule(sleeper);
    });
  }

  private wakeDue(): void {
    for (const sleeper of [...this.sleepers]) this.schedule(sleeper);
  }

  private schedule(sleeper: Sleeper): void {
    if (sleeper.timer) clearTimeout(sleeper.timer);
    const left = sleeper.until - this.now();
    if (left <= 0) {
      this.sleepers.delete(sleeper);
      sleeper.resolve();
    } else if (this.scaleFactor > 0) {
      sleeper.timer = setTimeout(() => this.schedule(sleeper), Math.max(1, Math.ceil(left / this.scaleFactor)));
    }
  }
}
