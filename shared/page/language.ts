import { LANGUAGES, type Language } from './strings.ts';

/**
 * The page's language: the switch's choice (`?lang=`, then remembered in the `zpl_lang` cookie),
 * else the browser's Accept-Language (the first supported one by quality), else English.
 */
export const LANGUAGE_COOKIE = 'zpl_lang';

const supported = (tag: string | undefined): Language | undefined => {
  const primary = tag?.trim().toLowerCase().split('-')[0];
  return LANGUAGES.find((l) => l === primary);
};

export function preferredLanguage(acceptLanguage: string | undefined): Language | undefined {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const l = supported(tag);
    if (l) return l;
  }
  return undefined;
}

export function pageLanguage(req: { query?: string; cookie?: string; acceptLanguage?: string }): Language {
  return supported(req.query) ?? supported(req.cookie) ?? preferredLanguage(req.acceptLanguage) ?? 'en';
}
