// The `?invite=CODE` of a partner's link, kept for this browser session so it survives a detour
// through the login page. The referral feature will send it with the sign-up.
const KEY = 'tribuna.invite';

export function normaliseInvite(raw: string | null | undefined): string | null {
  const code = raw?.trim() ?? '';
  return code && code.length <= 64 && /^[A-Za-z0-9_-]+$/.test(code) ? code : null;
}

export function rememberInvite(fromUrl: string | null): string | null {
  const code = normaliseInvite(fromUrl);
  try {
    if (code) {
      sessionStorage.setItem(KEY, code);
      return code;
    }
    return normaliseInvite(sessionStorage.getItem(KEY));
  } catch {
    return code;
  }
}
