import { useI18n } from '../i18n/I18nProvider';
import { errorText } from './errors';

/** A refused action's reason, announced; nothing when there is no error. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  return (
    <p className="alert alert-error" role="alert">
      {errorText(t, error)}
    </p>
  );
}
