// TEMPORARY stand-in (the helper's compact log replaces it): every time kept as a double.
import { findGaps, type GapReport } from './gaps';
import type { Profile } from '../parse/profile';

export class TimeLog {
  private times: number[] = [];
  get count(): number {
    return this.times.length;
  }
  push(t: number): void {
    this.times.push(t);
  }
  gaps(thresholdNs: number | undefined, shift: number): GapReport {
    const time = Float64Array.from(this.times, (t) => t + shift);
    const event = new Uint16Array(time.length);
    return findGaps({ sampleCount: time.length, time, event } as unknown as Profile, 0, thresholdNs);
  }
}
