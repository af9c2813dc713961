import { isApiError } from '../api/client';
import { isMessageKey, type Translate } from '../i18n/messages';

/** What to tell a person about a failed request, in their language. */
export function errorText(t: Translate, error: unknown): string {
  if (!isApiError(error)) return t('error.generic', { code: 'client' });
  if (error.code === 'too_many_requests') {
    return error.retryAfterSeconds !== null
      ? t('error.too_many_requests', { seconds: error.retryAfterSeconds })
      : t('error.too_many_requests.later');
  }
  const key = `error.${error.code}`;
  return isMessageKey(key) ? t(key) : t('error.generic', { code: error.code });
}
