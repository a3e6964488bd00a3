import { LANGUAGES, STRINGS, type Language } from './strings.ts';

/**
 * The two HTML documents the server writes: the login form and the shell the browser's code
 * fills in. Neither holds data or a secret; neither has inline script or style (the CSP forbids them).
 */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const NAMES: Record<Language, string> = { en: 'English', zh: '中文' };

function document(lang: Language, body: string, path: string): string {
  const t = STRINGS[lang];
  const switcher = LANGUAGES.map(
    (l) => `<a href="${path}?lang=${l}" hreflang="${l}" lang="${l}"${l === lang ? ' aria-current="true"' : ''}>${NAMES[l]}</a>`,
  ).join(' ');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(t.title)}</title>
<link rel="stylesheet" href="/page/assets/page.css">
${body.includes('id="app"') ? '<script type="module" src="/page/assets/app.js"></script>\n' : ''}</head>
<body>
<header><h1>${escape(t.title)}</h1><nav aria-label="language">${switcher}</nav>${
    body.includes('id="app"') ? `<form method="post" action="/page/logout"><button type="submit">${escape(t.signOut)}</button></form>` : ''
  }</header>
${body}
</body>
</html>
`;
}

export function loginPage(lang: Language, problem?: 'badToken' | 'noToken'): string {
  const t = STRINGS[lang];
  return document(
    lang,
    `<main><section class="login"><h2>${escape(t.loginTitle)}</h2><p class="muted">${escape(t.loginHelp)}</p>${
      problem ? `<p class="error" role="alert">${escape(t[problem])}</p>` : ''
    }<form method="post" action="/page/login"><label for="token">${escape(t.token)}</label><input id="token" name="token" type="password" autocomplete="current-password" required autofocus><button type="submit">${escape(t.signIn)}</button></form></section></main>`,
    '/page/login',
  );
}

export const shellPage = (lang: Language) =>
  document(lang, `<main id="app" aria-live="polite"><p class="muted">${escape(STRINGS[lang].loading)}</p></main>`, '/page');
