/**
 * `instanceof` for zpl's error classes that holds across bundles. `npm run build` puts a
 * cross-account run's role session in `run-as.js` beside each bundle (cli/build.ts), and that
 * module carries its own copy of the classes it throws; a refusal it throws must still read as a
 * StepFailure or an AliyunError in the bundle that loaded it. Each instance carries a
 * process-wide symbol (`Symbol.for`), and the class's `Symbol.hasInstance` looks for it.
 */
export function errorBrand(name: string) {
  const brand = Symbol.for(`zpl.error.${name}`);
  return {
    mark(e: object): void {
      Object.defineProperty(e, brand, { value: true });
    },
    is(v: unknown): boolean {
      return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[brand] === true;
    },
  };
}
