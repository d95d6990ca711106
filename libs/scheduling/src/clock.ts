/** Where every service reads the time: injected (CLOCK), so that tests move it and deciders never read it. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

/** A clock a test sets and moves by hand. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date): void {
    this.current = at.getTime();
  }

  advance(milliseconds: number): Date {
    this.current += milliseconds;
    return this.now();
  }
}

const systemClock: Clock = { now: () => new Date() };

/** The clock of every service in this process: the system's, unless a test put its own in (`useClock`). */
const source: { clock: Clock } = { clock: systemClock };

/** The process's clock, read through on every call (so `useClock` applies to services already created). */
export const processClock: Clock = { now: () => source.clock.now() };

/** Tests only: every service in this process reads `clock` until the returned function is called. */
export const useClock = (clock: Clock): (() => void) => {
  const previous = source.clock;
  source.clock = clock;
  return () => {
    source.clock = previous;
  };
};
