// The part of jsdom's API the tests use (the package ships no types and @types/jsdom is not installed).
declare module 'jsdom' {
  export interface JSDOMOptions {
    contentType?: string;
    runScripts?: 'dangerously' | 'outside-only';
  }
  export class JSDOM {
    constructor(html?: string, options?: JSDOMOptions);
    readonly window: Window & typeof globalThis;
  }
}
